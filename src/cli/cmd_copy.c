/*-------------------------------------------------------------------------
 *
 * cmd_copy.c
 *	  neo2pg copy SOURCE [TARGET]: pair any source with any sink.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/cmd_copy.c
 *
 *-------------------------------------------------------------------------
 */
#include "cli.h"
#include "neo2pg/backup.h"
#include "neo2pg/backup_writer.h"
#include "neo2pg/pgcopy.h"
#include "neo4j_conn.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

static void
copy_usage(FILE *out)
{
	fprintf(out,
			"Usage:\n"
			"  neo2pg copy [OPTION]... SOURCE [TARGET]\n\n"
			"Load SOURCE into TARGET in one transaction: on any error nothing is changed.\n\n"
			"SOURCE:\n"
			"  DIR                    a directory written by neo4j-backup\n"
			"  bolt://HOST[:PORT]     a Neo4j database, read in one read transaction;\n"
			"                         also neo4j://, and +s (TLS) or +ssc (self-signed TLS);\n"
			"                         the password comes from NEO4J_PASSWORD or a prompt\n"
			"  postgresql://...       the neo2pg layout in a PostgreSQL schema (a URI or a\n"
			"                         conninfo string), read in one snapshot\n"
			"TARGET:\n"
			"  postgresql://...       a PostgreSQL URI, or a conninfo string (\"host=... dbname=...\");\n"
			"                         PG* environment variables and ~/.pgpass apply\n"
			"  bolt://HOST[:PORT]     a Neo4j database (also neo4j://, +s, +ssc): the graph is\n"
			"                         imported into it; it must be empty unless --append\n"
			"  (none)                 a local PostgreSQL that neo2pg initialises and starts\n"
			"                         under $XDG_DATA_HOME/neo2pg (or ~/.local/share/neo2pg)\n"
			"  DIR                    a backup directory in neo4j-backup's format, written\n"
			"                         under a temporary name and renamed into place at the end\n\n"
			"Options:\n"
			"  -s, --schema=NAME      target schema (default \"neo4j\"); the source's when only\n"
			"                         the source is PostgreSQL\n"
			"      --source-schema=NAME  a PostgreSQL source's schema (default \"neo4j\")\n"
			"      --replace          replace a graph already loaded in the schema,\n"
			"                         or the backup in DIR\n"
			"      --skip-dangling    load relationships whose end nodes exist, report the rest\n"
			"      --replace-nul[=TEXT]  replace U+0000 in strings by TEXT (default U+FFFD)\n"
			"                         instead of failing\n"
			"      --typed=views|tables|none  create a typed view (or table) per label and\n"
			"                         relationship type, and the catalog table (default views)\n"			"      --lock-timeout=DURATION  longest wait for a lock another session holds\n"
			"                         (e.g. 500ms, 30s, 5min, 1h; 0 waits for ever); default\n"
			"                         PGOPTIONS's lock_timeout, else 1min\n"
			"      --append           import into a Neo4j database that is not empty\n"
			"      --skip-refused     Neo4j target: skip records with values Neo4j refuses\n"
			"                         (and relationships to skipped nodes), naming each\n"
			"      --batch-size=N     rows per transaction of a Neo4j import (default 10000)\n"
			"      --user=NAME        Neo4j user (default NEO4J_USERNAME, else neo4j)\n"
			"      --database=NAME    Neo4j database (default: the server's home database)\n"
			"      --zone-offsets=host|server  a Neo4j source's zone offsets from the host's\n"
			"                         tz database where the server confirms it (default), or\n"
			"                         all asked of the server\n"
			"      --no-compress      DIR: plain JSON chunks (default gzip)\n"
			"      --chunk-rows=N     DIR: rows per chunk file (default 8185, as neo4j-backup)\n"
			"      --gzip-level=N     DIR: 1 (fastest) to 9 (as neo4j-backup); default 6\n"
			"      --format=backup|neo4j-admin  DIR: a neo4j-backup directory (default), or\n"
			"                         CSV files, headers and import.sh for\n"
			"                         neo4j-admin database import full\n"
			"  -q, --quiet            print errors only\n"
			"  -v, --verbose          print every SQL statement\n"
			"  -h, --help             print this help and exit\n");
}

const char *cli_source_schema;

/*
 * A source spec names a backup directory, a Neo4j URI or PostgreSQL (a
 * URI, or a conninfo string: "=" and not a directory).
 */
