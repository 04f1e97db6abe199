--
-- temporal: ISO 8601 strings cast to date, time, timetz, timestamp,
-- timestamptz and interval
--
SET search_path = neo4j, public;
-- output settings fixed so results do not depend on the server's defaults
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

-- one cast per Neo4j type, driven by prop_types
CREATE TEMP VIEW temporal_props AS
SELECT 'node'::text AS kind, n.id, p.key, p.value, t.type
  FROM nodes n, jsonb_each_text(n.props) AS p(key, value),
       jsonb_each_text(n.prop_types) AS t(key, type)
 WHERE p.key = t.key
   AND t.type IN ('date', 'time', 'localtime', 'datetime', 'localdatetime', 'duration')
UNION ALL
SELECT 'relationship', r.id, p.key, p.value, t.type
  FROM relationships r, jsonb_each_text(r.props) AS p(key, value),
       jsonb_each_text(r.prop_types) AS t(key, type)
 WHERE p.key = t.key
   AND t.type IN ('date', 'time', 'localtime', 'datetime', 'localdatetime', 'duration');

SELECT key, type, value,
       CASE type
         WHEN 'date'          THEN value::date::text
         WHEN 'time'          THEN value::timetz::text
         WHEN 'localtime'     THEN value::time::text
         WHEN 'datetime'      THEN value::timestamptz::text
         WHEN 'localdatetime' THEN value::timestamp::text
         WHEN 'duration'      THEN value::interval::text
       END AS pg_value
  FROM temporal_props
 WHERE kind = 'node' AND id = 5
 ORDER BY key COLLATE "C";

-- every temporal value in the database casts; range per type
SELECT type, count(*),
       min(CASE type WHEN 'date' THEN value::date::text END) AS min_date,
       max(CASE type WHEN 'date' THEN value::date::text END) AS max_date
  FROM temporal_props GROUP BY type ORDER BY type;
SELECT min(value::timestamptz) AS min_dt, max(value::timestamptz) AS max_dt
  FROM temporal_props WHERE type = 'datetime';
SELECT min(value::timestamp) AS min_ldt, max(value::timestamp) AS max_ldt
  FROM temporal_props WHERE type = 'localdatetime';
SELECT min(value::time) AS min_lt, max(value::time) AS max_lt
  FROM temporal_props WHERE type = 'localtime';
SELECT min(value::interval) AS min_dur, max(value::interval) AS max_dur
  FROM temporal_props WHERE type = 'duration';

-- date ranges
SELECT id, props->>'name' AS name, (props->>'born')::date AS born
  FROM nodes
 WHERE labels @> ARRAY['Person']
   AND (props->>'born')::date BETWEEN '1970-01-01' AND '1999-12-31'
 ORDER BY born, id;
SELECT id, (props->>'born')::date AS born
  FROM relationships
 WHERE prop_types->>'born' = 'date'
   AND (props->>'born')::date >= date '2000-01-01'
 ORDER BY born, id;
SELECT extract(year FROM (props->>'born')::date) AS year, count(*)
  FROM nodes WHERE prop_types->>'born' = 'date'
 GROUP BY 1 ORDER BY 1;

-- ordering datetimes with different offsets by the instant they denote
SELECT kind, id, value AS created, value::timestamptz AS utc
  FROM temporal_props
 WHERE key = 'created'
 ORDER BY value::timestamptz, kind, id;
-- the same instant written with different offsets
SELECT '2015-06-24T12:50:35.556+01:00'::timestamptz
       = '2015-06-24T11:50:35.556+00:00'::timestamptz AS same_instant;
SELECT props->>'datetime' AS dt,
       (props->>'datetime')::timestamptz = timestamptz '2015-06-24 11:50:35.556Z' AS is_1150_utc,
       (props->>'datetime')::timestamptz AT TIME ZONE 'Asia/Tokyo' AS in_tokyo,
       (props->>'datetime_utc')::timestamptz = 'epoch'::timestamptz AS utc_is_epoch,
       (props->>'datetime_india')::timestamptz AS india_utc,
       (props->>'datetime')::timestamptz > (props->>'datetime_utc')::timestamptz AS later
  FROM nodes WHERE id = 5;
