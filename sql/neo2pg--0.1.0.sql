/* sql/neo2pg--0.1.0.sql: CREATE EXTENSION neo2pg */

\echo Use "CREATE EXTENSION neo2pg" to load this file. \quit

-- The version of the neo2pg core the shared object was built from.
CREATE FUNCTION neo2pg_version() RETURNS text
	AS 'MODULE_PATHNAME', 'neo2pg_version'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- A neo4j-backup literal ($date('…'), $time, $datetime, $duration,
-- $point({…})) as props holds it, and its Neo4j type as prop_types names it.
CREATE FUNCTION neo2pg_literal(literal text, OUT value jsonb, OUT type text)
	RETURNS record
	AS 'MODULE_PATHNAME', 'neo2pg_literal'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The foreign data wrapper: a server is a neo4j-backup directory (its
-- path option), IMPORT FOREIGN SCHEMA neo4j makes the load's layout.
CREATE FUNCTION neo2pg_fdw_handler() RETURNS fdw_handler
	AS 'MODULE_PATHNAME', 'neo2pg_fdw_handler'
	LANGUAGE C STRICT;

CREATE FUNCTION neo2pg_fdw_validator(text[], oid) RETURNS void
	AS 'MODULE_PATHNAME', 'neo2pg_fdw_validator'
	LANGUAGE C STRICT;

CREATE FOREIGN DATA WRAPPER neo2pg
	HANDLER neo2pg_fdw_handler
	VALIDATOR neo2pg_fdw_validator;

-- A backup row's node_props or rel_props, with its hash_props, as the load
-- stores them in props and prop_types (NULL when no key needs a type).
-- Both are JSON text as the backup writes it (NaN, Infinity, -0.0 and
-- float spellings kept; jsonb would lose them).  replace_nul replaces
-- U+0000 as neo2pg copy --replace-nul does; without it U+0000 is an error.
-- Not STRICT: hash_props and replace_nul may be NULL.
CREATE FUNCTION neo2pg_props(raw_props text, hash_props text DEFAULT NULL,
							 replace_nul text DEFAULT NULL,
							 OUT props jsonb, OUT prop_types jsonb)
	RETURNS record
	AS 'MODULE_PATHNAME', 'neo2pg_props'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Every row of a backup directory on the server, read with the load's
-- rules: its counts, or an ERROR naming the first bad row's file and row.
-- For superusers and roles with privileges of pg_read_server_files.
-- VOLATILE: the files may change between calls.
CREATE FUNCTION neo2pg_backup_rows(path text, OUT nodes bigint, OUT relationships bigint)
	RETURNS record
	AS 'MODULE_PATHNAME', 'neo2pg_backup_rows'
	LANGUAGE C VOLATILE STRICT PARALLEL SAFE;

-- A point as a typed view without PostGIS holds it (the load's
-- <schema>.neo4j_point has the same fields; z is NULL for 2-D points).
CREATE TYPE neo2pg_point AS (srid integer, x double precision,
							 y double precision, z double precision);

-- Native values, as the typed views and tables hold them: from a backup
-- literal ($date('…')) or the text props holds (text), or from a props
-- value (jsonb: props->'k', or a literal string in raw backup JSON).  A
-- value the native type cannot hold (a year outside 1..9999, an offset
-- beyond ±15:59:59, months overflowing int32) gives NULL, as in the typed
-- views; a value of another Neo4j type, or malformed text, is an error
-- naming it.  IMMUTABLE: the text they cast is canonical ISO 8601 with
-- four-digit years and explicit offsets, which no setting (DateStyle,
-- TimeZone, IntervalStyle) changes the reading of; a timestamptz takes
-- its instant from the offset and ignores the zone id of
-- "…+01:00[Europe/Paris]", so the server's tzdata is never consulted.
CREATE FUNCTION neo2pg_date(text) RETURNS date
	AS 'MODULE_PATHNAME', 'neo2pg_date_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION neo2pg_date(jsonb) RETURNS date
	AS 'MODULE_PATHNAME', 'neo2pg_date_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION neo2pg_time(text) RETURNS time
	AS 'MODULE_PATHNAME', 'neo2pg_time_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION neo2pg_time(jsonb) RETURNS time
	AS 'MODULE_PATHNAME', 'neo2pg_time_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION neo2pg_timetz(text) RETURNS timetz
	AS 'MODULE_PATHNAME', 'neo2pg_timetz_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION neo2pg_timetz(jsonb) RETURNS timetz
	AS 'MODULE_PATHNAME', 'neo2pg_timetz_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION neo2pg_timestamp(text) RETURNS timestamp
	AS 'MODULE_PATHNAME', 'neo2pg_timestamp_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION neo2pg_timestamp(jsonb) RETURNS timestamp
	AS 'MODULE_PATHNAME', 'neo2pg_timestamp_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION neo2pg_timestamptz(text) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'neo2pg_timestamptz_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION neo2pg_timestamptz(jsonb) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'neo2pg_timestamptz_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION neo2pg_interval(text) RETURNS interval
	AS 'MODULE_PATHNAME', 'neo2pg_interval_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION neo2pg_interval(jsonb) RETURNS interval
	AS 'MODULE_PATHNAME', 'neo2pg_interval_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION neo2pg_point(text) RETURNS neo2pg_point
	AS 'MODULE_PATHNAME', 'neo2pg_point_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION neo2pg_point(jsonb) RETURNS neo2pg_point
	AS 'MODULE_PATHNAME', 'neo2pg_point_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- PostGIS is not required: a point as PostGIS's EWKT text
-- ('SRID=4326;POINT(56 12)'), which geometry's input reads back into the
-- geometry the typed views build: neo2pg_point_ewkt(props->'k')::geometry.
CREATE FUNCTION neo2pg_point_ewkt(text) RETURNS text
	AS 'MODULE_PATHNAME', 'neo2pg_point_ewkt_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION neo2pg_point_ewkt(jsonb) RETURNS text
	AS 'MODULE_PATHNAME', 'neo2pg_point_ewkt_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
