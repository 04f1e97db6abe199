--
-- ext_fdw: the foreign data wrapper serves a backup in place, with the
-- values a load of the same backup holds.  test/check.sh made the backups
-- under the directory in fdw_dir (gen: tools/gen_backup.py --edge-cases,
-- loaded into schema gen; big: one 128 MB chunk; mutants/: bad backups
-- of tools/gen_mutants.py).
--
SET search_path = public;
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS f, f2, f3, fjc, big, fdw_t, "bad-digest-1", "malformed-literals-1", "nul-inside-1",
  "truncated-gzip-1", "wrong-type-1", "invalid-utf8-1" CASCADE;
DROP SERVER IF EXISTS gen, jc, big, nopath, "bad-digest-1", "malformed-literals-1", "nul-inside-1",
  "truncated-gzip-1", "wrong-type-1", "invalid-utf8-1" CASCADE;
RESET client_min_messages;
CREATE SCHEMA fdw_t;
-- a statement's error: SQLSTATE, message and DETAIL, the directory hidden
CREATE FUNCTION fdw_t.err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  m text; d text; s text;
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, s = RETURNED_SQLSTATE;
  RETURN s || ': ' || m || coalesce(' DETAIL: ' || nullif(replace(d, (SELECT dir FROM fdw_dir), '<dir>'), ''), '');
