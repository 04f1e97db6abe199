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

-- A point's typed column without PostGIS, as the load's neo4j_point.
CREATE TYPE neo2pg_point AS (srid integer, x double precision, y double precision,
	z double precision);
