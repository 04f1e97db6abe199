--
-- typed_postgis: typed views in a database with PostGIS, where points are
-- geometry(Point[Z], srid); run by test/regress/schedule_postgis
--
SET search_path = neo4j, public;
-- output settings fixed so results do not depend on the server's defaults
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

SELECT count(*) AS postgis FROM pg_extension WHERE extname = 'postgis';
SELECT to_regtype('neo4j.neo4j_point') AS composite_point_type;

-- point keys and their geometry types
SELECT kind, scope, key, pg_type
  FROM (SELECT DISTINCT kind, scope, key, pg_type FROM catalog WHERE pg_type LIKE 'geometry%') s
 ORDER BY kind, scope COLLATE "C", key COLLATE "C";
SELECT column_name, udt_name
  FROM information_schema.columns
 WHERE table_schema = 'neo4j' AND table_name = 'back\slash'
 ORDER BY ordinal_position;

-- node 7: every kind of point
SELECT key, ST_SRID(g) AS srid, ST_AsText(g) AS wkt, ST_NDims(g) AS dims
  FROM "back\slash" v,
       LATERAL (VALUES ('cartesian', cartesian), ('cartesian_3d', cartesian_3d),
                       ('wgs84', wgs84), ('wgs84_3d', wgs84_3d), ('wgs84_frac', wgs84_frac),
                       ('cartesian_odd', cartesian_odd)) AS p(key, g)
 WHERE v.id = 7
 ORDER BY key COLLATE "C";
SELECT ST_X(cartesian_3d_tiny) AS x, ST_Y(cartesian_3d_tiny) AS y, ST_Z(cartesian_3d_tiny) AS z,
       float8send(ST_X(cartesian_odd)) AS minus_zero_bits
  FROM "back\slash" WHERE id = 7;

-- distances: WGS-84 in metres through geography, cartesian in plane units
SELECT round((ST_Distance(wgs84::geography, wgs84_frac::geography) / 1000)::numeric, 1) AS km_spheroid,
       round((ST_Distance(wgs84::geography, wgs84_frac::geography, false) / 1000)::numeric, 1) AS km_sphere,
       round(ST_Distance(cartesian, ST_SetSRID(ST_MakePoint(0, 4), 7203))::numeric, 6) AS cartesian_dist,
       round(ST_3DDistance(cartesian_3d, ST_SetSRID(ST_MakePoint(0, 0, 0), 9157))::numeric, 6) AS dist_3d
  FROM "back\slash" WHERE id = 7;
-- one degree of latitude along a meridian is about 111 km
SELECT round((ST_Distance(ST_SetSRID(ST_MakePoint(56, 12), 4326)::geography, wgs84::geography))::numeric) AS same_point_m,
       round((ST_Distance(ST_SetSRID(ST_MakePoint(56, 13), 4326)::geography, wgs84::geography) / 1000)::numeric) AS one_degree_km
  FROM "back\slash" WHERE id = 7;
-- within a radius, between the WGS-84 locations of nodes and relationships
SELECT a.id AS person, b.id AS movie,
       round((ST_Distance(a.location::geography, b.location::geography) / 1000)::numeric) AS km
  FROM "Person" a, "Movie" b
 WHERE ST_SRID(a.location) = 4326 AND ST_SRID(b.location) = 4326
 ORDER BY 1, 2;
SELECT id, ST_AsText(location) AS wkt
  FROM "Person"
 WHERE ST_SRID(location) = 4326
   AND ST_DWithin(location::geography, ST_SetSRID(ST_MakePoint(-114, -85), 4326)::geography, 100000)
 ORDER BY id;
-- bounding box filter
SELECT 'node' AS kind, id, ST_AsText(location) AS wkt FROM "Movie"
 WHERE ST_SRID(location) = 4326 AND location && ST_MakeEnvelope(0, -90, 180, 90, 4326)
UNION ALL
SELECT 'relationship', id, ST_AsText(location) FROM "ACTED_IN"
 WHERE ST_SRID(location) = 4326 AND location && ST_MakeEnvelope(0, -90, 180, 90, 4326)
 ORDER BY 1, 2;
-- mixed SRIDs under one key: plain geometry, one SRID per value
SELECT id, ST_SRID(location) AS srid, ST_AsText(location) AS wkt
  FROM "Movie" WHERE location IS NOT NULL ORDER BY id;

-- lists of points: geometry[]
SELECT id, i, ST_AsText(p) AS wkt, ST_SRID(p) AS srid
  FROM "Movie", unnest(points) WITH ORDINALITY AS u(p, i) WHERE id = 8
UNION ALL
SELECT id, i, ST_AsText(p), ST_SRID(p)
  FROM "Movie", unnest(points_3d) WITH ORDINALITY AS u(p, i) WHERE id = 8
 ORDER BY 1, 4, 2;
SELECT round((ST_Distance(points[1]::geography, points[2]::geography) / 1000)::numeric, 1) AS km_between_list_points
  FROM "Movie" WHERE id = 8;
-- a line through a node's list of points
SELECT ST_AsText(ST_MakeLine(points)) AS line, round(ST_Length(ST_MakeLine(points)::geography)::numeric) AS metres
  FROM "Movie" WHERE id = 8;

-- joins through relationship views: relationships of three types by
-- distance of their WGS-84 point from node 7's, nearest first
SELECT r.type, r.id AS rel, ST_AsText(r.location) AS rel_location,
       round((ST_Distance(r.location::geography, n.wgs84::geography) / 1000)::numeric) AS km,
       ST_DWithin(r.location::geography, n.wgs84::geography, 10000000) AS within_10000_km
  FROM (SELECT 'ACTED_IN' AS type, id, location FROM "ACTED_IN"
        UNION ALL SELECT 'LIKES', id, location FROM "LIKES"
        UNION ALL SELECT 'WORKS_AT', id, location FROM "WORKS_AT") r,
       "back\slash" n
 WHERE n.id = 7 AND ST_SRID(r.location) = 4326
 ORDER BY km, r.id;
SELECT r.id AS rel, ST_SRID(r.location) AS srid, ST_AsText(r.location) AS rel_location,
       p.id AS start_person
  FROM "ACTED_IN" r JOIN "Person" p ON p.id = r.start_id
 WHERE r.location IS NOT NULL
 ORDER BY r.id;

-- typed views and the base layout agree
SELECT count(*) AS disagreements
  FROM "back\slash" v JOIN nodes n USING (id)
 WHERE ST_X(v.wgs84) IS DISTINCT FROM (n.props->'wgs84'->>'x')::float8
    OR ST_Y(v.wgs84) IS DISTINCT FROM (n.props->'wgs84'->>'y')::float8
    OR ST_Z(v.wgs84_3d) IS DISTINCT FROM (n.props->'wgs84_3d'->>'z')::float8;
