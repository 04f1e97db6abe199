--
-- ext_postgis: neo2pg_point_ewkt() read by PostGIS gives the geometry the
-- typed views hold, for every point of the example; CREATE EXTENSION
-- neo2pg does not need PostGIS, and works next to it
--
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS neo2pg CASCADE;
RESET client_min_messages;
CREATE EXTENSION neo2pg;
SET search_path = public;
SET extra_float_digits = 1;

CREATE FUNCTION pg_temp.geometry_check()
RETURNS TABLE (compared bigint, differ bigint)
LANGUAGE plpgsql AS $f$
DECLARE
	c record;
	n bigint;
	d bigint;
BEGIN
	FOR c IN SELECT DISTINCT cat.kind, cat.relation, cat."column", cat.key
			   FROM neo4j.catalog cat
			  WHERE cat.pg_type LIKE '%geometry%' AND cat.pg_type NOT LIKE '%[]'
			  ORDER BY 1, 2, 3
	LOOP
		-- EWKB as text: the exact bytes, SRID and Z included
		EXECUTE format('SELECT count(*), count(*) FILTER (WHERE v.%I::text IS DISTINCT FROM
							neo2pg_point_ewkt(b.props->%L)::geometry::text)
						  FROM neo4j.%I v JOIN neo4j.%I b USING (id) WHERE b.props ? %L',
					   c."column", c.key, c.relation,
					   CASE c.kind WHEN 'label' THEN 'nodes' ELSE 'relationships' END, c.key)
			INTO n, d;
		compared := n; differ := d;
		RETURN NEXT;
	END LOOP;
END
$f$;

SELECT sum(compared) AS compared, sum(differ) AS differ FROM pg_temp.geometry_check();
SELECT ST_AsEWKT(neo2pg_point_ewkt('$point({x: 56.5, y: 12.25, crs: ''wgs-84''})')::geometry),
	   ST_AsEWKT(neo2pg_point_ewkt('{"srid": 9157, "x": 1.0, "y": 2.0, "z": 3.5}'::jsonb)::geometry);
