/* SPDX-License-Identifier: MIT */
/*
 * Machine-readable outputs: a small streaming JSON emitter, the final state
 * as JSON and as a Graphviz graph, and SVG rendering through `dot`.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner.h"

/* ---------------------------------------------------------------------- */
/* JSON                                                                   */

void sj_init(struct sim_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->first[0] = true;
}

/* Length of a valid UTF-8 sequence at @s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	n = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	cp = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* No overlong forms, no surrogates, nothing past U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void sj_write_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		size_t n;

		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
			} else if (*s < 0x80) {
				fputc(*s, f);
			} else {
				/* Pass valid UTF-8 through; a stray byte becomes U+FFFD. */
				n = utf8_len(s);
				if (!n) {
					fputs("\\ufffd", f);
				} else {
					fwrite(s, 1, n, f);
					s += n - 1;
				}
			}
			break;
		}
		s++;
	}
	fputc('"', f);
}

static void sj_sep(struct sim_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
}

static void sj_open(struct sim_json *j, char c)
{
	sj_sep(j);
	fputc(c, j->f);
	if (j->depth + 1 >= sizeof(j->first) / sizeof(j->first[0])) {
		j->error = true;
		return;
	}
	j->first[++j->depth] = true;
}

static void sj_close(struct sim_json *j, char c)
{
	if (!j->depth)
		j->error = true;
	else
		j->depth--;
	fputc(c, j->f);
}

void sj_obj_begin(struct sim_json *j)
{
	sj_open(j, '{');
}
void sj_obj_end(struct sim_json *j)
{
	sj_close(j, '}');
}
void sj_arr_begin(struct sim_json *j)
{
	sj_open(j, '[');
}
void sj_arr_end(struct sim_json *j)
{
	sj_close(j, ']');
}

void sj_key(struct sim_json *j, const char *key)
{
	sj_sep(j);
	sj_write_string(j->f, key);
	fputc(':', j->f);
	j->after_key = true;
}

void sj_str(struct sim_json *j, const char *s)
{
	sj_sep(j);
	sj_write_string(j->f, s ? s : "");
}

void sj_strf(struct sim_json *j, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sj_str(j, buf);
}

void sj_u64(struct sim_json *j, uint64_t v)
{
	sj_sep(j);
	fprintf(j->f, "%" PRIu64, v);
}

void sj_i64(struct sim_json *j, int64_t v)
{
	sj_sep(j);
	fprintf(j->f, "%" PRId64, v);
}

/* 64-bit addresses do not fit a JSON number exactly in most readers. */
void sj_hex(struct sim_json *j, uint64_t v)
{
	sj_strf(j, "0x%" PRIx64, v);
}

void sj_bool(struct sim_json *j, bool v)
{
	sj_sep(j);
	fputs(v ? "true" : "false", j->f);
}

void sj_raw(struct sim_json *j, const char *text, size_t len)
{
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	sj_sep(j);
	fwrite(text, 1, len, j->f);
}

void sj_null(struct sim_json *j)
{
	sj_sep(j);
	fputs("null", j->f);
}

static const char *type_word(enum swmsi_obj_type t)
{
	return t == SWMSI_OBJ_HWPT_NESTED ? "nested" : "paging";
}

/*
 * A list of mappings under @key: "iova", @to (what the range maps to:
 * "paddr", or "ipa" for stage 1), "size", "prot".
 */
static void json_mappings(struct sim_json *j, const char *key, const char *to,
			  const struct swmsi_mapping *m, size_t n)
{
	char pr[8];
	size_t i;

	sj_key(j, key);
	sj_arr_begin(j);
	for (i = 0; i < n; i++) {
		sj_obj_begin(j);
		sj_key(j, "iova");
		sj_hex(j, m[i].iova);
		sj_key(j, to);
		sj_hex(j, m[i].paddr);
		sj_key(j, "size");
		sj_hex(j, m[i].length);
		sj_key(j, "prot");
		sj_str(j, sim_fmt_prot(pr, sizeof(pr), m[i].prot));
		sj_obj_end(j);
	}
	sj_arr_end(j);
}

