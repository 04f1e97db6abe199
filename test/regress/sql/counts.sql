--
-- counts: nodes per label, relationships per type
--
SET search_path = neo4j, public;
-- output settings fixed so results do not depend on the server's defaults
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

SELECT (SELECT count(*) FROM nodes) AS nodes,
       (SELECT count(*) FROM relationships) AS relationships;

-- nodes per label (a node counts once per label it carries)
SELECT label, count(*)
  FROM nodes, unnest(labels) AS label
 GROUP BY label
 ORDER BY label COLLATE "C";

-- nodes per label combination, unlabeled nodes included
SELECT labels, cardinality(labels) AS n, count(*)
  FROM nodes
 GROUP BY labels
 ORDER BY labels::text COLLATE "C";

SELECT id, props FROM nodes WHERE labels = '{}' ORDER BY id;

-- label filters as users write them
SELECT count(*) AS persons FROM nodes WHERE labels @> ARRAY['Person'];
SELECT count(*) AS actor_directors FROM nodes WHERE labels && ARRAY['Actor', 'director'];
SELECT count(*) AS person_not_actor FROM nodes
 WHERE 'Person' = ANY (labels) AND NOT labels @> ARRAY['Actor'];
SELECT id, labels FROM nodes WHERE cardinality(labels) > 1
 ORDER BY id;

-- relationships per type
SELECT type, count(*)
  FROM relationships
 GROUP BY type
 ORDER BY type COLLATE "C";

-- relationship type by (start label set, end label set), well-known types only
SELECT r.type, s.labels AS start_labels, e.labels AS end_labels, count(*)
  FROM relationships r
  JOIN nodes s ON s.id = r.start_id
  JOIN nodes e ON e.id = r.end_id
 WHERE r.type = 'ACTED_IN'
 GROUP BY 1, 2, 3
 ORDER BY r.type, s.labels::text COLLATE "C", e.labels::text COLLATE "C";

-- rows without properties
SELECT (SELECT count(*) FROM nodes WHERE props = '{}') AS nodes_without_props,
       (SELECT count(*) FROM relationships WHERE props = '{}') AS rels_without_props;

-- degrees
SELECT * FROM (
    SELECT n.id, n.labels,
           (SELECT count(*) FROM relationships r WHERE r.start_id = n.id) AS out_deg,
           (SELECT count(*) FROM relationships r WHERE r.end_id = n.id) AS in_deg
      FROM nodes n) d
 ORDER BY out_deg + in_deg DESC, id
 LIMIT 8;

SELECT count(*) AS isolated_nodes
  FROM nodes n
 WHERE NOT EXISTS (SELECT 1 FROM relationships r
                    WHERE n.id IN (r.start_id, r.end_id));