SELECT count(*) AS created_before_1950
  FROM temporal_props
 WHERE key = 'created' AND value::timestamptz < timestamptz '1950-01-01 00:00:00+00';

-- times with offsets compare as instants; local times do not carry one
SELECT key, value, value::timetz AS tz,
       value::timetz::time AS wall_clock,
       extract(timezone FROM value::timetz) AS offset_seconds
  FROM temporal_props
 WHERE kind = 'node' AND id = 5 AND type = 'time'
 ORDER BY value::timetz, key;
SELECT (props->>'time_utc')::timetz > (props->>'time_plus')::timetz AS utc_later
  FROM nodes WHERE id = 5;

-- local date-times, extremes, microseconds
SELECT (props->>'localdatetime')::timestamp AS ldt,
       (props->>'localdatetime_us')::timestamp AS ldt_us,
       (props->>'date_min')::date AS dmin, (props->>'date_max')::date AS dmax,
       (props->>'date_max')::date - (props->>'date_min')::date AS days_between,
       (props->>'date_leap')::date + 1 AS after_leap
  FROM nodes WHERE id = 5;
SELECT id, (props->>'updated')::timestamp AS updated
  FROM nodes WHERE prop_types->>'updated' = 'localdatetime'
 ORDER BY updated, id;

-- interval arithmetic
SELECT (props->>'dur_big_secs')::interval AS big,
       extract(epoch FROM (props->>'dur_big_secs')::interval) AS big_secs,
       justify_hours((props->>'dur_big_secs')::interval) AS justified,
       (props->>'dur_full')::interval AS full_dur,
       (props->>'dur_negative')::interval AS neg,
       (props->>'dur_years')::interval AS years,
       (props->>'dur_frac')::interval + (props->>'dur_neg_frac')::interval AS frac_sum
  FROM nodes WHERE id = 5;
SELECT (props->>'date_leap')::date + (props->>'dur_mixed')::interval AS leap_plus_mixed,
       (props->>'localdatetime')::timestamp + (props->>'dur_full')::interval AS ldt_plus_full,
       (props->>'datetime')::timestamptz - (props->>'dur_negative')::interval AS dt_minus_neg,
       (props->>'datetime')::timestamptz - (props->>'datetime_utc')::timestamptz AS since_epoch
  FROM nodes WHERE id = 5;
SELECT id, props->>'tenure' AS tenure, (props->>'tenure')::interval AS pg
  FROM nodes WHERE prop_types->>'tenure' = 'duration'
 ORDER BY (props->>'tenure')::interval, id;
SELECT sum((props->>'tenure')::interval) AS total_rel_tenure,
       count(*) FILTER (WHERE (props->>'tenure')::interval < interval '0') AS negative
  FROM relationships WHERE prop_types->>'tenure' = 'duration';

-- temporal lists
SELECT key, ord, v,
       CASE prop_types->>key
         WHEN 'list<date>'          THEN v::date::text
         WHEN 'list<time>'          THEN v::timetz::text
         WHEN 'list<localtime>'     THEN v::time::text
         WHEN 'list<datetime>'      THEN v::timestamptz::text
         WHEN 'list<localdatetime>' THEN v::timestamp::text
         WHEN 'list<duration>'      THEN v::interval::text
       END AS pg_value
  FROM nodes, jsonb_object_keys(props) AS key,
       jsonb_array_elements_text(props->key) WITH ORDINALITY AS e(v, ord)
 WHERE id = 8
   AND prop_types->>key IN ('list<date>', 'list<time>', 'list<localtime>',
                            'list<datetime>', 'list<localdatetime>', 'list<duration>')
 ORDER BY key COLLATE "C", ord;
SELECT r.id, d::date AS d
  FROM relationships r, jsonb_array_elements_text(r.props->'items') AS d
 WHERE r.prop_types->>'items' = 'list<date>'
 ORDER BY d::date, r.id;
