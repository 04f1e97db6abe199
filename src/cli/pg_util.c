/*-------------------------------------------------------------------------
 *
 * pg_util.c
 *	  libpq helpers shared by the PostgreSQL sink and the typed relations.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/cli/pg_util.c
 *
 *-------------------------------------------------------------------------
 */
#include "pg_util.h"
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static _Thread_local char noted_sql[160];

void
pg_note_sql(const char *sql)
{
	size_t		n = strlen(sql);

	/* cut on a character boundary: the statement is UTF-8 */
	if (n >= sizeof(noted_sql))
	{
		n = sizeof(noted_sql) - 4;
		while (n > 0 && (sql[n] & 0xC0) == 0x80)
			n--;
	}
	snprintf(noted_sql, sizeof(noted_sql), "%.*s%s", (int) n, sql, sql[n] ? "..." : "");
}

bool
pg_error(PGconn *conn, N2pError *err, const char *what, const PGresult *res)
{
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
	const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	size_t		len = strlen(msg);

	/* the statement our cancel stopped, or any failure after a signal */
	if (interrupt_signal() != 0)
		return interrupt_check(err);
	while (len > 0 && msg[len - 1] == '\n')
		len--;
	if (state && strcmp(state, "55P03") == 0)
		return n2p_error_set(err, N2P_ERR_IO, "%s: %.*s: waited for a lock another session holds "
							 "until lock_timeout ran out, in: %s", what, (int) len, msg, noted_sql);
	return n2p_error_set(err, N2P_ERR_IO, "%s: %.*s%s%s", what, (int) len, msg,
						 detail ? " " : "", detail ? detail : "");
}

bool
pg_exec_one(PGconn *conn, const char *sql, N2pError *err)
{
	PGresult   *res;
	bool		ok;

	/* a cancel that came between two statements stopped neither */
	if (!interrupt_check(err))
		return false;
	pg_note_sql(sql);
	res = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	if (!ok)
		pg_error(conn, err, "PostgreSQL", res);
	PQclear(res);
	return ok;
}

bool
pg_copy_begin(PGconn *conn, const char *sql, const char *what, N2pError *err)
{
	PGresult   *res;
	bool		ok;

	if (!interrupt_check(err))
		return false;
	res = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COPY_IN;

	if (!ok)
		pg_error(conn, err, what, res);
	PQclear(res);
	return ok;
}

bool
pg_copy_put(PGconn *conn, const char *data, size_t len, const char *what, N2pError *err)
{
	if (len > INT_MAX)
		return n2p_error_set(err, N2P_ERR_LIMIT, "%s: a piece of %zu bytes", what, len);
	return len == 0 || PQputCopyData(conn, data, (int) len) == 1 ||
		pg_error(conn, err, what, NULL);
}

bool
pg_copy_finish(PGconn *conn, const char *abort_reason, const char *what, N2pError *err)
{
	PGresult   *res;
	bool		ok = true;

	if (PQputCopyEnd(conn, abort_reason) != 1)
		return pg_error(conn, err, what, NULL);
	while ((res = PQgetResult(conn)) != NULL)
	{
		if (PQresultStatus(res) != PGRES_COMMAND_OK && ok && !abort_reason)
			ok = pg_error(conn, err, what, res);
		PQclear(res);
	}
	return ok && !abort_reason;
}

bool
pg_commit(PGconn *conn, const char *what, N2pError *err)
{
	PGresult   *res;
	bool		ok;

	if (!interrupt_check(err))
		return false;
	res = PQexecParams(conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(res), "COMMIT") == 0;

	if (!ok)
		pg_error(conn, err, what, res);
	PQclear(res);
	return ok;
}

/* ------------------------------------------------ checking a target */

/* libpq's parse_int_param: an int, blanks around it allowed. */
static bool
int_ok(const char *v, long min, long max)
{
	char	   *end;
	long		n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (end == v || errno == ERANGE || n < min || n > max)
		return false;
	while (isspace((unsigned char) *end))
		end++;
	return *end == '\0';
}

static bool
one_of(const char *v, const char *const *allowed, bool nocase)
{
	for (; *allowed; allowed++)
		if ((nocase ? strcasecmp(v, *allowed) : strcmp(v, *allowed)) == 0)
			return true;
	return false;
}

/* Each element of a comma-separated list passes check (empty ones do). */
static bool
each_ok(const char *v, bool (*check) (const char *elem))
{
	char	   *copy = xstrdup(v),
			   *p = copy,
			   *comma;
	bool		ok = true;

	do
	{
		if ((comma = strchr(p, ',')) != NULL)
			*comma = '\0';
		ok = *p == '\0' || check(p);
		p = comma + 1;
	} while (ok && comma);
	free(copy);
	return ok;
}

static bool
port_ok(const char *v)
{
	return int_ok(v, 1, 65535);
}

/* A socket directory (or abstract socket), or a name or address. */
static bool
host_ok(const char *v)
{
	if (v[0] == '/' || v[0] == '@')
		return true;
	for (; *v; v++)
		if (!isalnum((unsigned char) *v) && strchr(".-_:%", *v) == NULL)
			return false;
	return true;
}

/* What libpq's getaddrinfo(AI_NUMERICHOST) takes. */
static bool
address_ok(const char *v)
{
	struct addrinfo hint = {.ai_flags = AI_NUMERICHOST},
			   *res = NULL;
	bool		ok = getaddrinfo(v, NULL, &hint, &res) == 0;

	if (res)
		freeaddrinfo(res);
	return ok;
}

