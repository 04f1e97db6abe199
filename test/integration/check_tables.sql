-- Compare the typed tables of one load (--typed=tables) with the typed
-- views of another load of the same backup (--typed=views), in one
-- database.  Usage:
--   psql -v ON_ERROR_STOP=1 -v tables=T -v views=V -f this
--
-- Checked: both catalogs are equal; every relation the catalog names is a
-- table in T and a view in V, with the same columns of the same types, in
-- the same order, the table having one more, last, column "props" jsonb;
-- the rows are equal column by column (as text, EXCEPT ALL both ways, props
-- left out); each table has its primary key (id), each relationship table
-- its 2 foreign keys (start_id, end_id) to T.nodes, each label table one
-- UNIQUE constraint per uniqueness constraint of the backup (load_info) on
-- the key's column, and no other constraints.  props: NULL or a non-empty
-- object whose keys are catalog keys of the scope; each value equals the
-- base table's props value of that key (jsonb and text); its typed column
-- is NULL (a list: holds a NULL); and per scope and key there are as many
-- as the catalog counts not_castable.
-- Fails (non-zero exit) listing the mismatches.
\set QUIET on
SET client_min_messages = warning;
SET IntervalStyle = 'postgres';
SET TimeZone = 'UTC';
SET extra_float_digits = 1;
SELECT set_config('n2p_check.tables', :'tables', false) \gset
SELECT set_config('n2p_check.views', :'views', false) \gset

CREATE TEMP TABLE problems (relation text, problem text, detail text);

DO $$
DECLARE
  ts text := current_setting('n2p_check.tables');
  vs text := current_setting('n2p_check.views');
  rel record;
  k record;
  cols text;
  n bigint;
  sample text;
  base text;
  want text;
  got text;
