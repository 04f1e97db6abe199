/*-------------------------------------------------------------------------
 *
 * cmd_verify.c
 *	  neo2pg verify SOURCE_A SOURCE_B: are two graphs the same, value by
 *	  value and type by type?
 *
 * Both sources are read at once, each by a thread of its own, into
 * canonical lines (src/verify): nodes into files in sorted runs (sorted in
 * memory, run by run, when they did not come in id order; the runs merged
 * as they are compared), and relationships, when they come in id order,
 * merged as they are read; otherwise into files too, sorted by sort(1)
 * with a bounded buffer.  The core merges the two sides' lines.  Memory
 * stays bounded whatever the graph's size.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/cmd_verify.c
 *
 *-------------------------------------------------------------------------
 */

#include "cli.h"
#include "neo2pg/verify.h"
#include "neo4j_conn.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define SHOW_DIFFS 10
#define SORT_BUFFER "16M"

typedef enum MatchMode
{
	MATCH_AUTO,
	MATCH_ID,
	MATCH_CONTENT
} MatchMode;

static void
verify_usage(FILE *out)
{
	fprintf(out,
			"Usage:\n"
			"  neo2pg verify [OPTION]... SOURCE_A SOURCE_B\n\n"
			"Compare two graphs: counts, every node's labels and properties, every\n"
			"relationship's type, end nodes and properties (each value with its exact\n"
			"type), and the uniqueness constraints.  Exit 0 when they are equal, 1 when\n"
			"they differ (the first differences are printed, and how many there are).\n\n"
			"SOURCE_A, SOURCE_B: a neo4j-backup directory, a Neo4j URI (bolt://, neo4j://,\n"
			"with +s or +ssc), or the neo2pg layout in PostgreSQL (a URI or conninfo string);\n"
			"the password of A comes from NEO4J_PASSWORD (or a prompt), that of a Neo4j B\n"
			"from NEO4J_TARGET_PASSWORD if set, else the same.\n\n"
			"Options:\n"
			"      --match=auto|id|content  how records are paired: by their ids, or by their\n"
			"                         content (after an import into Neo4j, which gives new\n"
			"                         ids); auto (default): by id, and by content when ids\n"
			"                         find differences; the graphs are equal if either is\n"
			"  -s, --schema=NAME      PostgreSQL schema of the layout, for both sides (default neo4j)\n"
			"      --schema-a=NAME, --schema-b=NAME  the same, for one side\n"
			"      --user=NAME        Neo4j user (default NEO4J_USERNAME, else neo4j)\n"
			"      --database=NAME    Neo4j database (default: the server's home database)\n"
			"      --zone-offsets=host|server  a Neo4j side's zone offsets (as for copy)\n"
			"  -q, --quiet            print the differences only\n"
			"  -v, --verbose          print the time of each step and the peak memory\n"
			"  -h, --help             print this help and exit\n");
}

/* ---------------------------------------------------------------- work files */

typedef struct Work
{
	char		dir[PATH_MAX];
	char	   *files[32];
	int			nfiles;
} Work;

static const char *
work_file(Work *w, const char *name)
{
	char		path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", w->dir, name);
	w->files[w->nfiles++] = xstrdup(path);
	return w->files[w->nfiles - 1];
}

static void
work_cleanup(Work *w)
{
	int			i;

	for (i = 0; i < w->nfiles; i++)
	{
		unlink(w->files[i]);
		free(w->files[i]);
	}
	w->nfiles = 0;
	if (w->dir[0])
		rmdir(w->dir);
}

typedef struct FileLines
{
	FILE	   *f;
	const char *path;
	char	   *buf;
	size_t		cap;
} FileLines;

static int
file_next(void *ctx, const char **line, size_t *len, N2pError *err)
{
	FileLines  *fl = ctx;
	ssize_t		n = getline(&fl->buf, &fl->cap, fl->f);

	if (n < 0)
	{
		if (ferror(fl->f))
			return (n2p_error_set(err, N2P_ERR_IO, "%s: %s", fl->path, strerror(errno)), -1);
		return 0;
	}
	if (n > 0 && fl->buf[n - 1] == '\n')
		n--;
	*line = fl->buf;
	*len = (size_t) n;
	return 1;
}

static bool
file_write(void *ctx, const char *line, size_t len, N2pError *err)
{
	FileLines  *fl = ctx;

	if (fwrite(line, 1, len, fl->f) != len)
		return n2p_error_set(err, N2P_ERR_IO, "%s: %s", fl->path, strerror(errno));
	return true;
}

static bool
lines_open(FileLines *fl, const char *path, const char *mode, N2pError *err)
{
	memset(fl, 0, sizeof(*fl));
	fl->path = path;
	if ((fl->f = fopen(path, mode)) == NULL)
		return n2p_error_set(err, N2P_ERR_IO, "%s: %s", path, strerror(errno));
	setvbuf(fl->f, NULL, _IOFBF, 1 << 20);
	return true;
}

static bool
lines_close(FileLines *fl, N2pError *err)
{
	bool		ok = true;

	if (fl->f && (ferror(fl->f) || fclose(fl->f) != 0))
		ok = n2p_error_set(err, N2P_ERR_IO, "%s: %s", fl->path, strerror(errno));
	free(fl->buf);
	fl->f = NULL;
	fl->buf = NULL;
	return ok;
}