N2pSource *
cli_open_source(const char *spec, const Neo4jCliOptions *neo, N2pError *err)
{
	struct stat st;
	N2pSource  *src;
	bool		dir = stat(spec, &st) == 0 && S_ISDIR(st.st_mode);

	if (neo4j_is_uri(spec))
	{
		if ((src = neo4j_cli_source_open(spec, neo, err)) == NULL)
		{
			log_n2p_error(err);
			neo4j_explain(err);
			/* reported: the caller only sets the exit status */
			err->code = N2P_ERR_IO;
		}
		return src;
	}
	if (dir)
		src = n2p_backup_open_io(spec, &n2p_posix_io, &n2p_libc_allocator, err);
	else if (pg_is_conninfo(spec))
		src = pg_source_open(spec, cli_source_schema, err);
	else
		src = (n2p_error_set(err, N2P_ERR_USAGE, "source \"%s\" is neither a neo4j-backup directory, "
							 "a Neo4j URI (bolt://, neo4j://, with +s or +ssc) nor PostgreSQL "
							 "(postgresql://... or a conninfo string)", spec), NULL);
	if (src == NULL)
		log_n2p_error(err);
	return src;
}

static bool
is_pg_target(const char *spec)
{
	return pg_is_conninfo(spec);
}

/*
 * "scheme:..." is a mistyped URI, not a directory: taking it for a path
 * would create files named after it and echo it, password and all.  A
 * directory with such a name is written "./name".
 */
static bool
looks_like_uri(const char *spec)
{
	size_t		n = strspn(spec, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");

	return n > 0 && spec[n] == ':' && ((spec[0] | 0x20) >= 'a' && (spec[0] | 0x20) <= 'z');
}

/* The memory bound is a promise; -v shows it is kept. */
static void
log_peak_memory(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) == 0)
		log_verbose("peak memory: %ld kB", ru.ru_maxrss);
}

static int
run_copy(const char *source, const Neo4jCliOptions *neo, PgSinkOptions *pgopts)
{
	N2pError	err;
	N2pSource  *src;
	N2pSink    *sink;
	Progress	progress;
	bool		ok;

	n2p_error_init(&err);
	if ((src = cli_open_source(source, neo, &err)) == NULL)
		return err.code == N2P_ERR_USAGE ? EXIT_USAGE : EXIT_DATA;
	if (!pg_source_check_target(src, pgopts->conninfo, pgopts->schema, &err))
	{
		log_n2p_error(&err);
		src->ops->close(src);
		return EXIT_USAGE;
	}
	progress_init(&progress, &src->meta);
	pgopts->progress = &progress;
	sink = pg_sink_open(pgopts, &err);
	ok = sink && interrupt_stream_copy(src, sink, progress_update, &progress, &err);
	if (!ok)
	{
		if (progress.tty)
			fputc('\n', stderr);
		log_n2p_error(&err);
		if (neo4j_is_uri(source))
			neo4j_explain(&err);
		log_error("nothing was loaded: the target is unchanged");
	}
	else
	{
		progress_summary(&progress);
		log_info("loaded %llu nodes and %llu relationships into schema \"%s\"",
				 (unsigned long long) progress.stats[N2P_REC_NODE].rows,
				 (unsigned long long) (progress.stats[N2P_REC_REL].rows - pg_sink_rejected(sink)),
				 pgopts->schema);
	}
	if (sink)
		sink->ops->close(sink);
	src->ops->close(src);
	log_peak_memory();
	return ok ? 0 : EXIT_DATA;
}

/* A backup directory as the target (src/cli/backup_out.c). */
static int
run_copy_to_dir(const char *source, const Neo4jCliOptions *neo, const char *dir,
				const BackupCliOptions *bo, bool admin)
{
	N2pError	err;
	N2pSource  *src;
	int			rc;

	n2p_error_init(&err);
	if ((src = cli_open_source(source, neo, &err)) == NULL)
		return err.code == N2P_ERR_USAGE ? EXIT_USAGE : EXIT_DATA;
	rc = admin ? copy_to_admin_csv(src, dir) : copy_to_backup(src, source, dir, bo);
	src->ops->close(src);
	log_peak_memory();
	return rc;
}

static bool
parse_chunk_rows(const char *s, uint64_t *out)
{
	char	   *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v == 0 || v > (1ULL << 62) || s[0] == '-')
	{
		log_error("--chunk-rows takes a positive number of rows");
		return false;
	}
	*out = v;
	return true;
}

/*
 * --lock-timeout: a whole number and a unit PostgreSQL knows (ms, s, min,
 * h, d; none is ms, as lock_timeout's own), within lock_timeout's range.
 */
static bool
parse_lock_timeout(const char *s, long long *ms)
{
	static const struct
	{
		const char *unit;
		long long	ms;
	}			units[] = {{"", 1}, {"ms", 1}, {"s", 1000}, {"min", 60000}, {"h", 3600000}, {"d", 86400000}};
	size_t		digits = strspn(s, "0123456789"),
				i;

	if (digits > 0 && digits <= 10)
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (strcmp(s + digits, units[i].unit) == 0)
			{
				*ms = strtoll(s, NULL, 10) * units[i].ms;
				if (*ms <= INT_MAX)
					return true;
			}
	log_error("--lock-timeout takes a whole number with ms, s, min, h or d (0 waits for ever), "
			  "up to 24 days");
	return false;
}