/*
 * A reference to another object: "@key" is its name (as "name" is in its
 * own entry), "@key_id" its id; both null for none.
 */
static void json_ref(struct sim *s, struct sim_json *j, const struct snapshot *sn, const char *key,
		     uint32_t id)
{
	char buf[48], idkey[32];

	snprintf(idkey, sizeof(idkey), "%s_id", key);
	sj_key(j, key);
	if (id)
		sj_str(j, sim_obj_label(s, sn, id, buf, sizeof(buf)));
	else
		sj_null(j);
	sj_key(j, idkey);
	if (id)
		sj_u64(j, id);
	else
		sj_null(j);
}

/* DMA_IOMMU: a paging HWPT's cookie, its base, next IOVA and pages. */
static void json_cookie(struct sim_json *j, const struct snapshot_hwpt *h)
{
	size_t k;

	sj_key(j, "cookie");
	sj_obj_begin(j);
	sj_key(j, "base");
	sj_hex(j, h->cookie.base);
	sj_key(j, "next_iova");
	sj_hex(j, h->cookie.next_iova);
	sj_key(j, "pages");
	sj_arr_begin(j);
	for (k = 0; k < h->ncookie_pages; k++) {
		sj_obj_begin(j);
		sj_key(j, "iova");
		sj_hex(j, h->cookie_pages[k].iova);
		sj_key(j, "msi_page");
		sj_hex(j, h->cookie_pages[k].msi_page);
		sj_obj_end(j);
	}
	sj_arr_end(j);
	sj_obj_end(j);
}

