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
 * As root, everything under the cluster's directory belongs to that user,
 * who could plant symbolic links there: root never opens, creates or
 * chowns anything in it by name.  Files are written by a child process
 * that has become the cluster's user first, and only directories neo2pg
 * has just created are chowned, through a descriptor.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/local_pg.c
 *
 *-------------------------------------------------------------------------
 */
#include "cli.h"
#include "pg_util.h"

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

/* the user the cluster's files must belong to */
static uid_t
owner_uid(const LocalPg *lp)
{
	return lp->runas ? lp->runas->pw_uid : geteuid();
}

/*
 * Give a directory we have just created to the cluster's user.  Through a
 * descriptor opened without following links, so that a link swapped in
 * after mkdir() cannot redirect the chown.  The mode is set again because
 * the umask may have narrowed it, and the socket directory must be 0700.
 */
static bool
claim_dir(const char *path, const LocalPg *lp)
{
	int			fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	bool		ok;

	if (fd < 0)
	{
		log_error("could not open directory \"%s\": %s", path, strerror(errno));
		return false;
	}
	ok = (lp->runas == NULL || fchown(fd, lp->runas->pw_uid, lp->runas->pw_gid) == 0) &&
		fchmod(fd, 0700) == 0;
	if (!ok)
		log_error("could not set the owner and mode of directory \"%s\": %s",
				  path, strerror(errno));
	close(fd);
	return ok;
}

/*
 * An existing directory is used only if it is already the cluster's own:
 * otherwise whoever controls it could reach the trust-authenticated socket
 * or plant links.  Nothing is changed to make it fit.
 */
static bool
check_dir(const char *path, const LocalPg *lp, bool private)
{
	struct stat st;

	if (lstat(path, &st) != 0)
	{
		log_error("could not stat \"%s\": %s", path, strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode))
		log_error("refusing to use \"%s\": it is not a directory (or is a symbolic link)", path);
	else if (st.st_uid != owner_uid(lp))
		log_error("refusing to use \"%s\": it is owned by uid %u, not by %s (uid %u)",
				  path, (unsigned) st.st_uid,
				  lp->runas ? lp->runas->pw_name : "the current user",
				  (unsigned) owner_uid(lp));
	else if (private && (st.st_mode & 07777) != 0700)
		log_error("refusing to use \"%s\": its mode is %04o, not 0700",
				  path, (unsigned) (st.st_mode & 07777));
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		log_error("refusing to use \"%s\": it is writable by group or others", path);
	else
		return true;
	return false;
}

/* Create the missing parents of path: ordinary directories, not the cluster's. */
static bool
make_parents(const char *path)
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
		{
			log_error("could not create directory \"%s\": %s", tmp, strerror(errno));
			return false;
		}
		*p = '/';
	}
	return true;
}

/*
 * Make sure path is a directory of the cluster's user; private: it must
 * also be mode 0700 (the socket directory).
 */
static bool
make_dir(const char *path, const LocalPg *lp, bool private)
{
	if (!make_parents(path))
		return false;
	if (mkdir(path, 0700) == 0)
		return claim_dir(path, lp);
	if (errno != EEXIST)
	{
		log_error("could not create directory \"%s\": %s", path, strerror(errno));
		return false;
	}
	return check_dir(path, lp, private);
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

	if (name == NULL || *name == '\0')
		name = "postgres";
	lp->runas = NULL;
	if (geteuid() != 0)
		return true;
	lp->runas = getpwnam(name);
	if (lp->runas == NULL)
	{
		log_error("PostgreSQL cannot run as root and there is no \"%s\" user to run it as; "
				  "set NEO2PG_PGUSER to an unprivileged user", name);
		return false;
	}
	if (lp->runas->pw_uid == 0)
	{
		log_error("PostgreSQL cannot run as root, and user \"%s\" is root; "
				  "set NEO2PG_PGUSER to an unprivileged user", name);
		return false;
	}
	return true;
}

/*
 * In a child process, before it opens anything: become the cluster's user
 * when we are root.  Groups first, while we still may change them.
 */
static bool
drop_privileges(const LocalPg *lp)
{
	if (lp->runas == NULL)
		return true;
	if (setgid(lp->runas->pw_gid) != 0 || setgroups(0, NULL) != 0 ||
		setuid(lp->runas->pw_uid) != 0)
	{
		log_error("could not switch to user \"%s\": %s", lp->runas->pw_name, strerror(errno));
		return false;
	}
	if (chdir(lp->home) != 0)
	{
		log_error("could not change directory to \"%s\": %s", lp->home, strerror(errno));
		return false;
	}
	return true;
}

static pid_t
fork_child(void)
{
	pid_t		pid;

	fflush(NULL);				/* or the child would write our buffers again */
	pid = fork();
	if (pid < 0)
		log_error("could not fork: %s", strerror(errno));
	if (pid == 0)
		interrupt_child_reset();
	return pid;
}

