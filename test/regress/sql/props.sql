--
-- props: jsonb access with ->, ->>, ?, @>, prop_types and jsonb_typeof
--
SET search_path = neo4j, public;
-- output settings fixed so results do not depend on the server's defaults
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

-- Person names and uids (uid is a JSON integer)
SELECT id, labels, (props->>'uid')::int AS uid, props->>'name' AS name,
       jsonb_typeof(props->'uid') AS uid_type
  FROM nodes
 WHERE labels @> ARRAY['Person'] AND props ? 'name'
 ORDER BY (props->>'uid')::int;

SELECT id, props->>'name' AS name FROM nodes
 WHERE props @> '{"name": "Ann"}' ORDER BY id;

-- key existence operators
SELECT id FROM nodes WHERE props ? 'flag' ORDER BY id;
SELECT id FROM nodes WHERE props ?| ARRAY['bytes', 'blob'] ORDER BY id;
SELECT id FROM nodes WHERE props ?& ARRAY['uid', 'created', 'born'] ORDER BY id;
SELECT id, props->'flag' AS flag FROM relationships
 WHERE props @> '{"flag": true}' ORDER BY id;
SELECT id FROM relationships WHERE props @> '{"flag": false}' ORDER BY id;

-- a key whose value type differs between rows
SELECT 'node' AS kind, id, jsonb_typeof(props->'mixed') AS json_type,
       prop_types->>'mixed' AS neo4j_type, props->>'mixed' AS value
  FROM nodes WHERE props ? 'mixed'
UNION ALL
SELECT 'relationship', id, jsonb_typeof(props->'mixed'),
       prop_types->>'mixed', props->>'mixed'
  FROM relationships WHERE props ? 'mixed'
 ORDER BY 1, 2;

-- keys that need quoting anywhere else
SELECT id,
       props->>'weird "key"; DROP TABLE x;--' AS weird,
       (props->>'has space')::int AS has_space,
       (props->>'back`tick')::int AS back_tick,
       (props->>'single''quote')::int AS single_quote,
       (props->>'back\slash')::int AS back_slash,
       (props->>'semi;colon')::int AS semi_colon,
       (props->>'Größe')::numeric AS groesse,
       props->>'名前' AS namae
  FROM nodes WHERE id = 2;
SELECT key FROM nodes, jsonb_object_keys(props) AS key
 WHERE id = 2 ORDER BY key COLLATE "C";
SELECT props = (SELECT props FROM nodes WHERE id = 2) AS same_as_node_2
  FROM relationships WHERE id = 5;

-- strings: escapes, non-BMP characters, control characters
SELECT key, props->key AS json, length(props->>key) AS chars,
       octet_length(props->>key) AS bytes
  FROM nodes, jsonb_object_keys(props) AS key
 WHERE id = 3 AND key <> 'controls'
 ORDER BY key COLLATE "C";
-- "bell\u0007 unit\u001f del\u007f ls\u2028 ps\u2029" as UTF-8 bytes
SELECT encode(convert_to(props->>'controls', 'UTF8'), 'hex') AS controls_hex,
       props->>'ws' = E'line1\nline2\r\n\ttabbed' AS ws_ok,
       props->>'backslash' = 'C:\path\to\file \u0041' AS backslash_ok,
       props->>'emoji' = U&'smile \+01F600 \+01D11E' AS emoji_ok
  FROM nodes WHERE id = 3;
SELECT id FROM nodes WHERE props->>'city' = 'Zürich' ORDER BY id;
SELECT id, props->>'name' FROM nodes WHERE props->>'name' LIKE 'Zürich%' ORDER BY id;

-- strings that only look like Neo4j literals stay plain strings
SELECT id, key, props->>key AS value, prop_types
  FROM nodes, jsonb_object_keys(props) AS key
 WHERE id = 4 ORDER BY key COLLATE "C";
-- byte arrays come as Python-style literals in strings
SELECT key, props->>key AS value
  FROM nodes, jsonb_object_keys(props) AS key
 WHERE id = 9 ORDER BY key COLLATE "C";

-- 64-bit integers are kept exactly
SELECT key, (props->>key)::bigint AS value, jsonb_typeof(props->key) AS json_type
  FROM nodes, jsonb_object_keys(props) AS key
 WHERE id = 6 AND key LIKE 'int\_%'
 ORDER BY substr(key, 5)::int;
SELECT (props->>'int_7')::bigint = 9007199254740993 AS beyond_2_53_exact,
       (props->'int_0')::text::bigint = -9223372036854775808 AS min_ok,
       (props->'int_1')::bigint = 9223372036854775807 AS max_ok
  FROM nodes WHERE id = 6;
SELECT key, props->key AS value FROM nodes, jsonb_object_keys(props) AS key
 WHERE id = 6 AND key IN ('t', 'f') ORDER BY key;

-- lists
SELECT key, jsonb_typeof(props->key) AS json_type,
       jsonb_array_length(props->key) AS len, prop_types->>key AS neo4j_type
  FROM nodes, jsonb_object_keys(props) AS key
 WHERE id = 8 ORDER BY key COLLATE "C";
SELECT s.ord, s.v, length(s.v) AS chars
  FROM nodes, jsonb_array_elements_text(props->'strings') WITH ORDINALITY AS s(v, ord)
 WHERE id = 8 ORDER BY s.ord;
SELECT array_agg(v::bigint ORDER BY ord) AS ints
  FROM nodes, jsonb_array_elements_text(props->'ints') WITH ORDINALITY AS s(v, ord)
 WHERE id = 8;
SELECT id FROM nodes WHERE props->'strings' ? 'Zürich' ORDER BY id;
SELECT id FROM nodes WHERE props @> '{"bools": [false]}' ORDER BY id;

-- prop_types: Neo4j types of the keys jsonb alone cannot tell
SELECT key, type FROM nodes, jsonb_each_text(prop_types) AS t(key, type)
 WHERE id = 5 ORDER BY key COLLATE "C";
SELECT type, count(*) FROM (
    SELECT t.type FROM nodes, jsonb_each_text(prop_types) AS t(key, type)
    UNION ALL
    SELECT t.type FROM relationships, jsonb_each_text(prop_types) AS t(key, type)
) x GROUP BY type ORDER BY type COLLATE "C";
-- plain keys (no prop_types entry) by JSON type
SELECT jsonb_typeof(p.value) AS json_type, count(*) FROM (
    SELECT props, prop_types FROM nodes
    UNION ALL
    SELECT props, prop_types FROM relationships
) x, jsonb_each(x.props) AS p
 WHERE x.prop_types IS NULL OR NOT x.prop_types ? p.key
 GROUP BY 1 ORDER BY 1;
-- prop_types is NULL rather than empty, and names only existing keys
SELECT (SELECT count(*) FROM nodes WHERE prop_types IS NULL) AS nodes_null,
       (SELECT count(*) FROM nodes WHERE prop_types = '{}') AS nodes_empty,
       (SELECT count(*) FROM relationships WHERE prop_types IS NULL) AS rels_null,
       (SELECT count(*) FROM relationships WHERE prop_types = '{}') AS rels_empty;
SELECT count(*) AS dangling_type_keys FROM (
    SELECT props, prop_types FROM nodes
    UNION ALL
    SELECT props, prop_types FROM relationships
) x, jsonb_object_keys(x.prop_types) AS k
 WHERE NOT x.props ? k;
-- find all nodes with a date-typed property, whatever its key
SELECT n.id, t.key
  FROM nodes n, jsonb_each_text(n.prop_types) AS t(key, type)
 WHERE t.type = 'date'
 ORDER BY n.id, t.key COLLATE "C";