void sim_json_state(struct sim *s, struct sim_json *j, const struct snapshot *sn)
{
	char buf[48];
	size_t i, k;

	sj_obj_begin(j);
	sj_key(j, "ioas");
	sj_arr_begin(j);
	for (i = 0; i < sn->nioas; i++) {
		sj_obj_begin(j);
		sj_key(j, "name");
		sj_str(j, sim_obj_name(s, sn->ioas[i].id));
		sj_key(j, "id");
		sj_u64(j, sn->ioas[i].id);
		json_mappings(j, "mappings", "paddr", sn->ioas[i].maps, sn->ioas[i].nmaps);
		sj_key(j, "reserved");
		sj_arr_begin(j);
		for (k = 0; k < sn->ioas[i].nresv; k++) {
			sj_obj_begin(j);
			sj_key(j, "start");
			sj_hex(j, sn->ioas[i].resv[k].iova);
			sj_key(j, "size");
			sj_hex(j, sn->ioas[i].resv[k].length);
			sj_obj_end(j);
		}
		sj_arr_end(j);
		sj_obj_end(j);
	}
	sj_arr_end(j);

	sj_key(j, "hwpts");
	sj_arr_begin(j);
	for (i = 0; i < sn->nhwpts; i++) {
		const struct snapshot_hwpt *h = &sn->hwpts[i];

		sj_obj_begin(j);
		sj_key(j, "name");
		sj_str(j, sim_obj_label(s, sn, h->id, buf, sizeof(buf)));
		sj_key(j, "id");
		sj_u64(j, h->id);
		sj_key(j, "type");
		sj_str(j, type_word(h->info.type));
		sj_key(j, "auto");
		sj_bool(j, h->info.is_auto);
		sj_key(j, "nest_parent");
		sj_bool(j, h->info.flags & SWMSI_HWPT_NEST_PARENT);
		json_ref(s, j, sn, "ioas", h->info.ioas_id);
		json_ref(s, j, sn, "parent", h->info.parent_id);
		sj_key(j, "domain");
		sj_u64(j, h->serial);
		sj_key(j, "groups");
		sj_u64(j, h->info.groups);
		sj_key(j, "children");
		sj_u64(j, h->info.children);
		sj_key(j, "msi_present");
		sj_arr_begin(j);
		for (k = 0; k < h->npresent; k++)
			sj_u64(j, h->present[k]);
		sj_arr_end(j);
		if (h->info.type == SWMSI_OBJ_HWPT_NESTED)
			json_mappings(j, "stage1", "ipa", h->s1, h->ns1);
		if (h->cookie.active)
			json_cookie(j, h);
		sj_obj_end(j);
	}
	sj_arr_end(j);

	sj_key(j, "devices");
	sj_arr_begin(j);
	for (i = 0; i < sn->ndevs; i++) {
		const struct snapshot_dev *d = &sn->devs[i];

		sj_obj_begin(j);
		sj_key(j, "name");
		sj_str(j, sim_obj_name(s, d->id));
		sj_key(j, "id");
		sj_u64(j, d->id);
		sj_key(j, "group");
		sj_u64(j, d->info.group);
		sj_key(j, "window");
		if (d->info.sw_msi_start == SWMSI_PHYS_NONE) {
			sj_null(j);
		} else {
			sj_obj_begin(j);
			sj_key(j, "start");
			sj_hex(j, d->info.sw_msi_start);
			sj_key(j, "size");
			sj_hex(j, d->info.sw_msi_size);
			sj_obj_end(j);
		}
		sj_key(j, "attached");
		sj_bool(j, d->info.attached);
		json_ref(s, j, sn, "hwpt", d->info.hwpt_id);
		sj_key(j, "vectors");
		sj_arr_begin(j);
		for (k = 0; k < d->nvecs; k++) {
			const struct swmsi_vector_info *v = &d->vecs[k];
			const char *label = sim_vec_label(s, sim_name_of(s, d->id), v->vec);

			sj_obj_begin(j);
			sj_key(j, "label");
			if (label)
				sj_str(j, label);
			else
				sj_null(j);
			sj_key(j, "vec");
			sj_u64(j, v->vec);
			sj_key(j, "msi_addr");
			sj_hex(j, v->msi_addr);
			sj_key(j, "msg_addr");
			sj_hex(j, v->msg_addr);
			sj_key(j, "translated");
			sj_bool(j, v->translated);
			if (v->translated) {
				sj_key(j, "map_id");
				sj_u64(j, v->map_id);
			}
			sj_obj_end(j);
		}
		sj_arr_end(j);
		sj_obj_end(j);
	}
	sj_arr_end(j);

	sj_key(j, "msi_maps");
	sj_arr_begin(j);
	for (i = 0; i < sn->nmaps; i++) {
		const struct swmsi_msi_map_info *m = &sn->maps[i];

		sj_obj_begin(j);
		sj_key(j, "id");
		sj_u64(j, m->id);
		sj_key(j, "window");
		sj_hex(j, m->sw_msi_start);
		sj_key(j, "slot");
		sj_u64(j, m->slot);
		sj_key(j, "iova");
		sj_hex(j, m->iova);
		sj_key(j, "page");
		sj_hex(j, m->msi_page);
		sj_key(j, "vectors");
		sj_u64(j, m->vectors);
		sj_obj_end(j);
	}
	sj_arr_end(j);

	sj_key(j, "domains");
	sj_arr_begin(j);
	for (i = 0; i < sn->ndoms; i++) {
		const struct snapshot_dom *dm = &sn->doms[i];

		sj_obj_begin(j);
		sj_key(j, "serial");
		sj_u64(j, dm->serial);
		sj_key(j, "ranges");
		sj_arr_begin(j);
		for (k = 0; k < dm->nranges; k++) {
			char pr[8];

			sj_obj_begin(j);
			sj_key(j, "iova");
			sj_hex(j, dm->ranges[k].iova);
			sj_key(j, "paddr");
			sj_hex(j, dm->ranges[k].paddr);
			sj_key(j, "size");
			sj_hex(j, dm->ranges[k].size);
			sj_key(j, "prot");
			sj_str(j, sim_fmt_prot(pr, sizeof(pr), dm->ranges[k].prot));
			sj_obj_end(j);
		}
		sj_arr_end(j);
		sj_obj_end(j);
	}
	sj_arr_end(j);
	sj_obj_end(j);
}

/* ---------------------------------------------------------------------- */
/* Graphviz                                                               */

/* A DOT string literal's contents: quotes and backslashes escaped. */
void sim_dot_str(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
}

static bool group_seen(const struct snapshot *sn, size_t upto, uint32_t g)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (sn->devs[i].info.group == g)
			return true;
	return false;
}

