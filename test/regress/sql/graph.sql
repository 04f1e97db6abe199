--
-- graph: traversals through relationships
--
SET search_path = neo4j, public;
-- output settings fixed so results do not depend on the server's defaults
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

-- neighbours of Ann (uid 10), both directions
SELECT 'out' AS dir, r.id AS rel, r.type, m.id AS other, m.labels, r.props
  FROM nodes n
  JOIN relationships r ON r.start_id = n.id
  JOIN nodes m ON m.id = r.end_id
 WHERE n.labels @> ARRAY['Person'] AND n.props->>'uid' = '10'
UNION ALL
SELECT 'in', r.id, r.type, m.id, m.labels, r.props
  FROM nodes n
  JOIN relationships r ON r.end_id = n.id
  JOIN nodes m ON m.id = r.start_id
 WHERE n.labels @> ARRAY['Person'] AND n.props->>'uid' = '10'
 ORDER BY 1 DESC, 2;

-- self loops
SELECT id, type, start_id, props FROM relationships
 WHERE start_id = end_id ORDER BY id;

-- parallel relationships (same start and end, direction respected)
SELECT start_id, end_id, array_agg(type ORDER BY id) AS types,
       array_agg(id ORDER BY id) AS ids
  FROM relationships
 GROUP BY start_id, end_id HAVING count(*) > 1
 ORDER BY start_id, end_id;
SELECT r.id, (r.props->>'since')::int AS since
  FROM relationships r
 WHERE r.start_id = 10 AND r.end_id = 5 AND r.type = 'KNOWS'
 ORDER BY since;

-- relationship types that need quoting in Cypher, with their end points
SELECT r.id, r.type, s.labels AS start_labels, e.labels AS end_labels
  FROM relationships r
  JOIN nodes s ON s.id = r.start_id
  JOIN nodes e ON e.id = r.end_id
 WHERE r.type !~ '^[A-Z_]+$'
 ORDER BY r.id;

-- who acted in which movie
SELECT p.id AS person, p.props->>'name' AS name, m.id AS movie
  FROM nodes p
  JOIN relationships r ON r.start_id = p.id AND r.type = 'ACTED_IN'
  JOIN nodes m ON m.id = r.end_id AND m.labels @> ARRAY['Movie']
 WHERE p.labels @> ARRAY['Person']
 ORDER BY p.id, m.id;

-- two-hop paths from node 10, loops skipped
SELECT r1.type AS t1, r1.end_id AS via, r2.type AS t2, r2.end_id AS target
  FROM relationships r1
  JOIN relationships r2 ON r2.start_id = r1.end_id
 WHERE r1.start_id = 10 AND r1.end_id <> r1.start_id AND r2.end_id <> r2.start_id
 ORDER BY via, target, t1, t2;
SELECT count(DISTINCT r2.end_id) AS two_hop_targets
  FROM relationships r1
  JOIN relationships r2 ON r2.start_id = r1.end_id
 WHERE r1.start_id = 10;

-- friends of friends over KNOWS, ignoring direction
WITH knows AS (
    SELECT start_id AS a, end_id AS b FROM relationships WHERE type = 'KNOWS'
    UNION
    SELECT end_id, start_id FROM relationships WHERE type = 'KNOWS'
)
SELECT DISTINCT k1.a AS person, k2.b AS fof
  FROM knows k1 JOIN knows k2 ON k2.a = k1.b
 WHERE k1.a = 10 AND k2.b <> k1.a
 ORDER BY fof;

-- recursive CTE: everything reachable from node 10 (outgoing edges)
WITH RECURSIVE reach(id) AS (
    SELECT 10::bigint
    UNION
    SELECT r.end_id FROM relationships r JOIN reach ON r.start_id = reach.id
)
SELECT count(*) AS reachable, array_agg(id ORDER BY id) AS ids FROM reach;

-- recursive CTE: shortest hop count from node 10, with a path, depth <= 4
WITH RECURSIVE walk(id, depth, path) AS (
    SELECT 10::bigint, 0, ARRAY[10::bigint]
    UNION ALL
    SELECT r.end_id, w.depth + 1, w.path || r.end_id
      FROM walk w JOIN relationships r ON r.start_id = w.id
     WHERE w.depth < 4 AND NOT r.end_id = ANY (w.path)
)
SELECT DISTINCT ON (id) id, depth, path
  FROM walk
 ORDER BY id, depth, path;

-- connected component of node 0, ignoring direction
WITH RECURSIVE und(a, b) AS (
    SELECT start_id, end_id FROM relationships
    UNION SELECT end_id, start_id FROM relationships
), comp(id) AS (
    SELECT 0::bigint
    UNION
    SELECT und.b FROM und JOIN comp ON und.a = comp.id
)
SELECT count(*) AS connected_to_node_0 FROM comp;

-- nodes no one points at, and nodes that point nowhere
SELECT id, labels FROM nodes n
 WHERE NOT EXISTS (SELECT 1 FROM relationships r WHERE r.end_id = n.id)
 ORDER BY id;
SELECT id, labels FROM nodes n
 WHERE NOT EXISTS (SELECT 1 FROM relationships r WHERE r.start_id = n.id)
 ORDER BY id;
