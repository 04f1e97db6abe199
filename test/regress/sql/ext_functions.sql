--
-- ext_functions: each SQL function of the extension with good and bad
-- input; errors name the bad text
--
SET search_path = public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;

-- volatility, strictness and parallel safety, as documented
SELECT p.oid::regprocedure AS function, p.provolatile, p.proisstrict, p.proparallel
  FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid
 WHERE e.extname = 'neo2pg' ORDER BY 1::text COLLATE "C";

--
-- neo2pg_literal
--
SELECT l.literal, r.value, r.type
  FROM (VALUES ('$date(''-0001-01-01'')'), ('$date(''+12000-02-29'')'),
			   ('$time(''24:00:00.000000000'')'), ('$time(''00:00:00.000000001Z'')'),
			   ('$time(''12:00:00.000000000+01:00:30'')'),
			   ('$datetime(''2015-06-24T12:50:35.556000000Z'')'),
			   ('$duration(''P-1Y-2MT-3.5S'')'), ('$duration(''PT0S'')'),
			   ('$point({x: -0.0, y: 1e-05, crs: ''cartesian''})'),
			   ('$point({x: 1.0, y: 2.0, z: 3.0, crs: ''cartesian-3d''})'),
			   ('$point({x: 1.0, y: 2.0, z: 3.0, crs: ''wgs-84-3d''})')) AS l(literal),
	   LATERAL neo2pg_literal(l.literal) AS r
 ORDER BY l.literal COLLATE "C";
SELECT * FROM neo2pg_literal('$date(''1999-02-29'')');
SELECT * FROM neo2pg_literal('$time(''25:00:00'')');
SELECT * FROM neo2pg_literal('$datetime(''2015-06-24T12:50:35[Europe/Paris]'')');
SELECT * FROM neo2pg_literal('$duration(''P1D '')');
SELECT * FROM neo2pg_literal('$point({x: 1.0, crs: ''cartesian''})');
SELECT * FROM neo2pg_literal('$date(''1999-01-01''');
SELECT * FROM neo2pg_literal('');

--
-- neo2pg_props
--
-- floats as the load keeps them: shortest repr, marked strings for what
-- jsonb's numeric cannot say
SELECT * FROM neo2pg_props('{"i": 9223372036854775807, "f": 0.334, "z": -0.0, "n": NaN, "inf": -Infinity, "big": 1e+20, "tiny": 5e-324, "two": 2.0}');
SELECT * FROM neo2pg_props('{"d": "$date(''1999-01-01'')", "p": "$point({x: 1.0, y: 2.0, crs: ''cartesian''})", "s": "plain", "e": []}');
-- lists: of one literal type, or strings as written
SELECT * FROM neo2pg_props('{"ds": ["$date(''1999-01-01'')", "$date(''2000-01-01'')"], "mixed": ["$date(''1999-01-01'')", "$time(''12:00:00'')"], "notall": ["$date(''1999-01-01'')", "x"]}');
-- hash_props: the original string comes back once its digest is checked
SELECT * FROM neo2pg_props('{"long": "' || encode(sha256('$date(''not a date'')'), 'hex') || '", "k": 1}',
						   '{"long": "$date(''not a date'')"}');
SELECT * FROM neo2pg_props('{}', '{}');
SELECT * FROM neo2pg_props(NULL);
-- U+0000: refused, or replaced as --replace-nul does, in values and keys
SELECT * FROM neo2pg_props('{"a": "x\u0000y"}');
SELECT * FROM neo2pg_props('{"a\u0000": 1}');
SELECT * FROM neo2pg_props('{"a": "x\u0000y", "b\u0000": ["\u0000"]}', replace_nul => '?');
SELECT * FROM neo2pg_props('{"a\u0000": 1, "a?": 2}', replace_nul => '?');
-- the load's refusals, each naming the key
SELECT * FROM neo2pg_props('{"k": "abc"}', '{"k": "$date(''1999-01-01'')"}');
SELECT * FROM neo2pg_props('{"k": 1}', '{"k": "1"}');
SELECT * FROM neo2pg_props('{"k": 1}', '{"other": "x"}');
SELECT * FROM neo2pg_props('{"k": null}');
SELECT * FROM neo2pg_props('{"k": {"a": 1}}');
SELECT * FROM neo2pg_props('{"": 1}');
SELECT * FROM neo2pg_props('{"k": [[1]]}');
SELECT * FROM neo2pg_props('{"k": [1, NaN]}');
SELECT * FROM neo2pg_props('{"k": "$date(''1999-13-01'')"}');
SELECT * FROM neo2pg_props('{"k": 1, "k": 2}');
SELECT * FROM neo2pg_props('{"k": 99999999999999999999}');
-- not an object, not JSON
SELECT * FROM neo2pg_props('[1]');
SELECT * FROM neo2pg_props('{"k": 1}', '"x"');
SELECT * FROM neo2pg_props('{"k": 1');
SELECT * FROM neo2pg_props('{"k": 1} x');

