/* SPDX-License-Identifier: MIT */
/* A scenario's text, read whole from a stream (sim_read_all(), util.h). */
#include <errno.h>
#include <stdlib.h>

#include "util.h"

int sim_read_all(FILE *f, size_t max, char **out, size_t *outlen)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;

	errno = 0;
	for (;;) {
		size_t n;

		if (cap - len < 4096) {
			char *nb;

			cap = cap ? cap * 2 : 8192;
			if (cap > max + 8192) {
				free(buf);
				return -EFBIG;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		/* fread sets errno (EISDIR for a directory); say why. */
		int err = errno ? errno : EIO;

		free(buf);
		return -err;
	}
	*out = buf;
	*outlen = len;
	return 0;
}
