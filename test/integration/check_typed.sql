-- Compare the typed views with the generator's expected values, value by
-- value.  Usage: psql -v ON_ERROR_STOP=1 -v schema=S -f this < EXPECTED.jsonl
--
-- Every property of the expected file is looked up in the view of each of
-- its node's labels, or of its relationship's type, through the catalog
-- (relation, column), and compared with the expected value converted here,
-- independently of neo2pg: expected "1999-01-01"::date, floats bit for bit
-- (float8send, so NaN, -0.0 and the infinities count), points by srid, x, y
-- and z, lists element by element.  Values PostgreSQL cannot hold must read
-- as NULL: temporal values whose (local) year is outside 1..9999 or whose
-- offset is beyond +-15:59:59, and durations that do not cast to interval.
-- Keys the catalog gives jsonb are compared as jsonb.  Also checked: every
-- node is in the view of each of its labels and nowhere else, unlabeled
-- nodes have no view, absent keys read as NULL, each column has the
-- catalog's pg_type, and the catalog's neo4j types and counts.
-- Works with PostGIS (points are geometry) and without (neo4j_point).
-- Fails (non-zero exit) listing the mismatches.
\set QUIET on
SET client_min_messages = warning;
SET IntervalStyle = 'postgres';
SET TimeZone = 'UTC';
SET extra_float_digits = 1;
SELECT set_config('search_path', quote_ident(:'schema') || ', public', false) \gset
SELECT set_config('n2p_check.schema', :'schema', false) \gset

CREATE TEMP TABLE exp_raw (line text);
-- a CSV reading with impossible quote/delimiter bytes takes each line raw
\copy exp_raw FROM pstdin WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02')
-- json keeps the number text (-0.0, 1e+20) that jsonb would normalise
CREATE TEMP TABLE exp AS SELECT line::jsonb AS j, line::json AS jr FROM exp_raw;

-- ------------------------------------------------ expected, converted here