/* sort(1) in the C locale (byte order, the core's), with a bounded buffer, in place. */
static pid_t
sort_start(const Work *w, const char *path)
{
	char	   *argv[] = {"sort", "-S", SORT_BUFFER, "-T", (char *) w->dir, "-o", (char *) path,
	(char *) path, NULL};
	pid_t		pid;
	int			rc;
	posix_spawnattr_t attr;

	/* sort must die of a signal as a child of a shell would */
	if (!interrupt_spawnattr(&attr))
	{
		log_error("cannot run sort(1): out of memory");
		return -1;
	}
	rc = posix_spawnp(&pid, "sort", NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	if (rc != 0)
	{
		log_error("cannot run sort(1): %s", strerror(rc));
		return -1;
	}
	return pid;
}

static bool
sort_wait(pid_t pid)
{
	int			status;

	if (pid < 0)
		return false;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	log_error("sort(1) failed (is the temporary directory full?)");
	return false;
}

/* Sort the files that need it, all at once. */
static bool
sort_files(const Work *w, const char **paths, const bool *need, int n)
{
	pid_t		pids[8];
	bool		ok = true;
	int			i;

	for (i = 0; i < n; i++)
		pids[i] = need[i] ? sort_start(w, paths[i]) : 0;
	for (i = 0; i < n; i++)
		if (need[i] && !sort_wait(pids[i]))
			ok = false;
	return ok;
}

/* ---------------------------------------------------------------- reading a side */

typedef struct Side
{
	const char *spec;
	N2pSource  *src;
	const char *nodes;
	const char *rels;
	bool		nodes_sorted;
	bool		rels_sorted;
	/* the streaming path's node file: sorted runs, at these offsets */
	uint64_t   *run_start;
	int			nruns;
	uint64_t	run_bytes;		/* the file's size */
	uint64_t	run_last;		/* the last key of the last run */
	bool		runs_overlap;	/* a run starts below the end of the one before */
	uint64_t	nnodes;
	uint64_t	nrels;
	double		seconds;
	bool		ok;
	N2pError	err;
} Side;

static void *
read_side(void *arg)
{
	Side	   *s = arg;
	FileLines	out[2];
	N2pVerifyEnc enc;
	N2pBuf		line;
	N2pRecord	rec;
	int64_t		last[2] = {INT64_MIN, INT64_MIN};
	double		t0 = now_seconds();
	int			rc = -1;

	s->nodes_sorted = s->rels_sorted = true;
	n2p_verify_enc_init(&enc, &n2p_libc_allocator);
	n2p_buf_init(&line, &n2p_libc_allocator);
	if (lines_open(&out[0], s->nodes, "w", &s->err) && lines_open(&out[1], s->rels, "w", &s->err))
	{
		while ((rc = s->src->ops->next(s->src, &rec, &s->err)) == 1)
		{
			int			k = rec.kind == N2P_REC_NODE ? 0 : 1;

			test_point("verify");
			if (!interrupt_check(&s->err))
			{
				rc = -1;
				break;
			}

			/* records in id order need no sort: the usual case */
			if (rec.id <= last[k])
				*(k ? &s->rels_sorted : &s->nodes_sorted) = false;
			last[k] = rec.id;
			*(k ? &s->nrels : &s->nnodes) += 1;
			n2p_buf_reset(&line);
			if (!n2p_verify_record_line(&enc, &rec, &line, &s->err) ||
				!file_write(&out[k], line.data, line.len, &s->err))
			{
				rc = -1;
				break;
			}
		}
	}
	s->ok = lines_close(&out[0], &s->err) & lines_close(&out[1], &s->err) && rc == 0;
	n2p_buf_free(&line);
	n2p_verify_enc_free(&enc);
	s->seconds = now_seconds() - t0;
	return NULL;
}

/* The PostgreSQL schema of each side (--schema-a, --schema-b, -s for both). */
static const char *side_schema[2];

/* The second Neo4j's password is NEO4J_TARGET_PASSWORD when set, as for copy. */
static N2pSource *
open_side(const char *spec, bool second, const Neo4jCliOptions *neo, N2pError *err)
{
	const char *target = getenv("NEO4J_TARGET_PASSWORD");
	char	   *saved = getenv("NEO4J_PASSWORD") ? xstrdup(getenv("NEO4J_PASSWORD")) : NULL;
	N2pSource  *src;

	cli_source_schema = side_schema[second];
	if (second && target && neo4j_is_uri(spec))
		setenv("NEO4J_PASSWORD", target, 1);
	src = cli_open_source(spec, neo, err);
	if (saved)
		setenv("NEO4J_PASSWORD", saved, 1);
	else
		unsetenv("NEO4J_PASSWORD");
	free(saved);
	return src;
}

/* ---------------------------------------------------------------- differences */

typedef struct Diffs
{
	uint64_t	total;
	uint64_t	losses;
	char	   *shown[SHOW_DIFFS];
	int			nshown;
} Diffs;

static void
diff_add(Diffs *d, const char *text, bool loss)
{
	d->total++;
	d->losses += loss;
	if (d->nshown < SHOW_DIFFS)
		d->shown[d->nshown++] = xstrdup(text);
}

static void
collect(void *ctx, const N2pVerifyDiff *diff)
{
	diff_add(ctx, diff->text, diff->loss);
}

static void
diffs_free(Diffs *d)
{
	int			i;

	for (i = 0; i < d->nshown; i++)
		free(d->shown[i]);
	memset(d, 0, sizeof(*d));
}

static bool
compare_files(N2pVerifyLines kind, const char *pa, const char *pb, Diffs *d, uint64_t counts[2])
{
	FileLines	a,
				b;
	N2pLineReader ra = {file_next, &a},
				rb = {file_next, &b};
	N2pError	err;
	bool		ok;

	n2p_error_init(&err);
	ok = lines_open(&a, pa, "r", &err) && lines_open(&b, pb, "r", &err) &&
		n2p_verify_compare(kind, &ra, &rb, collect, d, counts, &n2p_libc_allocator, &err);
	lines_close(&a, &err);
	lines_close(&b, &err);
	if (!ok)
		log_n2p_error(&err);
	return ok;
}

/* Uniqueness constraints, as (label, key) pairs: names are not part of the graph. */
static int
constraint_cmp(const void *x, const void *y)
{
	const N2pConstraint *a = x,
			   *b = y;
	int			c = strcmp(a->label, b->label);

	return c ? c : strcmp(a->prop, b->prop);
}

static void
compare_constraints(N2pSource *a, N2pSource *b, Diffs *d)
{
	N2pConstraint *ca = xcalloc(a->meta.nconstraints + 1, sizeof(N2pConstraint)),
			   *cb = xcalloc(b->meta.nconstraints + 1, sizeof(N2pConstraint));
	size_t		i = 0,
				j = 0,
				na = a->meta.nconstraints,
				nb = b->meta.nconstraints;

	/* a source without constraints may have no array at all */
	if (na > 0)
		memcpy(ca, a->meta.constraints, na * sizeof(N2pConstraint));
	if (nb > 0)
		memcpy(cb, b->meta.constraints, nb * sizeof(N2pConstraint));
	qsort(ca, na, sizeof(N2pConstraint), constraint_cmp);
	qsort(cb, nb, sizeof(N2pConstraint), constraint_cmp);
	while (i < na || j < nb)
	{
		int			c = i >= na ? 1 : j >= nb ? -1 : constraint_cmp(&ca[i], &cb[j]);
		char		text[1024];

		if (c != 0)
		{
			const N2pConstraint *x = c < 0 ? &ca[i] : &cb[j];

			snprintf(text, sizeof(text), "uniqueness constraint on (:%s).%s only in %s", x->label,
					 x->prop, c < 0 ? "A" : "B");
			diff_add(d, text, false);
		}
		i += c <= 0;
		j += c >= 0;
	}
	free(ca);
	free(cb);
}

/* ---------------------------------------------------------------- content matching */

typedef bool (*StepFn) (N2pLineReader *in, N2pLineReader *aux, N2pLineWriter *out,
						N2pLineWriter *out2, bool flag, N2pError *err);

static bool
step_nodes(N2pLineReader *in, N2pLineReader *aux, N2pLineWriter *out, N2pLineWriter *out2, bool flag,
		   N2pError *err)
{
	(void) aux;
	(void) flag;
	return n2p_verify_nodes_content(in, out, out2, &n2p_libc_allocator, err);
}

static bool
step_by_start(N2pLineReader *in, N2pLineReader *aux, N2pLineWriter *out, N2pLineWriter *out2,
			  bool flag, N2pError *err)
{
	(void) aux;
	(void) out2;
	(void) flag;
	return n2p_verify_rels_by_start(in, out, &n2p_libc_allocator, err);
}

static bool
step_join(N2pLineReader *in, N2pLineReader *aux, N2pLineWriter *out, N2pLineWriter *out2, bool flag,
		  N2pError *err)
{
	(void) out2;
	return n2p_verify_rels_join(in, aux, flag, out, &n2p_libc_allocator, err);
}

/* One step of content matching over files: in (+ aux) -> out (+ out2). */
static bool
run_step(StepFn fn, const char *in, const char *aux, const char *out, const char *out2, bool flag)
{
	FileLines	fi,
				fa = {0},
				fo,
				fo2 = {0};
	N2pLineReader ri = {file_next, &fi},
				ra = {file_next, &fa};
	N2pLineWriter wo = {file_write, &fo},
				wo2 = {file_write, &fo2};
	N2pError	err;
	bool		ok;

	n2p_error_init(&err);
	ok = lines_open(&fi, in, "r", &err) && (!aux || lines_open(&fa, aux, "r", &err)) &&
		lines_open(&fo, out, "w", &err) && (!out2 || lines_open(&fo2, out2, "w", &err)) &&
		fn(&ri, &ra, &wo, &wo2, flag, &err);
	ok = lines_close(&fi, &err) & lines_close(&fa, &err) & lines_close(&fo, &err) &
		lines_close(&fo2, &err) && ok;
	if (!ok)
		log_n2p_error(&err);
	return ok;
}

/*
 * Nodes by content (labels, then properties: a multiset); relationships by
 * type, their end nodes' content hashes and properties.  Each hash is
 * computed once per node and joined to the relationships through files
 * sorted by id.
 */
static bool
compare_by_content(Work *w, Side *sides, Diffs *d)
{
	const char *nc[2],
			   *nh[2],
			   *rs[2],
			   *re[2],
			   *rc[2];
	const char *paths[4];
	bool		need[4] = {true, true, true, true};
	uint64_t	counts[2];
	int			i;

	for (i = 0; i < 2; i++)
	{
		nc[i] = work_file(w, i ? "b.nodes.content" : "a.nodes.content");
		nh[i] = work_file(w, i ? "b.nodes.hash" : "a.nodes.hash");
		rs[i] = work_file(w, i ? "b.rels.start" : "a.rels.start");
		re[i] = work_file(w, i ? "b.rels.end" : "a.rels.end");
		rc[i] = work_file(w, i ? "b.rels.content" : "a.rels.content");
		if (!run_step(step_nodes, sides[i].nodes, NULL, nc[i], nh[i], false) ||
			!run_step(step_by_start, sides[i].rels, NULL, rs[i], NULL, false))
			return false;
		paths[2 * i] = nc[i];
		paths[2 * i + 1] = rs[i];
	}
	if (!sort_files(w, paths, need, 4))
		return false;
	for (i = 0; i < 2; i++)
	{
		if (!run_step(step_join, rs[i], nh[i], re[i], NULL, false))
			return false;
		paths[i] = re[i];
	}
	if (!sort_files(w, paths, need, 2))
		return false;
	for (i = 0; i < 2; i++)
	{
		if (!run_step(step_join, re[i], nh[i], rc[i], NULL, true))
			return false;
		paths[i] = rc[i];
	}
	return sort_files(w, paths, need, 2) &&
		compare_files(N2P_VL_NODE_CONTENT, nc[0], nc[1], d, counts) &&
		compare_files(N2P_VL_REL_CONTENT, rc[0], rc[1], d, counts);
}

/* ---------------------------------------------------------------- sorted runs */

/*
 * The streaming path sorts a side's node lines itself, in the reader's
 * thread: runs of RUN_BYTES of lines are sorted in memory (a radix sort on
 * the id) and written one after the other to the node file; the comparison
 * merges the runs, one stream per run.  Runs that follow each other (ids
 * already in order, the usual case for Neo4j and PostgreSQL) are read as
 * one.  More than MAX_RUNS overlapping runs (some 7 million nodes) go to
 * sort(1) instead, which keeps the merge's memory bounded.
 * NEO2PG_TEST_RUNS=BYTES,MAX sets both, for the tests.
 */
#define RUN_BYTES ((size_t) 6 << 20)
#define MAX_RUNS 128
#define RUN_FILE_BUFFER (32 * 1024)

typedef struct RunLine
{
	uint64_t	key;			/* the id, sign bit flipped: its hex's order */
	size_t		off;
	size_t		len;			/* '\n' included */
} RunLine;

typedef struct NodeRuns
{
	N2pBuf		buf;
	RunLine    *lines;
	RunLine    *tmp;
	size_t		n;
	size_t		cap;
	size_t		limit;
	bool		sorted;			/* the run's lines came in order */
} NodeRuns;

static void
run_limits(size_t *bytes, int *max)
{
	const char *t = getenv("NEO2PG_TEST_RUNS");
	char	   *end;
	unsigned long b;

	*bytes = RUN_BYTES;
	*max = MAX_RUNS;
	if (t == NULL || (b = strtoul(t, &end, 10)) == 0 || *end != ',')
		return;
	*bytes = b;
	*max = atoi(end + 1);
}

static void
runs_init(NodeRuns *r)
{
	int			max;

	memset(r, 0, sizeof(*r));
	run_limits(&r->limit, &max);
	n2p_buf_init(&r->buf, &n2p_libc_allocator);
	r->sorted = true;
}

static void
runs_free(NodeRuns *r)
{
	n2p_buf_free(&r->buf);
	free(r->lines);
	free(r->tmp);
	memset(r, 0, sizeof(*r));
}

/* Lines with the same id (a source may repeat one) in whole-line order, as sort(1) has them. */
static _Thread_local const char *tie_base;

static int
tie_cmp(const void *x, const void *y)
{
	const RunLine *a = x,
			   *b = y;
	size_t		na = a->len - 1,
				nb = b->len - 1;
	int			c = memcmp(tie_base + a->off, tie_base + b->off, na < nb ? na : nb);

	return c ? c : (na > nb) - (na < nb);
}

/* LSD radix sort on the key, skipping the bytes all keys share (most of them). */
static void
sort_run(NodeRuns *r)
{
	RunLine    *a = r->lines,
			   *b = r->tmp,
			   *t;
	size_t		count[256],
				i,
				j,
				sum;
	int			shift;

	for (shift = 0; shift < 64; shift += 8)
	{
		memset(count, 0, sizeof(count));
		for (i = 0; i < r->n; i++)
			count[(a[i].key >> shift) & 0xff]++;
		if (count[(a[0].key >> shift) & 0xff] == r->n)
			continue;
		for (i = 0, sum = 0; i < 256; i++)
		{
			size_t		c = count[i];

			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < r->n; i++)
			b[count[(a[i].key >> shift) & 0xff]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	r->lines = a;
	r->tmp = b;
	tie_base = r->buf.data;
	for (i = 0; i < r->n; i = j)
	{
		for (j = i + 1; j < r->n && a[j].key == a[i].key; j++)
			;
		if (j - i > 1)
			qsort(a + i, j - i, sizeof(RunLine), tie_cmp);
	}
}

/* The run in memory, sorted, to the end of the node file. */
static bool
runs_flush(Side *s, NodeRuns *r, FileLines *out)
{
	size_t		i;

	if (r->n == 0)
		return true;
	if (!r->sorted)
		sort_run(r);
	if (s->nruns > 0 && r->lines[0].key <= s->run_last)
		s->runs_overlap = true;
	s->run_last = r->lines[r->n - 1].key;
	if ((s->nruns & 63) == 0)
		s->run_start = xrealloc(s->run_start, (size_t) (s->nruns + 64) * sizeof(uint64_t));
	s->run_start[s->nruns++] = s->run_bytes;
	for (i = 0; i < r->n; i++)
	{
		if (!file_write(out, r->buf.data + r->lines[i].off, r->lines[i].len, &s->err))
			return false;
		s->run_bytes += r->lines[i].len;
	}
	n2p_buf_reset(&r->buf);
	r->n = 0;
	r->sorted = true;
	return true;
}

/* One node's line into the run, which goes to the file once full. */
static bool
runs_add(Side *s, NodeRuns *r, FileLines *out, N2pVerifyEnc *enc, const N2pRecord *rec)
{
	size_t		off = r->buf.len;
	uint64_t	key = (uint64_t) rec->id ^ (1ULL << 63);

	if (!n2p_verify_record_line(enc, rec, &r->buf, &s->err))
		return false;
	if (r->n == r->cap)
	{
		r->cap = r->cap ? 2 * r->cap : 4096;
		r->lines = xrealloc(r->lines, r->cap * sizeof(RunLine));
		r->tmp = xrealloc(r->tmp, r->cap * sizeof(RunLine));
	}
	if (r->n > 0 && key <= r->lines[r->n - 1].key)
		r->sorted = false;
	r->lines[r->n].key = key;
	r->lines[r->n].off = off;
	r->lines[r->n].len = r->buf.len - off;
	r->n++;
	return r->buf.len < r->limit || runs_flush(s, r, out);
}

/* One stream per run of the node file, merged through a heap. */
typedef struct RunHead
{
	FILE	   *f;
	uint64_t	left;			/* bytes of the run not yet read */
	char	   *line;
	size_t		cap;
	size_t		len;			/* without '\n' */
	uint64_t	key;
} RunHead;

typedef struct RunMerge
{
	const char *path;
	RunHead    *h;
	int		   *heap;
	int			n;				/* runs not yet at their end */
	int			nruns;
	bool		top_taken;		/* the top's line was handed out */
} RunMerge;

static uint64_t
hex_key(const char *p, size_t n)
{
	uint64_t	u = 0;
	size_t		i;

	for (i = 0; i < n && i < 16; i++)
		u = (u << 4) | (uint64_t) (p[i] <= '9' ? p[i] - '0' : p[i] - 'a' + 10);
	return u;
}

static int
run_read(RunMerge *m, RunHead *h, N2pError *err)
{
	ssize_t		n;

	if (h->left == 0)
		return 0;
	n = getline(&h->line, &h->cap, h->f);
	if (n <= 0 || (uint64_t) n > h->left)
	{
		n2p_error_set(err, N2P_ERR_IO, "%s: %s", m->path,
					  ferror(h->f) ? strerror(errno) : "a run ends early");
		return -1;
	}
	h->left -= (uint64_t) n;
	h->len = (size_t) n - (h->line[n - 1] == '\n');
	h->key = hex_key(h->line, h->len);
	return 1;
}

static bool
head_less(const RunHead *a, const RunHead *b)
{
	int			c;

	if (a->key != b->key)
		return a->key < b->key;
	c = memcmp(a->line, b->line, a->len < b->len ? a->len : b->len);
	return c < 0 || (c == 0 && a->len < b->len);
}

static void
sift_down(RunMerge *m, int i)
{
	for (;;)
	{
		int			l = 2 * i + 1,
					least = i,
					t;

		if (l < m->n && head_less(&m->h[m->heap[l]], &m->h[m->heap[least]]))
			least = l;
		if (l + 1 < m->n && head_less(&m->h[m->heap[l + 1]], &m->h[m->heap[least]]))
			least = l + 1;
		if (least == i)
			return;
		t = m->heap[i];
		m->heap[i] = m->heap[least];
		m->heap[least] = t;
		i = least;
	}
}

static int
merge_next(void *ctx, const char **line, size_t *len, N2pError *err)
{
	RunMerge   *m = ctx;
	RunHead    *h;

	if (m->top_taken)
	{
		int			rc = run_read(m, &m->h[m->heap[0]], err);

		if (rc < 0)
			return -1;
		if (rc == 0)
			m->heap[0] = m->heap[--m->n];
		sift_down(m, 0);
		m->top_taken = false;
	}
	if (m->n == 0)
		return 0;
	h = &m->h[m->heap[0]];
	*line = h->line;
	*len = h->len;
	m->top_taken = true;
	return 1;
}

static void
merge_close(RunMerge *m)
{
	int			i;

	for (i = 0; i < m->nruns; i++)
	{
		if (m->h[i].f)
			fclose(m->h[i].f);
		free(m->h[i].line);
	}
	free(m->h);
	free(m->heap);
	memset(m, 0, sizeof(*m));
}

static bool
merge_open(RunMerge *m, const Side *s, N2pError *err)
{
	int			i;

	memset(m, 0, sizeof(*m));
	m->path = s->nodes;
	m->nruns = s->nruns;
	m->h = xcalloc((size_t) s->nruns, sizeof(RunHead));
	m->heap = xcalloc((size_t) s->nruns, sizeof(int));
	for (i = 0; i < s->nruns; i++)
	{
		RunHead    *h = &m->h[i];
		int			rc;

		if ((h->f = fopen(s->nodes, "r")) == NULL ||
			fseeko(h->f, (off_t) s->run_start[i], SEEK_SET) != 0)
			return n2p_error_set(err, N2P_ERR_IO, "%s: %s", s->nodes, strerror(errno));
		setvbuf(h->f, NULL, _IOFBF, RUN_FILE_BUFFER);
		h->left = (i + 1 < s->nruns ? s->run_start[i + 1] : s->run_bytes) - s->run_start[i];
		if ((rc = run_read(m, h, err)) < 0)
			return false;
		if (rc == 1)
			m->heap[m->n++] = i;
	}
	for (i = m->n / 2 - 1; i >= 0; i--)
		sift_down(m, i);
	return true;
}

/* ---------------------------------------------------------------- streaming */

/*
 * Relationships usually come in id order (a backup's chunks, Neo4j's store
 * scan, the PostgreSQL layout as loaded), and they are two thirds of a
 * graph's lines: when both sides' come in order, they are merged as they
 * are read, with no work file.  Nodes, which come first, go to work files as
 * before (a backup's node chunks are often in no order), which are sorted if
 * needed and compared while the readers wait on a small ring of chunks of
 * relationship lines.  A side whose relationships break the order stops,
 * and verify reads both sides again into work files.
 */
#define CHUNK_BYTES (256 * 1024)
#define RING_CHUNKS 8

typedef enum StreamEnd
{
	STREAM_MORE,
	STREAM_DONE,				/* every record was read */
	STREAM_FAILED,				/* a read error: the side's err */
	STREAM_UNORDERED,			/* not in id order: use work files */
	STREAM_CANCELLED			/* the other side stopped */
} StreamEnd;

typedef struct Chunk
{
	N2pBuf		lines;
	StreamEnd	end;			/* STREAM_MORE, or the last chunk's reason */
} Chunk;

typedef struct Ring
{
	pthread_mutex_t mu;
	pthread_cond_t cond;
	Chunk		chunks[RING_CHUNKS];
	int			ready;			/* published, not yet taken */
	int			held;			/* published, not yet given back */
	int			w;
	int			r;
	bool		cancel;
	bool		nodes_done;		/* the node file is complete (or the read stopped) */
	StreamEnd	end;			/* how the reader stopped */
	Side	   *side;
	Chunk	   *cur;			/* the merging thread's chunk */
	size_t		pos;
} Ring;

static void
ring_nodes_done(Ring *q)
{
	pthread_mutex_lock(&q->mu);
	q->nodes_done = true;
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->mu);
}

/* The reader's next chunk to fill, once one is free; NULL when cancelled. */
static Chunk *
ring_slot(Ring *q)
{
	Chunk	   *c = NULL;

	pthread_mutex_lock(&q->mu);
	while (!q->cancel && q->held == RING_CHUNKS)
		pthread_cond_wait(&q->cond, &q->mu);
	if (!q->cancel)
		c = &q->chunks[q->w];
	pthread_mutex_unlock(&q->mu);
	if (c)
	{
		n2p_buf_reset(&c->lines);
		c->end = STREAM_MORE;
	}
	return c;
}

static void
ring_publish(Ring *q)
{
	pthread_mutex_lock(&q->mu);
	q->w = (q->w + 1) % RING_CHUNKS;
	q->ready++;
	q->held++;
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->mu);
}

/* The last run to the node file, which is then complete. */
static bool
nodes_finish(Side *s, NodeRuns *runs, FileLines *out)
{
	bool		ok = runs_flush(s, runs, out);

	runs_free(runs);
	return lines_close(out, &s->err) && ok;
}

/* Nodes to their work file, relationships into the ring. */
static StreamEnd
stream_records(Ring *q, FileLines *out, N2pVerifyEnc *enc, NodeRuns *runs)
{
	Side	   *s = q->side;
	N2pRecord	rec;
	int64_t		last = INT64_MIN;
	Chunk	   *c = NULL;
	int			rc;

	while ((rc = s->src->ops->next(s->src, &rec, &s->err)) == 1)
	{
		test_point("verify");
		if (!interrupt_check(&s->err))
			return STREAM_FAILED;
		if (rec.kind == N2P_REC_NODE)
		{
			if (c != NULL)
				return STREAM_UNORDERED;	/* a node after relationships */
			s->nnodes++;
			if (!runs_add(s, runs, out, enc, &rec))
				return STREAM_FAILED;
			continue;
		}
		if (c == NULL)
		{
			if (!nodes_finish(s, runs, out))
				return STREAM_FAILED;
			ring_nodes_done(q);
			if ((c = ring_slot(q)) == NULL)
				return STREAM_CANCELLED;
		}
		if (rec.id <= last)
			return STREAM_UNORDERED;
		last = rec.id;
		s->nrels++;
		if (c->lines.len >= CHUNK_BYTES)
		{
			ring_publish(q);
			if ((c = ring_slot(q)) == NULL)
				return STREAM_CANCELLED;
		}
		if (!n2p_verify_record_line(enc, &rec, &c->lines, &s->err))
			return STREAM_FAILED;
	}
	if (rc < 0 || (c == NULL && !nodes_finish(s, runs, out)))
		return STREAM_FAILED;
	if (c != NULL)
		ring_publish(q);
	return STREAM_DONE;
}

static void *
stream_side(void *arg)
{
	Ring	   *q = arg;
	Side	   *s = q->side;
	FileLines	out;
	N2pVerifyEnc enc;
	NodeRuns	runs;
	double		t0 = now_seconds();
	StreamEnd	end = STREAM_FAILED;
	Chunk	   *c;

	s->nodes_sorted = s->rels_sorted = true;
	s->nruns = 0;
	s->run_bytes = 0;
	s->runs_overlap = false;
	n2p_verify_enc_init(&enc, &n2p_libc_allocator);
	runs_init(&runs);
	if (lines_open(&out, s->nodes, "w", &s->err))
		end = stream_records(q, &out, &enc, &runs);
	lines_close(&out, &s->err);
	runs_free(&runs);
	s->ok = end == STREAM_DONE;
	s->seconds = now_seconds() - t0;
	q->end = end;
	/* the last chunk says how the stream ended */
	if (end != STREAM_CANCELLED && (c = ring_slot(q)) != NULL)
	{
		c->end = end;
		ring_publish(q);
	}
	ring_nodes_done(q);
	n2p_verify_enc_free(&enc);
	return NULL;
}

/* A line reader over a ring; the last chunk says how it ended. */
static int
ring_next(void *ctx, const char **line, size_t *len, N2pError *err)
{
	Ring	   *q = ctx;
	const char *nl;

	while (q->cur == NULL || q->pos >= q->cur->lines.len)
	{
		if (q->cur && q->cur->end != STREAM_MORE)
			return q->cur->end == STREAM_DONE ? 0 :
				(n2p_error_set(err, N2P_ERR_DATA, "the stream stopped"), -1);
		pthread_mutex_lock(&q->mu);
		if (q->cur)
		{
			q->held--;
			pthread_cond_broadcast(&q->cond);
		}
		while (q->ready == 0)
			pthread_cond_wait(&q->cond, &q->mu);
		q->cur = &q->chunks[q->r];
		q->r = (q->r + 1) % RING_CHUNKS;
		q->ready--;
		pthread_mutex_unlock(&q->mu);
		q->pos = 0;
	}
	*line = q->cur->lines.data + q->pos;
	nl = memchr(*line, '\n', q->cur->lines.len - q->pos);
	*len = nl ? (size_t) (nl - *line) : q->cur->lines.len - q->pos;
	q->pos += *len + 1;
	return 1;
}

static void
ring_init(Ring *q, Side *side)
{
	int			i;

	memset(q, 0, sizeof(*q));
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cond, NULL);
	for (i = 0; i < RING_CHUNKS; i++)
		n2p_buf_init(&q->chunks[i].lines, &n2p_libc_allocator);
	q->end = STREAM_CANCELLED;
	q->side = side;
}

