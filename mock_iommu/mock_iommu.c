/* SPDX-License-Identifier: MIT */
/*
 * libswmsi-mock: the instance, the swmsi_iommu_ops backend, fault injection
 * and the inspection API. The tables live in pgtable.c, the record of map
 * calls in extent.c, the journal in journal.c.
 *
 * Besides being a backend, the mock is a checker, in the spirit of the
 * iommufd selftest mock: what a correct caller never does (an unknown
 * domain handle, an unmap that does not match earlier maps, freeing a
 * domain that still maps something) is counted as misuse, and tests
 * assert the count stays 0. Misuse is survived, never a crash.
 */
#include "mock_private.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static int domain_cmp(const struct mock_domain *a, const struct mock_domain *b)
{
	uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;

	return x < y ? -1 : x > y;
}

MOCK_RB_GENERATE_STATIC(mock_domain_tree, mock_domain, node, domain_cmp)

/*
 * Finds a live domain by handle. The handle is only compared as a number,
 * never dereferenced, so a stale or made-up one is safe to pass.
 */
static struct mock_domain *domain_find(struct mock_iommu *mock, const void *handle)
{
	struct mock_domain *dom;
	uintptr_t key = (uintptr_t)handle;

	mock_iommu__assert_locked(mock);
	dom = RB_ROOT(&mock->domains);
	while (dom) {
		uintptr_t here = (uintptr_t)dom;

		if (key == here)
			return dom;
		dom = key < here ? RB_LEFT(dom, node) : RB_RIGHT(dom, node);
	}
	return NULL;
}

