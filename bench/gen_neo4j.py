#!/usr/bin/env python3
"""Cypher that seeds the benchmark's Neo4j with a generated graph.

    bench/gen_neo4j.py NODES | build/test/neo4j_cypher -

Statements for build/test/neo4j_cypher (each ends with a line ";", each
runs in a write transaction of its own).  The values are made by the
server from the node's number, so the statements stay short; $bytes is
the byte array that neo4j_cypher passes (Cypher has no literal for one).
Every node has every property type: integers, floats, strings, booleans,
bytes, lists, Date, Time, LocalTime, DateTime with an offset and with a
zone id (distinct instants, across DST changes and before 1970), and
LocalDateTime, 2D and 3D points, durations.  Each node starts two
relationships (to nodes of its own batch), which carry a smaller mix.
"""
import sys

NODES = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
BATCH = 5000

ZONES = "['Europe/London', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Europe/Amsterdam', 'America/St_Johns', 'Pacific/Chatham', 'UTC']"

print("CREATE CONSTRAINT bench_uid FOR (n:Person) REQUIRE n.uid IS UNIQUE\n;")
for start in range(0, NODES, BATCH):
    end = min(start + BATCH, NODES) - 1
    print(f"""WITH {ZONES} AS zones
UNWIND range({start}, {end}) AS i
CREATE (n:Person {{
  uid: i,
  big: i * 1000003 - 4611686018427387904,
  score: toFloat(i) / 7.0,
  ratio: -1.0e-300 * i,
  name: 'person-' + toString(i),
  bio: 'A longer text with non-ASCII characters, é ü 漢字, for person number ' + toString(i),
  active: i % 2 = 0,
  raw: $bytes,
  ints: [i, i + 1, i * 3],
  floats: [0.5, toFloat(i) / 3.0],
  tags: ['t' + toString(i % 97), 'u' + toString(i % 13), 'v'],
  flags: [true, i % 3 = 0],
  born: date({{year: 1890 + i % 200, month: 1 + i % 12, day: 1 + i % 28}}),
  wakes: time({{hour: i % 24, minute: i % 60, second: i % 59, nanosecond: (i * 7919) % 1000000000, timezone: '-03:30'}}),
  lunch: localtime({{hour: 12, minute: i % 60, second: 1, nanosecond: i % 1000}}),
  seen: datetime({{epochSeconds: 1000000000 + i * 3607, nanosecond: i % 1000000, timezone: '+05:45'}}),
  zoned: datetime({{epochSeconds: -2500000000 + i * 24007, nanosecond: (i * 13) % 1000000000, timezone: zones[i % size(zones)]}}),
  meets: [datetime({{epochSeconds: 1300000000 + i * 611, timezone: zones[(i + 3) % size(zones)]}}), datetime({{epochSeconds: 1300000000 + i * 613, timezone: zones[(i + 5) % size(zones)]}})],
  local: localdatetime({{year: 2000 + i % 30, month: 1 + i % 12, day: 1 + i % 28, hour: i % 24, minute: 7, second: 8, nanosecond: i}}),
  dates: [date({{year: 2020, month: 1 + i % 12, day: 2}}), date({{year: 1969, month: 12, day: 31}})],
  home: point({{x: toFloat(i), y: toFloat(i) / 2.0}}),
  place: point({{longitude: -180.0 + (i % 360), latitude: -45.0 + (i % 90), height: toFloat(i % 1000)}}),
  stay: duration({{months: i % 13, days: i % 31, seconds: i, nanoseconds: i % 1000000000}})
}})
FOREACH (_ IN CASE WHEN i % 3 = 0 THEN [1] ELSE [] END | SET n:Customer)
FOREACH (_ IN CASE WHEN i % 5 = 0 THEN [1] ELSE [] END | SET n:`Odd label; with "quotes"`)
WITH collect(n) AS ns
UNWIND range(0, size(ns) - 1) AS j
WITH ns, j, ns[j] AS a, ns[(j * 7 + 1) % size(ns)] AS b, ns[(j * 13 + 5) % size(ns)] AS c
CREATE (a)-[:KNOWS {{since: date({{year: 1950 + j % 70, month: 3, day: 4}}), weight: toFloat(j) / 11.0, note: 'knows ' + toString(j), strong: j % 2 = 1}}]->(b)
CREATE (a)-[:MET {{at: datetime({{epochSeconds: 1600000000 + a.uid * 59, timezone: 'Europe/Paris'}}), times: [j, j * 2], stay: duration({{days: j % 9, seconds: 3}}), where: point({{x: 1.5, y: toFloat(j)}})}}]->(c)
;""")
