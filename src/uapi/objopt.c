// SPDX-License-Identifier: MIT
/*
 * Per-object state the ABI has and libswmsi does not keep (an IOAS's
 * HUGE_PAGES option, a device's SW_MSI start set while its size is 0):
 * a small array per file, under the file's lock, found by object id.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "uapi_internal.h"

struct swmsi__uapi_objopt *swmsi__uapi_objopt(struct swmsi__uapi_file *file, uint32_t id,
					      int create)
{
	struct swmsi__uapi_objopt *o;

	for (size_t i = 0; i < file->nr_objopts; i++)
		if (file->objopts[i].id == id)
			return &file->objopts[i];
	if (!create)
		return NULL;
	if (file->nr_objopts == file->cap_objopts) {
		size_t n = file->cap_objopts ? file->cap_objopts * 2 : 8;
		struct swmsi__uapi_objopt *grown = realloc(file->objopts, n * sizeof(*grown));

		if (!grown)
			return NULL;
		file->objopts = grown;
		file->cap_objopts = n;
	}
	o = &file->objopts[file->nr_objopts++];
	memset(o, 0, sizeof(*o));
	o->id = id;
	return o;
}

void swmsi__uapi_objopt_drop(struct swmsi__uapi_file *file, uint32_t id)
{
	for (size_t i = 0; i < file->nr_objopts; i++) {
		if (file->objopts[i].id == id) {
			file->objopts[i] = file->objopts[--file->nr_objopts];
			return;
		}
	}
}

int swmsi__uapi_is(struct swmsi_ctx *ctx, uint32_t id, enum swmsi_obj_type type)
{
	enum swmsi_obj_type t;

	return swmsi_obj_type(ctx, id, &t) == 0 && t == type;
}

int swmsi__uapi_objects(struct swmsi_ctx *ctx, struct swmsi_obj_info **all, size_t *count)
{
	struct swmsi_obj_info *a = NULL;
	size_t cap = 0, n;
	int err;

	for (;;) {
		err = swmsi_obj_list(ctx, a, cap, &n);
		if (err || n <= cap)
			break;
		free(a);
		cap = n + 8; /* room for a few created meanwhile */
		a = malloc(cap * sizeof(*a));
		if (!a)
			return -ENOMEM;
	}
	if (err) {
		free(a);
		return err;
	}
	*all = a;
	*count = n;
	return 0;
}