/* The lock-free index is keyed by the handle itself: never dereferenced. */
static uint64_t domain_key(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static void *domix_alloc(void *arg, size_t size)
{
	return mock_iommu__zalloc(arg, size);
}

static void *domix_alloc_plain(void *arg, size_t size)
{
	(void)arg;
	return calloc(1, size);
}

/* Frees a domain and all it holds, whatever it still maps. */
static void domain_destroy(struct mock_iommu *mock, struct mock_domain *dom)
{
	mock_iommu__assert_locked(mock);
	/* unpublished, then freed once no lock-free walk can be in it */
	swmsi_rcu_index_remove(&mock->domix, domain_key(dom), domain_key);
	swmsi_rcu_synchronize(&mock->rcu);
	RB_REMOVE(mock_domain_tree, &mock->domains, dom);
	mock->domain_count--;
	mock_iommu__extent_free_all(mock, dom);
	mock_iommu__pgtable_destroy(mock, dom);
	assert(dom->table_pages == 0);
	free(dom);
}

/* Ticks @fault, one of @mock's; true when this call is the one it was armed for. */
static bool fault_fires(const struct mock_iommu *mock, struct mock_fault *fault)
{
	mock_iommu__assert_locked(mock);
	if (!fault->countdown)
		return false;
	return --fault->countdown == 0;
}

static void fault_arm(const struct mock_iommu *mock, struct mock_fault *fault, unsigned int nth,
		      int err)
{
	mock_iommu__assert_locked(mock);
	fault->countdown = nth;
	/* a fault that "fails" with 0 would map nothing yet report success */
	fault->err = err < 0 ? err : -EIO;
}

static uint64_t page_mask(const struct mock_iommu *mock)
{
	return (1ull << mock->geo.page_shift) - 1;
}

/* -EINVAL for a malformed range, -ERANGE for one leaving the IOVA space. */
static int check_range(const struct mock_iommu *mock, uint64_t iova, uint64_t size)
{
	if (!size || (iova & page_mask(mock)) || (size & page_mask(mock)))
		return -EINVAL;
	if (iova >= MOCK_IOVA_LIMIT || size > MOCK_IOVA_LIMIT - iova)
		return -ERANGE;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Lifetime.                                                               */

int mock_iommu_create_opts(const struct mock_iommu_opts *opts, struct mock_iommu **mockp)
{
	struct mock_geometry geo;
	struct mock_iommu *mock;
	int rc;

	if (!opts || !mockp)
		return -EINVAL;
	/* the smaller and odd granules come only with a shape */
	if (opts->page_shift != 12 && opts->page_shift != 14 && opts->page_shift != 16)
		return -EINVAL;
	rc = mock_iommu__geometry_init(&geo, opts->page_shift, false);
	if (rc)
		return rc;
	mock = calloc(1, sizeof(*mock));
	if (!mock)
		return -ENOMEM;
	/* checks the capacity; allocates nothing, so there is nothing to undo */
	rc = mock_iommu__journal_init(mock, opts->journal_cap);
	if (rc)
		goto err_free_mock;
	if (pthread_mutex_init(&mock->lock, NULL)) {
		rc = -ENOMEM;
		goto err_free_mock;
	}
	mock->geo = geo;
	mock->created_shift = geo.page_shift;
	mock->aperture_last = MOCK_IOVA_LIMIT - 1;
	RB_INIT(&mock->domains);
	/* the index's first table comes with the mock (8 domains before it
	 * grows), so domain_alloc's allocations stay what the journal and
	 * fault tests count: domain, root, journal */
	if (swmsi_rcu_index_reserve(&mock->rcu, &mock->domix, domain_key, domix_alloc_plain,
				    NULL)) {
		rc = -ENOMEM;
		goto err_destroy_lock;
	}
	mock->unmap_limit = UINT64_MAX;
	*mockp = mock;
	return 0;

err_destroy_lock:
	pthread_mutex_destroy(&mock->lock);
err_free_mock:
	free(mock);
	return rc;
}

int mock_iommu_create(unsigned int page_shift, struct mock_iommu **mockp)
{
	const struct mock_iommu_opts opts = {
		.page_shift = page_shift,
		.journal_cap = MOCK_IOMMU_JOURNAL_DEFAULT_CAP,
	};

	return mock_iommu_create_opts(&opts, mockp);
}

void mock_iommu_destroy(struct mock_iommu *mock)
{
	struct mock_domain *dom, *next;

	if (!mock)
		return;
	/* nobody else may use the mock now; the lock is for the helpers' asserts */
	mock_iommu__lock(mock);
	RB_FOREACH_SAFE(dom, mock_domain_tree, &mock->domains, next) {
		/* whoever allocated it should have freed it */
		mock->misuse++;
		domain_destroy(mock, dom);
	}
	mock_iommu__journal_free(mock);
	mock_iommu__pgtable_spares_free(mock);
	swmsi_rcu_index_fini(&mock->domix);
	mock_iommu__unlock(mock);
	pthread_mutex_destroy(&mock->lock);
	free(mock);
}

void mock_iommu_reset(struct mock_iommu *mock)
{
	struct mock_domain *dom, *next;
	struct mock_journal *j;

	if (!mock)
		return;
	mock_iommu__lock(mock);
	/* as destroy does, but the tables are kept as spares */
	RB_FOREACH_SAFE(dom, mock_domain_tree, &mock->domains, next)
		domain_destroy(mock, dom);
	mock->last_serial = 0;
	mock->map_calls = 0;
	mock->misuse = 0;
	mock->unmap_limit = UINT64_MAX;
	memset(&mock->map_fault, 0, sizeof(mock->map_fault));
	memset(&mock->domain_alloc_fault, 0, sizeof(mock->domain_alloc_fault));
	mock->alloc_countdown = 0;
	/* the shape it was created with (the page-only mode stays) */
	if (mock->geo.page_shift != mock->created_shift) {
		mock_iommu__pgtable_spares_free(mock);
		(void)mock_iommu__geometry_init(&mock->geo, mock->created_shift, mock->page_only);
	}
	mock->aperture_first = 0;
	mock->aperture_last = MOCK_IOVA_LIMIT - 1;
	/* the journal's array is kept, as journal_clear() keeps it */
	j = &mock->journal;
	j->head = j->len = 0;
	j->last_seq = j->dropped = j->evicted = 0;
	mock_iommu__unlock(mock);
}

int mock_iommu_set_page_only(struct mock_iommu *mock, bool page_only)
{
	struct mock_geometry geo;
	int rc;

	if (!mock)
		return -EINVAL;
	mock_iommu__lock(mock);
	/* a domain's blocks would outlive the mode they were mapped in */
	rc = mock->domain_count ? -EBUSY
				: mock_iommu__geometry_init(&geo, mock->geo.page_shift, page_only);
	if (!rc) {
		mock->geo.block_levels = geo.block_levels;
		mock->page_only = page_only;
	}
	mock_iommu__unlock(mock);
	return rc;
}

unsigned int mock_iommu_page_shift(const struct mock_iommu *mock)
{
	return mock ? mock->created_shift : 0;
}

unsigned int mock_iommu_levels(const struct mock_iommu *mock)
{
	/* the lock is not part of the mock's value: a const reader may take it */
	struct mock_iommu *m = (struct mock_iommu *)(uintptr_t)mock;
	unsigned int levels;

	if (!m)
		return 0;
	mock_iommu__lock(m);
	levels = m->geo.levels;
	mock_iommu__unlock(m);
	return levels;
}

/* The granule and aperture of @shape, checked; 0 or -EINVAL. */
static int shape_check(const struct mock_iommu *mock, const struct mock_iommu_shape *shape,
		       struct mock_geometry *geo)
{
	unsigned int shift = shape->page_shift ? shape->page_shift : mock->created_shift;

	if (shape->aperture_last < shape->aperture_first || shape->aperture_last >= MOCK_IOVA_LIMIT)
		return -EINVAL;
	return mock_iommu__geometry_init(geo, shift, mock->page_only);
}

int mock_iommu_set_shape(struct mock_iommu *mock, const struct mock_iommu_shape *shape)
{
	struct mock_geometry geo;
	int rc;

	if (!mock || !shape)
		return -EINVAL;
	mock_iommu__lock(mock);
	rc = mock->domain_count ? -EBUSY : shape_check(mock, shape, &geo);
	if (!rc) {
		/* spare tables have the old granule's size */
		if (geo.page_shift != mock->geo.page_shift)
			mock_iommu__pgtable_spares_free(mock);
		mock->geo = geo;
		mock->aperture_first = shape->aperture_first;
		mock->aperture_last = shape->aperture_last ? shape->aperture_last
							   : MOCK_IOVA_LIMIT - 1;
	}
	mock_iommu__unlock(mock);
	return rc;
}

int mock_iommu_get_shape(struct mock_iommu *mock, struct mock_iommu_shape *shape)
{
	if (!mock || !shape)
		return -EINVAL;
	mock_iommu__lock(mock);
	shape->page_shift = mock->geo.page_shift;
	shape->aperture_first = mock->aperture_first;
	shape->aperture_last = mock->aperture_last;
	mock_iommu__unlock(mock);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* The backend.                                                            */

/*
 * Every call ticks the fault countdown first, whatever its arguments, so
 * "the nth call" means the nth call. A bad handle is still reported as the
 * misuse it is even when the fault fires on it.
 */
static int op_domain_alloc(void *priv, void **domainp)
{
	struct mock_iommu *mock = priv;
	struct mock_iommu_journal_entry je = { .op = MOCK_IOMMU_OP_DOMAIN_ALLOC };
	struct mock_domain *dom;
	bool fired;
	int rc;

	if (!mock)
		return -EINVAL;
	mock_iommu__lock(mock);
	fired = fault_fires(mock, &mock->domain_alloc_fault);
	if (!domainp) {
		mock->misuse++;
		rc = -EINVAL;
		goto out_record;
	}
	if (fired) {
		rc = mock->domain_alloc_fault.err;
		goto out_record;
	}
	/* room in the lock-free index first: inserting below cannot fail */
	rc = swmsi_rcu_index_reserve(&mock->rcu, &mock->domix, domain_key, domix_alloc, mock);
	if (rc)
		goto out_record;
	dom = mock_iommu__zalloc(mock, sizeof(*dom));
	if (!dom) {
		rc = -ENOMEM;
		goto out_record;
	}
	RB_INIT(&dom->extents);
	rc = mock_iommu__pgtable_init(mock, dom);
	if (rc)
		goto err_free_dom;

	dom->serial = ++mock->last_serial;
	RB_INSERT(mock_domain_tree, &mock->domains, dom);
	swmsi_rcu_index_insert(&mock->domix, dom, domain_key);
	mock->domain_count++;
	je.domain = dom->serial;
	*domainp = dom;
	goto out_record;

err_free_dom:
	free(dom);
out_record:
	je.result = rc;
	mock_iommu__journal_record(mock, &je);
	mock_iommu__unlock(mock);
	return rc;
}

static void op_domain_free(void *priv, void *domain)
{
	struct mock_iommu *mock = priv;
	struct mock_iommu_journal_entry je = { .op = MOCK_IOMMU_OP_DOMAIN_FREE };
	struct mock_domain *dom;

	if (!mock)
		return;
	mock_iommu__lock(mock);
	dom = domain_find(mock, domain);
	if (!dom) {
		mock->misuse++;
		je.result = -EINVAL;
		goto out_record;
	}
	je.domain = dom->serial;
	je.bytes = dom->mapped_pages << mock->geo.page_shift;
	/* iommufd unmaps everything before freeing; anything left is a leak upstream */
	if (dom->mapped_pages)
		mock->misuse++;
	domain_destroy(mock, dom);
out_record:
	mock_iommu__journal_record(mock, &je);
	mock_iommu__unlock(mock);
}

/*
 * Everything a map call can be refused for, in the core's order: every
 * -EINVAL before any -ERANGE, then -EEXIST for an overlap.
 */
static int map_check(const struct mock_iommu *mock, struct mock_domain *dom, uint64_t iova,
		     uint64_t paddr, uint64_t size, uint32_t prot)
{
	int rc;

	mock_iommu__assert_locked(mock);
	if ((paddr & page_mask(mock)) || (prot & ~SWMSI_PROT_ALL))
		return -EINVAL;
	rc = check_range(mock, iova, size);
	if (rc)
		return rc;
	if (size - 1 > UINT64_MAX - paddr)
		return -ERANGE;
	if (mock_iommu__extent_overlaps(mock, dom, iova, iova + size))
		return -EEXIST;
	return 0;
}

static int op_map(void *priv, void *domain, uint64_t iova, uint64_t paddr, uint64_t size,
		  uint32_t prot)
{
	struct mock_iommu *mock = priv;
	struct mock_iommu_journal_entry je = {
		.op = MOCK_IOMMU_OP_MAP,
		.iova = iova,
		.paddr = paddr,
		.size = size,
		.prot = prot,
	};
	struct mock_extent *ext;
	struct mock_domain *dom;
	bool fired;
	int rc;

	if (!mock)
		return -EINVAL;
	mock_iommu__lock(mock);
	mock->map_calls++;
	fired = fault_fires(mock, &mock->map_fault);
	dom = domain_find(mock, domain);
	if (!dom) {
		mock->misuse++;
		rc = -EINVAL;
		goto out_record;
	}
	je.domain = dom->serial;
	if (fired) {
		rc = mock->map_fault.err;
		goto out_record;
	}
	rc = map_check(mock, dom, iova, paddr, size, prot);
	if (rc)
		goto out_record;

	/* the only allocation that cannot be undone by a table clear comes first */
	ext = mock_iommu__zalloc(mock, sizeof(*ext));
	if (!ext) {
		rc = -ENOMEM;
		goto out_record;
	}
	ext->iova = iova;
	ext->size = size;
	rc = mock_iommu__pgtable_map(mock, dom, iova, paddr, size, prot);
	if (rc)
		goto err_free_ext;
	mock_iommu__extent_insert(mock, dom, ext);
	je.bytes = size;
	goto out_record;

err_free_ext:
	free(ext);
out_record:
	je.result = rc;
	mock_iommu__journal_record(mock, &je);
	mock_iommu__unlock(mock);
	return rc;
}

static size_t op_unmap(void *priv, void *domain, uint64_t iova, uint64_t size)
{
	struct mock_iommu *mock = priv;
	struct mock_iommu_journal_entry je = {
		.op = MOCK_IOMMU_OP_UNMAP,
		.iova = iova,
		.size = size,
	};
	struct mock_extent *spare = NULL;
	struct mock_domain *dom;
	uint64_t budget, stop, pages;
	int rc;

	if (!mock)
		return 0;
	mock_iommu__lock(mock);
	dom = domain_find(mock, domain);
	if (!dom) {
		mock->misuse++;
		je.result = -EINVAL;
		goto out_record;
	}
	je.domain = dom->serial;
	rc = check_range(mock, iova, size);
	if (rc) {
		mock->misuse++;
		je.result = rc;
		goto out_record;
	}
	/* still unmap what the range holds: the misuse is counted, not punished */
	if (!mock_iommu__extent_exact(mock, dom, iova, iova + size))
		mock->misuse++;

	budget = size < mock->unmap_limit ? size : mock->unmap_limit & ~page_mask(mock);
	stop = mock_iommu__extent_stop(mock, dom, iova, iova + size, budget);
	if (mock_iommu__extent_needs_split(mock, dom, iova, stop)) {
		spare = mock_iommu__zalloc(mock, sizeof(*spare));
		/* unmapping nothing is a legal short unmap; half-recording is not */
		if (!spare)
			goto out_record;
	}
	/* the blocks the range cuts are split first: failing, nothing changed */
	if (mock_iommu__pgtable_split(mock, dom, iova, stop)) {
		free(spare);
		goto out_record;
	}
	pages = mock_iommu__pgtable_clear(mock, dom, iova, stop);
	mock_iommu__extent_remove_range(mock, dom, iova, stop, spare);
	je.bytes = pages << mock->geo.page_shift;
	assert(je.bytes <= budget);

out_record:
	mock_iommu__journal_record(mock, &je);
	mock_iommu__unlock(mock);
	return (size_t)je.bytes;
}

/* An unknown handle is misuse, counted under the lock. */
static int iova_to_phys_misuse(struct mock_iommu *mock)
{
	mock_iommu__lock(mock);
	mock->misuse++;
	mock_iommu__unlock(mock);
	return -EINVAL;
}

/*
 * The translation read path: no lock, so that MSI delivery through one
 * mock scales with threads. The handle is looked up in the lock-free
 * index (a stale one is not found, never dereferenced); the walk reads
 * each PTE atomically, and a domain or table unlinked meanwhile is freed
 * only after this read section.
 */
static int op_iova_to_phys(void *priv, void *domain, uint64_t iova, uint64_t *paddr)
{
	struct mock_iommu *mock = priv;
	struct mock_domain *dom;
	unsigned int token;
	uint64_t pa;
	int rc;

	if (!mock)
		return -EINVAL;
	token = swmsi_rcu_read_lock(&mock->rcu);
	dom = swmsi_rcu_index_find(&mock->domix, domain_key(domain), domain_key);
	if (!dom)
		rc = -EINVAL;
	else if (!paddr)
		rc = -EINVAL;
	else if (iova >= MOCK_IOVA_LIMIT)
		rc = -ERANGE;
	else
		rc = mock_iommu__pgtable_lookup_rcu(mock, dom, iova, &pa);
	swmsi_rcu_read_unlock(&mock->rcu, token);
	if (!dom)
		return iova_to_phys_misuse(mock);
	if (!rc)
		*paddr = pa;
	return rc;
}

/* The shape's aperture, by default the 48 bits the page tables resolve;
 * the same for every domain of the mock (so the domain is not looked up). */
static int op_aperture(void *priv, void *domain, uint64_t *first, uint64_t *last)
{
	struct mock_iommu *mock = priv;

	(void)domain;
	if (!mock || !first || !last)
		return -EINVAL;
	mock_iommu__lock(mock);
	*first = mock->aperture_first;
	*last = mock->aperture_last;
	mock_iommu__unlock(mock);
	return 0;
}

/* The granule and, where blocks are on, its block sizes: the smallest is
 * the granule, which is what sets an IOAS's alignment. */
static int op_pgsize_bitmap(void *priv, void *domain, uint64_t *bitmap)
{
	struct mock_iommu *mock = priv;

	(void)domain;
	if (!mock || !bitmap)
		return -EINVAL;
	mock_iommu__lock(mock);
	*bitmap = mock_iommu__pgsizes(&mock->geo);
	mock_iommu__unlock(mock);
	return 0;
}

static const struct swmsi_iommu_ops mock_ops = {
	.domain_alloc = op_domain_alloc,
	.domain_free = op_domain_free,
	.map = op_map,
	.unmap = op_unmap,
	.iova_to_phys = op_iova_to_phys,
	.aperture = op_aperture,
	.pgsize_bitmap = op_pgsize_bitmap,
};

const struct swmsi_iommu_ops *mock_iommu_ops(void)
{
	return &mock_ops;
}

/* ---------------------------------------------------------------------- */
/* Fault injection.                                                        */

void mock_iommu_fail_map(struct mock_iommu *mock, unsigned int nth, int err)
{
	if (!mock)
		return;
	mock_iommu__lock(mock);
	fault_arm(mock, &mock->map_fault, nth, err);
	mock_iommu__unlock(mock);
}

void mock_iommu_fail_domain_alloc(struct mock_iommu *mock, unsigned int nth, int err)
{
	if (!mock)
		return;
	mock_iommu__lock(mock);
	fault_arm(mock, &mock->domain_alloc_fault, nth, err);
	mock_iommu__unlock(mock);
}

void mock_iommu_fail_alloc(struct mock_iommu *mock, unsigned int nth)
{
	if (!mock)
		return;
	mock_iommu__lock(mock);
	mock->alloc_countdown = nth;
	mock_iommu__unlock(mock);
}

void mock_iommu_limit_unmap(struct mock_iommu *mock, uint64_t max_bytes)
{
	if (!mock)
		return;
	mock_iommu__lock(mock);
	mock->unmap_limit = max_bytes;
	mock_iommu__unlock(mock);
}

/* ---------------------------------------------------------------------- */
/* Inspection. Asking about an unknown domain here is not misuse: tests    */
/* legitimately ask whether a handle is still alive.                       */

unsigned int mock_iommu_domain_serial(struct mock_iommu *mock, const void *domain)
{
	struct mock_domain *dom;
	unsigned int serial;

	if (!mock)
		return 0;
	mock_iommu__lock(mock);
	dom = domain_find(mock, domain);
	serial = dom ? dom->serial : 0;
	mock_iommu__unlock(mock);
	return serial;
}

size_t mock_iommu_domain_count(struct mock_iommu *mock)
{
	size_t count;

	if (!mock)
		return 0;
	mock_iommu__lock(mock);
	count = mock->domain_count;
	mock_iommu__unlock(mock);
	return count;
}

/* Sums one domain's counter, or every domain's when @domain is NULL. */
static uint64_t domain_sum(struct mock_iommu *mock, const void *domain, bool tables)
{
	struct mock_domain *dom;
	uint64_t sum = 0;

	if (!mock)
		return 0;
	mock_iommu__lock(mock);
	if (domain) {
		dom = domain_find(mock, domain);
		if (dom)
			sum = tables ? dom->table_pages : dom->mapped_pages;
		goto out_unlock;
	}
	RB_FOREACH(dom, mock_domain_tree, &mock->domains)
		sum += tables ? dom->table_pages : dom->mapped_pages;
out_unlock:
	mock_iommu__unlock(mock);
	return sum;
}

uint64_t mock_iommu_mapped_pages(struct mock_iommu *mock, const void *domain)
{
	return domain_sum(mock, domain, false);
}

uint64_t mock_iommu_table_pages(struct mock_iommu *mock, const void *domain)
{
	return domain_sum(mock, domain, true);
}

int mock_iommu_lookup(struct mock_iommu *mock, const void *domain, uint64_t iova, uint64_t *paddr,
		      uint32_t *prot)
{
	struct mock_domain *dom;
	uint64_t pa;
	uint32_t pr;
	int rc;

	if (!mock || !domain || !paddr)
		return -EINVAL;
	mock_iommu__lock(mock);
	dom = domain_find(mock, domain);
	if (!dom) {
		rc = -EINVAL;
		goto out_unlock;
	}
	if (iova >= MOCK_IOVA_LIMIT) {
		rc = -ERANGE;
		goto out_unlock;
	}
	rc = mock_iommu__pgtable_lookup(mock, dom, iova, &pa, &pr);
	if (rc)
		goto out_unlock;
	*paddr = pa;
	if (prot)
		*prot = pr;
out_unlock:
	mock_iommu__unlock(mock);
	return rc;
}

int mock_iommu_ranges(struct mock_iommu *mock, const void *domain, struct mock_iommu_range *ranges,
		      size_t cap, size_t *count)
{
	struct mock_domain *dom;
	int rc = 0;

	if (!mock || !domain || !count || (cap && !ranges))
		return -EINVAL;
	mock_iommu__lock(mock);
	dom = domain_find(mock, domain);
	if (!dom) {
		rc = -EINVAL;
		goto out_unlock;
	}
	*count = mock_iommu__pgtable_ranges(mock, dom, ranges, cap);
out_unlock:
	mock_iommu__unlock(mock);
	return rc;
}

typedef void (*dump_fn)(const struct mock_iommu *mock, const struct mock_domain *dom, FILE *out);

/*
 * The text and DOT dumps differ only in the printer, so they share the
 * argument checks and the lookup, and cannot disagree on what they refuse.
 */
static int domain_dump(struct mock_iommu *mock, const void *domain, FILE *out, dump_fn dump)
{
	struct mock_domain *dom;
	int rc = 0;

	if (!mock || !domain || !out)
		return -EINVAL;
	mock_iommu__lock(mock);
	dom = domain_find(mock, domain);
	if (!dom) {
		rc = -EINVAL;
		goto out_unlock;
	}
	dump(mock, dom, out);
out_unlock:
	mock_iommu__unlock(mock);
	return rc;
}

int mock_iommu_dump(struct mock_iommu *mock, const void *domain, FILE *out)
{
	return domain_dump(mock, domain, out, mock_iommu__pgtable_dump);
}

int mock_iommu_dump_dot(struct mock_iommu *mock, const void *domain, FILE *out)
{
	return domain_dump(mock, domain, out, mock_iommu__pgtable_dump_dot);
}

uint64_t mock_iommu_misuse_count(struct mock_iommu *mock)
{
	uint64_t misuse;

	if (!mock)
		return 0;
	mock_iommu__lock(mock);
	misuse = mock->misuse;
	mock_iommu__unlock(mock);
	return misuse;
}

uint64_t mock_iommu_map_calls(struct mock_iommu *mock)
{
	uint64_t calls;

	if (!mock)
		return 0;
	mock_iommu__lock(mock);
	calls = mock->map_calls;
	mock_iommu__unlock(mock);
	return calls;
}