static void
ring_stop(Ring *q, pthread_t t)
{
	int			i;

	pthread_mutex_lock(&q->mu);
	q->cancel = true;
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->mu);
	pthread_join(t, NULL);
	for (i = 0; i < RING_CHUNKS; i++)
		n2p_buf_free(&q->chunks[i].lines);
	pthread_cond_destroy(&q->cond);
	pthread_mutex_destroy(&q->mu);
}

/* Wait until a side's node file is complete; false if its read stopped. */
static bool
ring_wait_nodes(Ring *q)
{
	pthread_mutex_lock(&q->mu);
	while (!q->nodes_done)
		pthread_cond_wait(&q->cond, &q->mu);
	pthread_mutex_unlock(&q->mu);
	return q->end != STREAM_FAILED && q->end != STREAM_UNORDERED;
}

/*
 * The node files of the streaming path, by id: each side's runs merged, or
 * read as one when they follow each other; sort(1) when there are too many.
 */
static bool
compare_nodes(Work *w, Side *sides, Diffs *d)
{
	FileLines	fl[2] = {{0}, {0}};
	RunMerge	rm[2] = {{0}, {0}};
	N2pLineReader r[2];
	const char *paths[2] = {sides[0].nodes, sides[1].nodes};
	bool		need[2];
	uint64_t	counts[2];
	size_t		bytes;
	int			max,
				i;
	N2pError	err;
	bool		ok = true;

	run_limits(&bytes, &max);
	for (i = 0; i < 2; i++)
		need[i] = sides[i].runs_overlap && sides[i].nruns > max;
	if (!sort_files(w, paths, need, 2))
		return false;
	n2p_error_init(&err);
	for (i = 0; i < 2 && ok; i++)
	{
		if (sides[i].runs_overlap && !need[i])
		{
			log_verbose("%s: merging %d runs of nodes", i ? "B" : "A", sides[i].nruns);
			r[i].next = merge_next;
			r[i].ctx = &rm[i];
			ok = merge_open(&rm[i], &sides[i], &err);
		}
		else
		{
			r[i].next = file_next;
			r[i].ctx = &fl[i];
			ok = lines_open(&fl[i], paths[i], "r", &err);
		}
	}
	ok = ok && n2p_verify_compare(N2P_VL_NODE_ID, &r[0], &r[1], collect, d, counts,
								  &n2p_libc_allocator, &err);
	for (i = 0; i < 2; i++)
	{
		lines_close(&fl[i], &err);
		if (rm[i].h)
			merge_close(&rm[i]);
	}
	if (!ok)
		log_n2p_error(&err);
	return ok;
}

