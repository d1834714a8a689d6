/* SPDX-License-Identifier: MIT */
#include "scheme_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fx *sx_new(enum swmsi_scheme scheme, unsigned int page_shift)
{
	struct swmsi_ctx_opts o = { .page_shift = page_shift, .scheme = scheme };

	return fx_new(&o);
}

int sx_setup_native(void **state)
{
	*state = sx_new(SWMSI_SCHEME_NATIVE, 12);
	return 0;
}

int sx_setup_kernel(void **state)
{
	*state = sx_new(SWMSI_SCHEME_KERNEL, 12);
	return 0;
}

int sx_setup_kernel_64k(void **state)
{
	*state = sx_new(SWMSI_SCHEME_KERNEL, 16);
	return 0;
}

int sx_setup_dma(void **state)
{
	*state = sx_new(SWMSI_SCHEME_DMA_IOMMU, 12);
	return 0;
}

int sx_create_rc(enum swmsi_scheme scheme, enum swmsi_reclaim reclaim, unsigned int max)
{
	struct swmsi_ctx *const sentinel = (struct swmsi_ctx *)(uintptr_t)0x5a5a;
	struct swmsi_ctx_opts o = { .max_msi_maps = max, .reclaim = reclaim, .scheme = scheme };
	struct swmsi_ctx *ctx = sentinel;
	struct mock_iommu *mock = NULL;
	int rc;

	assert_int_equal(mock_iommu_create(12, &mock), 0);
	o.iommu = mock_iommu_ops();
	o.iommu_priv = mock;
	rc = swmsi_ctx_create(&o, &ctx);
	if (rc)
		assert_ptr_equal(ctx, sentinel);
	else
		swmsi_ctx_destroy(ctx);
	mock_iommu_destroy(mock);
	return rc;
}

uint64_t sx_db(unsigned int i)
{
	return 0x40000000ull + (uint64_t)i * 0x10000 + 0x40;
}

uint64_t sx_page_of(const struct fx *fx, uint64_t addr)
{
	return addr & ~(fx_page_size(fx) - 1);
}

struct swmsi_msi_map_info *sx_maps(struct fx *fx, size_t *n)
{
	struct swmsi_msi_map_info *m;
	size_t cnt = 0;

	assert_int_equal(swmsi_msi_map_list(fx->ctx, NULL, 0, &cnt), 0);
	m = calloc(cnt ? cnt : 1, sizeof(*m));
	assert_non_null(m);
	assert_int_equal(swmsi_msi_map_list(fx->ctx, m, cnt, n), 0);
	assert_int_equal(*n, cnt);
	return m;
}

static struct swmsi_msi_map_info sx_map_find(struct fx *fx, bool by_id, uint32_t id, uint64_t start,
					     uint64_t page)
{
	struct swmsi_msi_map_info found = { 0 }, *m;
	size_t n = 0, i;
	bool hit = false;

	m = sx_maps(fx, &n);
	for (i = 0; i < n && !hit; i++) {
		if (by_id ? m[i].id == id : m[i].sw_msi_start == start && m[i].msi_page == page) {
			found = m[i];
			hit = true;
		}
	}
	free(m);
	if (!hit && by_id)
		fail_msg("no MSI map with id %u", id);
	if (!hit)
		fail_msg("no MSI map for page 0x%llx in window 0x%llx", (unsigned long long)page,
			 (unsigned long long)start);
	return found;
}

struct swmsi_msi_map_info sx_map_by_id(struct fx *fx, uint32_t id)
{
	return sx_map_find(fx, true, id, 0, 0);
}

struct swmsi_msi_map_info sx_map_by_page(struct fx *fx, uint64_t start, uint64_t page)
{
	return sx_map_find(fx, false, 0, start, page);
}

size_t sx_cookie(struct fx *fx, uint32_t hwpt, struct swmsi_msi_cookie_info *info,
		 struct swmsi_msi_cookie_page *pages, size_t cap)
{
	size_t n = SIZE_MAX;

	assert_int_equal(swmsi_hwpt_msi_cookie(fx->ctx, hwpt, info, pages, cap, &n), 0);
	return n;
}

void sx_expect_no_cookie(struct fx *fx, uint32_t hwpt)
{
	struct swmsi_msi_cookie_info ci;

	memset(&ci, 0xa5, sizeof(ci));
	assert_int_equal(sx_cookie(fx, hwpt, &ci, NULL, 0), 0);
	assert_false(ci.active);
	assert_int_equal(ci.pages, 0);
}

