--
-- ext_basic: CREATE EXTENSION neo2pg loads the shared object built from the
-- core, and its first function decodes backup literals as the load does
--
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS neo2pg CASCADE;
RESET client_min_messages;
CREATE EXTENSION neo2pg;
SET search_path = public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

-- the shared object answers, with the core's version
SELECT neo2pg_version();
SELECT p.proname, p.probin FROM pg_proc p
 WHERE p.proname = 'neo2pg_version' AND p.pronamespace = 'public'::regnamespace;

-- one literal of each kind
SELECT l.literal, r.value, r.type
  FROM (VALUES ('$date(''1999-01-01'')'),
               ('$time(''12:50:35.556000000+01:00'')'),
               ('$time(''12:50:35.556000000'')'),
               ('$datetime(''2015-06-24T12:50:35.556000000+01:00'')'),
               ('$datetime(''2015-07-04T19:32:24'')'),
               ('$duration(''P14DT16H12M'')'),
               ('$point({x: 56.0, y: 12.0, crs: ''wgs-84''})')) AS l(literal),
       LATERAL neo2pg_literal(l.literal) AS r
 ORDER BY l.literal COLLATE "C";

-- bad input names the text
SELECT * FROM neo2pg_literal('$date(''1999-13-01'')');
SELECT * FROM neo2pg_literal('1999-01-01');
SELECT * FROM neo2pg_literal(NULL);
