-- The graphs in schemas :a and :b are the same, up to ids: every node
-- matched by its content (sorted labels, props, prop_types), every
-- relationship by its type, props, prop_types and its end nodes' content,
-- as multisets.  Used after an import into Neo4j, which gives new ids.
\set ON_ERROR_STOP 1
CREATE TEMP VIEW na AS SELECT id, (SELECT array_agg(l ORDER BY l) FROM unnest(labels) l)::text
  || props::text || coalesce(prop_types::text, '') AS c FROM :"a".nodes;
CREATE TEMP VIEW nb AS SELECT id, (SELECT array_agg(l ORDER BY l) FROM unnest(labels) l)::text
  || props::text || coalesce(prop_types::text, '') AS c FROM :"b".nodes;
CREATE TEMP VIEW ra AS SELECT r.type || r.props::text || coalesce(r.prop_types::text, '') || s.c || '->' || e.c AS c
  FROM :"a".relationships r JOIN na s ON s.id = r.start_id JOIN na e ON e.id = r.end_id;
CREATE TEMP VIEW rb AS SELECT r.type || r.props::text || coalesce(r.prop_types::text, '') || s.c || '->' || e.c AS c
  FROM :"b".relationships r JOIN nb s ON s.id = r.start_id JOIN nb e ON e.id = r.end_id;
SELECT (SELECT count(*) FROM :"a".nodes) AS nodes_a, (SELECT count(*) FROM :"b".nodes) AS nodes_b,
       (SELECT count(*) FROM :"a".relationships) AS rels_a, (SELECT count(*) FROM :"b".relationships) AS rels_b,
       (SELECT count(*) FROM ((SELECT c FROM na EXCEPT ALL SELECT c FROM nb)
                              UNION ALL (SELECT c FROM nb EXCEPT ALL SELECT c FROM na)) d) AS node_diffs,
       (SELECT count(*) FROM ((SELECT c FROM ra EXCEPT ALL SELECT c FROM rb)
                              UNION ALL (SELECT c FROM rb EXCEPT ALL SELECT c FROM ra)) d) AS rel_diffs
\gset
\echo nodes :nodes_a :nodes_b relationships :rels_a :rels_b differences :node_diffs :rel_diffs
SELECT :nodes_a = :nodes_b AND :rels_a = :rels_b AND :node_diffs = 0 AND :rel_diffs = 0 AS ok \gset
\if :ok
\else
  SELECT 'only in a: ' || c FROM (SELECT c FROM na EXCEPT ALL SELECT c FROM nb) x LIMIT 3;
  SELECT 'only in b: ' || c FROM (SELECT c FROM nb EXCEPT ALL SELECT c FROM na) x LIMIT 3;
  SELECT 'the graphs differ'::int;
\endif