/*
 * How to connect, as a line a shell takes as it is: in double quotes when
 * nothing in the string is special there, else in single quotes.
 */
static void
print_psql_hint(const char *conninfo)
{
	const char *p;

	if (strpbrk(conninfo, "\"\\$`") == NULL)
	{
		printf("Connect with:\n  psql \"%s\"\n", conninfo);
		return;
	}
	printf("Connect with:\n  psql '");
	for (p = conninfo; *p; p++)
		if (*p == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*p);
	printf("'\n");
}

int
cmd_copy(int argc, char **argv)
{
	static const struct option opts[] = {
		{"schema", required_argument, NULL, 's'},
		{"replace", no_argument, NULL, 'R'},
		{"skip-dangling", no_argument, NULL, 'D'},
		{"replace-nul", optional_argument, NULL, 'N'},
		{"typed", required_argument, NULL, 'T'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"user", required_argument, NULL, 'U'},
		{"database", required_argument, NULL, 'd'},
		{"zone-offsets", required_argument, NULL, 'O'},
		{"append", no_argument, NULL, 'A'},
		{"skip-refused", no_argument, NULL, 'K'},
		{"batch-size", required_argument, NULL, 'B'},
		{"no-compress", no_argument, NULL, 'Z'},
		{"chunk-rows", required_argument, NULL, 'C'},
		{"gzip-level", required_argument, NULL, 'G'},
		{"source-schema", required_argument, NULL, 'S'},
		{"format", required_argument, NULL, 'F'},
		{"lock-timeout", required_argument, NULL, 'L'},
		{NULL, 0, NULL, 0}};
	PgSinkOptions pgopts = {.schema = "neo4j", .typed = TYPED_VIEWS, .lock_timeout_ms = -1};
	BackupCliOptions bo = {.compress = true, .gzip_level = 6, .chunk_rows = N2P_BACKUP_CHUNK_ROWS};
	bool		pg_only = false,
				dir_only = false,
				neo4j_only = false,
				schema_given = false,
				admin = false;
	Neo4jCliOptions neo = {NULL, NULL, 0, false};
	Neo4jSinkCliOptions sinkopts = {NULL, false, 0, NULL, false};
	char	   *local = NULL;
	int			c,
				rc;

	while ((c = getopt_long(argc, argv, "s:qvh", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 's':
				pgopts.schema = optarg;
				schema_given = true;
				break;
			case 'S':
				cli_source_schema = optarg;
				break;
			case 'F':
				if (strcmp(optarg, "neo4j-admin") != 0 && strcmp(optarg, "backup") != 0)
				{
					log_error("--format takes \"backup\" or \"neo4j-admin\"");
					return EXIT_USAGE;
				}
				admin = strcmp(optarg, "neo4j-admin") == 0;
				break;
			case 'L':
				if (!parse_lock_timeout(optarg, &pgopts.lock_timeout_ms))
					return EXIT_USAGE;
				pg_only = true;
				break;
			case 'R':
				pgopts.replace = bo.replace = true;
				break;
			case 'D':
				pgopts.skip_dangling = true;
				pg_only = true;
				break;
			case 'N':
				pgopts.nul_replacement = optarg ? optarg : "\xEF\xBF\xBD";
				pg_only = true;
				break;
			case 'Z':
				bo.compress = false;
				dir_only = true;
				break;
			case 'G':
				if (strlen(optarg) != 1 || optarg[0] < '1' || optarg[0] > '9')
				{
					log_error("--gzip-level takes 1 (fastest) to 9 (smallest, as neo4j-backup)");
					return EXIT_USAGE;
				}
				bo.gzip_level = optarg[0] - '0';
				dir_only = true;
				break;
			case 'C':
				if (!parse_chunk_rows(optarg, &bo.chunk_rows))
					return EXIT_USAGE;
				dir_only = true;
				break;
			case 'T':
				pg_only = true;
				if (strcmp(optarg, "views") == 0)
					pgopts.typed = TYPED_VIEWS;
				else if (strcmp(optarg, "tables") == 0)
					pgopts.typed = TYPED_TABLES;
				else if (strcmp(optarg, "none") == 0)
					pgopts.typed = TYPED_NONE;
				else
				{
					log_error("--typed takes \"views\", \"tables\" or \"none\"");
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
			case 'A':
				sinkopts.append = true;
				neo4j_only = true;
				break;
			case 'K':
				sinkopts.skip_refused = true;
				neo4j_only = true;
				break;
			case 'B':
				neo4j_only = true;
				if (strspn(optarg, "0123456789") != strlen(optarg) || strlen(optarg) > 7 ||
					(sinkopts.batch_rows = strtoul(optarg, NULL, 10)) == 0 || sinkopts.batch_rows > 1000000)
				{
					log_error("--batch-size takes a number of rows from 1 to 1000000");
					return EXIT_USAGE;
				}
				break;
			case 'q':
				cli_verbosity = -1;
				break;
			case 'v':
				cli_verbosity++;
				break;
			case 'h':
				copy_usage(stdout);
				return 0;
			default:
				copy_usage(stderr);
				return EXIT_USAGE;
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
	{
		log_error("copy needs a SOURCE and at most one TARGET");
		copy_usage(stderr);
		return EXIT_USAGE;
	}
	/* an unset shell variable must not turn into "the local cluster" */
	if (argv[optind][0] == '\0' || (argc - optind == 2 && argv[optind + 1][0] == '\0'))
	{
		log_error("an empty SOURCE or TARGET (an unset variable?)");
		return EXIT_USAGE;
	}
	/* what replaces U+0000 goes into text and jsonb itself */
	if (pgopts.nul_replacement &&
		!n2p_pg_text_valid(pgopts.nul_replacement, strlen(pgopts.nul_replacement)))
	{
		log_error("--replace-nul takes text PostgreSQL can store: valid UTF-8 (and no U+0000)");
		return EXIT_USAGE;
	}
	/* the server would cut a longer name, and two names could meet */
	if (pgopts.schema[0] == '\0' || strlen(pgopts.schema) > 63)
	{
		log_error("the schema name must have 1 to 63 bytes");
		return EXIT_USAGE;
	}
	/* -s names the PostgreSQL side: the target's, else a PostgreSQL source's */
	if (schema_given && argc - optind == 2 && !is_pg_target(argv[optind + 1]) &&
		pg_is_conninfo(argv[optind]) && cli_source_schema == NULL)
		cli_source_schema = pgopts.schema;
	else if (schema_given)
		pg_only = true;
	if (cli_source_schema && (cli_source_schema[0] == '\0' || strlen(cli_source_schema) > 63))
	{
		log_error("the schema name must have 1 to 63 bytes");
		return EXIT_USAGE;
	}
	if (argc - optind == 2 && neo4j_is_uri(argv[optind + 1]))
	{
		if (pg_only || dir_only || admin)
		{
			log_error("-s, --typed, --skip-dangling, --replace-nul, --lock-timeout, --no-compress, --gzip-level, "
					  "--format and --chunk-rows do not apply to a Neo4j target");
			return EXIT_USAGE;
		}
		return neo4j_cli_import(argv[optind], argv[optind + 1], &neo, &sinkopts);
	}
	if (neo4j_only)
	{
		log_error("--append, --batch-size and --skip-refused apply to a Neo4j target");
		return EXIT_USAGE;
	}
	if (argc - optind == 2 && !is_pg_target(argv[optind + 1]) && looks_like_uri(argv[optind + 1]))
	{
		/* not echoed: a mistyped URI may hold a password */
		log_error("the target is not a PostgreSQL URI (postgresql://...), a conninfo string (key=value ...), "
				  "a Neo4j URI (bolt:// or neo4j://, with +s or +ssc, and a host) "
				  "or a directory (write a directory whose name has a ':' as ./NAME)");
		return EXIT_USAGE;
	}
	if (argc - optind == 2 && !is_pg_target(argv[optind + 1]))
	{
		if (pg_only)
		{
			log_error("-s, --typed, --skip-dangling, --replace-nul and --lock-timeout apply to a PostgreSQL "
					  "target, not to a backup directory");
			return EXIT_USAGE;
		}
		if (admin && (dir_only || bo.replace))
		{
			log_error("--no-compress, --gzip-level, --chunk-rows and --replace do not apply to "
					  "--format=neo4j-admin");
			return EXIT_USAGE;
		}
		return run_copy_to_dir(argv[optind], &neo, argv[optind + 1], &bo, admin);
	}
	if (dir_only || admin)
	{
		log_error("--no-compress, --gzip-level, --chunk-rows and --format apply to a directory target");
		return EXIT_USAGE;
	}
	if (argc - optind == 2)
		pgopts.conninfo = argv[optind + 1];
	else if ((pgopts.conninfo = local = local_pg_conninfo()) == NULL)
		return EXIT_DATA;
	rc = run_copy(argv[optind], &neo, &pgopts);
	if (rc == 0 && local)
		print_psql_hint(local);
	free(local);
	return rc;
}
