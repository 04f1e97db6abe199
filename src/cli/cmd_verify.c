/*-------------------------------------------------------------------------
 *
 * cmd_verify.c
 *	  neo2pg verify SOURCE_A SOURCE_B: are two graphs the same, value by
 *	  value and type by type?
 *
 * Both sources are read at once, each by a thread of its own, into files
 * of canonical lines (src/verify); a file whose records did not come in id
 * order is sorted by sort(1) with a bounded buffer; then the core merges
 * the two sides' files.  Memory stays bounded whatever the graph's size.
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

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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

	if ((rc = posix_spawnp(&pid, "sort", NULL, NULL, argv, environ)) != 0)
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

	memcpy(ca, a->meta.constraints, na * sizeof(N2pConstraint));
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
	const char *paths[4];
	bool		need[4];
	uint64_t	nc[2],
				rc[2];
	int			i,
				status = EXIT_DATA;
	const char *tmp = getenv("TMPDIR");
	double		t0 = now_seconds();

	n2p_error_init(&sides[0].err);
	n2p_error_init(&sides[1].err);
	if ((sides[0].src = open_side(spec_a, false, neo, &sides[0].err)) == NULL)
		return sides[0].err.code == N2P_ERR_USAGE ? EXIT_USAGE : EXIT_DATA;
	if ((sides[1].src = open_side(spec_b, true, neo, &sides[1].err)) == NULL)
	{
		sides[0].src->ops->close(sides[0].src);
		return sides[1].err.code == N2P_ERR_USAGE ? EXIT_USAGE : EXIT_DATA;
	}
	snprintf(w.dir, sizeof(w.dir), "%s/neo2pg-verify-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(w.dir) == NULL)
	{
		log_error("cannot create a temporary directory in %s: %s", tmp && *tmp ? tmp : "/tmp",
				  strerror(errno));
		w.dir[0] = '\0';
		goto done;
	}
	sides[0].nodes = work_file(&w, "a.nodes");
	sides[0].rels = work_file(&w, "a.rels");
	sides[1].nodes = work_file(&w, "b.nodes");
	sides[1].rels = work_file(&w, "b.rels");
	if (!read_both(sides))
	{
		for (i = 0; i < 2; i++)
			if (!sides[i].ok)
			{
				log_n2p_error(&sides[i].err);
				if (neo4j_is_uri(sides[i].spec))
					neo4j_explain(&sides[i].err);
			}
		goto done;
	}
	log_verbose("read A in %.2f s, B in %.2f s", sides[0].seconds, sides[1].seconds);
	for (i = 0; i < 2; i++)
	{
		paths[2 * i] = sides[i].nodes;
		need[2 * i] = !sides[i].nodes_sorted;
		paths[2 * i + 1] = sides[i].rels;
		need[2 * i + 1] = !sides[i].rels_sorted;
	}
	if (!sort_files(&w, paths, need, 4))
		goto done;

	compare_constraints(sides[0].src, sides[1].src, &common);
	if (sides[0].nnodes != sides[1].nnodes || sides[0].nrels != sides[1].nrels)
	{
		char		text[256];

		snprintf(text, sizeof(text), "counts differ: %llu nodes and %llu relationships in A, "
				 "%llu and %llu in B", (unsigned long long) sides[0].nnodes,
				 (unsigned long long) sides[0].nrels, (unsigned long long) sides[1].nnodes,
				 (unsigned long long) sides[1].nrels);
		diff_add(&common, text, false);
	}
	result = &by_id;
	how = "nodes and relationships matched by id";
	if (mode != MATCH_CONTENT &&
		(!compare_files(N2P_VL_NODE_ID, sides[0].nodes, sides[1].nodes, &by_id, nc) ||
		 !compare_files(N2P_VL_REL_ID, sides[0].rels, sides[1].rels, &by_id, rc)))
		goto done;
	log_verbose("compared by id in %.2f s: %llu differences", now_seconds() - t0,
				(unsigned long long) by_id.total);
	if (mode == MATCH_CONTENT || (mode == MATCH_AUTO && by_id.total > 0))
	{
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
	/* the constraint and count lines first, then the chosen matching's */
	for (i = 0; i < result->nshown; i++)
		diff_add(&common, result->shown[i], false);
	common.total += result->total - (uint64_t) result->nshown;
	common.losses += result->losses;
	print_result(sides, &common, how);
	status = common.total ? EXIT_DATA : 0;

done:
	sides[0].src->ops->close(sides[0].src);
	sides[1].src->ops->close(sides[1].src);
	work_cleanup(&w);
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
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	Neo4jCliOptions neo = {NULL, NULL, 0};
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
