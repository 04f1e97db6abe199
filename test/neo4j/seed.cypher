// The test graph for "neo2pg copy bolt://": every Neo4j type, lists of
// each, zone ids across DST changes and before 1970, extreme values, odd
// names.  test/integration/neo4j.sh checks every value in PostgreSQL.
// Statements end with a line holding a single ";".
CREATE CONSTRAINT person_uid FOR (p:Person) REQUIRE p.uid IS UNIQUE
;
CREATE INDEX person_name FOR (p:Person) ON (p.name)
;
CREATE TEXT INDEX person_name_text FOR (p:Person) ON (p.name)
;
CREATE INDEX `odd ``index``` FOR (p:`Odd Label; "q" ``b`` é`) ON (p.`back``tick`, p.`é`)
;
CREATE INDEX knows_w FOR ()-[r:KNOWS]-() ON (r.w)
;
CREATE POINT INDEX person_geo FOR (p:Person) ON (p.geo)
;
CREATE FULLTEXT INDEX person_text FOR (n:Person|`Odd Label; "q" ``b`` é`) ON EACH [n.name, n.`quote"key`]
;
CREATE CONSTRAINT knows_since FOR ()-[r:KNOWS]-() REQUIRE r.since IS UNIQUE
;
CREATE (:Person {uid: 1, name: 'Ada', born: date('1815-12-10'), active: true,
  score: 0.334, big: 9223372036854775807, small: -9223372036854775808,
  neg0: -0.0, nan: 0.0 / 0.0, inf: 1.0 / 0.0, ninf: -1.0 / 0.0, huge: 1e308, tiny: 5e-324,
  lt: localtime('23:59:59.999999999'), t: time('12:00:00.000000001-18:00'),
  ldt: localdatetime('2015-07-04T19:32:24'), dt: datetime('2015-06-24T12:50:35.556+01:00'),
  zdt: datetime('2015-06-24T12:50:35.556[Europe/London]'),
  dur: duration({months: 14, days: -3, seconds: -7201, nanoseconds: 500000000}),
  p2: point({x: 1.5, y: -2.0}), p3: point({x: 1.0, y: 2.0, z: 3.0}),
  geo: point({longitude: 56.0, latitude: 12.0}), geo3: point({longitude: 56.0, latitude: 12.0, height: 2.0}),
  bytes: $bytes, text: 'line\nbreak "quoted" \\ back\tslash é 😀',
  ints: [1, 2, 3], floats: [1.5, -0.0], strs: ['a', 'b'], bools: [true, false],
  dates: [date('2020-01-01'), date('-0001-12-31')], pts: [point({x: 1.0, y: 2.0}), point({x: 3.0, y: 4.0})],
  zdts: [datetime('2021-03-28T01:59:59[Europe/Paris]'), datetime('2021-03-28T03:00:00[Europe/Paris]')]})
;
CREATE (:Person:`Odd Label; "q" ``b`` é` {uid: 2, name: 'Bob', `key with space`: 1, `semi;colon`: 2,
  `quote"key`: 3, `back``tick`: 4, `é`: 5})
;
CREATE ({unlabeled: true, zones: [
  datetime('1900-01-01T00:00:00[Europe/Amsterdam]'),
  datetime('2020-07-01T12:00:00-04:00[America/New_York]'),
  datetime('2020-11-01T01:30:00-05:00[America/New_York]'),
  datetime('2020-01-01T00:00:00.123456789[Asia/Kolkata]'),
  datetime('1970-01-01T00:00:00[UTC]')],
  far: [date('-999999999-01-01'), date('+999999999-12-31')],
  fardt: localdatetime('+999999999-12-31T23:59:59.999999999')})
;
MATCH (a:Person {uid: 1}), (b:Person {uid: 2}), (u) WHERE u.unlabeled
CREATE (a)-[:KNOWS {since: date('2001-01-01'), w: 0.5}]->(b),
       (a)-[:KNOWS {since: date('2002-02-02')}]->(b),
       (a)-[:`SELF loop; "x"` {at: datetime('2020-03-08T03:30:00[America/New_York]')}]->(a),
       (b)-[:LIKES]->(u)
;
