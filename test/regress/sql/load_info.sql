--
-- load_info: metadata about the load; never print timestamps or paths
--
SET search_path = neo4j, public;
-- output settings fixed so results do not depend on the server's defaults
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

SELECT key, jsonb_typeof(value) AS json_type
  FROM load_info ORDER BY key COLLATE "C";

SELECT key, value FROM load_info
 WHERE key IN ('db_id', 'unique_prop_key', 'uniqueness_constraints',
               'node_count', 'relationship_count',
               'nul_replaced', 'rejected_relationships')
 ORDER BY key COLLATE "C";

-- counts agree with the tables
SELECT (SELECT (value)::bigint FROM load_info WHERE key = 'node_count')
         = (SELECT count(*) FROM nodes) AS node_count_ok,
       (SELECT (value)::bigint FROM load_info WHERE key = 'relationship_count')
         = (SELECT count(*) FROM relationships) AS relationship_count_ok;

-- timestamps: castable and ordered; values are not printed
SELECT (s.value->>0)::timestamptz <= (f.value->>0)::timestamptz AS finished_after_start,
       (f.value->>0)::timestamptz <= now() AS finished_in_past,
       (f.value->>0)::timestamptz - (s.value->>0)::timestamptz < interval '1 hour' AS quick
  FROM load_info s, load_info f
 WHERE s.key = 'started_at' AND f.key = 'finished_at';

SELECT value->>0 ~ '^\d+\.\d+\.\d+' AS version_like
  FROM load_info WHERE key = 'neo2pg_version';
SELECT length(value->>0) > 0 AS has_source FROM load_info WHERE key = 'source';

-- the metadata lists match the data
SELECT value FROM load_info WHERE key = 'rel_types';
SELECT value = (SELECT jsonb_agg(type ORDER BY type COLLATE "C")
                  FROM (SELECT DISTINCT type FROM relationships) t) AS rel_types_match
  FROM load_info WHERE key = 'rel_types';
SELECT value FROM load_info WHERE key = 'node_labels';
SELECT l AS label_without_nodes
  FROM load_info, jsonb_array_elements_text(value) AS l
 WHERE key = 'node_labels'
   AND NOT EXISTS (SELECT 1 FROM nodes
                    WHERE labels = string_to_array(l, ':')
                       OR (l = '' AND labels = '{}')
                       OR labels @> ARRAY[l])
 ORDER BY l COLLATE "C";
SELECT jsonb_array_length(value) AS property_key_count,
       value = (SELECT jsonb_agg(k ORDER BY k COLLATE "C") FROM (
                  SELECT jsonb_object_keys(props) AS k FROM nodes
                  UNION
                  SELECT jsonb_object_keys(props) FROM relationships) ks)
         AS property_keys_match
  FROM load_info WHERE key = 'property_keys';

-- each uniqueness constraint has its partial unique index
SELECT c->>'constraint_name' AS constraint_name, c->>'node_label' AS label,
       c->>'node_prop' AS prop, i.indexdef
  FROM load_info,
       jsonb_array_elements(value) AS c
  LEFT JOIN pg_indexes i
    ON i.schemaname = 'neo4j' AND i.indexname = c->>'constraint_name'
 WHERE key = 'uniqueness_constraints'
 ORDER BY 1;
-- and the data satisfies it
SELECT props->>'uid' AS uid, count(*)
  FROM nodes WHERE labels @> ARRAY['Person']
 GROUP BY 1 HAVING count(*) > 1;
SELECT count(*) AS persons_without_uid
  FROM nodes WHERE labels @> ARRAY['Person'] AND NOT props ? 'uid';

-- what the load created: listed under "objects", each carrying the comment
-- "neo2pg load <load_id>"; nothing else in the schema carries it
SELECT value #>> '{}' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' AS load_id_is_uuid
  FROM load_info WHERE key = 'load_id';
SELECT e->>'kind' AS kind, count(*)
  FROM load_info, jsonb_array_elements(value) AS e
 WHERE key = 'objects' GROUP BY 1 ORDER BY 1;
SELECT e->>'name' AS name, e->>'args' AS args
  FROM load_info, jsonb_array_elements(value) AS e
 WHERE key = 'objects' AND e->>'kind' IN ('table', 'type', 'function')
 ORDER BY e->>'name' COLLATE "C";
WITH mark AS (SELECT 'neo2pg load ' || (value #>> '{}') AS m FROM load_info WHERE key = 'load_id'),
     marked AS (
       SELECT CASE relkind WHEN 'v' THEN 'view' WHEN 'i' THEN 'index' ELSE 'table' END AS kind,
              relname::text AS name
         FROM pg_class WHERE relnamespace = 'neo4j'::regnamespace
          AND obj_description(oid, 'pg_class') = (SELECT m FROM mark)
       UNION ALL
       SELECT 'type', typname FROM pg_type WHERE typnamespace = 'neo4j'::regnamespace
          AND obj_description(oid, 'pg_type') = (SELECT m FROM mark)
       UNION ALL
       SELECT 'function', proname FROM pg_proc WHERE pronamespace = 'neo4j'::regnamespace
          AND obj_description(oid, 'pg_proc') = (SELECT m FROM mark)),
     listed AS (
       SELECT e->>'kind' AS kind, e->>'name' AS name
         FROM load_info, jsonb_array_elements(value) AS e WHERE key = 'objects')
SELECT (SELECT count(*) FROM listed) AS listed,
       (SELECT count(*) FROM marked) AS marked,
       (SELECT count(*) FROM (SELECT * FROM listed EXCEPT SELECT * FROM marked) d) AS listed_not_marked,
       (SELECT count(*) FROM (SELECT * FROM marked EXCEPT SELECT * FROM listed) d) AS marked_not_listed;
