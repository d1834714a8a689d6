/* SPDX-License-Identifier: MIT */
/* Graphviz helpers: DOT strings, doorbell nodes, rendering SVG with `dot`. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sinks.h"

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

void sim_dot_doorbell(FILE *f, uint64_t page)
{
	fprintf(f,
		"\tdoorbell_%" PRIx64 " [shape=doubleoctagon, style=filled, "
		"fillcolor=lightblue, label=\"doorbell page\\n0x%" PRIx64 "\"];\n",
		page, page);
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

/* At most this many ids listed in a set; the rest are counted. */
#define DOT_MAX_IDS 16

void sim_dot_ids(FILE *f, const char *what, const uint32_t *ids, size_t n)
{
	size_t i;

	fprintf(f, "\\n%s = {", what);
	for (i = 0; i < n && i < DOT_MAX_IDS; i++)
		fprintf(f, "%s%" PRIu32, i ? ", " : "", ids[i]);
	if (n > DOT_MAX_IDS)
		fprintf(f, ", ... %zu in all", n);
	fputc('}', f);
}

/*
 * What the colours and sets mean, and where "required" comes from: the
 * library's own set (swmsi_device_required()), not a guess from vectors.
 */
void sim_dot_legend(FILE *f, bool table)
{
	fputs("\tsubgraph cluster_legend {\n\t\tlabel=\"legend\";\n\t\tstyle=dashed;\n"
	      "\t\tcolor=gray60;\n\t\tlegend [shape=note, fontsize=9, label=\"",
	      f);
	fputs("blue edge: a translated vector to its slot (label: its message address)\\l"
	      "dashed green edge: an untranslated vector to its doorbell\\l"
	      "red: a vector that would not fire (its write is LOST or MISROUTED)\\l",
	      f);
	if (table)
		fputs("grey slot: an entry no vector uses (kept under reclaim none)\\l"
		      "N of M used: the window's entries of its M slots, in slot order\\l"
		      "group required = {ids}: the entries the group needs installed\\l"
		      "  wherever it attaches (swmsi_device_required(): ids of its\\l"
		      "  translated vectors, and under reclaim none every id it ever\\l"
		      "  required, though the vector on it was freed)\\l"
		      "present = {ids}: the entries mapped in the HWPT's domain\\l"
		      "  (swmsi_hwpt_msi_present()); dotted edges to their slots\\l",
		      f);
	fputs("reported: the window a device declared, when an override\\l"
	      "  (the context's window, or the device's own) replaces it\\l"
	      "reserved: TYPE: the ranges reserved on an IOAS, by type (orange\\l"
	      "  direct, grey reserved, pink msi, blue sw-msi, light grey outside\\l"
	      "  a HWPT's aperture), each with its owner; usable IOVA: the rest\\l\"];\n\t}\n",
	      f);
}