static bool window_seen(const struct snapshot *sn, size_t upto, uint64_t start)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (sn->maps[i].sw_msi_start == start)
			return true;
	return false;
}

static bool page_seen(const struct snapshot *sn, size_t upto, uint64_t page)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (sn->maps[i].msi_page == page)
			return true;
	return false;
}

/* At most this many ranges listed in a node; the rest are counted. */
#define DOT_MAX_RANGES 4

/*
 * How stage 1 of nested HWPT @h treats the window [@start, +@size): the
 * guest must map it 1:1 (the RMR) for MSIs to reach the doorbells.
 */
static void dot_rmr(FILE *f, const struct snapshot_hwpt *h, uint64_t start, uint64_t size)
{
	uint64_t cur = start, end = start + size;
	bool identity = true;
	size_t i;

	for (i = 0; i < h->ns1 && cur < end; i++) {
		const struct swmsi_mapping *m = &h->s1[i];

		if (m->iova > cur || cur - m->iova >= m->length)
			continue;
		if (m->iova != m->paddr)
			identity = false;
		cur = m->iova + m->length;
	}
	if (cur == start)
		fprintf(f, "\\nno RMR for window 0x%" PRIx64 ": MSIs lost", start);
	else if (cur < end)
		fprintf(f, "\\nwindow 0x%" PRIx64 " partly mapped: some MSIs lost", start);
	else if (!identity)
		fprintf(f, "\\nwindow 0x%" PRIx64 " remapped: MSIs land elsewhere", start);
	else
		fprintf(f, "\\nRMR: window 0x%" PRIx64 " mapped 1:1", start);
}

/* A nested HWPT's node text: its stage-1 ranges, and the RMR of each window in use. */
static void dot_stage1(FILE *f, const struct snapshot *sn, const struct snapshot_hwpt *h)
{
	char sz[24], pr[8];
	size_t i, k;

	if (!h->ns1)
		fputs("\\nstage 1: empty", f);
	for (i = 0; i < h->ns1 && i < DOT_MAX_RANGES; i++)
		fprintf(f, "\\nstage 1: 0x%" PRIx64 " [%s] -> ipa 0x%" PRIx64 " %s", h->s1[i].iova,
			sim_fmt_size(sz, sizeof(sz), h->s1[i].length), h->s1[i].paddr,
			sim_fmt_prot(pr, sizeof(pr), h->s1[i].prot));
	if (h->ns1 > DOT_MAX_RANGES)
		fprintf(f, "\\n... and %zu more", h->ns1 - DOT_MAX_RANGES);
	for (i = 0; i < sn->ndevs; i++) {
		const struct swmsi_device_info *d = &sn->devs[i].info;
		bool seen = false;

		if (d->hwpt_id != h->id || d->sw_msi_start == SWMSI_PHYS_NONE)
			continue;
		for (k = 0; k < i && !seen; k++)
			seen = sn->devs[k].info.hwpt_id == h->id &&
			       sn->devs[k].info.sw_msi_start == d->sw_msi_start;
		if (!seen)
			dot_rmr(f, h, d->sw_msi_start, d->sw_msi_size);
	}
}

void sim_dot_doorbell(FILE *f, uint64_t page)
{
	fprintf(f,
		"\tdoorbell_%" PRIx64 " [shape=doubleoctagon, style=filled, "
		"fillcolor=lightblue, label=\"doorbell page\\n0x%" PRIx64 "\"];\n",
		page, page);
}

/* Is @page drawn already: by the table, or by an untranslated vector before
 * vector @vec of device @dev? */
static bool untranslated_page_seen(const struct sim *s, const struct snapshot *sn, size_t dev,
				   size_t vec, uint64_t page)
{
	size_t i, k;

	if (page_seen(sn, sn->nmaps, page))
		return true;
	for (i = 0; i <= dev; i++)
		for (k = 0; k < sn->devs[i].nvecs && (i < dev || k < vec); k++)
			if (!sn->devs[i].vecs[k].translated &&
			    (sn->devs[i].vecs[k].msi_addr & ~(s->page_size - 1)) == page)
				return true;
	return false;
}