/* The child's exit status, or -1. */
static int
wait_child(pid_t pid)
{
	int			status;

	while (waitpid(pid, &status, 0) < 0)
	{
		if (errno != EINTR)
			return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * Run a PostgreSQL program, as the unprivileged user when we are root,
 * with its output appended to the log file.  Returns the exit status.
 */
static int
run_program(const LocalPg *lp, char *const argv[])
{
	pid_t		pid;
	int			fd;

	log_verbose("running %s", argv[0]);
	if ((pid = fork_child()) < 0)
		return -1;
	if (pid > 0)
		return wait_child(pid);
	if (!drop_privileges(lp))
		_exit(126);
	fd = open(lp->logfile, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
	{
		log_error("could not open log file \"%s\": %s", lp->logfile, strerror(errno));
		_exit(126);
	}
	if (dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0)
		_exit(126);
	execv(argv[0], argv);
	log_error("could not execute \"%s\": %s", argv[0], strerror(errno));
	_exit(127);
}

/*
 * Single-quote val into out.  conf: as postgresql.conf reads it (a quote
 * doubled, backslash escapes); otherwise as libpq's conninfo reads it
 * (quote and backslash escaped with a backslash).
 */
static bool
quote_value(char *out, size_t len, const char *val, bool conf)
{
	size_t		n = 0;

	/* each character takes at most two bytes; then the quotes and NUL */
	if (2 * strlen(val) + 3 > len)
	{
		log_error("path too long to quote: \"%s\"", val);
		return false;
	}
	out[n++] = '\'';
	for (const char *c = val; *c; c++)
	{
		if (*c == '\'')
			out[n++] = conf ? '\'' : '\\';
		else if (*c == '\\')
			out[n++] = '\\';
		else if (*c == '\n' && conf)
		{
			/* the configuration file's lexer takes no newline in a string */
			out[n++] = '\\';
			out[n++] = 'n';
			continue;
		}
		out[n++] = *c;
	}
	out[n++] = '\'';
	out[n] = '\0';
	return true;
}

/*
 * Point the cluster's socket at our private directory.  postgresql.conf
 * belongs to the cluster's user, so it is written by a child that has
 * become that user, and a link there is not followed.
 */
static bool
append_conf(const LocalPg *lp)
{
	char		conf[700],
				dir[300],
				text[600];
	pid_t		pid;
	int			fd;
	size_t		len;

	snprintf(conf, sizeof(conf), "%s/postgresql.conf", lp->pgdata);
	if (!quote_value(dir, sizeof(dir), lp->sockdir, true))
		return false;
	len = snprintf(text, sizeof(text),
				   "\n# added by neo2pg: Unix socket only, in a private directory\n"
				   "listen_addresses = ''\nport = " LOCAL_PORT "\n"
				   "unix_socket_directories = %s\n", dir);
	if ((pid = fork_child()) < 0)
		return false;
	if (pid > 0)
		return wait_child(pid) == 0;
	if (!drop_privileges(lp))
		_exit(1);
	fd = open(conf, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || write(fd, text, len) != (ssize_t) len || close(fd) != 0)
	{
		log_error("could not write \"%s\": %s", conf, strerror(errno));
		_exit(1);
	}
	_exit(0);
}

static void
bin_path(const LocalPg *lp, const char *prog, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", lp->bindir, prog);
}

static bool
init_cluster(const LocalPg *lp)
{
	char		initdb[600];
	char	   *argv[] = {initdb, "-D", (char *) lp->pgdata, "-U", LOCAL_USER, "-A", "trust",
		"-E", "UTF8", "--no-locale", NULL};

	bin_path(lp, "initdb", initdb, sizeof(initdb));
	log_info("initialising a local PostgreSQL in %s", lp->pgdata);
	if (run_program(lp, argv) != 0)
	{
		log_error("initdb failed; see %s", lp->logfile);
		return false;
	}
	return append_conf(lp);
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

/* Keywords and values, not a conninfo string: the path may hold anything. */
static bool
ensure_database(const LocalPg *lp)
{
	const char *const keys[] = {"host", "port", "user", "dbname", NULL};
	const char *const vals[] = {lp->sockdir, LOCAL_PORT, LOCAL_USER, "postgres", NULL};
	PGconn	   *conn;
	PGresult   *res;
	N2pError	err;
	bool		ok;

	/* the environment's PG* variables apply, and libpq would quote them */
	n2p_error_init(&err);
	if (!pg_check_target(keys, vals, false, &err))
	{
		log_n2p_error(&err);
		return false;
	}
	conn = PQconnectdbParams(keys, vals, 0);
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

/*
 * The conninfo string the caller connects with (expand_dbname) and shows
 * as psql "...": every value single-quoted, so spaces and quotes in the
 * path survive.
 */
static char *
make_conninfo(const LocalPg *lp)
{
	char		host[300],
				conninfo[400];
	char	   *result;

	if (!quote_value(host, sizeof(host), lp->sockdir, false))
		return NULL;
	snprintf(conninfo, sizeof(conninfo), "host=%s port='" LOCAL_PORT "' user='" LOCAL_USER
			 "' dbname='" LOCAL_USER "'", host);
	if ((result = strdup(conninfo)) == NULL)
		log_error("out of memory");
	return result;
}

char *
local_pg_conninfo(void)
{
	LocalPg		lp;
	char		version[700];
	const char *bindir = getenv("NEO2PG_PGBIN");

	lp.bindir = bindir && *bindir ? bindir : N2P_PG_BINDIR;
	if (!choose_home(&lp) || !choose_user(&lp) || !make_dir(lp.home, &lp, false) ||
		!make_dir(lp.sockdir, &lp, true))
		return NULL;
	snprintf(version, sizeof(version), "%s/PG_VERSION", lp.pgdata);
	if (access(version, F_OK) != 0 && !init_cluster(&lp))
		return NULL;
	if (!start_cluster(&lp) || !ensure_database(&lp))
		return NULL;
	return make_conninfo(&lp);
}
