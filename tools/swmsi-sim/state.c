/* SPDX-License-Identifier: MIT */
/*
 * Snapshots of everything a scenario can observe, and the invariants the
 * simulator checks after every step. Only the public API and the mock's
 * inspection API are used: the simulator checks the library from outside,
 * as a VMM would see it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

void snap_free(struct snap *sn)
{
	size_t i;

	for (i = 0; i < sn->nioas; i++) {
		free(sn->ioas[i].maps);
		free(sn->ioas[i].resv);
	}
	for (i = 0; i < sn->nhwpts; i++) {
		free(sn->hwpts[i].present);
		free(sn->hwpts[i].s1);
	}
	for (i = 0; i < sn->ndevs; i++)
		free(sn->devs[i].vecs);
	for (i = 0; i < sn->ndoms; i++)
		free(sn->doms[i].ranges);
	free(sn->ioas);
	free(sn->hwpts);
	free(sn->devs);
	free(sn->maps);
	free(sn->doms);
	memset(sn, 0, sizeof(*sn));
}

const struct snap_hwpt *snap_hwpt_by_id(const struct snap *sn, uint32_t id)
{
	size_t i;

	for (i = 0; i < sn->nhwpts; i++)
		if (sn->hwpts[i].id == id)
			return &sn->hwpts[i];
	return NULL;
}

const struct snap_dev *snap_dev_by_id(const struct snap *sn, uint32_t id)
{
	size_t i;

	for (i = 0; i < sn->ndevs; i++)
		if (sn->devs[i].id == id)
			return &sn->devs[i];
	return NULL;
}

const struct swmsi_msi_map_info *snap_map_by_id(const struct snap *sn, uint32_t id)
{
	size_t i;

	for (i = 0; i < sn->nmaps; i++)
		if (sn->maps[i].id == id)
			return &sn->maps[i];
	return NULL;
}

static long name_of_id(const struct sim *s, uint32_t id)
{
	size_t i;

	for (i = 0; i < s->scn->nnames; i++)
		if (s->objs[i].live && s->objs[i].id == id)
			return (long)i;
	return -1;
}

const char *sim_obj_label(const struct sim *s, const struct snap *sn, uint32_t id,
			  char *buf, size_t len)
{
	const struct snap_hwpt *h;
	long n;

	if (!id) {
		snprintf(buf, len, "-");
		return buf;
	}
	n = name_of_id(s, id);
	if (n >= 0) {
		snprintf(buf, len, "%s", s->scn->names[n].name);
		return buf;
	}
	h = sn ? snap_hwpt_by_id(sn, id) : NULL;
	if (h && h->info.is_auto) {
		long ioas = name_of_id(s, h->info.ioas_id);

		if (ioas >= 0)
			snprintf(buf, len, "auto@%s", s->scn->names[ioas].name);
		else
			snprintf(buf, len, "auto@%" PRIu32, h->info.ioas_id);
		return buf;
	}
	snprintf(buf, len, "#%" PRIu32, id);
	return buf;
}

/* swmsi_ioas_mappings(), swmsi_ioas_reserved(), swmsi_hwpt_nested_mappings() */
typedef int (*mapping_list_fn)(struct swmsi_ctx *ctx, uint32_t id, struct swmsi_mapping *maps,
			       size_t cap, size_t *count);

/* One of the mapping lists of object @id, sized by a first call. */
static int take_mappings(struct sim *s, mapping_list_fn list, uint32_t id,
			 struct swmsi_mapping **out, size_t *n)
{
	size_t cnt = 0;

