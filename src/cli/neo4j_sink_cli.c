/*-------------------------------------------------------------------------
 *
 * neo4j_sink_cli.c
 *	  The CLI's side of a Neo4j target: the connection (to the writer, for
 *	  neo4j://), the import's tag, progress, and the values Neo4j changes.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/neo4j_sink_cli.c
 *
 *-------------------------------------------------------------------------
 */
#include "cli.h"
#include "neo2pg/neo4j_sink.h"
#include "neo4j_conn.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* the first few changed values are named; the rest are counted */
#define NOTICES_SHOWN 10

typedef struct CliSink
{
	N2pSink		base;
	N2pSink    *inner;
	Neo4jLink	link;
	char	   *password;
	Progress   *progress;
	uint64_t	changed;
} CliSink;

static void
on_notice(void *ctx, const N2pError *n)
{
	CliSink    *s = ctx;
	char		row[64] = "";

	/* a row named: a value Neo4j would change; else news of an earlier import */
	if (n->row_kind == NULL)
	{
		log_info("%s", n->msg);
		return;
	}
	if (++s->changed > NOTICES_SHOWN)
		return;
	snprintf(row, sizeof(row), "%s %lld: ", n->row_kind, (long long) n->row_id);
	fprintf(stderr, "%s%s: warning: %s%s%s%s%s%s%s\n", s->progress && s->progress->tty ? "\n" : "",
			cli_progname, n->file, n->file[0] ? ": " : "", row, n->has_key ? "key \"" : "",
			n->has_key ? n->key : "", n->has_key ? "\": " : "", n->msg);
}

/* Every record --skip-refused leaves out is named: the user must know them all. */
static void
on_skipped(void *ctx, const N2pError *n)
{
	CliSink    *s = ctx;

	fprintf(stderr, "%s%s: %s%s%s %lld: %s%s%sskipped: %s\n",
			s->progress && s->progress->tty ? "\n" : "", cli_progname, n->file, n->file[0] ? ": " : "",
			n->row_kind, (long long) n->row_id, n->has_key ? "key \"" : "", n->has_key ? n->key : "",
			n->has_key ? "\": " : "", n->msg);
}

static void
on_step(void *ctx, const char *what)
{
	CliSink    *s = ctx;

	if (s->progress)
		progress_step(s->progress, what);
}

/* Between the cleanups' transactions: a test point, then stop if interrupted. */
static bool
on_check(void *ctx, const char *where, N2pError *err)
{
	(void) ctx;
	test_point(where);
	return interrupt_check(err);
}

static int
on_pid_alive(void *ctx, long pid)
{
	(void) ctx;
	if (pid <= 0)
		return -1;
	return kill((pid_t) pid, 0) == 0 || errno == EPERM ? 1 : errno == ESRCH ? 0 : -1;
}

/* This host's name as the lock records it: [A-Za-z0-9.-], the rest '-'. */
static void
lock_host(char *out, size_t len)
{
	char	   *p;

	if (gethostname(out, len) != 0)
		snprintf(out, len, "unknown");
	out[len - 1] = '\0';
	if (strlen(out) > 64)
		out[64] = '\0';
	for (p = out; *p; p++)
		if (!isalnum((unsigned char) *p) && *p != '.' && *p != '-')
			*p = '-';
}

static bool
cli_begin(N2pSink *sink, const N2pGraphMeta *meta, N2pError *err)
{
	CliSink    *s = (CliSink *) sink;

	return s->inner->ops->begin(s->inner, meta, err);
}

static bool
cli_write(N2pSink *sink, const N2pRecord *rec, N2pError *err)
{
	CliSink    *s = (CliSink *) sink;

	return s->inner->ops->write(s->inner, rec, err);
}

static bool
cli_finish(N2pSink *sink, N2pError *err)
{
	CliSink    *s = (CliSink *) sink;
	Progress   *p = s->progress;

	if (p)
	{
		/* the pump reports a phase when it ends only if the next one starts */
		progress_phase_done(p, (int) p->phase);
		if (p->phase == N2P_REC_NODE)
			progress_phase_done(p, N2P_REC_REL);
		progress_plan_steps(p, 2);
		progress_step(p, "last batch and the source's constraints");
	}
	if (!s->inner->ops->finish(s->inner, err))
		return false;
	if (p)
		progress_phase_done(p, 2);
	if (s->changed > NOTICES_SHOWN)
		log_error("warning: %llu values in all are stored as Neo4j changes them (the first %d are named above)",
				  (unsigned long long) s->changed, NOTICES_SHOWN);
	return true;
}

static void
cli_abort(N2pSink *sink)
{
	CliSink    *s = (CliSink *) sink;

	s->inner->ops->abort(s->inner);
}

static void
cli_close(N2pSink *sink)
{
	CliSink    *s = (CliSink *) sink;

	if (s->inner)
		s->inner->ops->close(s->inner);
	neo4j_cli_link_close(&s->link);
	if (s->password)
	{
		memset(s->password, 0, strlen(s->password));
		free(s->password);
	}
	free(s);
}

static const N2pSinkOps cli_ops = {cli_begin, cli_write, cli_finish, cli_abort, cli_close};

