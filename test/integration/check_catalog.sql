-- Compare a loaded graph's catalog with tools/read_backup.py --catalog:
-- the values per label or type, key and Neo4j type, and the rows per
-- label or type (key NULL, compared as '': no key is empty).  Usage:
--   psql -v ON_ERROR_STOP=1 -v schema=S -f this < CATALOG.jsonl
\set QUIET on
SET client_min_messages = warning;
SELECT set_config('search_path', quote_ident(:'schema') || ', public', false) \gset
CREATE TEMP TABLE cat_raw (line text);
\copy cat_raw FROM pstdin WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02')
CREATE TEMP TABLE cat_exp AS
  SELECT j->>'kind' AS kind, j->>'scope' AS scope, coalesce(j->>'key', '') AS key,
         coalesce(j->>'neo4j_type', '') AS neo4j_type, (j->>'values')::bigint AS values
    FROM (SELECT line::jsonb AS j FROM cat_raw) x;
CREATE TEMP TABLE cat_problems AS
  SELECT coalesce(e.kind, a.kind) AS kind, coalesce(e.scope, a.scope) AS scope,
         coalesce(e.key, a.key) AS key, coalesce(e.neo4j_type, a.neo4j_type) AS neo4j_type,
         e.values AS expected, a.values AS actual
    FROM cat_exp e
    FULL JOIN (SELECT kind, scope, coalesce(key, '') AS key, coalesce(neo4j_type, '') AS neo4j_type, values
                 FROM catalog) a
      ON (e.kind, e.scope, e.key, e.neo4j_type) = (a.kind, a.scope, a.key, a.neo4j_type)
   WHERE e.values IS DISTINCT FROM a.values;
\set QUIET off
SELECT * FROM cat_problems ORDER BY 1, 2, 3, 4 LIMIT 20;
DO $$ BEGIN
  IF (SELECT count(*) FROM cat_problems) > 0 THEN
    RAISE EXCEPTION 'catalog check failed';
  END IF;
END $$;