void sx_expect_cookie(struct fx *fx, uint32_t hwpt, uint64_t base, uint64_t next_iova,
		      uint32_t pages)
{
	struct swmsi_msi_cookie_info ci;

	memset(&ci, 0, sizeof(ci));
	assert_int_equal(sx_cookie(fx, hwpt, &ci, NULL, 0), pages);
	assert_true(ci.active);
	assert_int_equal(ci.base, base);
	assert_int_equal(ci.next_iova, next_iova);
	assert_int_equal(ci.pages, pages);
}

void sx_expect_mapped(struct fx *fx, uint32_t hwpt, uint64_t iova, uint64_t paddr, uint32_t prot)
{
	uint64_t pa = 0;
	uint32_t pr = 0;

	assert_int_equal(mock_iommu_lookup(fx->mock, fx_domain(fx, hwpt), iova, &pa, &pr), 0);
	assert_int_equal(pa, paddr);
	assert_int_equal(pr, prot);
}

void sx_expect_unmapped(struct fx *fx, uint32_t hwpt, uint64_t iova)
{
	uint64_t pa = 0;

	assert_int_equal(mock_iommu_lookup(fx->mock, fx_domain(fx, hwpt), iova, &pa, NULL),
			 -ENOENT);
}

uint64_t sx_mapped(struct fx *fx, uint32_t hwpt)
{
	return mock_iommu_mapped_pages(fx->mock, fx_domain(fx, hwpt));
}

/* ------------------------------------------------------------------------ */
/* ksnap */

struct ksnap_hwpt {
	uint32_t id;
	struct swmsi_hwpt_info info;
	uint32_t *present;
	size_t npresent;
	struct mock_iommu_range *ranges; /* paging HWPTs only */
	size_t nranges;
};

struct ksnap_dev {
	uint32_t id;
	struct swmsi_device_info info;
	struct swmsi_vector_info *vecs;
	int *fire_rc;
	uint64_t *fire_pa;
	size_t nvecs;
};

struct ksnap {
	struct swmsi_obj_info *objs;
	size_t nobjs;
	struct swmsi_msi_map_info *maps;
	size_t nmaps;
	size_t domains;
	struct ksnap_hwpt h[SX_MAX_HWPTS];
	size_t nh;
	struct ksnap_dev d[SX_MAX_DEVS];
	size_t nd;
};

static void *ks_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	assert_non_null(p);
	return p;
}

static void ksnap_take_hwpt(struct fx *fx, struct ksnap_hwpt *h)
{
	size_t n = 0;

	assert_int_equal(swmsi_hwpt_info(fx->ctx, h->id, &h->info), 0);
	assert_int_equal(swmsi_hwpt_msi_present(fx->ctx, h->id, NULL, 0, &n), 0);
	h->present = ks_calloc(n, sizeof(*h->present));
	assert_int_equal(swmsi_hwpt_msi_present(fx->ctx, h->id, h->present, n, &h->npresent), 0);
	if (h->info.type != SWMSI_OBJ_HWPT_PAGING)
		return;
	assert_int_equal(mock_iommu_ranges(fx->mock, h->info.domain, NULL, 0, &n), 0);
	h->ranges = ks_calloc(n, sizeof(*h->ranges));
	assert_int_equal(mock_iommu_ranges(fx->mock, h->info.domain, h->ranges, n, &h->nranges), 0);
}

static void ksnap_take_dev(struct fx *fx, struct ksnap_dev *d)
{
	size_t n = 0, i;

	assert_int_equal(swmsi_device_info(fx->ctx, d->id, &d->info), 0);
	assert_int_equal(swmsi_device_vectors(fx->ctx, d->id, NULL, 0, &n), 0);
	d->vecs = ks_calloc(n, sizeof(*d->vecs));
	d->fire_rc = ks_calloc(n, sizeof(*d->fire_rc));
	d->fire_pa = ks_calloc(n, sizeof(*d->fire_pa));
	assert_int_equal(swmsi_device_vectors(fx->ctx, d->id, d->vecs, n, &d->nvecs), 0);
	for (i = 0; i < d->nvecs; i++)
		d->fire_rc[i] = swmsi_msi_fire(fx->ctx, d->id, d->vecs[i].vec, &d->fire_pa[i]);
}