typedef struct NodeJob
{
	Work	   *w;
	Side	   *sides;
	Diffs		diffs;
	bool		ok;
} NodeJob;

static void *
node_job(void *arg)
{
	NodeJob    *j = arg;

	j->ok = compare_nodes(j->w, j->sides, &j->diffs);
	return NULL;
}

/* The nodes' differences, then the relationships': the order a single pass gave. */
static void
diffs_append(Diffs *d, Diffs *more)
{
	int			i;

	for (i = 0; i < more->nshown; i++)
	{
		if (d->nshown < SHOW_DIFFS)
			d->shown[d->nshown++] = more->shown[i];
		else
			free(more->shown[i]);
	}
	d->total += more->total;
	d->losses += more->losses;
	more->nshown = 0;
	diffs_free(more);
}

/*
 * Nodes from their work files, then relationships from the rings: the
 * nodes in a thread of their own, so that the readers go on with the
 * relationships while they are compared.
 */
static bool
compare_rings(Ring *q, Work *w, Side *sides, Diffs *d)
{
	N2pLineReader ra = {ring_next, &q[0]},
				rb = {ring_next, &q[1]};
	uint64_t	counts[2];
	N2pError	err;
	NodeJob		job = {w, sides, {0}, false};
	Diffs		rels = {0};
	pthread_t	t;
	bool		ok,
				threaded;

	ok = ring_wait_nodes(&q[0]) & ring_wait_nodes(&q[1]);
	if (!ok)
		return false;
	if (!(threaded = pthread_create(&t, NULL, node_job, &job) == 0))
		node_job(&job);
	n2p_error_init(&err);
	ok = n2p_verify_compare(N2P_VL_REL_ID, &ra, &rb, collect, &rels, counts, &n2p_libc_allocator,
							&err);
	if (!ok && q[0].end != STREAM_FAILED && q[0].end != STREAM_UNORDERED &&
		q[1].end != STREAM_FAILED && q[1].end != STREAM_UNORDERED)
		log_n2p_error(&err);
	if (threaded)
		pthread_join(t, NULL);
	diffs_append(d, &job.diffs);
	diffs_append(d, &rels);
	return ok && job.ok;
}

