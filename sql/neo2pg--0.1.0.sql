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