struct ksnap *ksnap_take(struct fx *fx, const uint32_t *hwpts, size_t nh, const uint32_t *devs,
			 size_t nd)
{
	struct ksnap *k = ks_calloc(1, sizeof(*k));
	size_t n = 0, i;

	assert_true(nh <= SX_MAX_HWPTS && nd <= SX_MAX_DEVS);
	assert_int_equal(swmsi_obj_list(fx->ctx, NULL, 0, &n), 0);
	k->objs = ks_calloc(n, sizeof(*k->objs));
	assert_int_equal(swmsi_obj_list(fx->ctx, k->objs, n, &k->nobjs), 0);
	k->maps = sx_maps(fx, &k->nmaps);
	k->domains = mock_iommu_domain_count(fx->mock);
	for (i = 0; i < nh; i++) {
		k->h[i].id = hwpts[i];
		ksnap_take_hwpt(fx, &k->h[i]);
	}
	k->nh = nh;
	for (i = 0; i < nd; i++) {
		k->d[i].id = devs[i];
		ksnap_take_dev(fx, &k->d[i]);
	}
	k->nd = nd;
	return k;
}

void ksnap_free(struct ksnap *k)
{
	size_t i;

	if (!k)
		return;
	for (i = 0; i < k->nh; i++) {
		free(k->h[i].present);
		free(k->h[i].ranges);
	}
	for (i = 0; i < k->nd; i++) {
		free(k->d[i].vecs);
		free(k->d[i].fire_rc);
		free(k->d[i].fire_pa);
	}
	free(k->objs);
	free(k->maps);
	free(k);
}

static void ks_check(const char *label, const char *what, uint32_t id, uint64_t was, uint64_t now)
{
	if (was != now)
		fail_msg("%s: %s (%u) changed: 0x%llx -> 0x%llx", label, what, id,
			 (unsigned long long)was, (unsigned long long)now);
}

static bool map_equal(const struct swmsi_msi_map_info *a, const struct swmsi_msi_map_info *b)
{
	return a->id == b->id && a->slot == b->slot && a->sw_msi_start == b->sw_msi_start &&
	       a->msi_page == b->msi_page && a->iova == b->iova && a->vectors == b->vectors;
}

static void ksnap_cmp_maps(const struct ksnap *a, const struct ksnap *b, size_t new_maps,
			   const char *label)
{
	size_t i;

	ks_check(label, "MSI table size", 0, a->nmaps + new_maps, b->nmaps);
	for (i = 0; i < a->nmaps; i++)
		if (!map_equal(&a->maps[i], &b->maps[i]))
			fail_msg("%s: MSI map id %u changed", label, a->maps[i].id);
	for (i = a->nmaps; i < b->nmaps; i++) {
		ks_check(label, "vectors of new MSI map", b->maps[i].id, 0, b->maps[i].vectors);
		if (a->nmaps && b->maps[i].id <= a->maps[a->nmaps - 1].id)
			fail_msg("%s: new MSI map id %u reuses an old one", label, b->maps[i].id);
	}
}

static uint64_t ranges_pages(const struct ksnap_hwpt *h, uint64_t page)
{
	uint64_t pages = 0;
	size_t i;

	for (i = 0; i < h->nranges; i++)
		pages += h->ranges[i].size / page;
	return pages;
}