/*
 * A vector's edge, labelled with its scenario label and the address the
 * device writes: to its slot when translated, else straight to its doorbell
 * page (dashed: no IOMMU translation on the way).
 */
static void dot_vector(struct sim *s, FILE *f, const struct snapshot *sn,
		       const struct snapshot_dev *d, const struct swmsi_vector_info *v)
{
	const char *label = sim_vec_label(s, sim_name_of(s, d->id), v->vec);
	char lb[24];

	if (!label) {
		snprintf(lb, sizeof(lb), "#%" PRIu32, v->vec);
		label = lb;
	}
	if (v->translated && s->scheme == SWMSI_SCHEME_DMA_IOMMU) {
		sim_dot_cookie_vector(s, f, sn, d, v, label);
		return;
	}
	if (v->translated) {
		fprintf(f,
			"\tdev_%" PRIu32 " -> map_%" PRIu32
			" [color=blue, fontcolor=blue, label=\"",
			d->id, v->map_id);
		sim_dot_str(f, label);
		fprintf(f, ": 0x%" PRIx64 "\"];\n", v->msg_addr);
		return;
	}
	fprintf(f,
		"\tdev_%" PRIu32 " -> doorbell_%" PRIx64 " [style=dashed, color=darkgreen, "
		"fontcolor=darkgreen, label=\"",
		d->id, v->msi_addr & ~(s->page_size - 1));
	sim_dot_str(f, label);
	fprintf(f, ": untranslated\\n0x%" PRIx64 "\"];\n", v->msi_addr);
}

/* An IOAS's user mappings and reserved windows, summarised in one node. */
static void dot_ioas_summary(FILE *f, const struct snapshot_ioas *io)
{
	char sz[24], pr[8];
	size_t i;

	fprintf(f,
		"\t\tioas_%" PRIu32 " [shape=box, style=filled, fillcolor=gray95, "
		"color=gray60, fontsize=9, label=\"",
		io->id);
	if (!io->nmaps)
		fputs("no DMA mappings\\l", f);
	else
		fprintf(f, "%zu DMA mapping%s:\\l", io->nmaps, io->nmaps == 1 ? "" : "s");
	for (i = 0; i < io->nmaps && i < DOT_MAX_RANGES; i++)
		fprintf(f, "0x%" PRIx64 " [%s] -> 0x%" PRIx64 " %s\\l", io->maps[i].iova,
			sim_fmt_size(sz, sizeof(sz), io->maps[i].length), io->maps[i].paddr,
			sim_fmt_prot(pr, sizeof(pr), io->maps[i].prot));
	if (io->nmaps > DOT_MAX_RANGES)
		fprintf(f, "... and %zu more\\l", io->nmaps - DOT_MAX_RANGES);
	for (i = 0; i < io->nresv; i++)
		fprintf(f, "reserved: SW_MSI window 0x%" PRIx64 " [%s]\\l", io->resv[i].iova,
			sim_fmt_size(sz, sizeof(sz), io->resv[i].length));
	fputs("\"];\n", f);
}