END $$;
-- EXPLAIN's lines, the directory hidden
CREATE FUNCTION fdw_t.explain(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  l text;
BEGIN
  FOR l IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
    RETURN NEXT replace(l, (SELECT dir FROM fdw_dir), '<dir>');
  END LOOP;
END $$;
-- the same without ANALYZE
CREATE FUNCTION fdw_t.plan(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  l text;
BEGIN
  FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
    RETURN NEXT replace(l, (SELECT dir FROM fdw_dir), '<dir>');
  END LOOP;
END $$;
-- rows of two relations that the other lacks, duplicates counted, as text
CREATE FUNCTION fdw_t.diff(a text, b text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM ((SELECT t::text FROM %1$s t EXCEPT ALL SELECT t::text FROM %2$s t) '
                 'UNION ALL (SELECT t::text FROM %2$s t EXCEPT ALL SELECT t::text FROM %1$s t)) d', a, b)
    INTO n;
  RETURN n;
END $$;
DO $$
BEGIN
  EXECUTE format('CREATE SERVER gen FOREIGN DATA WRAPPER neo2pg OPTIONS (path %L)',
                 (SELECT dir FROM fdw_dir) || '/gen');
  EXECUTE format('CREATE SERVER big FOREIGN DATA WRAPPER neo2pg OPTIONS (path %L)',
                 (SELECT dir FROM fdw_dir) || '/big');
END $$;
CREATE SCHEMA f;
IMPORT FOREIGN SCHEMA neo4j FROM SERVER gen INTO f;
-- the base tables: the load's columns and types exactly
SELECT table_name, column_name, data_type, is_nullable, ordinal_position
  FROM information_schema.columns WHERE table_schema = 'gen' AND table_name IN ('nodes', 'relationships')
EXCEPT
SELECT table_name, column_name, data_type, is_nullable, ordinal_position
  FROM information_schema.columns WHERE table_schema = 'f';
SELECT count(*) FROM information_schema.columns WHERE table_schema = 'f' AND table_name IN ('nodes', 'relationships');
-- the same rows, value for value, on every column, both ways
SELECT count(*) FROM (SELECT * FROM f.nodes EXCEPT ALL SELECT * FROM gen.nodes) d;
SELECT count(*) FROM (SELECT * FROM gen.nodes EXCEPT ALL SELECT * FROM f.nodes) d;
SELECT count(*) FROM (SELECT * FROM f.relationships EXCEPT ALL SELECT * FROM gen.relationships) d;
SELECT count(*) FROM (SELECT * FROM gen.relationships EXCEPT ALL SELECT * FROM f.relationships) d;
SELECT (SELECT count(*) FROM f.nodes) AS nodes, (SELECT count(*) FROM f.relationships) AS relationships;
-- only the columns a query uses are built: the same answers
SELECT sum(id), count(labels) FROM f.nodes;
SELECT sum(start_id - end_id), count(DISTINCT type) FROM f.relationships;
SELECT sum(start_id - end_id), count(DISTINCT type) FROM gen.relationships;
-- props and prop_types are built from the values, not parsed from JSON
-- text (src/ext/fdw_jsonb.c): the same bytes as the load's jsonb, not only
-- equal values (record_image_eq: numeric scale, key order)
CREATE FUNCTION fdw_t.image_diff(a text, b text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM %1$s x FULL JOIN %2$s y ON x.id = y.id '
                 'WHERE x.id IS NULL OR y.id IS NULL '
                 'OR NOT record_image_eq(ROW(x.props, x.prop_types), ROW(y.props, y.prop_types))',
                 a, b) INTO n;
  RETURN n;
END $$;
SELECT fdw_t.image_diff('f.nodes', 'gen.nodes'), fdw_t.image_diff('f.relationships', 'gen.relationships'),
       fdw_t.diff('f.nodes', 'gen.nodes'), fdw_t.diff('f.relationships', 'gen.relationships');
-- test/fdw_jsonb_cases.py, loaded into schema jc: number tokens of every
-- form, integers at int64's limits, every escape, key order, empty lists
DO $$
BEGIN
  EXECUTE format('CREATE SERVER jc FOREIGN DATA WRAPPER neo2pg OPTIONS (path %L)',
                 (SELECT dir FROM fdw_dir) || '/jc');
END $$;
CREATE SCHEMA fjc;
IMPORT FOREIGN SCHEMA neo4j FROM SERVER jc INTO fjc;
SELECT count(*) FROM (SELECT * FROM fjc.nodes EXCEPT ALL SELECT * FROM jc.nodes) d;
SELECT count(*) FROM (SELECT * FROM jc.nodes EXCEPT ALL SELECT * FROM fjc.nodes) d;
SELECT count(*) FROM (SELECT * FROM fjc.relationships EXCEPT ALL SELECT * FROM jc.relationships) d;
SELECT count(*) FROM (SELECT * FROM jc.relationships EXCEPT ALL SELECT * FROM fjc.relationships) d;
SELECT fdw_t.image_diff('fjc.nodes', 'jc.nodes'), fdw_t.image_diff('fjc.relationships', 'jc.relationships'),
       fdw_t.diff('fjc.nodes', 'jc.nodes'), fdw_t.diff('fjc.relationships', 'jc.relationships');
SELECT c.relname, fdw_t.diff(format('jc.%I', c.relname), format('fjc.%I', c.relname)) AS differ
  FROM pg_class c WHERE c.relnamespace = 'jc'::regnamespace AND c.relkind = 'v'
 ORDER BY c.relname COLLATE "C";
-- what the rows hold, as a load of them holds it
SELECT n.id, p.key, p.value::text, n.prop_types->>p.key AS mark
  FROM fjc.nodes n LEFT JOIN LATERAL jsonb_each(n.props) WITH ORDINALITY p ON true
 ORDER BY n.id, p.ordinality;
-- one typed foreign table per typed view: the same names, columns, types
-- (neo2pg_point is the extension's neo4j_point) and rows
SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'gen'::regnamespace AND c.relkind = 'v'
EXCEPT SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'f'::regnamespace;
SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'f'::regnamespace
EXCEPT SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'gen'::regnamespace AND c.relkind = 'v'
ORDER BY 1;
SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'f'::regnamespace;
(SELECT table_name, column_name, data_type, replace(udt_name, 'neo4j_point', 'neo2pg_point'), ordinal_position
   FROM information_schema.columns WHERE table_schema = 'gen'
    AND table_name NOT IN ('nodes', 'relationships', 'load_info', 'catalog')
 EXCEPT
 SELECT table_name, column_name, data_type, udt_name, ordinal_position
   FROM information_schema.columns WHERE table_schema = 'f')
UNION ALL
(SELECT table_name, column_name, data_type, udt_name, ordinal_position
   FROM information_schema.columns WHERE table_schema = 'f'
 EXCEPT
 SELECT table_name, column_name, data_type, replace(udt_name, 'neo4j_point', 'neo2pg_point'), ordinal_position
   FROM information_schema.columns WHERE table_schema = 'gen');
SELECT c.relname, fdw_t.diff(format('gen.%I', c.relname), format('f.%I', c.relname)) AS differ
  FROM pg_class c WHERE c.relnamespace = 'gen'::regnamespace AND c.relkind = 'v'
 ORDER BY c.relname COLLATE "C";
SELECT count(*) FROM f."Person";
SELECT ftoptions FROM pg_foreign_table WHERE ftrelid IN ('f."Person"'::regclass, 'f."KNOWS"'::regclass, 'f.nodes'::regclass)
 ORDER BY ftrelid::regclass::text COLLATE "C";
-- a typed table's row estimate is the count IMPORT made (option rows)
CREATE FUNCTION fdw_t.plan_rows(rel text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  j json;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) SELECT * FROM ' || rel INTO j;
  RETURN (j->0->'Plan'->>'Plan Rows')::bigint;
END $$;
SELECT fdw_t.plan_rows('f."Person"') AS person_estimate, (SELECT count(*) FROM f."Person") AS person,
       fdw_t.plan_rows('f."KNOWS"') AS knows_estimate, (SELECT count(*) FROM f."KNOWS") AS knows;
-- LIMIT TO and EXCEPT
CREATE SCHEMA f2;
IMPORT FOREIGN SCHEMA neo4j LIMIT TO (nodes, "Person", nosuch) FROM SERVER gen INTO f2;
SELECT relname FROM pg_class WHERE relnamespace = 'f2'::regnamespace ORDER BY 1;
CREATE SCHEMA f3;
IMPORT FOREIGN SCHEMA neo4j EXCEPT (nodes, "Person") FROM SERVER gen INTO f3;
SELECT count(*), bool_or(relname = 'nodes'), bool_or(relname = 'Person'), bool_or(relname = 'relationships')
  FROM pg_class WHERE relnamespace = 'f3'::regnamespace;
SELECT fdw_t.err('IMPORT FOREIGN SCHEMA public FROM SERVER gen INTO f3');
-- rescans: the inner side of a nested loop, read again for each outer row
SET enable_hashjoin = off;
SET enable_mergejoin = off;
SET enable_material = off;
SELECT count(*) FROM f."Person" p JOIN f.relationships r ON r.start_id = p.id;
SELECT count(*) FROM gen."Person" p JOIN gen.relationships r ON r.start_id = p.id;
RESET enable_hashjoin;
RESET enable_mergejoin;
RESET enable_material;
-- parallel workers take whole chunk files: the same rows
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET max_parallel_workers_per_gather = 2;
SELECT * FROM fdw_t.plan('SELECT count(*), sum(length(props::text)) FROM f.relationships');
SELECT count(*), sum(length(props::text)), sum(id) FROM f.relationships;
SELECT count(*), sum(length(props::text)), sum(id) FROM gen.relationships;
SELECT count(*), sum(length(k::text)), sum(id) FROM f."KNOWS" k;
SELECT count(*), sum(length(k::text)), sum(id) FROM gen."KNOWS" k;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET max_parallel_workers_per_gather;
-- EXPLAIN: the files and their sizes; with ANALYZE the rows and bytes read
SELECT * FROM fdw_t.explain('SELECT count(*) FROM f.nodes');
SELECT * FROM fdw_t.explain('SELECT id FROM f."KNOWS" WHERE id < 0');
-- ANALYZE samples every row; the planner then knows the count
ANALYZE f.nodes;
SELECT reltuples FROM pg_class WHERE oid = 'f.nodes'::regclass;
SELECT count(DISTINCT attname) > 0 FROM pg_stats WHERE schemaname = 'f' AND tablename = 'nodes';
-- the path option: only superusers and pg_read_server_files may set it
SET client_min_messages = warning;
DROP ROLE IF EXISTS neo2pg_fdw_user;
RESET client_min_messages;
CREATE ROLE neo2pg_fdw_user;
GRANT USAGE ON FOREIGN DATA WRAPPER neo2pg TO neo2pg_fdw_user;
GRANT CREATE ON SCHEMA fdw_t TO neo2pg_fdw_user;
SET ROLE neo2pg_fdw_user;
CREATE SERVER mine FOREIGN DATA WRAPPER neo2pg OPTIONS (path '/etc');
CREATE SERVER mine FOREIGN DATA WRAPPER neo2pg;
ALTER SERVER mine OPTIONS (ADD path '/etc');
RESET ROLE;
GRANT pg_read_server_files TO neo2pg_fdw_user;
SET ROLE neo2pg_fdw_user;
ALTER SERVER mine OPTIONS (ADD path '/etc');
RESET ROLE;
DROP SERVER mine;
DROP OWNED BY neo2pg_fdw_user;
DROP ROLE neo2pg_fdw_user;
-- the options are checked
CREATE SERVER nopath FOREIGN DATA WRAPPER neo2pg;
SELECT fdw_t.err('IMPORT FOREIGN SCHEMA neo4j FROM SERVER nopath INTO f3');
CREATE FOREIGN TABLE fdw_t.bad (id bigint) SERVER gen OPTIONS (kind 'edges');
CREATE FOREIGN TABLE fdw_t.bad (id bigint) SERVER gen OPTIONS (label 'A', type 'B');
CREATE FOREIGN TABLE fdw_t.bad (id bigint) SERVER gen OPTIONS (label 'Person', rows '-1');
CREATE FOREIGN TABLE fdw_t.bad (id bigint) SERVER gen OPTIONS (label 'Person', rows 'many');
CREATE FOREIGN TABLE fdw_t.bad (id bigint) SERVER gen OPTIONS (filename 'x');
CREATE FOREIGN TABLE fdw_t.bad (id bigint, nosuch int) SERVER gen OPTIONS (kind 'nodes');
SELECT fdw_t.err('SELECT * FROM fdw_t.bad');
DROP FOREIGN TABLE fdw_t.bad;
CREATE FOREIGN TABLE fdw_t.bad (id text) SERVER gen OPTIONS (kind 'nodes');
SELECT fdw_t.err('SELECT * FROM fdw_t.bad');
DROP FOREIGN TABLE fdw_t.bad;
CREATE FOREIGN TABLE fdw_t.bad (id bigint, name integer OPTIONS (key 'name')) SERVER gen OPTIONS (label 'Person');
SELECT fdw_t.err('SELECT * FROM fdw_t.bad');
DROP FOREIGN TABLE fdw_t.bad;
-- a backup without element ids: element_id is NULL
CREATE FOREIGN TABLE fdw_t.bad (element_id text, id bigint) SERVER gen OPTIONS (kind 'relationships');
SELECT count(*), count(element_id), sum(id) FROM fdw_t.bad;
DROP FOREIGN TABLE fdw_t.bad;
-- a table of one's own shape: by column name, and a key by its option
CREATE FOREIGN TABLE fdw_t.people (name text OPTIONS (key 'name'), id bigint) SERVER gen OPTIONS (label 'Person');
SELECT count(*), count(name) FROM fdw_t.people;
SELECT count(*) FROM (SELECT id, name FROM fdw_t.people EXCEPT SELECT id, name FROM gen."Person") d;
-- bad backups: an ERROR naming the file and the row, as the load's
SELECT m, fdw_t.err(format('SELECT count(*), sum(length(props::text)) FROM %I.nodes', m)) AS nodes,
       fdw_t.err(format('SELECT count(*), sum(length(props::text)) FROM %I.relationships', m)) AS relationships
  FROM unnest(ARRAY['bad-digest-1', 'malformed-literals-1', 'nul-inside-1', 'truncated-gzip-1',
                    'wrong-type-1']) m
 WHERE fdw_t.err(format('CREATE SERVER %I FOREIGN DATA WRAPPER neo2pg OPTIONS (path %L); '
                        'CREATE SCHEMA %I; IMPORT FOREIGN SCHEMA neo4j LIMIT TO (nodes, relationships) '
                        'FROM SERVER %I INTO %I', m, (SELECT dir FROM fdw_dir) || '/mutants/' || m, m, m, m))
       = 'no error'
 ORDER BY m;
-- a metadata file: at IMPORT already
SELECT fdw_t.err(format('CREATE SERVER "invalid-utf8-1" FOREIGN DATA WRAPPER neo2pg OPTIONS (path %L); '
                        'CREATE SCHEMA "invalid-utf8-1"; IMPORT FOREIGN SCHEMA neo4j '
                        'FROM SERVER "invalid-utf8-1" INTO "invalid-utf8-1"',
                        (SELECT dir FROM fdw_dir) || '/mutants/invalid-utf8-1'));
-- the typed tables' IMPORT reads every row: the first bad one fails it
SELECT fdw_t.err('IMPORT FOREIGN SCHEMA neo4j EXCEPT (nodes) FROM SERVER "bad-digest-1" INTO "bad-digest-1"');
-- one chunk of 128 MB: memory stays bounded.  After a warm-up (the
-- library, the catalogs), the backend's peak resident memory grows by far
-- less than the chunk, and its memory contexts stay small while it runs.
-- No JIT: LLVM's library would count in the peak.
SET jit = off;
CREATE SCHEMA big;
IMPORT FOREIGN SCHEMA neo4j LIMIT TO (nodes) FROM SERVER big INTO big;
SELECT count(*), sum(length(props::text)) FROM (SELECT props FROM big.nodes LIMIT 2) s;
CREATE FUNCTION fdw_t.hwm_kb() RETURNS bigint LANGUAGE sql AS $$
  SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s*(\d+)'))[1]::bigint $$;
SELECT fdw_t.hwm_kb() AS before_kb \gset
SELECT count(*), sum(length(props::text)) FROM big.nodes;
SELECT fdw_t.hwm_kb() - :before_kb < 16 * 1024 AS peak_grew_less_than_16_mb;
SELECT max(used) < 8 * 1024 * 1024 AS contexts_below_8_mb, count(*) AS samples
  FROM (SELECT (SELECT sum(total_bytes) FROM pg_backend_memory_contexts WHERE n.id >= 0) AS used
          FROM big.nodes n WHERE n.id % 100 = 0) s;
RESET jit;
-- a cancel stops a scan: a thousand scans of the chunk, stopped after 2 s
SET statement_timeout = '2s';
SELECT sum(s.c) FROM generate_series(1, 1000) g,
       LATERAL (SELECT count(*) AS c FROM big.nodes n WHERE n.id = g) s;
RESET statement_timeout;
-- and the session goes on
SELECT count(*) FROM big.nodes WHERE id < 3;