/*
 * Read both sides and compare them by id as the relationships come.
 * STREAM_UNORDERED when a side (or a thread) cannot stream: then the work
 * files serve.
 */
static StreamEnd
compare_streaming(Work *w, Side *sides, Diffs *d)
{
	Ring		q[2];
	pthread_t	t[2];
	bool		ok;
	int			i;
	StreamEnd	res = STREAM_DONE;

	ring_init(&q[0], &sides[0]);
	ring_init(&q[1], &sides[1]);
	if (pthread_create(&t[0], NULL, stream_side, &q[0]) != 0)
		return STREAM_UNORDERED;
	if (pthread_create(&t[1], NULL, stream_side, &q[1]) != 0)
	{
		ring_stop(&q[0], t[0]);
		return STREAM_UNORDERED;
	}
	ok = compare_rings(q, w, sides, d);
	ring_stop(&q[0], t[0]);
	ring_stop(&q[1], t[1]);
	if (ok)
		return STREAM_DONE;
	for (i = 0; i < 2; i++)
		if (q[i].end == STREAM_FAILED)
		{
			log_n2p_error(&sides[i].err);
			if (neo4j_is_uri(sides[i].spec))
				neo4j_explain(&sides[i].err);
			res = STREAM_FAILED;
		}
	if (res == STREAM_DONE && q[0].end != STREAM_UNORDERED && q[1].end != STREAM_UNORDERED)
		return STREAM_FAILED;	/* sort(1) or a work file failed, and said so */
	return res == STREAM_DONE ? STREAM_UNORDERED : res;
}