--
-- the casts: a literal, the text props holds, a props value (jsonb), a
-- raw literal inside jsonb
--
SELECT neo2pg_date('$date(''1999-01-01'')') AS literal, neo2pg_date('1999-01-01') AS text,
	   neo2pg_date('"1999-01-01"'::jsonb) AS props, neo2pg_date('"$date(''1999-01-01'')"'::jsonb) AS raw;
SELECT neo2pg_time('$time(''12:50:35.556000001'')'), neo2pg_time('24:00:00'),
	   neo2pg_time('"00:00:00.0000005"'::jsonb);
SELECT neo2pg_timetz('$time(''12:50:35.5+01:00:30'')'), neo2pg_timetz('23:59:59-15:59:59'),
	   neo2pg_timetz('"12:00:00Z"'::jsonb);
SELECT neo2pg_timestamp('$datetime(''2015-07-04T19:32:24.000001'')'), neo2pg_timestamp('"9999-12-31T23:59:59.999999"'::jsonb);
SELECT neo2pg_timestamptz('$datetime(''2015-06-24T12:50:35.556+01:00'')'),
	   neo2pg_timestamptz('"2015-06-24T12:50:35.556+01:00[Europe/London]"'::jsonb),
	   neo2pg_timestamptz('2015-06-24T12:50:35.556+05:45:30');
SELECT neo2pg_interval('$duration(''P1Y2M10DT2H30M15.5S'')'), neo2pg_interval('P-1Y-2MT-0.000001S'),
	   neo2pg_interval('"PT0S"'::jsonb), neo2pg_interval('P14DT16H12M')::text;
SELECT neo2pg_point('$point({x: 56.0, y: 12.0, crs: ''wgs-84''})'),
	   neo2pg_point('{"srid": 9157, "x": 1.0, "y": 2.0, "z": 3.5}'::jsonb),
	   neo2pg_point('{"srid": 7203, "x": -0.0, "y": 1e-05}'),
	   neo2pg_point('"$point({x: 1.0, y: 2.0, crs: ''cartesian''})"'::jsonb);
SELECT neo2pg_point_ewkt('$point({x: 56.5, y: 12.0, crs: ''wgs-84''})'),
	   neo2pg_point_ewkt('{"srid": 4979, "x": 1.0, "y": 2.0, "z": 3.5}'::jsonb);
-- the same instant whatever the session says: these read ISO text only
SET DateStyle = 'SQL, DMY';
SET TimeZone = 'Asia/Kathmandu';
SET IntervalStyle = 'iso_8601';
SELECT neo2pg_date('1999-02-03')::text, neo2pg_timestamptz('2015-06-24T12:50:35+01:00') = '2015-06-24 11:50:35+00'::timestamptz,
	   neo2pg_interval('P1M') = '1 mon'::interval;
RESET DateStyle;
RESET TimeZone;
RESET IntervalStyle;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
-- what the native type cannot hold is NULL, as in the typed views
SELECT neo2pg_date('$date(''12000-01-01'')') IS NULL AS year_12000,
	   neo2pg_date('$date(''-0001-01-01'')') IS NULL AS year_minus_1,
	   neo2pg_timestamp('$datetime(''0000-01-01T00:00:00'')') IS NULL AS year_0,
	   neo2pg_timetz('$time(''12:00:00+18:00'')') IS NULL AS offset_18,
	   neo2pg_interval('$duration(''P999999999999M'')') IS NULL AS months_overflow,
	   neo2pg_point('{"srid": 7203, "x": "NaN", "y": 1.0}') IS NULL AS nan_point;
-- another Neo4j type: an error that names the function to use
SELECT neo2pg_date('$time(''12:00:00'')');
SELECT neo2pg_time('12:00:00+01:00');
SELECT neo2pg_timetz('12:00:00');
SELECT neo2pg_timestamp('2015-06-24T12:50:35+01:00');
SELECT neo2pg_timestamptz('2015-06-24T12:50:35');
SELECT neo2pg_interval('$date(''1999-01-01'')');
SELECT neo2pg_point('$duration(''P1D'')');
-- malformed: an error quoting the text
SELECT neo2pg_date('1999-13-01');
SELECT neo2pg_date('01/02/1999');
SELECT neo2pg_date('today');
SELECT neo2pg_timestamptz('2015-06-24T12:50:35[Europe/Paris]');
SELECT neo2pg_interval('1 day');
SELECT neo2pg_point('{"x": 1.0}');
SELECT neo2pg_point('not json');
SELECT neo2pg_date('3'::jsonb);
SELECT neo2pg_date('{"a": 1}'::jsonb);
SELECT neo2pg_point('[1, 2]'::jsonb);
SELECT neo2pg_date('$date(''1999-01-01'')x');
SELECT neo2pg_date(NULL::text) IS NULL, neo2pg_point(NULL::jsonb) IS NULL;
