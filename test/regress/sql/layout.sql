--
-- layout: tables, columns, indexes and constraints neo2pg creates
--
SET search_path = neo4j, public;
-- output settings fixed so results do not depend on the server's defaults
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

\d nodes
\d relationships
\d load_info

-- the same, from the catalogs (stable across psql versions)
SELECT c.relname, c.relkind
  FROM pg_class c
 WHERE c.relnamespace = 'neo4j'::regnamespace
 ORDER BY c.relname COLLATE "C";

SELECT table_name, ordinal_position, column_name, data_type, is_nullable
  FROM information_schema.columns
 WHERE table_schema = 'neo4j'
 ORDER BY table_name COLLATE "C", ordinal_position;

SELECT tablename, indexname, indexdef
  FROM pg_indexes
 WHERE schemaname = 'neo4j'
 ORDER BY tablename COLLATE "C", indexname COLLATE "C";

SELECT conrelid::regclass::text AS tab, conname, contype,
       pg_get_constraintdef(oid) AS def
  FROM pg_constraint
 WHERE connamespace = 'neo4j'::regnamespace
 ORDER BY conrelid::regclass::text COLLATE "C", conname::text COLLATE "C";

-- the unique index behind the Neo4j constraint is an index, not a
-- table constraint (ON CONFLICT must infer it, ON CONSTRAINT cannot name it)
SELECT count(*) AS constraint_rows
  FROM pg_constraint WHERE conname = 'constraint_person_uid';
SELECT i.indisunique, i.indisprimary, pg_get_expr(i.indpred, i.indrelid) AS predicate,
       pg_get_indexdef(i.indexrelid, 1, true) AS key
  FROM pg_index i
 WHERE i.indexrelid = 'neo4j.constraint_person_uid'::regclass;