/* ---------------------------------------------------------------- the command */

static bool
read_both(Side *sides)
{
	pthread_t	t;
	bool		threaded;

	/* the two reads overlap: verify takes about as long as the slower one */
	threaded = pthread_create(&t, NULL, read_side, &sides[1]) == 0;
	read_side(&sides[0]);
	if (threaded)
		pthread_join(t, NULL);
	else
		read_side(&sides[1]);
	return sides[0].ok && sides[1].ok;
}

static void
print_result(const Side *sides, const Diffs *d, const char *how)
{
	int			i;

	if (cli_verbosity >= 0)
		for (i = 0; i < 2; i++)
			printf("%s: %llu nodes, %llu relationships (%s)\n", i ? "B" : "A",
				   (unsigned long long) sides[i].nnodes, (unsigned long long) sides[i].nrels,
				   sides[i].spec);
	for (i = 0; i < d->nshown; i++)
		printf("  %s\n", d->shown[i]);
	if (d->total > (uint64_t) d->nshown)
		printf("  ... and %llu more\n", (unsigned long long) (d->total - (uint64_t) d->nshown));
	if (d->total == 0)
	{
		if (cli_verbosity >= 0)
			printf("equal (%s)\n", how);
		return;
	}
	printf("%llu difference%s (%s)\n", (unsigned long long) d->total, d->total == 1 ? "" : "s", how);
	if (d->losses)
		printf("%llu of them %s format loss%s: a value the backup format cannot hold (a zone id, a byte "
			   "array) was written in a lesser form, so the graphs are not equal\n",
			   (unsigned long long) d->losses, d->losses == 1 ? "is a" : "are",
			   d->losses == 1 ? "" : "es");
}

