-- The graph of test/neo4j/seed.cypher, as "neo2pg copy bolt://" must load
-- it: every value written out by hand from what Neo4j holds (not computed
-- by neo2pg's own code), compared key by key.  Fails (non-zero exit) on the
-- first class of mismatch and lists them.  Usage: psql -v schema=S -f this
\set QUIET on
SET client_min_messages = warning;
SELECT set_config('search_path', quote_ident(:'schema') || ', public', false) \gset

CREATE TEMP TABLE expected (who text, key text, val jsonb, mark text);
INSERT INTO expected VALUES
 ('Ada', 'uid', '1', NULL), ('Ada', 'name', '"Ada"', NULL), ('Ada', 'born', '"1815-12-10"', 'date'),
 ('Ada', 'active', 'true', NULL), ('Ada', 'score', '0.334', NULL),
 ('Ada', 'big', '9223372036854775807', NULL), ('Ada', 'small', '-9223372036854775808', NULL),
 ('Ada', 'neg0', '"-0.0"', 'float'), ('Ada', 'nan', '"NaN"', 'float'), ('Ada', 'inf', '"Infinity"', 'float'),
 ('Ada', 'ninf', '"-Infinity"', 'float'), ('Ada', 'huge', '"1e+308"', 'float'), ('Ada', 'tiny', '5e-324', NULL),
 ('Ada', 'lt', '"23:59:59.999999999"', 'localtime'), ('Ada', 't', '"12:00:00.000000001-18:00"', 'time'),
 ('Ada', 'ldt', '"2015-07-04T19:32:24"', 'localdatetime'),
 ('Ada', 'dt', '"2015-06-24T12:50:35.556+01:00"', 'datetime'),
 ('Ada', 'zdt', '"2015-06-24T12:50:35.556+01:00[Europe/London]"', 'datetime'),
 ('Ada', 'dur', '"P1Y2M-3DT-2H-0.5S"', 'duration'),
 ('Ada', 'p2', '{"srid": 7203, "x": 1.5, "y": -2.0}', 'point'),
 ('Ada', 'p3', '{"srid": 9157, "x": 1.0, "y": 2.0, "z": 3.0}', 'point'),
 ('Ada', 'geo', '{"srid": 4326, "x": 56.0, "y": 12.0}', 'point'),
 ('Ada', 'geo3', '{"srid": 4979, "x": 56.0, "y": 12.0, "z": 2.0}', 'point'),
 ('Ada', 'bytes', '"\\x0001feff"', 'bytes'),
 ('Ada', 'text', to_jsonb(text E'line\nbreak "quoted" \\ back\tslash é 😀'), NULL),
 ('Ada', 'ints', '[1, 2, 3]', NULL), ('Ada', 'floats', '[1.5, "-0.0"]', 'list<float>'),
 ('Ada', 'strs', '["a", "b"]', NULL), ('Ada', 'bools', '[true, false]', NULL),
 ('Ada', 'dates', '["2020-01-01", "-0001-12-31"]', 'list<date>'),
 ('Ada', 'pts', '[{"srid": 7203, "x": 1.0, "y": 2.0}, {"srid": 7203, "x": 3.0, "y": 4.0}]', 'list<point>'),
 -- the night the clocks went forward in Paris: +01:00, then +02:00
 ('Ada', 'zdts', '["2021-03-28T01:59:59+01:00[Europe/Paris]", "2021-03-28T03:00:00+02:00[Europe/Paris]"]', 'list<datetime>'),
 ('Bob', 'uid', '2', NULL), ('Bob', 'name', '"Bob"', NULL), ('Bob', 'key with space', '1', NULL),
 ('Bob', 'semi;colon', '2', NULL), ('Bob', 'quote"key', '3', NULL), ('Bob', 'back`tick', '4', NULL),
 ('Bob', 'é', '5', NULL),
 ('unlabeled', 'unlabeled', 'true', NULL),
 -- offsets as the server's own time-zone data gives them: Amsterdam in 1900
 -- is +00:00 for Neo4j's Java, +00:19:32 in Debian's tzdata
 ('unlabeled', 'zones', '["1900-01-01T00:00:00+00:00[Europe/Amsterdam]", "2020-07-01T12:00:00-04:00[America/New_York]", "2020-11-01T01:30:00-05:00[America/New_York]", "2020-01-01T00:00:00.123456789+05:30[Asia/Kolkata]", "1970-01-01T00:00:00+00:00[UTC]"]', 'list<datetime>'),
 ('unlabeled', 'far', '["-999999999-01-01", "999999999-12-31"]', 'list<date>'),
 ('unlabeled', 'fardt', '"999999999-12-31T23:59:59.999999999"', 'localdatetime');

CREATE TEMP VIEW loaded AS
  SELECT CASE WHEN labels = '{}' THEN 'unlabeled' ELSE props->>'name' END AS who, n.*
  FROM nodes n;

-- every expected value, exactly; and no key that is not expected
CREATE TEMP VIEW problems AS
SELECT 'value' AS problem, e.who, e.key, e.val::text AS want, (l.props->e.key)::text AS got,
       l.prop_types->>e.key AS got_mark
  FROM expected e LEFT JOIN loaded l USING (who)
 WHERE (l.props->e.key) IS DISTINCT FROM e.val OR (l.prop_types->>e.key) IS DISTINCT FROM e.mark
UNION ALL
SELECT 'extra key', l.who, k, NULL, (l.props->k)::text, NULL
  FROM loaded l, jsonb_object_keys(l.props) k
 WHERE NOT EXISTS (SELECT 1 FROM expected e WHERE e.who = l.who AND e.key = k);
SELECT NOT EXISTS (SELECT 1 FROM problems) AS ok \gset
\if :ok
\else
  SELECT * FROM problems;
  SELECT 1/0 AS values_differ;
\endif

-- labels, relationships, ends, element ids, parallel edges and a self-loop
SELECT count(*) = 3 AND bool_and(element_id ~ '^4:') AS ok FROM nodes \gset
\if :ok
\else
  SELECT 1/0 AS nodes_differ;
\endif
SELECT (SELECT labels FROM loaded WHERE who = 'Bob') = ARRAY['Odd Label; "q" `b` é', 'Person']
    OR (SELECT labels FROM loaded WHERE who = 'Bob') = ARRAY['Person', 'Odd Label; "q" `b` é'] AS ok \gset
\if :ok
\else
  SELECT 1/0 AS labels_differ;
\endif
SELECT string_agg(format('%s %s>%s %s %s', r.type, s.who, e.who, r.props,
                         coalesce(r.prop_types::text, '<NULL>')), ' | '
                  ORDER BY r.type, r.props::text) =
  'KNOWS Ada>Bob {"since": "2002-02-02"} {"since": "date"} | '
  'KNOWS Ada>Bob {"w": 0.5, "since": "2001-01-01"} {"since": "date"} | '
  'LIKES Bob>unlabeled {} <NULL> | '
  'SELF loop; "x" Ada>Ada {"at": "2020-03-08T03:30:00-04:00[America/New_York]"} {"at": "datetime"}'
  AND bool_and(r.element_id ~ '^5:') AS ok
  FROM relationships r JOIN loaded s ON s.id = r.start_id JOIN loaded e ON e.id = r.end_id \gset
\if :ok
\else
  SELECT r.type, r.props, r.prop_types FROM relationships r;
  SELECT 1/0 AS relationships_differ;
\endif

-- the schema: the uniqueness constraint as a unique index, the rest recorded
-- (also after neo2pg's import into Neo4j, which recreates them; neo4j-admin's
-- schema.cypher makes only the uniqueness constraints: -v imported=1)
SELECT :{?imported} AS imported \gset
SELECT (SELECT value FROM load_info WHERE key = 'uniqueness_constraints') =
       '[{"node_prop": "uid", "node_label": "Person", "constraint_name": "person_uid"}]'
   AND ((SELECT value FROM load_info WHERE key = 'neo4j_schema') @>
       '[{"kind": "index", "name": "person_name", "type": "RANGE", "entity": "NODE",
          "labels_or_types": ["Person"], "properties": ["name"]},
         {"kind": "index", "name": "person_text", "type": "FULLTEXT", "entity": "NODE",
          "labels_or_types": ["Person", "Odd Label; \"q\" `b` é"], "properties": ["name", "quote\"key"]},
         {"kind": "constraint", "name": "knows_since", "type": "RELATIONSHIP_UNIQUENESS",
          "entity": "RELATIONSHIP", "labels_or_types": ["KNOWS"], "properties": ["since"]}]'
       OR :'imported'::boolean)
   AND EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = :'schema' AND indexname = 'person_uid')
   -- the database's id, as the Python tool records it
   AND (SELECT value->>0 FROM load_info WHERE key = 'db_id') ~ '^[0-9A-F]{64}$' AS ok \gset
\if :ok
\else
  SELECT 1/0 AS schema_differs;
\endif
