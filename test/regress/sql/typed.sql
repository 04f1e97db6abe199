--
-- typed: the views per label and relationship type (native columns) and
-- the catalog, as users query them; database without PostGIS
--
SET search_path = neo4j, public;
-- output settings fixed so results do not depend on the server's defaults
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

-- one view per label and per relationship type; unlabeled nodes have none
SELECT kind, scope, relation, "values"
  FROM catalog WHERE key IS NULL
 ORDER BY kind, scope COLLATE "C";
SELECT c.relname, c.relkind
  FROM pg_class c
 WHERE c.relnamespace = 'neo4j'::regnamespace AND c.relkind = 'v'
   AND c.relname NOT IN (SELECT relation FROM catalog WHERE relation IS NOT NULL);

-- what a view holds: the catalog, and the columns PostgreSQL sees
SELECT key, string_agg(neo4j_type, ', ' ORDER BY neo4j_type COLLATE "C") AS neo4j_types,
       pg_type, "column", sum("values") AS "values", sum(not_castable) AS not_castable
  FROM catalog
 WHERE kind = 'label' AND scope = 'Movie' AND key IS NOT NULL
 GROUP BY key, pg_type, "column"
 ORDER BY key COLLATE "C";
SELECT column_name, data_type, udt_name
  FROM information_schema.columns
 WHERE table_schema = 'neo4j' AND table_name = 'Movie'
 ORDER BY ordinal_position;
SELECT count(*) AS keys_not_castable FROM catalog WHERE not_castable > 0;

-- a node is in the view of each of its labels
SELECT id, labels FROM "Actor" ORDER BY id;
SELECT count(*) AS actors_not_persons
  FROM "Actor" a WHERE NOT EXISTS (SELECT 1 FROM "Person" p WHERE p.id = a.id);

-- date ranges
SELECT id, name, born FROM "Person"
 WHERE born BETWEEN '1950-01-01' AND '1999-12-31'
 ORDER BY born;
SELECT id, name, born FROM "Person"
 WHERE born >= date '2000-01-01' ORDER BY born;
SELECT id, date_min, date_max, date_leap, date_leap + 1 AS day_after,
       date_max - date_min AS days_between
  FROM "Person" WHERE date_min IS NOT NULL;
SELECT extract(year FROM born) AS year, count(*)
  FROM "Person" WHERE born IS NOT NULL GROUP BY 1 ORDER BY 1;

-- timestamptz: one instant, whatever the offset it was written with
SELECT v.id, n.props->>'datetime' AS written, v.datetime,
       v.datetime = '2015-06-24T11:50:35.556Z' AS same_as_utc,
       v.datetime = '2015-06-24 07:50:35.556-04' AS same_as_minus_4
  FROM "Person" v JOIN nodes n USING (id) WHERE v.id = 5;
SELECT v.id, n.props->>'datetime_india' AS written, v.datetime_india,
       v.datetime_india AT TIME ZONE 'Asia/Kolkata' AS kolkata_wall_clock
  FROM "Person" v JOIN nodes n USING (id) WHERE v.id = 5;
-- every "created" of every label, in time order, with the text it came from
SELECT 'Person' AS label, v.id, n.props->>'created' AS written, v.created
  FROM "Person" v JOIN nodes n USING (id) WHERE v.created IS NOT NULL
UNION ALL
SELECT 'Movie', v.id, n.props->>'created', v.created
  FROM "Movie" v JOIN nodes n USING (id) WHERE v.created IS NOT NULL
UNION ALL
SELECT 'Tag', v.id, n.props->>'created', v.created
  FROM "Tag" v JOIN nodes n USING (id) WHERE v.created IS NOT NULL
 ORDER BY created, label;
SELECT count(*) AS created_before_1971_04_25_19_utc
  FROM "Person" WHERE created < '1971-04-25 20:00:00+01';
-- times with offsets: timetz keeps the offset; compare as instants of a day
SELECT id, time_utc, time_plus, time_minus, time_nepal, time_max_off, time_min_off,
       time_plus < time_utc AS plus_is_earlier
  FROM "Person" WHERE id = 5;
-- (a column named localtime must be quoted: unquoted it is LOCALTIME)
SELECT id, "localtime", localtime_ns, localtime_zero,
       localtime_ns - localtime_zero AS since_midnight
  FROM "Person" WHERE id = 5;

-- interval arithmetic: months, days and time stay apart
SELECT id, dur_full, dur_mixed, dur_negative, dur_frac, dur_neg_frac, dur_ns, dur_zero,
       dur_years, dur_big_secs
  FROM "Person" WHERE id = 5;
