/* SPDX-License-Identifier: MIT */
/*
 * --dot/--svg under DMA_IOMMU: there is no context-wide table to draw, but
 * one cookie per paging HWPT, each numbering its doorbell pages from its own
 * base. Each cookie is a cluster of its pages, each page an edge to its
 * doorbell; a vector goes to the page of the cookie of the domain its group
 * sits on now, or, when that domain does not map its message address to its
 * doorbell (a replace after the allocation), red to where the write lands.
 */
#include <inttypes.h>

#include "sinks.h"

void sim_dot_cookies(const struct sim *s, FILE *f, const struct snapshot *sn, const bool *drawn)
{
	char buf[48];
	size_t i, k;

	for (i = 0; i < sn->nhwpts; i++) {
		const struct snapshot_hwpt *h = &sn->hwpts[i];

		if (!h->cookie.active || !drawn[i])
			continue;
		fprintf(f,
			"\tsubgraph cluster_cookie_%" PRIu32 " {\n\t\tstyle=filled;\n"
			"\t\tfillcolor=lavender;\n\t\tlabel=\"",
			h->id);
		sim_dot_str(f, sim_obj_label(s, sn, h->id, buf, sizeof(buf)));
		fprintf(f, "'s MSI cookie: base 0x%" PRIx64 ", next 0x%" PRIx64 "\";\n",
			h->cookie.base, h->cookie.next_iova);
		for (k = 0; k < h->ncookie_pages; k++)
			fprintf(f,
				"\t\tcookie_%" PRIu32 "_%" PRIx64
				" [shape=record, label=\"iova 0x%" PRIx64 "|page %zu\"];\n",
				h->id, h->cookie_pages[k].iova, h->cookie_pages[k].iova, k);
		fputs("\t}\n", f);
		fprintf(f,
			"\thwpt_%" PRIu32 " -> cookie_%" PRIu32 "_%" PRIx64
			" [style=dotted, arrowhead=none, color=gray40];\n",
			h->id, h->id, h->ncookie_pages ? h->cookie_pages[0].iova : h->cookie.base);
		for (k = 0; k < h->ncookie_pages; k++) {
			sim_dot_doorbell(f, h->cookie_pages[k].msi_page);
			fprintf(f, "\tcookie_%" PRIu32 "_%" PRIx64 " -> doorbell_%" PRIx64 ";\n",
				h->id, h->cookie_pages[k].iova, h->cookie_pages[k].msi_page);
		}
	}
}

void sim_dot_cookie_vector(const struct sim *s, FILE *f, const struct snapshot *sn,
			   const struct snapshot_dev *d, const struct swmsi_vector_info *v,
			   const char *label, const char *lattr)
{
	const struct snapshot_hwpt *p = NULL;
	uint64_t ps = s->page_size, iova = v->msg_addr & ~(ps - 1);
	size_t k;

	if (d->info.hwpt_id)
		p = snapshot_paging_of(sn, snapshot_hwpt(sn, d->info.hwpt_id));
	if (p &&
	    sim_cookie_maps(p, iova, v->msi_addr & ~(ps - 1), SWMSI_PROT_WRITE | SWMSI_PROT_MMIO)) {
		fprintf(f,
			"\tdev_%" PRIu32 " -> cookie_%" PRIu32 "_%" PRIx64 " [color=blue, "
			"fontcolor=blue, %s=\"",
			d->id, p->id, iova, lattr);
		sim_dot_str(f, label);
		fprintf(f, ": 0x%" PRIx64 "\"];\n", v->msg_addr);
		return;
	}
	for (k = 0; k < d->nvecs && d->vecs[k].vec != v->vec; k++)
		;
	if (k < d->nvecs && !d->fire[k].rc) {
		sim_dot_doorbell(f, d->fire[k].paddr & ~(ps - 1));
		fprintf(f,
			"\tdev_%" PRIu32 " -> doorbell_%" PRIx64 " [color=red, fontcolor=red, "
			"%s=\"",
			d->id, d->fire[k].paddr & ~(ps - 1), lattr);
		sim_dot_str(f, label);
		fprintf(f, ": 0x%" PRIx64 "\\nMISROUTED -> 0x%" PRIx64 "\"];\n", v->msg_addr,
			d->fire[k].paddr);
		return;
	}
	fprintf(f,
		"\tlost_%" PRIu32 "_%" PRIu32 " [shape=plaintext, fontcolor=red, label=\"LOST\"];\n"
		"\tdev_%" PRIu32 " -> lost_%" PRIu32 "_%" PRIu32 " [color=red, fontcolor=red, "
		"style=dashed, %s=\"",
		d->id, v->vec, d->id, d->id, v->vec, lattr);
	sim_dot_str(f, label);
	fprintf(f, ": 0x%" PRIx64 "\"];\n", v->msg_addr);
}