void sim_dot_state(struct sim *s, FILE *f, const struct snapshot *sn)
{
	char buf[48], sz[24];
	size_t i, k;

	fputs("digraph swmsi {\n", f);
	fputs("\tgraph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label=\"", f);
	sim_dot_str(f, s->scn->file);
	fprintf(f, ": final state (scheme %s, page %s, reclaim %s)\"];\n",
		swmsi_scheme_name(s->scheme), sim_fmt_size(sz, sizeof(sz), s->page_size),
		s->scn->opts.reclaim_unused ? "unused" : "none");
	fputs("\tnode [fontname=\"Helvetica\", fontsize=10];\n", f);
	fputs("\tedge [fontname=\"Helvetica\", fontsize=9];\n", f);

	/* IOAS clusters hold their HWPTs; the domain is the paging HWPT's. */
	for (i = 0; i < sn->nioas; i++) {
		fprintf(f,
			"\tsubgraph cluster_ioas_%" PRIu32
			" {\n\t\tstyle=rounded;\n\t\tlabel=\"IOAS ",
			sn->ioas[i].id);
		sim_dot_str(f, sim_obj_name(s, sn->ioas[i].id));
		fprintf(f, " (id %" PRIu32 ")\";\n", sn->ioas[i].id);
		dot_ioas_summary(f, &sn->ioas[i]);
		for (k = 0; k < sn->nhwpts; k++) {
			const struct snapshot_hwpt *h = &sn->hwpts[k];

			if (h->info.ioas_id != sn->ioas[i].id)
				continue;
			fprintf(f, "\t\thwpt_%" PRIu32 " [shape=box, %slabel=\"", h->id,
				h->info.type == SWMSI_OBJ_HWPT_NESTED ? "style=\"rounded,dashed\", "
								      : "");
			sim_dot_str(f, sim_obj_label(s, sn, h->id, buf, sizeof(buf)));
			fprintf(f, " (id %" PRIu32 ")\\n%s%s%s", h->id, type_word(h->info.type),
				h->info.flags & SWMSI_HWPT_NEST_PARENT ? ", nest_parent" : "",
				h->info.is_auto ? ", automatic" : "");
			if (h->info.type == SWMSI_OBJ_HWPT_PAGING)
				fprintf(f, "\\ndomain #%u, %zu MSI page%s", h->serial, h->npresent,
					h->npresent == 1 ? "" : "s");
			else
				dot_stage1(f, sn, h);
			fputs("\"];\n", f);
		}
		fputs("\t}\n", f);
	}
	for (k = 0; k < sn->nhwpts; k++) {
		const struct snapshot_hwpt *h = &sn->hwpts[k];

		if (h->info.type == SWMSI_OBJ_HWPT_NESTED)
			fprintf(f,
				"\thwpt_%" PRIu32 " -> hwpt_%" PRIu32
				" [style=dashed, label=\"stage 2\"];\n",
				h->id, h->info.parent_id);
		/* A nested HWPT reports its parent's pages: draw them once. */
		for (i = 0; h->info.type == SWMSI_OBJ_HWPT_PAGING && i < h->npresent; i++)
			fprintf(f,
				"\thwpt_%" PRIu32 " -> map_%" PRIu32
				" [style=dotted, arrowhead=none, color=gray40];\n",
				h->id, h->present[i]);
	}

	/* Groups and their devices. */
	for (i = 0; i < sn->ndevs; i++) {
		const struct snapshot_dev *d = &sn->devs[i];

		if (!group_seen(sn, i, d->info.group)) {
			fprintf(f, "\tgroup_%" PRIu32 " [shape=ellipse, label=\"group %" PRIu32,
				d->info.group, d->info.group);
			if (d->info.sw_msi_start != SWMSI_PHYS_NONE)
				fprintf(f, "\\nwindow 0x%" PRIx64 " +%s", d->info.sw_msi_start,
					sim_fmt_size(sz, sizeof(sz), d->info.sw_msi_size));
			else
				fputs("\\nno window", f);
			fputs("\"];\n", f);
			if (d->info.hwpt_id)
				fprintf(f,
					"\tgroup_%" PRIu32 " -> hwpt_%" PRIu32
					" [label=\"attached\", penwidth=2];\n",
					d->info.group, d->info.hwpt_id);
		}
		fprintf(f, "\tdev_%" PRIu32 " [shape=note, label=\"", d->id);
		sim_dot_str(f, sim_obj_name(s, d->id));
		fprintf(f, " (id %" PRIu32 ")\\n%zu vector%s%s\"];\n", d->id, d->nvecs,
			d->nvecs == 1 ? "" : "s", d->info.attached ? "" : ", detached");
		fprintf(f, "\tdev_%" PRIu32 " -> group_%" PRIu32 ";\n", d->id, d->info.group);
		for (k = 0; k < d->nvecs; k++)
			dot_vector(s, f, sn, d, &d->vecs[k]);
	}

	/* Windows: one cluster per window start, a node per slot in use. */
	for (i = 0; i < sn->nmaps; i++) {
		uint64_t start = sn->maps[i].sw_msi_start;
		uint64_t wsize = sim_window_size(s, sn, start);

		if (window_seen(sn, i, start))
			continue;
		fprintf(f,
			"\tsubgraph cluster_window_%" PRIx64 " {\n\t\tstyle=filled;\n"
			"\t\tfillcolor=lightyellow;\n\t\tlabel=\"SW_MSI window 0x%" PRIx64,
			start, start);
		if (wsize)
			fprintf(f, " (%" PRIu64 " slots)", wsize / s->page_size);
		fputs("\";\n", f);
		for (k = i; k < sn->nmaps; k++) {
			const struct swmsi_msi_map_info *m = &sn->maps[k];

			if (m->sw_msi_start != start)
				continue;
			/* KERNEL: a slot is never compared with the window's size. */
			bool out = wsize && ((uint64_t)m->slot + 1) * s->page_size > wsize;

			fprintf(f,
				"\t\tmap_%" PRIu32 " [shape=record, %slabel=\"slot %" PRIu32
				"|iova 0x%" PRIx64 "|map %" PRIu32 ", %" PRIu32 " vector%s%s\"];\n",
				m->id, out ? "color=red, fontcolor=red, " : "", m->slot, m->iova,
				m->id, m->vectors, m->vectors == 1 ? "" : "s",
				out ? "|outside the window" : "");
		}
		fputs("\t}\n", f);
	}
	sim_dot_cookies(s, f, sn);
	/* Doorbell pages: those of the table, then those untranslated vectors write. */
	for (i = 0; i < sn->nmaps; i++) {
		const struct swmsi_msi_map_info *m = &sn->maps[i];

		if (!page_seen(sn, i, m->msi_page))
			sim_dot_doorbell(f, m->msi_page);
		fprintf(f, "\tmap_%" PRIu32 " -> doorbell_%" PRIx64 ";\n", m->id, m->msi_page);
	}
	for (i = 0; i < sn->ndevs; i++) {
		for (k = 0; k < sn->devs[i].nvecs; k++) {
			uint64_t page = sn->devs[i].vecs[k].msi_addr & ~(s->page_size - 1);

			if (!sn->devs[i].vecs[k].translated &&
			    !untranslated_page_seen(s, sn, i, k, page))
				sim_dot_doorbell(f, page);
		}
	}
	fputs("}\n", f);
}