typedef struct OptionRule
{
	const char *keyword;
	const char *expect;			/* for the message */
	const char *const *allowed;
	bool		nocase;
	bool		(*list) (const char *elem);
	bool		integer;
} OptionRule;

static const char *const sslmodes[] = {"disable", "allow", "prefer", "require", "verify-ca",
"verify-full", NULL};
static const char *const three[] = {"disable", "prefer", "require", NULL};
static const char *const attrs[] = {"any", "read-write", "read-only", "primary", "standby",
"prefer-standby", NULL};
static const char *const tls[] = {"", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3", NULL};
static const char *const balance[] = {"disable", "random", NULL};

/*
 * The options whose invalid values libpq puts in its messages, with
 * libpq's own rules (PostgreSQL 15's fe-connect.c).
 */
static const OptionRule option_rules[] = {
	{"host", "host names, IP addresses or socket directories", NULL, false, host_ok, false},
	{"hostaddr", "IP addresses", NULL, false, address_ok, false},
	{"port", "port numbers (1 to 65535)", NULL, false, port_ok, false},
	{"connect_timeout", "an integer", NULL, false, NULL, true},
	{"keepalives", "an integer", NULL, false, NULL, true},
	{"keepalives_idle", "an integer", NULL, false, NULL, true},
	{"keepalives_interval", "an integer", NULL, false, NULL, true},
	{"keepalives_count", "an integer", NULL, false, NULL, true},
	{"tcp_user_timeout", "an integer", NULL, false, NULL, true},
	{"sslmode", "disable, allow, prefer, require, verify-ca or verify-full", sslmodes, false, NULL, false},
	{"gssencmode", "disable, prefer or require", three, false, NULL, false},
	{"channel_binding", "disable, prefer or require", three, false, NULL, false},
	{"target_session_attrs", "any, read-write, read-only, primary, standby or prefer-standby", attrs,
	false, NULL, false},
	{"ssl_min_protocol_version", "TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3", tls, true, NULL, false},
	{"ssl_max_protocol_version", "TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3", tls, true, NULL, false},
	{"load_balance_hosts", "disable or random", balance, false, NULL, false},
};

static bool
rule_ok(const OptionRule *r, const char *v)
{
	if (r->integer)
		return int_ok(v, INT_MIN, INT_MAX);
	if (r->list)
		return each_ok(v, r->list);
	return one_of(v, r->allowed, r->nocase);
}

/* The value a connection would use: given, else the environment's. */
static const char *
effective(const char *keyword, const PQconninfoOption *given, const char *const *keys,
		  const char *const *vals, const PQconninfoOption *defaults, const char **env)
{
	const PQconninfoOption *o;
	size_t		i;

	*env = NULL;
	for (o = given; o && o->keyword; o++)
		if (strcmp(o->keyword, keyword) == 0 && o->val)
			return o->val;
	for (i = 0; keys[i]; i++)
		if (strcmp(keys[i], keyword) == 0 && vals[i] && (given == NULL || strcmp(keyword, "dbname") != 0))
			return vals[i];
	for (o = defaults; o && o->keyword; o++)
		if (strcmp(o->keyword, keyword) == 0 && o->val)
		{
			if (o->envvar && getenv(o->envvar) && strcmp(getenv(o->envvar), o->val) == 0)
				*env = o->envvar;
			return o->val;
		}
	return NULL;
}

static bool
check_options(const PQconninfoOption *given, const char *const *keys, const char *const *vals,
			  N2pError *err)
{
	PQconninfoOption *defaults = PQconndefaults();
	bool		ok = true;
	size_t		i;

	for (i = 0; ok && i < sizeof(option_rules) / sizeof(option_rules[0]); i++)
	{
		const OptionRule *r = &option_rules[i];
		const char *env,
				   *v = effective(r->keyword, given, keys, vals, defaults, &env);

		if (v == NULL || *v == '\0' || rule_ok(r, v))
			continue;
		ok = n2p_error_set(err, N2P_ERR_USAGE, "the target's %s%s%s%s is not valid: it takes %s "
						   "(the value is not shown: it could hold a password)", r->keyword,
						   env ? " (from " : "", env ? env : "", env ? ")" : "", r->expect);
	}
	PQconninfoFree(defaults);
	return ok;
}

bool
pg_check_target(const char *const *keys, const char *const *vals, bool expand_dbname, N2pError *err)
{
	PQconninfoOption *given = NULL;
	char	   *perr = NULL;
	const char *dbname = NULL;
	size_t		i;
	bool		ok;

	for (i = 0; keys[i]; i++)
		if (strcmp(keys[i], "dbname") == 0)
			dbname = vals[i];
	/*
	 * libpq's parse errors quote pieces of the string, which may be a
	 * password: check the syntax first and say only that it is wrong.
	 */
	if (expand_dbname && dbname && (given = PQconninfoParse(dbname, &perr)) == NULL)
	{
		PQfreemem(perr);
		return n2p_error_set(err, N2P_ERR_USAGE,
							 "the target is not a valid PostgreSQL URI or conninfo string "
							 "(details withheld: they could show a password)");
	}
	ok = check_options(given, keys, vals, err);
	PQconninfoFree(given);
	return ok;
}