BEGIN
  -- the catalogs are equal (but for the schema of neo4j_point)
  EXECUTE format($q$
    CREATE TEMP VIEW cat_t AS SELECT kind, scope, key, neo4j_type,
      replace(pg_type, %1$L, '') AS pg_type, "values", not_castable, relation, "column" FROM %2$I.catalog;
    CREATE TEMP VIEW cat_v AS SELECT kind, scope, key, neo4j_type,
      replace(pg_type, %3$L, '') AS pg_type, "values", not_castable, relation, "column" FROM %4$I.catalog$q$,
    '"' || replace(ts, '"', '""') || '".', ts, '"' || replace(vs, '"', '""') || '".', vs);
  INSERT INTO problems
  SELECT 'catalog', 'only in ' || w, r FROM (
    (SELECT ts AS w, c::text AS r FROM cat_t c EXCEPT ALL SELECT ts, c::text FROM cat_v c)
    UNION ALL
    (SELECT vs, c::text FROM cat_v c EXCEPT ALL SELECT vs, c::text FROM cat_t c)) d;

  FOR rel IN EXECUTE format('SELECT DISTINCT kind, scope, relation FROM %I.catalog
                              WHERE key IS NULL AND relation IS NOT NULL', ts) LOOP
    -- a table here, a view there
    got := (SELECT string_agg(n.nspname || ':' || c.relkind::text, ' ' ORDER BY n.nspname)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname IN (ts, vs) AND c.relname = rel.relation);
    want := (SELECT string_agg(s || ':' || CASE WHEN s = ts THEN 'r' ELSE 'v' END, ' ' ORDER BY s)
               FROM unnest(ARRAY[ts, vs]) s);
    IF got IS DISTINCT FROM want THEN
      INSERT INTO problems VALUES (rel.relation, 'relation kinds ' || coalesce(got, 'none'), want);
      CONTINUE;
    END IF;

    -- the same columns, in the same order, of the same types; props last
    SELECT string_agg(format('%s %s', a.attname, t.typname || coalesce('(' || nullif(a.atttypmod, -1) || ')', '')),
                      ', ' ORDER BY a.attnum) INTO got
      FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = format('%I.%I', ts, rel.relation)::regclass AND a.attnum > 0 AND NOT a.attisdropped;
    SELECT string_agg(format('%s %s', a.attname, t.typname || coalesce('(' || nullif(a.atttypmod, -1) || ')', '')),
                      ', ' ORDER BY a.attnum) || ', props jsonb',
           string_agg(format('x.%I::text', a.attname), ', ' ORDER BY a.attnum) INTO want, cols
      FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = format('%I.%I', vs, rel.relation)::regclass AND a.attnum > 0 AND NOT a.attisdropped;
    IF got IS DISTINCT FROM want THEN
      INSERT INTO problems VALUES (rel.relation, 'table columns ' || got, 'view columns ' || want);
      CONTINUE;
    END IF;

    -- the same rows, column by column as text, both ways
    EXECUTE format($q$
      SELECT count(*), string_agg(w || ' ' || r, E'\n') FILTER (WHERE i <= 3) FROM (
        SELECT *, row_number() OVER () AS i FROM (
          (SELECT 'table' AS w, ROW(%1$s)::text AS r FROM %2$I.%4$I x
           EXCEPT ALL SELECT 'table', ROW(%1$s)::text FROM %3$I.%4$I x)
          UNION ALL
          (SELECT 'view', ROW(%1$s)::text FROM %3$I.%4$I x
           EXCEPT ALL SELECT 'view', ROW(%1$s)::text FROM %2$I.%4$I x)) d) d$q$,
      cols, ts, vs, rel.relation) INTO n, sample;
    IF n > 0 THEN
      INSERT INTO problems VALUES (rel.relation, n || ' rows differ (only in the table or only in the view)', sample);
    END IF;

    -- constraints: primary key, foreign keys, uniqueness constraints
    want := 'p (id)';
    IF rel.kind = 'type' THEN
      want := want || format(', f (end_id) -> %1$s.nodes(id), f (start_id) -> %1$s.nodes(id)', quote_ident(ts));
    ELSE
      EXECUTE format($q$
        SELECT string_agg(', u (' || quote_ident(c."column") || ')', '')
          FROM (SELECT DISTINCT u->>'node_label' AS label, u->>'node_prop' AS prop
                  FROM %1$I.load_info li, jsonb_array_elements(li.value) u
                 WHERE li.key = 'uniqueness_constraints') u
          JOIN (SELECT DISTINCT scope, key, "column" FROM %1$I.catalog WHERE kind = 'label') c
            ON c.scope = u.label AND c.key = u.prop
         WHERE c.scope = %2$L AND c."column" IS NOT NULL$q$, ts, rel.scope) INTO got;
      want := want || coalesce(got, '');
    END IF;
    SELECT string_agg(x, ', ' ORDER BY x) INTO want FROM unnest(string_to_array(want, ', ')) x;
    SELECT string_agg(d, ', ' ORDER BY d) INTO got
      FROM (SELECT CASE WHEN c.contype = 'f'
                        THEN regexp_replace(pg_get_constraintdef(c.oid), '^FOREIGN KEY (\(\w+\)) REFERENCES (.*)$', 'f \1 -> \2')
                        ELSE c.contype::text || ' ' || regexp_replace(pg_get_constraintdef(c.oid), '^[A-Z ]+ ', '') END AS d
              FROM pg_constraint c
             WHERE c.conrelid = format('%I.%I', ts, rel.relation)::regclass) c;
    IF got IS DISTINCT FROM want THEN
      INSERT INTO problems VALUES (rel.relation, 'constraints ' || coalesce(got, 'none'), want);
    END IF;

    -- props: NULL, or a non-empty object of the values the columns lost
    base := CASE rel.kind WHEN 'label' THEN 'nodes' ELSE 'relationships' END;
    EXECUTE format($q$
      INSERT INTO problems
      SELECT %1$L, 'row ' || x.id || ': props ' || x.props::text, 'NULL or a non-empty object'
        FROM %2$I.%1$I x
       WHERE x.props IS NOT NULL AND (jsonb_typeof(x.props) <> 'object' OR x.props = '{}')$q$,
      rel.relation, ts);
    EXECUTE format($q$
      INSERT INTO problems
      SELECT %1$L, 'row ' || x.id || ': props key ' || p.key || ' is not a catalog key of the scope', p.value::text
        FROM %2$I.%1$I x, jsonb_each(x.props) p
       WHERE jsonb_typeof(x.props) = 'object'
         AND NOT EXISTS (SELECT 1 FROM %2$I.catalog c
                          WHERE c.kind = %3$L AND c.scope = %4$L AND c.key = p.key AND c."column" IS NOT NULL)$q$,
      rel.relation, ts, rel.kind, rel.scope);
    EXECUTE format($q$
      INSERT INTO problems
      SELECT %1$L, 'row ' || x.id || ': props ' || p.key || ' = ' || p.value::text, 'base props: ' || coalesce((b.props->p.key)::text, 'absent')
        FROM %2$I.%1$I x CROSS JOIN LATERAL jsonb_each(x.props) p JOIN %2$I.%3$I b ON b.id = x.id
       WHERE jsonb_typeof(x.props) = 'object'
         AND ((b.props->p.key) IS DISTINCT FROM p.value OR (b.props->p.key)::text IS DISTINCT FROM p.value::text)$q$,
      rel.relation, ts, base);
    FOR k IN EXECUTE format('SELECT key, "column", pg_type, sum(not_castable) AS nc FROM %I.catalog
                              WHERE kind = $1 AND scope = $2 AND key IS NOT NULL AND "column" IS NOT NULL
                              GROUP BY 1, 2, 3', ts) USING rel.kind, rel.scope LOOP
      -- as many lost values as the catalog counts, each NULL in its column
      EXECUTE format('SELECT count(*) FROM %I.%I x WHERE x.props ? $1', ts, rel.relation) INTO n USING k.key;
      IF n IS DISTINCT FROM k.nc THEN
        INSERT INTO problems VALUES (rel.relation, format('%s values of %s in props', n, k.key),
                                     format('catalog: not_castable %s', k.nc));
      END IF;
      EXECUTE format($q$
        SELECT string_agg(x.id::text, ', ') FROM %1$I.%2$I x
         WHERE x.props ? $1 AND x.%3$I IS NOT NULL %4$s$q$,
        ts, rel.relation, k."column",
        CASE WHEN k.pg_type LIKE '%[]' THEN format('AND array_position(x.%I, NULL) IS NULL', k."column") ELSE '' END)
        INTO sample USING k.key;
      IF sample IS NOT NULL THEN
        INSERT INTO problems VALUES (rel.relation, format('rows %s: %s in props and held by column %s', sample, k.key, k."column"),
                                     'NULL in the column');
      END IF;
    END LOOP;
  END LOOP;

  -- the table schema's relations are the base tables and the catalog's
  EXECUTE format($q$
    INSERT INTO problems
    SELECT c.relname, 'relation of kind ' || c.relkind::text || ' not in the catalog', %1$L
      FROM pg_class c
     WHERE c.relnamespace = %1$L::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
       AND c.relname NOT IN ('nodes', 'relationships', 'load_info', 'catalog')
       AND c.relname NOT IN (SELECT relation FROM %1$I.catalog WHERE relation IS NOT NULL)$q$, ts);
END $$;

\set QUIET off
SELECT (SELECT count(*) FROM problems) AS problems;
SELECT * FROM problems ORDER BY 1, 2 LIMIT 40;
DO $$ BEGIN
  IF (SELECT count(*) FROM problems) > 0 THEN
    RAISE EXCEPTION 'typed table check failed';
  END IF;
END $$;