/*
 * Work directories carry their verify's pid: those of this user whose
 * process is gone were left by a verify that was killed (kill -9 leaves no
 * chance to clean up), and go.
 */
static void
tidy_work_dirs(const char *tmp)
{
	DIR		   *d = opendir(tmp);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
	{
		char		path[PATH_MAX];
		char	   *end;
		long		pid;
		struct stat st;

		if (strncmp(e->d_name, "neo2pg-verify-", 14) != 0)
			continue;
		errno = 0;
		pid = strtol(e->d_name + 14, &end, 10);
		if (*end != '-' || errno != 0 || pid <= 0 || pid == (long) getpid())
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmp, e->d_name);
		if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
			kill((pid_t) pid, 0) == 0 || errno != ESRCH)
			continue;
		log_verbose("removing \"%s\", left by a verify that was stopped", path);
		remove_tree(path);
	}
	closedir(d);
}

/* The work directory and the files of the lines by id. */
static bool
work_init(Work *w, Side *sides)
{
	const char *tmp = getenv("TMPDIR");

	tidy_work_dirs(tmp && *tmp ? tmp : "/tmp");
	snprintf(w->dir, sizeof(w->dir), "%s/neo2pg-verify-%ld-XXXXXX", tmp && *tmp ? tmp : "/tmp",
			 (long) getpid());
	if (mkdtemp(w->dir) == NULL)
	{
		log_error("cannot create a temporary directory in %s: %s", tmp && *tmp ? tmp : "/tmp",
				  strerror(errno));
		w->dir[0] = '\0';
		return false;
	}
	sides[0].nodes = work_file(w, "a.nodes");
	sides[0].rels = work_file(w, "a.rels");
	sides[1].nodes = work_file(w, "b.nodes");
	sides[1].rels = work_file(w, "b.rels");
	return true;
}

/* Read both sides into the work files, sorted by id. */
static bool
read_to_files(Work *w, Side *sides)
{
	const char *paths[4];
	bool		need[4];
	int			i;

	if (!read_both(sides))
	{
		for (i = 0; i < 2; i++)
			if (!sides[i].ok)
			{
				log_n2p_error(&sides[i].err);
				if (neo4j_is_uri(sides[i].spec))
					neo4j_explain(&sides[i].err);
			}
		return false;
	}
	log_verbose("read A in %.2f s, B in %.2f s", sides[0].seconds, sides[1].seconds);
	for (i = 0; i < 2; i++)
	{
		paths[2 * i] = sides[i].nodes;
		need[2 * i] = !sides[i].nodes_sorted;
		paths[2 * i + 1] = sides[i].rels;
		need[2 * i + 1] = !sides[i].rels_sorted;
	}
	return sort_files(w, paths, need, 4);
}

static void
close_sides(Side *sides)
{
	int			i;

	for (i = 0; i < 2; i++)
		if (sides[i].src)
			sides[i].src->ops->close(sides[i].src);
	sides[0].src = sides[1].src = NULL;
}