static bool id_in(const uint32_t *ids, size_t n, uint32_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* Same present ids and the same domain contents. */
static void ksnap_cmp_hwpt_same(const struct ksnap_hwpt *a, const struct ksnap_hwpt *b,
				const char *label)
{
	size_t i;

	ks_check(label, "present count of HWPT", a->id, a->npresent, b->npresent);
	for (i = 0; i < a->npresent; i++)
		ks_check(label, "a present id of HWPT", a->id, a->present[i], b->present[i]);
	ks_check(label, "range count of HWPT", a->id, a->nranges, b->nranges);
	for (i = 0; i < a->nranges; i++) {
		ks_check(label, "range iova of HWPT", a->id, a->ranges[i].iova, b->ranges[i].iova);
		ks_check(label, "range paddr of HWPT", a->id, a->ranges[i].paddr,
			 b->ranges[i].paddr);
		ks_check(label, "range size of HWPT", a->id, a->ranges[i].size, b->ranges[i].size);
		ks_check(label, "range prot of HWPT", a->id, a->ranges[i].prot, b->ranges[i].prot);
	}
}

/*
 * @b's present ids are @a's plus exactly @grown more, and its domain holds
 * @a's pages plus one page per new id, at that entry's IOVA, R|W|MMIO.
 */
static void ksnap_cmp_hwpt_grown(struct fx *fx, const struct ksnap_hwpt *a,
				 const struct ksnap_hwpt *b, size_t grown, const char *label)
{
	uint64_t page = fx_page_size(fx);
	size_t i;

	ks_check(label, "present count of HWPT", a->id, a->npresent + grown, b->npresent);
	for (i = 0; i < a->npresent; i++)
		if (!id_in(b->present, b->npresent, a->present[i]))
			fail_msg("%s: id %u no longer present in HWPT %u", label, a->present[i],
				 a->id);
	ks_check(label, "mapped pages of HWPT", a->id, ranges_pages(a, page) + grown,
		 ranges_pages(b, page));
	for (i = 0; i < a->nranges; i++) {
		const struct mock_iommu_range *r = &a->ranges[i];
		uint64_t last = r->size - page, pa = 0;
		uint32_t prot = 0;

		assert_int_equal(
			mock_iommu_lookup(fx->mock, b->info.domain, r->iova + last, &pa, &prot), 0);
		ks_check(label, "an old page of HWPT", a->id, r->paddr + last, pa);
		ks_check(label, "an old page's prot in HWPT", a->id, r->prot, prot);
	}
	for (i = 0; i < b->npresent; i++) {
		struct swmsi_msi_map_info m;
		uint64_t pa = 0;
		uint32_t prot = 0;

		if (id_in(a->present, a->npresent, b->present[i]))
			continue;
		m = sx_map_by_id(fx, b->present[i]);
		if (mock_iommu_lookup(fx->mock, b->info.domain, m.iova, &pa, &prot))
			fail_msg("%s: new present id %u not mapped in HWPT %u", label, m.id, a->id);
		ks_check(label, "new MSI page of HWPT", a->id, m.msi_page, pa);
		ks_check(label, "new MSI page's prot in HWPT", a->id, SX_PROT_MSI, prot);
	}
}

static void ksnap_cmp_dev(const struct ksnap_dev *a, const struct ksnap_dev *b, const char *label)
{
	size_t i;

	ks_check(label, "hwpt of device", a->id, a->info.hwpt_id, b->info.hwpt_id);
	ks_check(label, "attached of device", a->id, a->info.attached, b->info.attached);
	ks_check(label, "vector count of device", a->id, a->nvecs, b->nvecs);
	for (i = 0; i < a->nvecs; i++) {
		ks_check(label, "vector handle of device", a->id, a->vecs[i].vec, b->vecs[i].vec);
		ks_check(label, "msg_addr of device", a->id, a->vecs[i].msg_addr,
			 b->vecs[i].msg_addr);
		ks_check(label, "msi_addr of device", a->id, a->vecs[i].msi_addr,
			 b->vecs[i].msi_addr);
		ks_check(label, "fire result of device", a->id, (uint64_t)a->fire_rc[i],
			 (uint64_t)b->fire_rc[i]);
		ks_check(label, "fire address of device", a->id, a->fire_pa[i], b->fire_pa[i]);
	}
}

void ksnap_expect(struct fx *fx, struct ksnap *before, const struct ksnap_allow *allow,
		  const char *label)
{
	uint32_t hw[SX_MAX_HWPTS], dv[SX_MAX_DEVS];
	struct ksnap *now;
	size_t i;

	for (i = 0; i < before->nh; i++)
		hw[i] = before->h[i].id;
	for (i = 0; i < before->nd; i++)
		dv[i] = before->d[i].id;
	now = ksnap_take(fx, hw, before->nh, dv, before->nd);
	ks_check(label, "object count", 0, before->nobjs, now->nobjs);
	for (i = 0; i < before->nobjs; i++)
		ks_check(label, "object id", 0, before->objs[i].id, now->objs[i].id);
	ks_check(label, "domain count", 0, before->domains, now->domains);
	ksnap_cmp_maps(before, now, allow->new_maps, label);
	for (i = 0; i < before->nh; i++) {
		if (allow->grown_hwpt && before->h[i].id == allow->grown_hwpt)
			ksnap_cmp_hwpt_grown(fx, &before->h[i], &now->h[i], allow->grown, label);
		else
			ksnap_cmp_hwpt_same(&before->h[i], &now->h[i], label);
	}
	for (i = 0; i < before->nd; i++)
		ksnap_cmp_dev(&before->d[i], &now->d[i], label);
	ksnap_free(now);
	ksnap_free(before);
}