-- the year of ISO text (-0001-01-01, 10000-01-01T...) is within 1..9999
CREATE FUNCTION pg_temp.year_ok(t text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT (substring(t FROM '^([+-]?[0-9]+)-'))::numeric BETWEEN 1 AND 9999 $$;

-- the offset at the end of ISO text (+HH:MM[:SS]) is within +-15:59:59
CREATE FUNCTION pg_temp.offset_ok(t text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(m[2]::int * 3600 + m[3]::int * 60 + coalesce(m[4], '0')::int, 0) < 16 * 3600
    FROM (SELECT regexp_match(t, '([+-])([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?$') AS m) s $$;

CREATE FUNCTION pg_temp.exp_date(t text) RETURNS date LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN pg_temp.year_ok(t) THEN t::date END $$;
CREATE FUNCTION pg_temp.exp_time(t text) RETURNS time LANGUAGE sql IMMUTABLE AS $$
  SELECT t::time $$;
CREATE FUNCTION pg_temp.exp_timetz(t text) RETURNS timetz LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN pg_temp.offset_ok(t) THEN t::timetz END $$;
CREATE FUNCTION pg_temp.exp_timestamp(t text) RETURNS timestamp LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN pg_temp.year_ok(t) THEN t::timestamp END $$;
CREATE FUNCTION pg_temp.exp_timestamptz(t text) RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN pg_temp.year_ok(t) AND pg_temp.offset_ok(t) THEN t::timestamptz END $$;
-- durations: whatever interval input rejects (field overflow) is NULL
CREATE FUNCTION pg_temp.exp_interval(t text) RETURNS interval LANGUAGE plpgsql IMMUTABLE AS $$
  BEGIN RETURN t::interval; EXCEPTION WHEN datetime_field_overflow OR interval_field_overflow
    OR numeric_value_out_of_range THEN RETURN NULL; END $$;

-- same double, bit for bit (so -0.0 and NaN count); expected floats are
-- Python reprs ("nan", "-inf", "-0.0"), point coordinates raw JSON numbers
CREATE FUNCTION pg_temp.same_f8(a float8, e text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT float8send(a) = float8send(e::float8) $$;

-- ---------------------------------- jsonb columns: the props encoding

CREATE FUNCTION pg_temp.same_float(a jsonb, e jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT float8send((a #>> '{}')::float8) = float8send((e #>> '{}')::float8) $$;

CREATE FUNCTION pg_temp.same_point(a jsonb, er json) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT (a->>'srid')::int = (er->>'srid')::int
     AND pg_temp.same_f8((a->>'x')::float8, er->>'x') AND pg_temp.same_f8((a->>'y')::float8, er->>'y')
     AND (a->'z' IS NULL) = (er->'z' IS NULL)
     AND (a->'z' IS NULL OR pg_temp.same_f8((a->>'z')::float8, er->>'z')) $$;

CREATE FUNCTION pg_temp.same_json(t text, a jsonb, e jsonb, er json) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN a IS NULL THEN false
    WHEN t = 'float' THEN pg_temp.same_float(a, e)
    WHEN t = 'point' THEN pg_temp.same_point(a, er)
    WHEN t IN ('list<float>', 'list<point>') THEN
      jsonb_typeof(a) = 'array' AND jsonb_array_length(a) = jsonb_array_length(e) AND
      coalesce((SELECT bool_and(CASE WHEN t = 'list<float>' THEN pg_temp.same_float(a->(i::int - 1), y.v::jsonb)
                                     ELSE pg_temp.same_point(a->(i::int - 1), y.v) END)
                  FROM json_array_elements(er) WITH ORDINALITY y(v, i)), true)
    ELSE a = e END $$;

-- ------------------------------------------------------ typed comparison

-- How to compare a value X of the column's (element) type with the
-- expected jsonb E and raw json R; NULL-safe: a NULL expected matches NULL.
CREATE FUNCTION pg_temp.cmp_template(pg_type text, gis text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN pg_type = 'bigint' THEN '%1$s = (%2$s)::bigint'
    WHEN pg_type = 'double precision' THEN 'pg_temp.same_f8(%1$s, %2$s #>> ''{}'')'
    WHEN pg_type = 'text' THEN '%1$s = (%2$s #>> ''{}'')'
    WHEN pg_type = 'boolean' THEN '%1$s = (%2$s)::boolean'
    WHEN pg_type = 'date' THEN '%1$s IS NOT DISTINCT FROM pg_temp.exp_date(%2$s #>> ''{}'')'
    WHEN pg_type = 'time' THEN '%1$s IS NOT DISTINCT FROM pg_temp.exp_time(%2$s #>> ''{}'')'
    -- timetz "=" compares the time and the offset
    WHEN pg_type = 'timetz' THEN '%1$s IS NOT DISTINCT FROM pg_temp.exp_timetz(%2$s #>> ''{}'')'
    WHEN pg_type = 'timestamp' THEN '%1$s IS NOT DISTINCT FROM pg_temp.exp_timestamp(%2$s #>> ''{}'')'
    WHEN pg_type = 'timestamptz' THEN '%1$s IS NOT DISTINCT FROM pg_temp.exp_timestamptz(%2$s #>> ''{}'')'
    -- interval "=" takes 1 mon = 30 days: compare the fields through the text
    WHEN pg_type = 'interval' THEN '%1$s::text IS NOT DISTINCT FROM pg_temp.exp_interval(%2$s #>> ''{}'')::text'
    WHEN pg_type LIKE 'geometry%' THEN
      format('(%%1$s IS NOT NULL AND %1$s.ST_SRID(%%1$s) = (%%3$s->>''srid'')::int'
             ' AND %1$s.GeometryType(%%1$s) = ''POINT'''
             ' AND pg_temp.same_f8(%1$s.ST_X(%%1$s), %%3$s->>''x'')'
             ' AND pg_temp.same_f8(%1$s.ST_Y(%%1$s), %%3$s->>''y'')'
             ' AND (%1$s.ST_NDims(%%1$s) = 3) = (%%3$s->''z'' IS NOT NULL)'
             ' AND (%%3$s->''z'' IS NULL OR pg_temp.same_f8(%1$s.ST_Z(%%1$s), %%3$s->>''z'')))', gis)
    -- neo2pg's composite (srid, x, y, z)
    -- (not "IS NOT NULL": a row with a NULL field, a 2-D point's z, is not that)
    ELSE '((%1$s).srid = (%3$s->>''srid'')::int'
         ' AND pg_temp.same_f8((%1$s).x, %3$s->>''x'') AND pg_temp.same_f8((%1$s).y, %3$s->>''y'')'
         ' AND ((%1$s).z IS NULL) = (%3$s->''z'' IS NULL)'
         ' AND (%3$s->''z'' IS NULL OR pg_temp.same_f8((%1$s).z, %3$s->>''z'')))'
  END $$;

CREATE TEMP VIEW exp_rows AS
  SELECT j->>'kind' AS kind, (j->>'id')::bigint AS id,
         CASE WHEN j->>'kind' = 'node' THEN ARRAY(SELECT jsonb_array_elements_text(j->'labels'))
              ELSE ARRAY[j->>'type'] END AS scopes,
         (j->>'start')::bigint AS start_id, (j->>'end')::bigint AS end_id
    FROM exp WHERE NOT j ? 'key';

-- every expected value once per view it belongs in
CREATE TEMP TABLE exp_typed AS
  SELECT x.j->>'kind' AS kind, (x.j->>'id')::bigint AS id, x.j->>'key' AS key,
         x.j->>'type' AS type, x.j->'value' AS value, x.jr->'value' AS raw,
         s.scope, CASE WHEN x.j->>'kind' = 'node' THEN 'label' ELSE 'type' END AS ckind
    FROM exp x
    JOIN exp_rows r ON r.kind = x.j->>'kind' AND r.id = (x.j->>'id')::bigint
    CROSS JOIN LATERAL unnest(CASE WHEN r.scopes = '{}' THEN ARRAY[''] ELSE r.scopes END) AS s(scope)
   WHERE x.j ? 'key';

-- the catalog's (relation, column, pg_type) of each key; one per key
CREATE TEMP TABLE cat_keys AS
  SELECT kind AS ckind, scope, key, relation, "column", pg_type,
         sum("values") AS n_values, sum(not_castable) AS n_not_castable,
         count(DISTINCT (relation, "column", pg_type)) AS placements
    FROM catalog WHERE key IS NOT NULL
   GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TEMP TABLE problems (kind text, id bigint, key text, relation text,
                            problem text, expected text);

-- the catalog places each key once
INSERT INTO problems
  SELECT ckind, NULL, key, string_agg(relation || '.' || "column" || ' ' || pg_type, ', '),
         'catalog places the key in several columns', scope
    FROM cat_keys GROUP BY ckind, scope, key HAVING count(*) > 1;

-- keys of labeled nodes and relationships have a view column; unlabeled
-- nodes are in the catalog without one
INSERT INTO problems
  SELECT e.kind, e.id, e.key, c.relation,
         CASE WHEN c.ckind IS NULL THEN 'key missing from the catalog'
              WHEN e.scope = '' THEN 'unlabeled node has a view column ' || c."column"
              ELSE 'catalog gives no view column' END,
         e.scope
    FROM exp_typed e LEFT JOIN cat_keys c USING (ckind, scope, key)
   WHERE c.ckind IS NULL
      OR (e.scope = '') <> (c.relation IS NULL OR c."column" IS NULL);

-- the catalog's neo4j types (without SRIDs) and counts are the expected ones
INSERT INTO problems
  SELECT coalesce(e.ckind, c.ckind), NULL, coalesce(e.key, c.key), coalesce(e.scope, c.scope),
         format('catalog: %s values of type %s', coalesce(c.n, 0), coalesce(e.type, c.type)),
         format('%s values', coalesce(e.n, 0))
    FROM (SELECT ckind, scope, key, type, count(*) AS n FROM exp_typed GROUP BY 1, 2, 3, 4) e
    FULL JOIN (SELECT kind AS ckind, scope, key, regexp_replace(neo4j_type, '\(-?[0-9]+\)', '', 'g') AS type,
                      sum("values") AS n
                 FROM catalog WHERE key IS NOT NULL GROUP BY 1, 2, 3, 4) c
      USING (ckind, scope, key, type)
   WHERE e.n IS DISTINCT FROM c.n;
INSERT INTO problems
  SELECT coalesce(r.ckind, c.kind), NULL, NULL, coalesce(r.scope, c.scope),
         format('catalog: %s rows', coalesce(c."values", 0)), format('%s rows', coalesce(r.n, 0))
    FROM (SELECT CASE WHEN kind = 'node' THEN 'label' ELSE 'type' END AS ckind, s.scope, count(*) AS n
            FROM exp_rows,
                 unnest(CASE WHEN scopes = '{}' THEN ARRAY[''] ELSE scopes END) AS s(scope)
           GROUP BY 1, 2) r
    FULL JOIN (SELECT * FROM catalog WHERE key IS NULL) c ON c.kind = r.ckind AND c.scope = r.scope
   WHERE r.n IS DISTINCT FROM c."values"
      OR (c.relation IS NULL) <> (r.scope = '');

DO $$
DECLARE
  sch text := current_setting('n2p_check.schema');
  gis text := (SELECT quote_ident(n.nspname) FROM pg_extension x
                 JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname = 'postgis');
  rel record;
  col record;
  qrel text;
  qcol text;
  cmp text;
  is_array boolean;
  base text;
  got text;
  got_oid oid;
BEGIN
  -- the rows of each view: each node under each of its labels, each
  -- relationship under its type, nothing else; fixed columns as expected
  FOR rel IN SELECT DISTINCT kind AS ckind, scope, relation FROM catalog
             WHERE key IS NULL AND relation IS NOT NULL LOOP
    qrel := format('%I.%I', sch, rel.relation);
    IF rel.ckind = 'label' THEN
      EXECUTE format($q$
        INSERT INTO problems
        SELECT 'node', coalesce(r.id, v.id), NULL, %L,
               CASE WHEN v.id IS NULL THEN 'row missing from the view'
                    WHEN r.id IS NULL THEN 'row in the view without the label'
                    ELSE 'labels ' || v.labels::text END,
               r.scopes::text
          FROM (SELECT * FROM exp_rows WHERE kind = 'node' AND %L = ANY (scopes)) r
          FULL JOIN %s v ON v.id = r.id
         WHERE r.id IS NULL OR v.id IS NULL OR v.labels IS DISTINCT FROM r.scopes$q$,
        rel.relation, rel.scope, qrel);
    ELSE
      EXECUTE format($q$
        INSERT INTO problems
        SELECT 'relationship', coalesce(r.id, v.id), NULL, %L,
               CASE WHEN v.id IS NULL THEN 'row missing from the view'
                    WHEN r.id IS NULL THEN 'row in the view of another type'
                    ELSE format('ends %%s -> %%s', v.start_id, v.end_id) END,
               format('ends %%s -> %%s', r.start_id, r.end_id)
          FROM (SELECT * FROM exp_rows WHERE kind = 'relationship' AND scopes[1] = %L) r
          FULL JOIN %s v ON v.id = r.id
         WHERE r.id IS NULL OR v.id IS NULL OR (v.start_id, v.end_id) IS DISTINCT FROM (r.start_id, r.end_id)$q$,
        rel.relation, rel.scope, qrel);
    END IF;
  END LOOP;

  -- the relations that are views are exactly the catalog's
  INSERT INTO problems
    SELECT 'view', NULL, NULL, c.relname, 'view not in the catalog', NULL
      FROM pg_class c
     WHERE c.relnamespace = sch::regnamespace AND c.relkind = 'v'
       AND c.relname NOT IN (SELECT relation FROM catalog WHERE relation IS NOT NULL);

  FOR col IN SELECT DISTINCT ckind, scope, key, relation, "column", pg_type
               FROM cat_keys WHERE relation IS NOT NULL AND "column" IS NOT NULL LOOP
    qrel := format('%I.%I', sch, col.relation);
    qcol := quote_ident(col."column");
    -- the column exists and has the catalog's type (typmod included)
    SELECT format_type(a.atttypid, a.atttypmod), a.atttypid INTO got, got_oid
      FROM pg_attribute a
     WHERE a.attrelid = qrel::regclass AND a.attname = col."column" AND NOT a.attisdropped;
    IF got IS NULL THEN
      INSERT INTO problems VALUES (col.ckind, NULL, col.key, col.relation, 'no column ' || col."column", col.pg_type);
      CONTINUE;
    END IF;
    IF got_oid IS DISTINCT FROM to_regtype(col.pg_type)
       OR (col.pg_type LIKE 'geometry(%' AND got <> col.pg_type) THEN
      INSERT INTO problems VALUES (col.ckind, NULL, col.key, col.relation,
                                   'column ' || col."column" || ' is ' || got, col.pg_type);
    END IF;

    is_array := col.pg_type LIKE '%[]';
    base := regexp_replace(col.pg_type, '\[\]$', '');
    IF base = 'jsonb' THEN
      cmp := format('pg_temp.same_json(e.type, v.%s, e.value, e.raw)', qcol);
    ELSIF NOT is_array THEN
      cmp := format(pg_temp.cmp_template(base, gis), 'v.' || qcol, 'e.value', 'e.raw');
    ELSE
      cmp := format('v.%1$s IS NOT NULL AND jsonb_typeof(e.value) = ''array'''
                    ' AND cardinality(v.%1$s) = jsonb_array_length(e.value)'
                    ' AND coalesce((SELECT bool_and(%2$s) FROM generate_series(1, cardinality(v.%1$s)) AS i), true)',
                    qcol,
                    format(pg_temp.cmp_template(base, gis), format('(v.%s)[i]', qcol),
                           '(e.value->(i - 1))', '(e.raw->(i - 1))'));
    END IF;
    -- every expected value of the key, in this view
    EXECUTE format($q$
      INSERT INTO problems
      SELECT e.kind, e.id, e.key, %1$L,
             CASE WHEN v.id IS NULL THEN 'row missing from the view'
                  ELSE %4$L || ' ' || coalesce(v.%2$s::text, 'NULL') END,
             e.type || ' ' || e.raw::text
        FROM exp_typed e LEFT JOIN %3$s v ON v.id = e.id
       WHERE e.ckind = %5$L AND e.scope = %6$L AND e.key = %7$L
         AND (v.id IS NULL OR NOT coalesce(%8$s, false))$q$,
      col.relation, qcol, qrel, col."column", col.ckind, col.scope, col.key, cmp);
    -- rows without the key read NULL
    EXECUTE format($q$
      INSERT INTO problems
      SELECT %4$L, v.id, %5$L, %1$L, 'value for an absent key ' || v.%2$s::text, NULL
        FROM %3$s v
       WHERE v.%2$s IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM exp_typed e
                          WHERE e.ckind = %6$L AND e.scope = %7$L AND e.key = %5$L AND e.id = v.id)$q$,
      col.relation, qcol, qrel, CASE col.ckind WHEN 'label' THEN 'node' ELSE 'relationship' END,
      col.key, col.ckind, col.scope);
  END LOOP;
END $$;

\set QUIET off
SELECT (SELECT count(*) FROM exp_typed WHERE scope <> '') AS view_values_expected,
       (SELECT count(DISTINCT relation) FROM catalog) AS views,
       (SELECT count(*) FROM problems) AS problems;
SELECT * FROM problems ORDER BY kind, id, key, relation LIMIT 40;
DO $$ BEGIN
  IF (SELECT count(*) FROM problems) > 0 THEN
    RAISE EXCEPTION 'typed view check failed';
  END IF;
END $$;