/* Open both sources (again, for a second read); the exit status on failure. */
static int
open_sides(Side *sides, const Neo4jCliOptions *neo)
{
	int			i;

	close_sides(sides);
	for (i = 0; i < 2; i++)
	{
		sides[i].nnodes = sides[i].nrels = 0;
		sides[i].ok = false;
		n2p_error_init(&sides[i].err);
		if ((sides[i].src = open_side(sides[i].spec, i == 1, neo, &sides[i].err)) == NULL)
		{
			close_sides(sides);
			return sides[i].err.code == N2P_ERR_USAGE ? EXIT_USAGE : EXIT_DATA;
		}
	}
	return 0;
}

/*
 * By id first: streamed when both sides come in id order, else through
 * sorted work files.  By content (--match=content, or auto when ids found
 * differences) the records are read again into work files, since a content
 * matching needs several sorts.
 */
static int
run_verify(const char *spec_a, const char *spec_b, const Neo4jCliOptions *neo, MatchMode mode)
{
	Work		w = {{0}, {0}, 0};
	Side		sides[2] = {{.spec = spec_a}, {.spec = spec_b}};
	Diffs		by_id = {0},
				by_content = {0},
				common = {0};
	const Diffs *result;
	const char *how;
	uint64_t	nc[2],
				rc[2];
	int			i,
				status;
	bool		files = false;
	double		t0 = now_seconds();

	if ((status = open_sides(sides, neo)) != 0)
		return status;
	/* passwords were asked for: from here a signal ends the run cleanly */
	interrupt_arm(true);
	status = EXIT_DATA;
	compare_constraints(sides[0].src, sides[1].src, &common);
	if (!work_init(&w, sides))
		goto done;
	if (mode != MATCH_CONTENT)
	{
		StreamEnd	se = compare_streaming(&w, sides, &by_id);

		if (se == STREAM_FAILED)
			goto done;
		if (se == STREAM_UNORDERED)
		{
			log_verbose("not in id order: reading again into work files");
			diffs_free(&by_id);
			if (open_sides(sides, neo) != 0 || !read_to_files(&w, sides) ||
				!compare_files(N2P_VL_NODE_ID, sides[0].nodes, sides[1].nodes, &by_id, nc) ||
				!compare_files(N2P_VL_REL_ID, sides[0].rels, sides[1].rels, &by_id, rc))
				goto done;
			files = true;
		}
		else
			log_verbose("read A in %.2f s, B in %.2f s", sides[0].seconds, sides[1].seconds);
		log_verbose("compared by id in %.2f s: %llu differences", now_seconds() - t0,
					(unsigned long long) by_id.total);
	}
	result = &by_id;
	how = "nodes and relationships matched by id";
	if (mode == MATCH_CONTENT || (mode == MATCH_AUTO && by_id.total > 0))
	{
		if (!files && ((mode != MATCH_CONTENT && open_sides(sides, neo) != 0) ||
					   !read_to_files(&w, sides)))
			goto done;
		if (!compare_by_content(&w, sides, &by_content))
			goto done;
		log_verbose("compared by content in %.2f s: %llu differences", now_seconds() - t0,
					(unsigned long long) by_content.total);
		if (mode == MATCH_CONTENT || by_content.total < by_id.total)
		{
			result = &by_content;
			how = mode == MATCH_CONTENT ? "matched by content" :
				"matched by content: the ids differ (an import gives new ids)";
		}
	}
	if (sides[0].nnodes != sides[1].nnodes || sides[0].nrels != sides[1].nrels)
	{
		char		text[256];

		snprintf(text, sizeof(text), "counts differ: %llu nodes and %llu relationships in A, "
				 "%llu and %llu in B", (unsigned long long) sides[0].nnodes,
				 (unsigned long long) sides[0].nrels, (unsigned long long) sides[1].nnodes,
				 (unsigned long long) sides[1].nrels);
		diff_add(&common, text, false);
	}
	/* the constraint and count lines first, then the chosen matching's */
	for (i = 0; i < result->nshown; i++)
		diff_add(&common, result->shown[i], false);
	common.total += result->total - (uint64_t) result->nshown;
	common.losses += result->losses;
	print_result(sides, &common, how);
	status = common.total ? EXIT_DATA : 0;

done:
	close_sides(sides);
	free(sides[0].run_start);
	free(sides[1].run_start);
	work_cleanup(&w);
	interrupt_arm(false);
	diffs_free(&by_id);
	diffs_free(&by_content);
	diffs_free(&common);
	{
		struct rusage ru;

		if (getrusage(RUSAGE_SELF, &ru) == 0)
			log_verbose("peak memory: %ld kB", ru.ru_maxrss);
	}
	return status;
}

int
cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{"match", required_argument, NULL, 'm'},
		{"schema", required_argument, NULL, 's'},
		{"schema-a", required_argument, NULL, 'a'},
		{"schema-b", required_argument, NULL, 'b'},
		{"user", required_argument, NULL, 'U'},
		{"database", required_argument, NULL, 'd'},
		{"zone-offsets", required_argument, NULL, 'O'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	Neo4jCliOptions neo = {NULL, NULL, 0, false};
	MatchMode	mode = MATCH_AUTO;
	int			c;

	while ((c = getopt_long(argc, argv, "s:qvh", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 's':
				side_schema[0] = side_schema[1] = optarg;
				break;
			case 'a':
			case 'b':
				side_schema[c == 'b'] = optarg;
				break;
			case 'm':
				if (strcmp(optarg, "auto") == 0)
					mode = MATCH_AUTO;
				else if (strcmp(optarg, "id") == 0)
					mode = MATCH_ID;
				else if (strcmp(optarg, "content") == 0)
					mode = MATCH_CONTENT;
				else
				{
					log_error("--match takes \"auto\", \"id\" or \"content\"");
					return EXIT_USAGE;
				}
				break;
			case 'U':
				neo.user = optarg;
				break;
			case 'd':
				neo.database = optarg;
				break;
			case 'O':
				if (!neo4j_cli_zone_offsets(optarg, &neo))
					return EXIT_USAGE;
				break;
			case 'q':
				cli_verbosity = -1;
				break;
			case 'v':
				cli_verbosity++;
				break;
			case 'h':
				verify_usage(stdout);
				return 0;
			default:
				verify_usage(stderr);
				return EXIT_USAGE;
		}
	}
	if (argc - optind != 2)
	{
		log_error("verify needs two sources");
		verify_usage(stderr);
		return EXIT_USAGE;
	}
	/* sort(1) must order bytes as the core compares them */
	setenv("LC_ALL", "C", 1);
	return run_verify(argv[optind], argv[optind + 1], &neo, mode);
}