N2pSink *
neo4j_cli_sink_open(const char *uri_text, const Neo4jCliOptions *opts, const Neo4jSinkCliOptions *so,
					N2pError *err)
{
	CliSink    *s = xcalloc(1, sizeof(CliSink));
	Neo4jUri	uri;
	N2pNeo4jSinkOptions o;
	char		tag[64],
				host[256],
				since[32];
	time_t		now = time(NULL);

	s->base.ops = &cli_ops;
	s->progress = so->progress;
	/* a copy between two servers may need two passwords */
	if (getenv("NEO4J_TARGET_PASSWORD"))
		s->password = xstrdup(getenv("NEO4J_TARGET_PASSWORD"));
	if (!neo4j_uri_parse(uri_text, &uri, err) ||
		(!s->password && (s->password = neo4j_cli_password(err)) == NULL))
	{
		cli_close(&s->base);
		return NULL;
	}
	/* past the prompt: a signal now stops the run between two transactions */
	interrupt_arm(true);
	if (!neo4j_cli_link_open(&s->link, &uri, opts, s->password, err) ||
		(uri.routing && !neo4j_cli_route(&s->link, &uri, opts, s->password, "WRITE", err)) ||
		!on_check(NULL, "neo4j-connected", err))
	{
		cli_close(&s->base);
		return NULL;
	}
	log_verbose("connected to %s (Bolt %d.%d)", n2p_bolt_server(s->link.bolt),
				n2p_bolt_version(s->link.bolt) / 256, n2p_bolt_version(s->link.bolt) % 256);
	/* unique to this import: process id and time */
	snprintf(tag, sizeof(tag), "%ld_%lld", (long) getpid(), (long long) now);
	lock_host(host, sizeof(host));
	strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	memset(&o, 0, sizeof(o));
	o.bolt = s->link.bolt;
	o.database = opts->database;
	o.display = uri_text;
	o.source = so->source;
	o.tag = tag;
	o.append = so->append;
	o.batch_rows = so->batch_rows;
	o.skip_refused = so->skip_refused;
	o.skipped = on_skipped;
	o.notice = on_notice;
	o.notice_ctx = s;
	o.step = on_step;
	o.step_ctx = s;
	o.check = on_check;
	o.pid = (long) getpid();
	o.host = host;
	o.since = since;
	o.pid_alive = on_pid_alive;
	if ((s->inner = n2p_neo4j_sink_open(&n2p_libc_allocator, &o, err)) == NULL)
	{
		cli_close(&s->base);
		return NULL;
	}
	return &s->base;
}

bool
neo4j_cli_sink_previous_done(N2pSink *sink)
{
	return n2p_neo4j_sink_previous_done(((CliSink *) sink)->inner);
}

bool
neo4j_cli_sink_rolled_back(N2pSink *sink)
{
	return n2p_neo4j_sink_rolled_back(((CliSink *) sink)->inner);
}

void
neo4j_cli_sink_counts(N2pSink *sink, uint64_t *nodes, uint64_t *rels)
{
	n2p_neo4j_sink_counts(((CliSink *) sink)->inner, nodes, rels);
}

/* After a failure: say what is left in the target. */
static void
report_failure(N2pSink *sink, const N2pError *err)
{
	log_n2p_error(err);
	neo4j_explain(err);
	if (sink && neo4j_cli_sink_rolled_back(sink))
		log_error("nothing was imported: what this import had written is deleted again");
	else if (sink && n2p_neo4j_sink_finishing(((CliSink *) sink)->inner))
		log_error("everything was written, but the import stopped while it removed its temporary label, ids "
				  "and constraint: the next neo2pg import into this database finishes that");
	else if (sink)
		log_error("the import stopped before it could clean up: the next neo2pg import into this "
				  "database rolls it back (or finishes it, if everything was written)");
	else
		log_error("nothing was imported");
}

/* neo2pg copy SOURCE NEO4J_URI */
int
neo4j_cli_import(const char *source, const char *target, const Neo4jCliOptions *neo,
				 Neo4jSinkCliOptions *so)
{
	N2pError	err;
	N2pSource  *src;
	N2pSink    *sink;
	Progress	progress;
	uint64_t	nodes,
				rels;
	bool		ok;

	n2p_error_init(&err);
	if ((src = cli_open_source(source, neo, &err)) == NULL)
		return err.code == N2P_ERR_USAGE ? EXIT_USAGE : EXIT_DATA;
	progress_init(&progress, &src->meta);
	so->progress = &progress;
	/* as the source names itself: no password, whatever the spec held */
	so->source = src->meta.source ? src->meta.source : source;
	if ((sink = neo4j_cli_sink_open(target, neo, so, &err)) == NULL)
	{
		report_failure(NULL, &err);
		src->ops->close(src);
		return EXIT_DATA;
	}
	if (neo4j_cli_sink_previous_done(sink))
	{
		log_info("nothing more to do: the interrupted import of this source was complete");
		sink->ops->close(sink);
		src->ops->close(src);
		return 0;
	}
	ok = interrupt_stream_copy(src, sink, progress_update, &progress, &err);
	if (!ok)
	{
		if (progress.tty)
			fputc('\n', stderr);
		report_failure(sink, &err);
	}
	else
	{
		progress_summary(&progress);
		neo4j_cli_sink_counts(sink, &nodes, &rels);
		log_info("imported %llu nodes and %llu relationships into %s", (unsigned long long) nodes,
				 (unsigned long long) rels, target);
		n2p_neo4j_sink_skipped(((CliSink *) sink)->inner, &nodes, &rels);
		if (so->skip_refused)
			log_info("skipped %llu nodes and %llu relationships (named above)", (unsigned long long) nodes,
					 (unsigned long long) rels);
	}
	sink->ops->close(sink);
	src->ops->close(src);
	return ok ? 0 : EXIT_DATA;
}
