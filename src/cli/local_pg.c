/*-------------------------------------------------------------------------
 *
 * local_pg.c
 *	  "neo2pg copy BACKUP" with no target: a PostgreSQL cluster of the
 *	  user's own, initialised and started on first use.
 *
 * The cluster lives under $NEO2PG_HOME, else $XDG_DATA_HOME/neo2pg, else
 * ~/.local/share/neo2pg.  It listens on a Unix socket only, in a directory
 * only its owner can enter, so trust authentication is safe and no
 * password exists to leak.  PostgreSQL refuses to run as root; when root
 * runs neo2pg the cluster goes to /var/lib/neo2pg and runs as the
 * "postgres" system user (or $NEO2PG_PGUSER).
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/local_pg.c
 *
 *-------------------------------------------------------------------------
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef N2P_PG_BINDIR
#define N2P_PG_BINDIR "/usr/lib/postgresql/15/bin"
#endif

#define LOCAL_PORT "5432"
#define LOCAL_USER "neo2pg"

typedef struct LocalPg
{
	char		home[512];
	char		pgdata[600];
	char		sockdir[600];
	char		logfile[600];
	const char *bindir;
	struct passwd *runas;		/* NULL: run as ourselves */
} LocalPg;

static bool
make_dir(const char *path, const LocalPg *lp)
{
	char		tmp[600];
	char	   *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++)
	{
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			goto fail;
		*p = '/';
	}
	if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
		goto fail;
	if (lp->runas && chown(tmp, lp->runas->pw_uid, lp->runas->pw_gid) != 0)
		goto fail;
	return true;
fail:
	log_error("could not create directory \"%s\": %s", tmp, strerror(errno));
	return false;
}

static bool
choose_home(LocalPg *lp)
{
	const char *env = getenv("NEO2PG_HOME");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (env && *env)
		snprintf(lp->home, sizeof(lp->home), "%s", env);
	else if (geteuid() == 0)
		snprintf(lp->home, sizeof(lp->home), "/var/lib/neo2pg");
	else if (xdg && *xdg)
		snprintf(lp->home, sizeof(lp->home), "%s/neo2pg", xdg);
	else if (home && *home)
		snprintf(lp->home, sizeof(lp->home), "%s/.local/share/neo2pg", home);
	else
	{
		log_error("cannot choose a directory for the local PostgreSQL: set NEO2PG_HOME");
		return false;
	}
	snprintf(lp->pgdata, sizeof(lp->pgdata), "%s/pg15", lp->home);
	snprintf(lp->sockdir, sizeof(lp->sockdir), "%s/run", lp->home);
	snprintf(lp->logfile, sizeof(lp->logfile), "%s/postgresql.log", lp->home);
	/* the kernel limits socket paths to 107 bytes */
	if (strlen(lp->sockdir) + sizeof("/.s.PGSQL." LOCAL_PORT) > 107)
	{
		log_error("socket directory \"%s\" is too long for a Unix socket: set NEO2PG_HOME to a shorter path",
				  lp->sockdir);
		return false;
	}
	return true;
}

static bool
choose_user(LocalPg *lp)
{
	const char *name = getenv("NEO2PG_PGUSER");

	lp->runas = NULL;
	if (geteuid() != 0)
		return true;
	lp->runas = getpwnam(name && *name ? name : "postgres");
	if (lp->runas == NULL)
	{
		log_error("PostgreSQL cannot run as root and there is no \"%s\" user to run it as; "
				  "set NEO2PG_PGUSER to an unprivileged user", name && *name ? name : "postgres");
		return false;
	}
	return true;
}

/*
 * Run a PostgreSQL program, as the unprivileged user when we are root,
 * with its output appended to the log file.  Returns the exit status.
 */
