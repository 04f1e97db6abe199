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

#include <string.h>

bool
pg_error(PGconn *conn, N2pError *err, const char *what, const PGresult *res)
{
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
	const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	size_t		len = strlen(msg);

	while (len > 0 && msg[len - 1] == '\n')
		len--;
	return n2p_error_set(err, N2P_ERR_IO, "%s: %.*s%s%s", what, (int) len, msg,
						 detail ? " " : "", detail ? detail : "");
}

bool
pg_exec_one(PGconn *conn, const char *sql, N2pError *err)
{
	PGresult   *res = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0);
	bool		ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	if (!ok)
		pg_error(conn, err, "PostgreSQL", res);
	PQclear(res);
	return ok;
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
	PGresult   *res = PQexecParams(conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0);
	bool		ok = PQresultStatus(res) == PGRES_COMMAND_OK &&
		strcmp(PQcmdStatus(res), "COMMIT") == 0;

	if (!ok)
		pg_error(conn, err, what, res);
	PQclear(res);
	return ok;
}
