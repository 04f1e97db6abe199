--
-- ext_values: the extension's functions give, for every row and value of
-- the bundled example, what the load of the same backup holds (props,
-- prop_types, and each typed view's native column), compared with SQL.
-- The raw rows come from test/regress/raw_rows.py (run from the top of
-- the repository, as test/check.sh runs pg_regress).
--
SET search_path = public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

CREATE TEMP TABLE raw_rows (kind text, id bigint, props text, hash text);
CREATE TEMP TABLE raw_literals (kind text, id bigint, key text, literal text);
\copy raw_rows FROM PROGRAM 'python3 test/regress/raw_rows.py rows examples/backup'
\copy raw_literals FROM PROGRAM 'python3 test/regress/raw_rows.py literals examples/backup'

CREATE TEMP VIEW loaded AS
SELECT 'node'::text AS kind, id, props::text AS props, prop_types::text AS prop_types
  FROM neo4j.nodes
UNION ALL
SELECT 'relationship', id, props::text, prop_types::text FROM neo4j.relationships;

-- jsonb's text, not its equality: jsonb says 2.0 = 2
CREATE TEMP VIEW decoded AS
SELECT r.kind, r.id, p.props::text AS props, p.prop_types::text AS prop_types
  FROM raw_rows r, neo2pg_props(r.props, r.hash) p;

SELECT kind, count(*) FROM decoded GROUP BY kind ORDER BY kind;
-- both ways, on every column: nothing
SELECT 'decoded, not loaded' AS side, * FROM (SELECT * FROM decoded EXCEPT ALL SELECT * FROM loaded) d
UNION ALL
SELECT 'loaded, not decoded', * FROM (SELECT * FROM loaded EXCEPT ALL SELECT * FROM decoded) l;

-- the casts against the typed views: from the props value (jsonb) and from
-- the raw literal, for every key whose column is a native temporal or
-- point type; compared as text (interval's = says 1 mon = 30 days)
CREATE FUNCTION pg_temp.cast_check()
RETURNS TABLE (fn text, source text, compared bigint, differ bigint)
LANGUAGE plpgsql AS $f$
DECLARE
	c record;
	f text;
	base text;
	n bigint;
	d bigint;
BEGIN
	FOR c IN SELECT DISTINCT cat.kind, cat.relation, cat."column", cat.key, cat.pg_type
			   FROM neo4j.catalog cat
			  WHERE cat.pg_type IN ('date', 'time', 'timetz', 'timestamp', 'timestamptz',
									'interval', '"neo4j".neo4j_point')
			  ORDER BY 1, 2, 3
	LOOP
		f := CASE WHEN c.pg_type LIKE '%point' THEN 'neo2pg_point' ELSE 'neo2pg_' || c.pg_type END;
		base := CASE c.kind WHEN 'label' THEN 'nodes' ELSE 'relationships' END;
		EXECUTE format('SELECT count(*), count(*) FILTER (WHERE v.%I::text IS DISTINCT FROM %I(b.props->%L)::text)
						  FROM neo4j.%I v JOIN neo4j.%I b USING (id) WHERE b.props ? %L',
					   c."column", f, c.key, c.relation, base, c.key)
			INTO n, d;
		fn := f; source := 'props'; compared := n; differ := d;
		RETURN NEXT;
		EXECUTE format('SELECT count(*), count(*) FILTER (WHERE v.%I::text IS DISTINCT FROM %I(r.literal)::text)
						  FROM neo4j.%I v JOIN raw_literals r ON r.id = v.id AND r.kind = %L AND r.key = %L',
					   c."column", f, c.relation, CASE c.kind WHEN 'label' THEN 'node' ELSE 'relationship' END, c.key)
			INTO n, d;
		source := 'literal'; compared := n; differ := d;
		RETURN NEXT;
	END LOOP;
END
$f$;

SELECT fn, source, sum(compared) AS compared, sum(differ) AS differ
  FROM pg_temp.cast_check() GROUP BY fn, source ORDER BY fn, source;

-- every raw literal decodes to what props holds for it, with its type
SELECT count(*) AS literals,
	   count(*) FILTER (WHERE l.value::text IS DISTINCT FROM (b.props->r.key)::text
						   OR l.type IS DISTINCT FROM b.prop_types->>r.key) AS differ
  FROM raw_literals r
  JOIN (SELECT 'node'::text AS kind, id, props, prop_types FROM neo4j.nodes
		UNION ALL SELECT 'relationship', id, props, prop_types FROM neo4j.relationships) b
	ON b.kind = r.kind AND b.id = r.id,
	   neo2pg_literal(r.literal) l;