/* ---------------------------------------------------------------------- */
/* SVG through Graphviz                                                   */

bool sim_have_dot(void)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (!path || !*path)
		return false;
	while (*path) {
		const char *end = strchr(path, ':');
		size_t len = end ? (size_t)(end - path) : strlen(path);

		/* An empty PATH entry means the current directory. */
		if (len + 5 < sizeof(buf)) {
			if (len)
				memcpy(buf, path, len);
			else
				buf[len++] = '.';
			memcpy(buf + len, "/dot", 5);
			if (access(buf, X_OK) == 0)
				return true;
		}
		if (!end)
			break;
		path = end + 1;
	}
	return false;
}

int sim_render_svg(const char *dot_text, size_t len, const char *svg_path, FILE *err)
{
	void (*old)(int);
	int fds[2], status = 0, rc = 0;
	size_t off = 0;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		char *argv[] = { "dot", "-Tsvg", "-o", (char *)svg_path, NULL };
		bool to_stdout = !strcmp(svg_path, "-");

		close(fds[1]);
		if (dup2(fds[0], STDIN_FILENO) < 0)
			_exit(127);
		close(fds[0]);
		/* Without -o, dot writes to the standard output it inherits. */
		if (to_stdout)
			argv[2] = NULL;
		execvp("dot", argv);
		_exit(127);
	}
	close(fds[0]);
	/* dot may exit early on an error; its status says so, not a SIGPIPE. */
	old = signal(SIGPIPE, SIG_IGN);
	while (off < len) {
		ssize_t n = write(fds[1], dot_text + off, len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -1;
			break;
		}
		off += (size_t)n;
	}
	close(fds[1]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			rc = -1;
			break;
		}
	}
	signal(SIGPIPE, old == SIG_ERR ? SIG_DFL : old);
	if (!rc && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
		rc = -1;
	if (rc && err)
		fprintf(err, "swmsi-sim: dot failed to render %s\n",
			strcmp(svg_path, "-") ? svg_path : "SVG to standard output");
	return rc;
}
