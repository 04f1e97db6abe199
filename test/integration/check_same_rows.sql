-- The graphs in schemas :a and :b are the same rows: every column of nodes
-- and relationships (element_id too, when both have it), the catalog, and
-- the graph's metadata in load_info.  Used after PostgreSQL -> backup ->
-- PostgreSQL and PostgreSQL -> PostgreSQL, which keep ids.
-- With -v only_rows=true, nodes and relationships alone: after rows were
-- changed with SQL, the source's catalog and load_info are out of date.
\set ON_ERROR_STOP 1
\if :{?only_rows}
\else
  \set only_rows false
\endif
-- the point type's schema is the only difference the catalog may show
CREATE TEMP VIEW cat_a AS SELECT to_jsonb(x) || jsonb_build_object('pg_type',
  regexp_replace(x.pg_type, '^"[^"]*"\.', '')) AS c FROM :"a".catalog x;
CREATE TEMP VIEW cat_b AS SELECT to_jsonb(x) || jsonb_build_object('pg_type',
  regexp_replace(x.pg_type, '^"[^"]*"\.', '')) AS c FROM :"b".catalog x;
CREATE TEMP VIEW diff AS
  SELECT 'nodes' AS t, count(*) AS n FROM (
    (SELECT to_jsonb(x) FROM :"a".nodes x EXCEPT ALL SELECT to_jsonb(y) FROM :"b".nodes y)
    UNION ALL (SELECT to_jsonb(y) FROM :"b".nodes y EXCEPT ALL SELECT to_jsonb(x) FROM :"a".nodes x)) d
  UNION ALL SELECT 'relationships', count(*) FROM (
    (SELECT to_jsonb(x) FROM :"a".relationships x EXCEPT ALL SELECT to_jsonb(y) FROM :"b".relationships y)
    UNION ALL (SELECT to_jsonb(y) FROM :"b".relationships y EXCEPT ALL SELECT to_jsonb(x) FROM :"a".relationships x)) d
  UNION ALL SELECT 'catalog', count(*) FROM (
    (SELECT c FROM cat_a EXCEPT ALL SELECT c FROM cat_b)
    UNION ALL (SELECT c FROM cat_b EXCEPT ALL SELECT c FROM cat_a)) d WHERE NOT :only_rows
  UNION ALL SELECT 'load_info ' || k, count(*) FROM unnest(ARRAY['db_id', 'uniqueness_constraints',
      'neo4j_schema', 'property_keys', 'node_labels', 'rel_types', 'node_count', 'relationship_count']) k
    WHERE NOT :only_rows AND (SELECT value FROM :"a".load_info WHERE key = k) IS DISTINCT FROM
          (SELECT value FROM :"b".load_info WHERE key = k)
      -- a live source knows no lists up front; a backup written from it has them
      AND NOT (k IN ('property_keys', 'node_labels', 'rel_types') AND
               (SELECT value FROM :"a".load_info WHERE key = k) = '[]')
    GROUP BY k;
SELECT (SELECT count(*) FROM :"a".nodes) AS nodes, (SELECT count(*) FROM :"a".relationships) AS rels,
       (SELECT coalesce(sum(n), 0) FROM diff) AS diffs \gset
\echo nodes :nodes relationships :rels differences :diffs
SELECT :diffs = 0 AND :nodes > 0 AS ok \gset
\if :ok
\else
  SELECT t || ': ' || n FROM diff WHERE n > 0;
  SELECT 'the rows differ'::int;
\endif
