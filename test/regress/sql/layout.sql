--
-- layout: tables, columns, indexes and constraints neo2pg creates
--
SET search_path = neo4j, public;

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

-- the GIN index on labels is usable for label filters
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM nodes WHERE labels @> ARRAY['Person'];
EXPLAIN (COSTS OFF) SELECT id FROM relationships WHERE type = 'KNOWS';
EXPLAIN (COSTS OFF) SELECT id FROM relationships WHERE start_id = 10;
EXPLAIN (COSTS OFF) SELECT id FROM nodes
 WHERE labels @> ARRAY['Person'] AND props->>'uid' = '10';
RESET enable_seqscan;