static int
run_program(const LocalPg *lp, char *const argv[])
{
	pid_t		pid;
	int			status;

	log_verbose("running %s", argv[0]);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
	{
		int			fd = open(lp->logfile, O_WRONLY | O_CREAT | O_APPEND, 0600);

		if (fd >= 0)
		{
			if (lp->runas)
				(void) !fchown(fd, lp->runas->pw_uid, lp->runas->pw_gid);
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		if (lp->runas && (chdir(lp->home) != 0 || setgid(lp->runas->pw_gid) != 0 ||
						  setgroups(0, NULL) != 0 || setuid(lp->runas->pw_uid) != 0))
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
bin_path(const LocalPg *lp, const char *prog, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", lp->bindir, prog);
}

static bool
init_cluster(const LocalPg *lp)
{
	char		initdb[600],
				conf[700];
	char	   *argv[] = {initdb, "-D", (char *) lp->pgdata, "-U", LOCAL_USER, "-A", "trust",
		"-E", "UTF8", "--no-locale", NULL};
	FILE	   *f;

	bin_path(lp, "initdb", initdb, sizeof(initdb));
	log_info("initialising a local PostgreSQL in %s", lp->pgdata);
	if (run_program(lp, argv) != 0)
	{
		log_error("initdb failed; see %s", lp->logfile);
		return false;
	}
	snprintf(conf, sizeof(conf), "%s/postgresql.conf", lp->pgdata);
	if ((f = fopen(conf, "a")) == NULL)
	{
		log_error("could not open \"%s\": %s", conf, strerror(errno));
		return false;
	}
	fprintf(f, "\n# added by neo2pg: Unix socket only, in a private directory\n"
			"listen_addresses = ''\nport = " LOCAL_PORT "\nunix_socket_directories = '%s'\n",
			lp->sockdir);
	fclose(f);
	return true;
}

static bool
start_cluster(const LocalPg *lp)
{
	char		pg_ctl[600];
	char	   *status_argv[] = {pg_ctl, "-D", (char *) lp->pgdata, "status", NULL};
	char	   *start_argv[] = {pg_ctl, "-D", (char *) lp->pgdata, "-l", (char *) lp->logfile,
		"-w", "-t", "60", "start", NULL};

	bin_path(lp, "pg_ctl", pg_ctl, sizeof(pg_ctl));
	if (run_program(lp, status_argv) == 0)
		return true;
	log_info("starting the local PostgreSQL (log: %s)", lp->logfile);
	if (run_program(lp, start_argv) != 0)
	{
		log_error("could not start PostgreSQL; see %s", lp->logfile);
		return false;
	}
	return true;
}

static bool
ensure_database(const char *conninfo_postgres)
{
	PGconn	   *conn = PQconnectdb(conninfo_postgres);
	PGresult   *res;
	bool		ok;

	if (PQstatus(conn) != CONNECTION_OK)
	{
		log_error("could not connect to the local PostgreSQL: %s", PQerrorMessage(conn));
		PQfinish(conn);
		return false;
	}
	res = PQexec(conn, "SELECT 1 FROM pg_database WHERE datname = '" LOCAL_USER "'");
	ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (ok && PQntuples(res) == 0)
	{
		PQclear(res);
		res = PQexec(conn, "CREATE DATABASE " LOCAL_USER);
		ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	}
	if (!ok)
		log_error("could not create database " LOCAL_USER ": %s", PQresultErrorMessage(res));
	PQclear(res);
	PQfinish(conn);
	return ok;
}

char *
local_pg_conninfo(void)
{
	LocalPg		lp;
	char		version[700],
				conninfo[800];
	const char *bindir = getenv("NEO2PG_PGBIN");

	lp.bindir = bindir && *bindir ? bindir : N2P_PG_BINDIR;
	if (!choose_home(&lp) || !choose_user(&lp) || !make_dir(lp.home, &lp) ||
		!make_dir(lp.sockdir, &lp))
		return NULL;
	snprintf(version, sizeof(version), "%s/PG_VERSION", lp.pgdata);
	if (access(version, F_OK) != 0 && !init_cluster(&lp))
		return NULL;
	if (!start_cluster(&lp))
		return NULL;
	snprintf(conninfo, sizeof(conninfo), "host=%s port=" LOCAL_PORT " user=" LOCAL_USER
			 " dbname=postgres", lp.sockdir);
	if (!ensure_database(conninfo))
		return NULL;
	snprintf(conninfo, sizeof(conninfo), "host=%s port=" LOCAL_PORT " user=" LOCAL_USER
			 " dbname=" LOCAL_USER, lp.sockdir);
	return strdup(conninfo);
}
