--
-- spatial: points are {"srid", "x", "y"[, "z"]} objects
--
SET search_path = neo4j, public;
-- output settings fixed so results do not depend on the server's defaults
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

CREATE TEMP VIEW point_props AS
SELECT 'node'::text AS kind, n.id, p.key, p.value AS pt
  FROM nodes n, jsonb_each(n.props) AS p
 WHERE n.prop_types->>p.key = 'point'
UNION ALL
SELECT 'relationship', r.id, p.key, p.value
  FROM relationships r, jsonb_each(r.props) AS p
 WHERE r.prop_types->>p.key = 'point';

SELECT key, (pt->>'srid')::int AS srid,
       (pt->>'x')::float8 AS x, (pt->>'y')::float8 AS y, (pt->>'z')::float8 AS z,
       pt ? 'z' AS is_3d
  FROM point_props
 WHERE kind = 'node' AND id = 7
 ORDER BY key COLLATE "C";

-- node 7 and relationship 7 carry the same points
SELECT n.props = r.props AS same_props, n.prop_types = r.prop_types AS same_types
  FROM nodes n, relationships r WHERE n.id = 7 AND r.id = 7;

-- srid tells the coordinate system and the dimension
SELECT (pt->>'srid')::int AS srid,
       CASE (pt->>'srid')::int
         WHEN 7203 THEN 'cartesian' WHEN 9157 THEN 'cartesian-3d'
         WHEN 4326 THEN 'wgs-84' WHEN 4979 THEN 'wgs-84-3d' END AS crs,
       count(*), bool_and(pt ? 'z') AS all_3d, bool_or(pt ? 'z') AS any_3d
  FROM point_props GROUP BY 1 ORDER BY 1;
SELECT count(*) AS malformed
  FROM point_props
 WHERE NOT (pt ?& ARRAY['srid', 'x', 'y'])
    OR jsonb_typeof(pt->'srid') <> 'number';

-- cartesian distances (squaring 5e-324 would underflow: cartesian_3d_tiny
-- is left out)
SELECT key,
       sqrt((pt->>'x')::float8 ^ 2 + (pt->>'y')::float8 ^ 2
            + coalesce((pt->>'z')::float8, 0) ^ 2) AS dist_from_origin
  FROM point_props
 WHERE kind = 'node' AND id = 7 AND (pt->>'srid')::int IN (7203, 9157)
   AND key <> 'cartesian_3d_tiny'
 ORDER BY key COLLATE "C";
SELECT point((props->'cartesian'->>'x')::float8, (props->'cartesian'->>'y')::float8)
       <-> point(0, 4) AS dist_2d
  FROM nodes WHERE id = 7;
-- pairwise distances between all 2-D cartesian points of relationships
SELECT a.id AS a, b.id AS b, a.key AS a_key, b.key AS b_key,
       round((point((a.pt->>'x')::float8, (a.pt->>'y')::float8)
              <-> point((b.pt->>'x')::float8, (b.pt->>'y')::float8))::numeric, 3) AS dist
  FROM point_props a JOIN point_props b
    ON (a.kind, a.id, a.key) < (b.kind, b.id, b.key)
 WHERE a.kind = 'relationship' AND b.kind = 'relationship'
   AND (a.pt->>'srid')::int = 7203 AND (b.pt->>'srid')::int = 7203
   AND a.key <> 'cartesian_odd' AND b.key <> 'cartesian_odd'
 ORDER BY a.id, a.key COLLATE "C", b.id, b.key COLLATE "C";

-- great-circle distance (haversine, km) between WGS-84 points of node 7
SELECT round((2 * 6371.0 * asin(sqrt(
         sin(radians((b->>'y')::float8 - (a->>'y')::float8) / 2) ^ 2
         + cos(radians((a->>'y')::float8)) * cos(radians((b->>'y')::float8))
           * sin(radians((b->>'x')::float8 - (a->>'x')::float8) / 2) ^ 2)))::numeric, 1) AS km
  FROM (SELECT props->'wgs84' AS a, props->'wgs84_frac' AS b FROM nodes WHERE id = 7) s;

-- coordinates jsonb cannot hold as numbers are strings, still castable
SELECT key, jsonb_typeof(pt->'x') AS x_json, jsonb_typeof(pt->'y') AS y_json,
       (pt->>'x')::float8 AS x, (pt->>'y')::float8 AS y, (pt->>'z')::float8 AS z
  FROM point_props
 WHERE kind = 'node' AND id = 7 AND key IN ('cartesian_odd', 'cartesian_3d_tiny')
 ORDER BY key COLLATE "C";

-- lists of points
SELECT key, ord, (p->>'srid')::int AS srid, (p->>'x')::float8 AS x,
       (p->>'y')::float8 AS y, (p->>'z')::float8 AS z
  FROM nodes, jsonb_object_keys(props) AS key,
       jsonb_array_elements(props->key) WITH ORDINALITY AS e(p, ord)
 WHERE id = 8 AND prop_types->>key = 'list<point>'
 ORDER BY key COLLATE "C", ord;

-- bounding-box filter on WGS-84 points
SELECT kind, id, key, (pt->>'x')::float8 AS lon, (pt->>'y')::float8 AS lat
  FROM point_props
 WHERE (pt->>'srid')::int IN (4326, 4979)
   AND (pt->>'y')::float8 BETWEEN 0 AND 60
 ORDER BY kind, id, key COLLATE "C";
