--
-- floats: values jsonb cannot keep as numbers are JSON strings with
-- prop_types 'float'; (props->>k)::float8 reads every float back
--
SET search_path = neo4j, public;
-- output settings fixed so results do not depend on the server's defaults
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

SELECT key, jsonb_typeof(props->key) AS json_type,
       prop_types->>key AS neo4j_type,
       CASE WHEN length(props->>key) <= 25 THEN props->>key
            ELSE left(props->>key, 8) || '...' || right(props->>key, 8)
                 || ' (' || length(props->>key) || ' chars)' END AS text_value,
       (props->>key)::float8 AS value
  FROM nodes, jsonb_object_keys(props) AS key
 WHERE id = 6 AND key LIKE 'float\_%'
 ORDER BY substr(key, 7)::int;

SELECT (props->>'float_2')::float8::text = '-0' AS minus_zero_kept,
       (props->>'float_3')::float8::text = '0' AS zero_plain,
       (props->>'float_11')::float8 = 'NaN'::float8 AS is_nan,
       (props->>'float_12')::float8 = 'Infinity'::float8 AS is_inf,
       (props->>'float_13')::float8 = '-Infinity'::float8 AS is_minus_inf,
       (props->>'float_4')::float8 = 1e20 AS is_1e20,
       (props->>'float_5')::float8 = 1.7976931348623157e308::float8 AS is_max,
       (props->>'float_6')::float8 = 5e-324::float8 AS is_min_subnormal,
       (props->>'float_7')::float8 = -2.2250738585072014e-308::float8 AS is_minus_min_normal,
       (props->>'float_9')::float8 = 1e16 AS is_1e16
  FROM nodes WHERE id = 6;

-- relationship 9 holds the same values
SELECT count(*) AS differing
  FROM nodes n, relationships r, jsonb_object_keys(n.props) AS key
 WHERE n.id = 6 AND r.id = 9 AND key LIKE 'float\_%'
   AND ((n.props->>key)::float8 IS DISTINCT FROM (r.props->>key)::float8
        OR (n.props->>key)::float8::text <> (r.props->>key)::float8::text);

-- every float stored as a string is tagged, so strings are never mistaken
SELECT jsonb_typeof(p.value) AS json_type, t.type, count(*)
  FROM (SELECT props, prop_types FROM nodes
        UNION ALL SELECT props, prop_types FROM relationships) x,
       jsonb_each(x.props) AS p,
       LATERAL (SELECT x.prop_types->>p.key AS type) t
 WHERE t.type = 'float' OR jsonb_typeof(p.value) = 'number'
 GROUP BY 1, 2 ORDER BY 1, 2;

-- non-finite values filtered out in SQL
SELECT key FROM nodes, jsonb_object_keys(props) AS key
 WHERE id = 6 AND key LIKE 'float\_%'
   AND (props->>key)::float8 NOT IN ('NaN', 'Infinity', '-Infinity')
 ORDER BY substr(key, 7)::int;

-- ordinary floats from the generated data
SELECT 'node' AS kind, id, props->>'ratio' AS ratio, (props->>'ratio')::float8 AS f
  FROM nodes WHERE props ? 'ratio'
UNION ALL
SELECT 'relationship', id, props->>'ratio', (props->>'ratio')::float8
  FROM relationships WHERE props ? 'ratio'
 ORDER BY f, kind, id;
SELECT round(avg((props->>'ratio')::float8)::numeric, 4) AS avg_ratio,
       min((props->>'ratio')::float8), max((props->>'ratio')::float8)
  FROM relationships WHERE props ? 'ratio';

-- list<float>
SELECT ord, jsonb_typeof(v) AS json_type,
       CASE WHEN length(v #>> '{}') <= 25 THEN v #>> '{}'
            ELSE left(v #>> '{}', 8) || '...' || right(v #>> '{}', 8)
                 || ' (' || length(v #>> '{}') || ' chars)' END AS text_value,
       (v #>> '{}')::float8 AS value
  FROM nodes, jsonb_array_elements(props->'floats') WITH ORDINALITY AS e(v, ord)
 WHERE id = 8 ORDER BY ord;
SELECT array_agg((v #>> '{}')::float8 ORDER BY ord) AS as_array
  FROM nodes, jsonb_array_elements(props->'floats') WITH ORDINALITY AS e(v, ord)
 WHERE id = 8;
