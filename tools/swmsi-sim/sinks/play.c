/* SPDX-License-Identifier: MIT */
/*
 * sim_run(): the tool's outputs put together around the engine. It opens
 * the output files (before the run: a path that cannot be written fails
 * it before it starts), picks the sinks sim_opts asks for, runs the engine
 * and closes the outputs.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "sinks.h"

/* The most sinks one run has: text, progress, JSON, graph, closer, on_step. */
#define MAX_SINKS 6

struct outputs {
	const struct sim_opts *o;
	FILE *json, *dot;
	bool failed; /* an output could not be written all (said why) */
	struct sink_text text;
	struct sink_progress progress;
	struct sink_json js;
	struct sink_dot graph;
	struct sink_steprec steprec;
	struct sim_sink sinks[MAX_SINKS];
	size_t nsinks;
};

static void say(const struct sim_opts *o, const char *path, const char *why)
{
	if (!o->err)
		return;
	if (o->out)
		fflush(o->out);
	fprintf(o->err, "swmsi-sim: cannot write %s: %s\n", path, why);
}

/* An output file, "-" being standard output. NULL (and said why) when it cannot be opened. */
static FILE *open_output(const struct sim_opts *o, const char *path)
{
	FILE *f;

	if (!strcmp(path, "-"))
		return stdout;
	f = fopen(path, "w");
	if (!f)
		say(o, path, strerror(errno));
	return f;
}

/* Close (or, for standard output, flush) an output. Returns 0, or -1 when
 * not all of it was written, having said why. */
static int close_output(const struct sim_opts *o, FILE *f, const char *path)
{
	bool std = f == stdout;
	int bad;

	errno = 0;
	bad = std ? fflush(f) || ferror(f) : fclose(f);
	if (!bad)
		return 0;
	say(o, std ? "standard output" : path, errno ? strerror(errno) : "write error");
	return -1;
}

/* 0, or the errno opening @path for writing would give. */
static int writable(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	struct stat st;

	if (!stat(path, &st)) {
		if (S_ISDIR(st.st_mode))
			return EISDIR;
		return access(path, W_OK) ? errno : 0;
	}
	if (errno != ENOENT)
		return errno;
	if (!slash)
		return access(".", W_OK | X_OK) ? errno : 0;
	if ((size_t)(slash - path) >= sizeof(dir))
		return ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	return access(dir, W_OK | X_OK) ? errno : 0;
}

int sim_check_outputs(const char *const *paths, size_t n, FILE *err)
{
	size_t i;
	int e;

	for (i = 0; i < n; i++) {
		if (!paths[i] || !strcmp(paths[i], "-"))
			continue;
		e = writable(paths[i]);
		if (!e)
			continue;
		if (err)
			fprintf(err, "swmsi-sim: cannot write %s: %s\n", paths[i], strerror(e));
		return -1;
	}
	return 0;
}

/* Close the outputs the run wrote (not a caller's json_file). */
static void close_outputs(struct outputs *w)
{
	if (w->json && !w->o->json_file && close_output(w->o, w->json, w->o->json_path))
		w->failed = true;
	if (w->dot && close_output(w->o, w->dot, w->o->dot_path))
		w->failed = true;
	w->json = w->dot = NULL;
}

/* The closer sink: its end comes after the JSON and graph sinks' and
 * before the text sink's, so the summary line knows a failed output. */
static void closer_end(void *priv, const struct sim *s, const struct sim_end *e)
{
	(void)s;
	(void)e;
	close_outputs(priv);
}

static const struct sim_sink_ops closer_ops = {
	.end = closer_end,
};

static void add_sink(struct outputs *w, const struct sim_sink_ops *ops, void *priv)
{
	w->sinks[w->nsinks].ops = ops;
	w->sinks[w->nsinks++].priv = priv;
}

static void pick_sinks(struct outputs *w, const struct sim_opts *o)
{
	/* The bar shares no terminal with the timeline (see sink_progress.c). */
	if (o->progress && o->err && !(o->out && isatty(fileno(o->out)))) {
		w->progress.err = o->err;
		add_sink(w, &sink_progress_ops, &w->progress);
	}
	if (w->json) {
		sj_init(&w->js.j, w->json);
		add_sink(w, &sink_json_ops, &w->js);
	}
	if (w->dot || o->svg_path) {
		w->graph.dot = w->dot;
		w->graph.svg_path = o->svg_path;
		w->graph.err = o->err;
		w->graph.only = o->only;
		add_sink(w, &sink_dot_ops, &w->graph);
	}
	add_sink(w, &closer_ops, w);
	w->text.out = o->out;
	w->text.err = o->err;
	w->text.color = o->color;
	w->text.color_err = o->color_err;
	w->text.trace = o->trace;
	w->text.note = o->note;
	w->text.outputs_failed = &w->failed;
	if (o->out || o->err)
		add_sink(w, &sink_text_ops, &w->text);
	if (o->on_step) {
		w->steprec.fn = o->on_step;
		w->steprec.priv = o->on_step_priv;
		add_sink(w, &sink_steprec_ops, &w->steprec);
	}
}

/* Both outputs are opened first. Returns 0 or -1 (said why). */
static int open_outputs(struct outputs *w, const struct sim_opts *o)
{
	if (o->dot_path) {
		w->dot = open_output(o, o->dot_path);
		if (!w->dot)
			return -1;
	}
	if (o->json_file)
		w->json = o->json_file;
	else if (o->json_path)
		w->json = open_output(o, o->json_path);
	return (o->json_path || o->json_file) && !w->json ? -1 : 0;
}

int sim_run(const struct scn *scn, const struct sim_opts *opts, struct sim_result *res)
{
	struct outputs w;
	int status = SIM_USAGE;

	memset(&w, 0, sizeof(w));
	w.o = opts;
	memset(res, 0, sizeof(*res));
	if (!open_outputs(&w, opts)) {
		pick_sinks(&w, opts);
		status = sim_engine_run(scn, opts, w.sinks, w.nsinks, res);
	}
	close_outputs(&w); /* when the run did not start */
	if (w.failed && status == SIM_OK)
		status = SIM_USAGE;
	return status;
}