	if (list(s->ctx, id, NULL, 0, &cnt))
		return -ENOENT;
	if (!cnt)
		return 0;
	*out = calloc(cnt, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	if (list(s->ctx, id, *out, cnt, n))
		return -ENOENT;
	if (*n > cnt)
		*n = cnt;
	return 0;
}

static int take_ioas(struct sim *s, struct snap *sn, size_t *cap, uint32_t id, long name)
{
	struct snap_ioas *io;
	int rc;

	if (sim_grow((void **)&sn->ioas, cap, sn->nioas + 1, sizeof(*sn->ioas), 8))
		return -ENOMEM;
	io = &sn->ioas[sn->nioas++];
	memset(io, 0, sizeof(*io));
	io->id = id;
	io->name = name;
	rc = take_mappings(s, swmsi_ioas_mappings, id, &io->maps, &io->nmaps);
	if (!rc)
		rc = take_mappings(s, swmsi_ioas_reserved, id, &io->resv, &io->nresv);
	return rc;
}

static int take_hwpt(struct sim *s, struct snap *sn, size_t *cap, uint32_t id, long name)
{
	struct snap_hwpt *h;
	size_t cnt = 0;

	if (sim_grow((void **)&sn->hwpts, cap, sn->nhwpts + 1, sizeof(*sn->hwpts), 8))
		return -ENOMEM;
	h = &sn->hwpts[sn->nhwpts];
	memset(h, 0, sizeof(*h));
	h->id = id;
	h->name = name;
	if (swmsi_hwpt_info(s->ctx, id, &h->info))
		return -ENOENT;
	if (swmsi_hwpt_msi_present(s->ctx, id, NULL, 0, &cnt))
		return -ENOENT;
	if (cnt) {
		h->present = calloc(cnt, sizeof(*h->present));
		if (!h->present)
			return -ENOMEM;
		if (swmsi_hwpt_msi_present(s->ctx, id, h->present, cnt, &h->npresent))
			return -ENOENT;
		if (h->npresent > cnt)
			h->npresent = cnt;
	}
	h->serial = h->info.domain ? mock_iommu_domain_serial(s->mock, h->info.domain) : 0;
	sn->nhwpts++;
	if (h->info.type == SWMSI_OBJ_HWPT_NESTED)
		return take_mappings(s, swmsi_hwpt_nested_mappings, id, &h->s1, &h->ns1);
	return 0;
}

static int take_dev(struct sim *s, struct snap *sn, size_t *cap, uint32_t id, long name)
{
	struct snap_dev *d;
	size_t cnt = 0;

	if (sim_grow((void **)&sn->devs, cap, sn->ndevs + 1, sizeof(*sn->devs), 8))
		return -ENOMEM;
	d = &sn->devs[sn->ndevs];
	memset(d, 0, sizeof(*d));
	d->id = id;
	d->name = name;
	if (swmsi_device_info(s->ctx, id, &d->info))
		return -ENOENT;
	if (swmsi_device_vectors(s->ctx, id, NULL, 0, &cnt))
		return -ENOENT;
	if (cnt) {
		d->vecs = calloc(cnt, sizeof(*d->vecs));
		if (!d->vecs)
			return -ENOMEM;
		if (swmsi_device_vectors(s->ctx, id, d->vecs, cnt, &d->nvecs))
			return -ENOENT;
		if (d->nvecs > cnt)
			d->nvecs = cnt;
	}
	sn->ndevs++;
	return 0;
}

static int take_dom(struct sim *s, struct snap *sn, size_t *cap, const struct snap_hwpt *h)
{
	struct snap_dom *dm;
	size_t i, cnt = 0;

	if (h->info.type != SWMSI_OBJ_HWPT_PAGING || !h->info.domain)
		return 0;
	for (i = 0; i < sn->ndoms; i++)
		if (sn->doms[i].domain == h->info.domain)
			return 0;
	if (sim_grow((void **)&sn->doms, cap, sn->ndoms + 1, sizeof(*sn->doms), 8))
		return -ENOMEM;
	dm = &sn->doms[sn->ndoms];
	memset(dm, 0, sizeof(*dm));
	dm->domain = h->info.domain;
	dm->serial = h->serial;
	if (mock_iommu_ranges(s->mock, h->info.domain, NULL, 0, &cnt))
		return -ENOENT;
	if (cnt) {
		dm->ranges = calloc(cnt, sizeof(*dm->ranges));
		if (!dm->ranges)
			return -ENOMEM;
		if (mock_iommu_ranges(s->mock, h->info.domain, dm->ranges, cnt, &dm->nranges))
			return -ENOENT;
		if (dm->nranges > cnt)
			dm->nranges = cnt;
	}
	sn->ndoms++;
	return 0;
}

static int cmp_dom(const void *a, const void *b)
{
	const struct snap_dom *x = a, *y = b;

	return (x->serial > y->serial) - (x->serial < y->serial);
}

static int cmp_hwpt(const void *a, const void *b)
{
	const struct snap_hwpt *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/*
 * Copy the observable state. Objects are found from the scenario's live
 * names, automatic HWPTs from the devices that sit on them (an automatic
 * HWPT without a device does not exist).
 */
int snap_take(struct sim *s, struct snap *sn)
{
	size_t cap_ioas = 0, cap_h = 0, cap_d = 0, cap_dom = 0, i, cnt = 0;
	int rc = -ENOMEM;

	memset(sn, 0, sizeof(*sn));
	if (!s->ctx)
		return 0;
	for (i = 0; i < s->scn->nnames; i++) {
		enum swmsi_obj_type t;

		if (!s->objs[i].live)
			continue;
		if (swmsi_obj_type(s->ctx, s->objs[i].id, &t))
			continue;	/* gone behind our back: the invariants say so */
		switch (t) {
		case SWMSI_OBJ_IOAS:
			rc = take_ioas(s, sn, &cap_ioas, s->objs[i].id, (long)i);
			if (rc)
				goto err_free;
			break;
		case SWMSI_OBJ_HWPT_PAGING:
		case SWMSI_OBJ_HWPT_NESTED:
			rc = take_hwpt(s, sn, &cap_h, s->objs[i].id, (long)i);
			if (rc)
				goto err_free;
			break;
		case SWMSI_OBJ_DEVICE:
			rc = take_dev(s, sn, &cap_d, s->objs[i].id, (long)i);
			if (rc)
				goto err_free;
			break;
		case SWMSI_OBJ_NONE:
			break;
		}
	}
	for (i = 0; i < sn->ndevs; i++) {
		uint32_t hid = sn->devs[i].info.hwpt_id;

		if (hid && !snap_hwpt_by_id(sn, hid)) {
			rc = take_hwpt(s, sn, &cap_h, hid, -1);
			if (rc)
				goto err_free;
		}
	}
	if (sn->nhwpts)		/* qsort's base must not be NULL, even for 0 */
		qsort(sn->hwpts, sn->nhwpts, sizeof(*sn->hwpts), cmp_hwpt);
	for (i = 0; i < sn->nhwpts; i++) {
		rc = take_dom(s, sn, &cap_dom, &sn->hwpts[i]);
		if (rc)
			goto err_free;
	}
	if (sn->ndoms)
		qsort(sn->doms, sn->ndoms, sizeof(*sn->doms), cmp_dom);

	rc = -ENOMEM;
	if (swmsi_msi_map_list(s->ctx, NULL, 0, &cnt))
		goto err_free;
	if (cnt) {
		sn->maps = calloc(cnt, sizeof(*sn->maps));
		if (!sn->maps)
			goto err_free;
		if (swmsi_msi_map_list(s->ctx, sn->maps, cnt, &sn->nmaps))
			goto err_free;
		if (sn->nmaps > cnt)
			sn->nmaps = cnt;
	}
	sn->mock_domains = mock_iommu_domain_count(s->mock);
	sn->mock_pages = mock_iommu_mapped_pages(s->mock, NULL);
	sn->valid = true;
	return 0;

err_free:
	snap_free(sn);
	return rc ? rc : -ENOMEM;
}

/* ---------------------------------------------------------------------- */

#define DIFF(...) (snprintf(buf, len, __VA_ARGS__), buf)

/* Field by field: the struct may have padding the library never wrote. */
static bool same_mappings(const struct swmsi_mapping *a, size_t na,
			  const struct swmsi_mapping *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (a[i].iova != b[i].iova || a[i].paddr != b[i].paddr ||
		    a[i].length != b[i].length || a[i].prot != b[i].prot)
			return false;
	return true;
}

const char *snap_diff(const struct snap *a, const struct snap *b, char *buf, size_t len)
{
	size_t i, k;

	if (a->mock_domains != b->mock_domains)
		return DIFF("mock domains %zu -> %zu", a->mock_domains, b->mock_domains);
	if (a->mock_pages != b->mock_pages)
		return DIFF("mock mapped pages %" PRIu64 " -> %" PRIu64, a->mock_pages, b->mock_pages);
	if (a->nmaps != b->nmaps)
		return DIFF("MSI map entries %zu -> %zu", a->nmaps, b->nmaps);
	for (i = 0; i < a->nmaps; i++)
		if (memcmp(&a->maps[i], &b->maps[i], sizeof(a->maps[i])))
			return DIFF("MSI map entry %" PRIu32 " changed", a->maps[i].id);
	if (a->nioas != b->nioas)
		return DIFF("IOASes %zu -> %zu", a->nioas, b->nioas);
	for (i = 0; i < a->nioas; i++) {
		const struct snap_ioas *x = &a->ioas[i], *y = &b->ioas[i];

		if (x->id != y->id)
			return DIFF("IOAS id %" PRIu32 " replaced by %" PRIu32, x->id, y->id);
		if (!same_mappings(x->maps, x->nmaps, y->maps, y->nmaps))
			return DIFF("mappings of IOAS id %" PRIu32 " changed", x->id);
		if (!same_mappings(x->resv, x->nresv, y->resv, y->nresv))
			return DIFF("windows reserved on IOAS id %" PRIu32 " changed", x->id);
	}
	if (a->nhwpts != b->nhwpts)
		return DIFF("HWPTs %zu -> %zu", a->nhwpts, b->nhwpts);
	for (i = 0; i < a->nhwpts; i++) {
		const struct snap_hwpt *x = &a->hwpts[i], *y = &b->hwpts[i];

		if (x->id != y->id || x->serial != y->serial || x->info.type != y->info.type ||
		    x->info.ioas_id != y->info.ioas_id || x->info.parent_id != y->info.parent_id ||
		    x->info.groups != y->info.groups || x->info.children != y->info.children ||
		    x->info.is_auto != y->info.is_auto || x->info.flags != y->info.flags)
			return DIFF("HWPT id %" PRIu32 " changed", x->id);
		if (x->npresent != y->npresent ||
		    (x->npresent && memcmp(x->present, y->present, x->npresent * sizeof(*x->present))))
			return DIFF("MSI pages present in HWPT id %" PRIu32 " changed", x->id);
		if (!same_mappings(x->s1, x->ns1, y->s1, y->ns1))
			return DIFF("stage 1 of HWPT id %" PRIu32 " changed", x->id);
	}
	if (a->ndevs != b->ndevs)
		return DIFF("devices %zu -> %zu", a->ndevs, b->ndevs);
	for (i = 0; i < a->ndevs; i++) {
		const struct snap_dev *x = &a->devs[i], *y = &b->devs[i];

		if (x->id != y->id || x->info.group != y->info.group ||
		    x->info.attached != y->info.attached || x->info.hwpt_id != y->info.hwpt_id ||
		    x->info.sw_msi_start != y->info.sw_msi_start ||
		    x->info.sw_msi_size != y->info.sw_msi_size || x->info.vectors != y->info.vectors)
			return DIFF("device id %" PRIu32 " changed (attachment or vectors)", x->id);
		if (x->nvecs != y->nvecs)
			return DIFF("vectors of device id %" PRIu32 " changed", x->id);
		for (k = 0; k < x->nvecs; k++)
			if (memcmp(&x->vecs[k], &y->vecs[k], sizeof(x->vecs[k])))
				return DIFF("vector %" PRIu32 " of device id %" PRIu32 " changed",
					    x->vecs[k].vec, x->id);
	}
	if (a->ndoms != b->ndoms)
		return DIFF("domains %zu -> %zu", a->ndoms, b->ndoms);
	for (i = 0; i < a->ndoms; i++) {
		const struct snap_dom *x = &a->doms[i], *y = &b->doms[i];

		if (x->serial != y->serial)
			return DIFF("domain #%u replaced by #%u", x->serial, y->serial);
		if (x->nranges != y->nranges ||
		    (x->nranges && memcmp(x->ranges, y->ranges, x->nranges * sizeof(*x->ranges))))
			return DIFF("mappings of domain #%u changed", x->serial);
	}
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* Invariants                                                             */

/*
 * Entries are keyed by window start alone, and under reclaim none they
 * outlive their groups: a later window with the same start may be smaller
 * than the one an entry was made in. The largest window ever seen at that
 * start is the one every entry's slot must fit.
 */
uint64_t sim_window_size(const struct sim *s, const struct snap *sn, uint64_t start)
{
	uint64_t size = 0;
	size_t i;

	for (i = 0; sn && i < sn->ndevs; i++)
		if (sn->devs[i].info.sw_msi_start == start && sn->devs[i].info.sw_msi_size > size)
			size = sn->devs[i].info.sw_msi_size;
	for (i = 0; i < s->nwindows; i++)
		if (s->windows[i].start == start && s->windows[i].size > size)
			size = s->windows[i].size;
	return size;
}

static bool has_id(const uint32_t *ids, size_t n, uint32_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* The paging HWPT whose domain a HWPT uses (itself, or a nested one's parent). */
static const struct snap_hwpt *paging_of(const struct snap *sn, const struct snap_hwpt *h)
{
	if (h && h->info.type == SWMSI_OBJ_HWPT_NESTED)
		return snap_hwpt_by_id(sn, h->info.parent_id);
	return h;
}

/* Stage 1 as the scenario built it: where @iova goes, if anywhere. */
static bool s1_lookup(const struct sim *s, uint32_t nested_id, uint64_t iova, uint64_t *ipa)
{
	size_t i;

	for (i = 0; i < s->ns1; i++) {
		const struct sim_s1 *m = &s->s1[i];

		if (m->nested_id == nested_id && iova >= m->iova && iova - m->iova < m->len) {
			*ipa = m->ipa + (iova - m->iova);
			return true;
		}
	}
	return false;
}

static const char *dname(const struct sim *s, const struct snap_dev *d)
{
	return d->name >= 0 ? s->scn->names[d->name].name : "?";
}

static const char *vname(const struct sim *s, const struct snap_dev *d, uint32_t vec,
			 char *buf, size_t len)
{
	const char *l = sim_vec_label(s, d->name, vec);

	if (l)
		return l;
	snprintf(buf, len, "#%" PRIu32, vec);
	return buf;
}

/*
 * Every vector of every device fires where the API says it must:
 * - a group without a window: untranslated, to its doorbell, attached or not;
 * - a detached group with a window: its DMA is blocked, -EFAULT;
 * - an attached group with a window: where its HWPT translates the message
 *   address (as swmsi_hwpt_iova_to_phys() says), and for a translated vector
 *   that is the doorbell itself, unless the HWPT is nested and the guest's
 *   stage 1 does not map the window identity; with no stage-1 mapping at
 *   all, the write is lost (-EFAULT).
 */
static void check_fire(struct sim *s, const struct snap *sn)
{
	char vb[24], hb[40];
	size_t i, k;

	for (i = 0; i < sn->ndevs; i++) {
		const struct snap_dev *d = &sn->devs[i];
		bool window = d->info.sw_msi_start != SWMSI_PHYS_NONE;
		uint32_t hid = d->info.hwpt_id;
		const struct snap_hwpt *h = hid ? snap_hwpt_by_id(sn, hid) : NULL;

		for (k = 0; k < d->nvecs; k++) {
			const struct swmsi_vector_info *v = &d->vecs[k];
			uint64_t pa = 0, want = 0, ipa;
			int rc, trc;

			rc = swmsi_msi_fire(s->ctx, d->id, v->vec, &pa);
			if (!window) {
				if (rc || pa != v->msi_addr)
					sim_violation(s, "%s %s (no window) fired to %s 0x%" PRIx64
						      ", not to its doorbell 0x%" PRIx64,
						      dname(s, d), vname(s, d, v->vec, vb, sizeof(vb)),
						      rc ? swmsi_errname(rc) : "", rc ? 0 : pa,
						      v->msi_addr);
				continue;
			}
			if (!hid) {
				if (rc != -EFAULT)
					sim_violation(s, "%s %s fired (%s) while its group is detached: "
						      "a detached group's DMA is blocked",
						      dname(s, d), vname(s, d, v->vec, vb, sizeof(vb)),
						      rc ? swmsi_errname(rc) : "landed");
				continue;
			}
			trc = swmsi_hwpt_iova_to_phys(s->ctx, hid, v->msg_addr, &want);
			if ((trc == 0) != (rc == 0) || (rc == 0 && pa != want)) {
				sim_violation(s, "%s %s fired to %s 0x%" PRIx64 " but %s translates "
					      "0x%" PRIx64 " to %s 0x%" PRIx64,
					      dname(s, d), vname(s, d, v->vec, vb, sizeof(vb)),
					      rc ? swmsi_errname(rc) : "", rc ? 0 : pa,
					      sim_obj_label(s, sn, hid, hb, sizeof(hb)), v->msg_addr,
					      trc ? swmsi_errname(trc) : "", trc ? 0 : want);
				continue;
			}
			if (!v->translated)
				continue;
			if (h && h->info.type == SWMSI_OBJ_HWPT_NESTED) {
				if (!s1_lookup(s, hid, v->msg_addr, &ipa)) {
					if (rc != -EFAULT)
						sim_violation(s, "%s %s fired (%s) though stage 1 of %s "
							      "does not map 0x%" PRIx64,
							      dname(s, d),
							      vname(s, d, v->vec, vb, sizeof(vb)),
							      rc ? swmsi_errname(rc) : "landed",
							      sim_obj_label(s, sn, hid, hb, sizeof(hb)),
							      v->msg_addr);
					continue;
				}
				if (ipa != v->msg_addr)
					continue;	/* the guest sent its MSIs elsewhere */
			}
			if (rc || pa != v->msi_addr)
				sim_violation(s, "%s %s (msg 0x%" PRIx64 ") fired to %s 0x%" PRIx64
					      ", not to its doorbell 0x%" PRIx64,
					      dname(s, d), vname(s, d, v->vec, vb, sizeof(vb)),
					      v->msg_addr, rc ? swmsi_errname(rc) : "", rc ? 0 : pa,
					      v->msi_addr);
		}
	}
}

/*
 * The context-wide table: one entry, one IOVA, per (window, doorbell page);
 * one page per slot; every slot inside its window; vectors agree with it.
 */
static void check_table(struct sim *s, const struct snap *sn)
{
	uint64_t ps = s->page_size;
	size_t i, k;

	for (i = 0; i < sn->nmaps; i++) {
		const struct swmsi_msi_map_info *m = &sn->maps[i];
		uint64_t wsize = sim_window_size(s, sn, m->sw_msi_start);
		uint32_t users = 0;

		if (m->iova != m->sw_msi_start + (uint64_t)m->slot * ps)
			sim_violation(s, "MSI map %" PRIu32 ": iova 0x%" PRIx64 " is not window 0x%"
				      PRIx64 " + slot %" PRIu32 " pages", m->id, m->iova,
				      m->sw_msi_start, m->slot);
		if (m->msi_page & (ps - 1))
			sim_violation(s, "MSI map %" PRIu32 ": doorbell page 0x%" PRIx64
				      " is not page aligned", m->id, m->msi_page);
		if (wsize && ((uint64_t)m->slot + 1) * ps > wsize)
			sim_violation(s, "MSI map %" PRIu32 ": slot %" PRIu32 " lies outside its "
				      "window 0x%" PRIx64 " (%" PRIu64 " pages)", m->id, m->slot,
				      m->sw_msi_start, wsize / ps);
		for (k = i + 1; k < sn->nmaps; k++) {
			const struct swmsi_msi_map_info *o = &sn->maps[k];

			if (o->id == m->id)
				sim_violation(s, "MSI map id %" PRIu32 " is used twice", m->id);
			if (o->sw_msi_start == m->sw_msi_start && o->msi_page == m->msi_page)
				sim_violation(s, "doorbell page 0x%" PRIx64 " has two IOVAs in window "
					      "0x%" PRIx64 " (maps %" PRIu32 " and %" PRIu32 ")",
					      m->msi_page, m->sw_msi_start, m->id, o->id);
			if (o->sw_msi_start == m->sw_msi_start && o->slot == m->slot)
				sim_violation(s, "maps %" PRIu32 " and %" PRIu32 " share slot %" PRIu32
					      " of window 0x%" PRIx64, m->id, o->id, m->slot,
					      m->sw_msi_start);
		}
		for (k = 0; k < sn->ndevs; k++) {
			const struct snap_dev *d = &sn->devs[k];
			size_t v;

			for (v = 0; v < d->nvecs; v++)
				if (d->vecs[v].translated && d->vecs[v].map_id == m->id)
					users++;
		}
		if (users != m->vectors)
			sim_violation(s, "MSI map %" PRIu32 " counts %" PRIu32 " vectors, devices "
				      "hold %" PRIu32, m->id, m->vectors, users);
		if (s->scn->opts.reclaim_unused && !m->vectors)
			sim_violation(s, "MSI map %" PRIu32 " (page 0x%" PRIx64 ") has no vector "
				      "left but was not reclaimed", m->id, m->msi_page);
	}
	for (i = 0; i < sn->ndevs; i++) {
		const struct snap_dev *d = &sn->devs[i];
		char vb[24];

		for (k = 0; k < d->nvecs; k++) {
			const struct swmsi_vector_info *v = &d->vecs[k];
			const struct swmsi_msi_map_info *m;

			if (!v->translated) {
				if (v->msg_addr != v->msi_addr)
					sim_violation(s, "%s %s is untranslated but its message "
						      "address 0x%" PRIx64 " is not its doorbell 0x%"
						      PRIx64, dname(s, d),
						      vname(s, d, v->vec, vb, sizeof(vb)),
						      v->msg_addr, v->msi_addr);
				continue;
			}
			m = snap_map_by_id(sn, v->map_id);
			if (!m) {
				sim_violation(s, "%s %s uses MSI map %" PRIu32 ", which does not exist",
					      dname(s, d), vname(s, d, v->vec, vb, sizeof(vb)),
					      v->map_id);
				continue;
			}
			/* Whatever the table holds, a device writes inside its own window. */
			if (d->info.sw_msi_start != SWMSI_PHYS_NONE &&
			    (v->msg_addr < d->info.sw_msi_start ||
			     v->msg_addr - d->info.sw_msi_start >= d->info.sw_msi_size))
				sim_violation(s, "%s %s: message 0x%" PRIx64 " lies outside its group's "
					      "window 0x%" PRIx64 " +0x%" PRIx64, dname(s, d),
					      vname(s, d, v->vec, vb, sizeof(vb)), v->msg_addr,
					      d->info.sw_msi_start, d->info.sw_msi_size);
			if (m->msi_page != (v->msi_addr & ~(ps - 1)) ||
			    v->msg_addr != m->iova + (v->msi_addr & (ps - 1)))
				sim_violation(s, "%s %s: message 0x%" PRIx64 " for doorbell 0x%" PRIx64
					      " does not match MSI map %" PRIu32 " (iova 0x%" PRIx64
					      ", page 0x%" PRIx64 ")", dname(s, d),
					      vname(s, d, v->vec, vb, sizeof(vb)), v->msg_addr,
					      v->msi_addr, m->id, m->iova, m->msi_page);
		}
	}
}

/* Is group @g attached, directly or through a nested child, to paging HWPT @p? */
static bool group_on(const struct snap *sn, const struct snap_dev *d, const struct snap_hwpt *p)
{
	const struct snap_hwpt *h;

	if (!d->info.hwpt_id)
		return false;
	h = paging_of(sn, snap_hwpt_by_id(sn, d->info.hwpt_id));
	return h && h->id == p->id;
}

/* Does a group attached to @p (directly or nested) need map @id? */
static bool needed_on(const struct snap *sn, const struct snap_hwpt *p, uint32_t id)
{
	size_t i, k, j;

	for (i = 0; i < sn->ndevs; i++) {
		if (!group_on(sn, &sn->devs[i], p))
			continue;
		/* The group's vectors: those of every device of the group. */
		for (k = 0; k < sn->ndevs; k++) {
			const struct snap_dev *o = &sn->devs[k];

			if (o->info.group != sn->devs[i].info.group)
				continue;
			for (j = 0; j < o->nvecs; j++)
				if (o->vecs[j].translated && o->vecs[j].map_id == id)
					return true;
		}
	}
	return false;
}

static bool window_in_use(const struct snap *sn, const struct snap_hwpt *p, uint64_t start)
{
	size_t i;

	for (i = 0; i < sn->ndevs; i++) {
		const struct snap_dev *d = &sn->devs[i];
		const struct snap_hwpt *h;

		if (!d->info.hwpt_id || d->info.sw_msi_start != start)
			continue;
		h = snap_hwpt_by_id(sn, d->info.hwpt_id);
		if (h && h->info.ioas_id == p->info.ioas_id)
			return true;
	}
	return false;
}

/*
 * Per paging domain: present MSI pages are mapped where the table says,
 * READ|WRITE|MMIO; a window reserved on the IOAS holds nothing but MSI pages
 * present in this domain; every page an attached group needs is present,
 * and with reclaim unused nothing else is.
 */
static void check_domains(struct sim *s, const struct snap *sn)
{
	const uint32_t msi_prot = SWMSI_PROT_READ | SWMSI_PROT_WRITE | SWMSI_PROT_MMIO;
	uint64_t ps = s->page_size;
	char hb[40], pb[8];
	size_t i, k, r;

	for (i = 0; i < sn->nhwpts; i++) {
		const struct snap_hwpt *p = &sn->hwpts[i];
		const struct snap_dom *dom = NULL;

		if (p->info.type != SWMSI_OBJ_HWPT_PAGING)
			continue;
		for (k = 0; k < sn->ndoms; k++)
			if (sn->doms[k].domain == p->info.domain)
				dom = &sn->doms[k];
		sim_obj_label(s, sn, p->id, hb, sizeof(hb));
		for (k = 0; k < p->npresent; k++) {
			const struct swmsi_msi_map_info *m = snap_map_by_id(sn, p->present[k]);
			uint64_t pa = 0;
			uint32_t prot = 0;

			if (!m) {
				sim_violation(s, "%s: MSI map %" PRIu32 " is present but not in the table",
					      hb, p->present[k]);
				continue;
			}
			if (mock_iommu_lookup(s->mock, p->info.domain, m->iova, &pa, &prot) ||
			    pa != m->msi_page || prot != msi_prot)
				sim_violation(s, "%s: MSI map %" PRIu32 " is present but iova 0x%" PRIx64
					      " is not mapped to 0x%" PRIx64 " rwm", hb, m->id,
					      m->iova, m->msi_page);
			if (s->scn->opts.reclaim_unused && !needed_on(sn, p, m->id))
				sim_violation(s, "%s: stale MSI page: map %" PRIu32 " (iova 0x%" PRIx64
					      ") is present but no group on it needs it", hb, m->id,
					      m->iova);
		}
		for (k = 0; k < sn->nmaps; k++)
			if (needed_on(sn, p, sn->maps[k].id) &&
			    !has_id(p->present, p->npresent, sn->maps[k].id))
				sim_violation(s, "%s: a group on it needs MSI map %" PRIu32
					      " (iova 0x%" PRIx64 ") but it is not present", hb,
					      sn->maps[k].id, sn->maps[k].iova);
		if (!dom)
			continue;
		/* Nothing but MSI pages inside a window reserved on this IOAS. */
		for (k = 0; k < sn->ndevs; k++) {
			uint64_t ws = sn->devs[k].info.sw_msi_start;
			uint64_t wz = sn->devs[k].info.sw_msi_size;

			size_t seen;

			for (seen = 0; seen < k; seen++)
				if (sn->devs[seen].info.sw_msi_start == ws)
					break;
			if (ws == SWMSI_PHYS_NONE || seen < k || !window_in_use(sn, p, ws))
				continue;
			for (r = 0; r < dom->nranges; r++) {
				const struct mock_iommu_range *rg = &dom->ranges[r];
				uint64_t a, lo, hi;

				lo = rg->iova > ws ? rg->iova : ws;
				hi = rg->iova + rg->size < ws + wz ? rg->iova + rg->size : ws + wz;
				for (a = lo; a < hi; a += ps) {
					const struct swmsi_msi_map_info *m = NULL;
					size_t j;

					for (j = 0; j < sn->nmaps; j++)
						if (sn->maps[j].sw_msi_start == ws && sn->maps[j].iova == a)
							m = &sn->maps[j];
					if (!m || !has_id(p->present, p->npresent, m->id) ||
					    rg->paddr + (a - rg->iova) != m->msi_page ||
					    rg->prot != msi_prot) {
						sim_violation(s, "%s: iova 0x%" PRIx64 " in reserved window "
							      "0x%" PRIx64 " maps 0x%" PRIx64 " %s, which is "
							      "not a present MSI page", hb, a, ws,
							      rg->paddr + (a - rg->iova),
							      sim_fmt_prot(pb, sizeof(pb), rg->prot));
						break;
					}
				}
			}
		}
	}
}

void sim_check_invariants(struct sim *s, const struct snap *sn)
{
	uint64_t misuse;

	if (!s->ctx || !sn->valid)
		return;
	check_fire(s, sn);
	check_table(s, sn);
	check_domains(s, sn);
	misuse = mock_iommu_misuse_count(s->mock);
	if (misuse > s->misuse_seen)
		sim_violation(s, "the core misused the mock IOMMU (%" PRIu64 " times in this step)",
			      misuse - s->misuse_seen);
	s->misuse_seen = misuse;
}
