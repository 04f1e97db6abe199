-- Compare a loaded graph with the generator's expected values, value by
-- value.  Usage: psql -v ON_ERROR_STOP=1 -v schema=S -f this < EXPECTED.jsonl
-- Fails (non-zero exit) on the first class of mismatch and lists them.
\set QUIET on
SET client_min_messages = warning;
SELECT set_config('search_path', quote_ident(:'schema') || ', public', false) \gset

CREATE TEMP TABLE exp_raw (line text);
-- a CSV reading with impossible quote/delimiter bytes takes each line raw
\copy exp_raw FROM pstdin WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02')
-- json keeps the number text (-0.0, 1e+20) that jsonb would normalise
CREATE TEMP TABLE exp AS SELECT line::jsonb AS j, line::json AS jr FROM exp_raw;

CREATE FUNCTION pg_temp.plain_type(v jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE jsonb_typeof(v)
    WHEN 'number' THEN CASE WHEN v::text ~ '[.eE]' THEN 'float' ELSE 'integer' END
    WHEN 'string' THEN 'string'
    WHEN 'boolean' THEN 'boolean'
    WHEN 'object' THEN 'map'
    ELSE jsonb_typeof(v) END $$;

CREATE FUNCTION pg_temp.value_type(v jsonb, mark text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(mark, CASE
    WHEN jsonb_typeof(v) <> 'array' THEN pg_temp.plain_type(v)
    WHEN jsonb_array_length(v) = 0 THEN 'list'
    ELSE 'list<' || pg_temp.plain_type(v->0) || '>' END) $$;

-- same double, bit for bit (so -0.0 and NaN count)
CREATE FUNCTION pg_temp.same_float(a jsonb, e jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT float8send((a #>> '{}')::float8) = float8send((e #>> '{}')::float8) $$;

CREATE FUNCTION pg_temp.same_coord(a jsonb, e json) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT float8send((a #>> '{}')::float8) = float8send((e #>> '{}')::float8) $$;

CREATE FUNCTION pg_temp.same(t text, a jsonb, e jsonb, er json) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN t = 'float' THEN pg_temp.same_float(a, e)
    WHEN t = 'point' THEN a - 'x' - 'y' - 'z' = e - 'x' - 'y' - 'z'
      AND pg_temp.same_coord(a->'x', er->'x') AND pg_temp.same_coord(a->'y', er->'y')
      AND (a->'z' IS NULL) = (er->'z' IS NULL)
      AND (a->'z' IS NULL OR pg_temp.same_coord(a->'z', er->'z'))
    WHEN t = 'list<float>' THEN jsonb_array_length(a) = jsonb_array_length(e) AND
      (SELECT bool_and(pg_temp.same_float(x.v, y.v))
         FROM jsonb_array_elements(a) WITH ORDINALITY x(v, i)
         JOIN jsonb_array_elements(e) WITH ORDINALITY y(v, i) USING (i))
    ELSE a = e END $$;

CREATE TEMP VIEW actual AS
  SELECT 'node' AS kind, n.id, p.key, p.value, n.prop_types ->> p.key AS mark
    FROM nodes n, jsonb_each(n.props) p
  UNION ALL
  SELECT 'relationship', r.id, p.key, p.value, r.prop_types ->> p.key
    FROM relationships r, jsonb_each(r.props) p;

CREATE TEMP VIEW expected AS
  SELECT j->>'kind' AS kind, (j->>'id')::bigint AS id, j->>'key' AS key,
         j->>'type' AS type, j->'value' AS value, jr->'value' AS raw
    FROM exp WHERE j ? 'key';

CREATE TEMP TABLE problems AS
  SELECT coalesce(e.kind, a.kind) AS kind, coalesce(e.id, a.id) AS id,
         coalesce(e.key, a.key) AS key,
         CASE WHEN a.key IS NULL THEN 'missing'
              WHEN e.key IS NULL THEN 'unexpected'
              WHEN pg_temp.value_type(a.value, a.mark) <> e.type THEN 'type ' || pg_temp.value_type(a.value, a.mark)
              ELSE 'value ' || a.value::text END AS problem,
         e.type AS expected_type, e.value::text AS expected_value
    FROM expected e FULL JOIN actual a USING (kind, id, key)
   WHERE a.key IS NULL OR e.key IS NULL
      OR pg_temp.value_type(a.value, a.mark) <> e.type
      OR NOT pg_temp.same(e.type, a.value, e.value, e.raw);

-- rows: labels, types and ends
INSERT INTO problems
  SELECT 'node', (x.j->>'id')::bigint, NULL, 'labels ' || coalesce(n.labels::text, 'missing row'),
         NULL, (x.j->'labels')::text
    FROM exp x LEFT JOIN nodes n ON n.id = (x.j->>'id')::bigint
   WHERE x.j->>'kind' = 'node' AND NOT x.j ? 'key'
     AND n.labels IS DISTINCT FROM ARRAY(SELECT jsonb_array_elements_text(x.j->'labels'));
INSERT INTO problems
  SELECT 'relationship', (x.j->>'id')::bigint, NULL, 'row ' || coalesce(row(r.type, r.start_id, r.end_id)::text, 'missing'),
         NULL, x.j::text
    FROM exp x LEFT JOIN relationships r ON r.id = (x.j->>'id')::bigint
   WHERE x.j->>'kind' = 'relationship' AND NOT x.j ? 'key'
     AND row(r.type, r.start_id, r.end_id) IS DISTINCT FROM
         row(x.j->>'type', (x.j->>'start')::bigint, (x.j->>'end')::bigint);
INSERT INTO problems
  SELECT 'count', NULL, NULL, format('%s nodes, %s relationships loaded', (SELECT count(*) FROM nodes),
         (SELECT count(*) FROM relationships)), NULL, NULL
   WHERE (SELECT count(*) FROM nodes) <> (SELECT count(*) FROM exp WHERE j->>'kind' = 'node' AND NOT j ? 'key')
      OR (SELECT count(*) FROM relationships) <> (SELECT count(*) FROM exp WHERE j->>'kind' = 'relationship' AND NOT j ? 'key');

-- every temporal string must cast to its PostgreSQL type (-v casts=off
-- skips this for backups that hold values PostgreSQL cannot, such as the
-- year -1: check_typed.sql checks those read as NULL in the typed views)
\if :{?casts}
\else
\set casts on
\endif
CREATE TEMP TABLE casts AS
  SELECT kind, id, key, mark,
         CASE mark WHEN 'date' THEN (value #>> '{}')::date::text
                   WHEN 'localtime' THEN (value #>> '{}')::time::text
                   WHEN 'time' THEN (value #>> '{}')::timetz::text
                   WHEN 'localdatetime' THEN (value #>> '{}')::timestamp::text
                   WHEN 'datetime' THEN (value #>> '{}')::timestamptz::text
                   WHEN 'duration' THEN (value #>> '{}')::interval::text
                   WHEN 'float' THEN (value #>> '{}')::float8::text END AS cast_ok
    FROM actual WHERE mark IN ('date', 'localtime', 'time', 'localdatetime', 'datetime', 'duration', 'float')
     AND :'casts'::boolean;

\set QUIET off
SELECT (SELECT count(*) FROM expected) AS values_expected,
       (SELECT count(*) FROM casts) AS casts_checked,
       (SELECT count(*) FROM problems) AS problems;
SELECT * FROM problems ORDER BY kind, id, key LIMIT 30;
DO $$ BEGIN
  IF (SELECT count(*) FROM problems) > 0 THEN
    RAISE EXCEPTION 'value check failed';
  END IF;
END $$;