SELECT date '2020-01-31' + dur_full AS jan31_plus_full,
       date '2020-01-31' + dur_mixed AS jan31_plus_mixed,
       timestamp '2020-03-01 00:00' + dur_negative AS mar1_plus_negative,
       justify_interval(dur_big_secs) AS big_secs_justified,
       extract(epoch FROM dur_frac) AS frac_seconds,
       dur_full + dur_mixed AS sum,
       dur_full * 2 AS twice
  FROM "Person" WHERE id = 5;
SELECT count(*) AS with_tenure, sum(tenure) AS total, max(tenure) AS longest, min(tenure) AS shortest
  FROM "Person";
SELECT id, tenure FROM "Person" WHERE tenure < interval '0' ORDER BY tenure, id;
-- relationship properties are typed too: durations against a window
SELECT r.id, r.tenure, r.start_id, r.tenure < interval '-2 years' AS over_two_years_back
  FROM "WORKS_AT" r WHERE r.tenure IS NOT NULL ORDER BY r.id;

-- arrays: containment, overlap, ANY, unnest
SELECT id, ints, strings FROM "Movie" WHERE ints @> ARRAY[0, 9223372036854775807]::bigint[];
SELECT id FROM "Movie" WHERE 'Zürich' = ANY (strings);
SELECT id, dates FROM "Movie" WHERE dates && ARRAY[date '2000-12-31'];
SELECT id, u.d, u.i FROM "Movie", unnest(dates) WITH ORDINALITY AS u(d, i)
 WHERE dates IS NOT NULL ORDER BY id, i;
SELECT id, bools, durations, durations[1] + durations[2] AS total FROM "Movie" WHERE id = 8;
SELECT id, datetimes, localdatetimes, localtimes, times FROM "Movie" WHERE id = 8;
-- floats keep NaN, infinities and -0
SELECT i, f, float8send(f) AS bits, f = 'NaN' AS is_nan
  FROM "Movie", unnest(floats) WITH ORDINALITY AS u(f, i)
 WHERE id = 8 ORDER BY i;
SELECT count(*) AS ratio_rows, count(ratio) FILTER (WHERE ratio > 0) AS positive
  FROM "Person";

-- jsonb for keys of mixed types, and for lists that were only ever empty
SELECT scope, key, pg_type
  FROM (SELECT DISTINCT scope, key, pg_type FROM catalog WHERE pg_type = 'jsonb') s
 ORDER BY scope COLLATE "C", key COLLATE "C";
SELECT id, mixed, jsonb_typeof(mixed) AS json_type FROM "Movie"
 WHERE mixed IS NOT NULL ORDER BY id;
SELECT id, empty FROM "Movie" WHERE empty IS NOT NULL;

-- points without PostGIS: the composite (srid, x, y, z); a 2-D point has
-- z NULL, so "location IS NOT NULL" is false for it: test a field
SELECT id, location, (location).srid, (location).x, (location).y, (location).z,
       location IS NOT NULL AS all_fields_set
  FROM "Person" WHERE (location).srid IS NOT NULL ORDER BY id;
SELECT id, p.*
  FROM "Movie", unnest(points) AS p WHERE id = 8;

-- joins through relationship views
SELECT a.id AS a, a.name, k.id AS rel, k.since, b.id AS b, b.name
  FROM "Person" a
  JOIN "KNOWS" k ON k.start_id = a.id
  JOIN "Person" b ON b.id = k.end_id
 ORDER BY k.id;
SELECT a.name, count(*) AS knows, min(k.since) AS first_since
  FROM "Person" a JOIN "KNOWS" k ON k.start_id = a.id
 GROUP BY a.name ORDER BY a.name COLLATE "C";
SELECT x.name AS actor, m.id AS movie, r.id AS rel
  FROM "ACTED_IN" r JOIN "Actor" x ON x.id = r.start_id JOIN "Movie" m ON m.id = r.end_id
 ORDER BY r.id;
-- two hops: who the people Ann knows work at
SELECT DISTINCT b.name AS friend, w.end_id AS works_at
  FROM "Person" a
  JOIN "KNOWS" k ON k.start_id = a.id
  JOIN "Person" b ON b.id = k.end_id
  JOIN "WORKS_AT" w ON w.start_id = b.id
 WHERE a.uid = 10
 ORDER BY 1, 2;
-- typed columns and the base layout agree
SELECT count(*) AS disagreements
  FROM "Person" v JOIN nodes n USING (id)
 WHERE v.born IS DISTINCT FROM (n.props->>'born')::date
    OR v.uid IS DISTINCT FROM (n.props->>'uid')::bigint
    OR v.created IS DISTINCT FROM (n.props->>'created')::timestamptz;
