--
-- constraints: keys, foreign keys and Neo4j uniqueness constraints
-- hold; everything here is rolled back
--
SET search_path = neo4j, public;
-- output settings fixed so results do not depend on the server's defaults
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;
\set VERBOSITY terse

-- a second Person with uid 10 violates constraint_person_uid
BEGIN;
INSERT INTO nodes (id, labels, props) VALUES (1000, '{Person}', '{"uid": 10, "name": "Ann 2"}');
ROLLBACK;
BEGIN;
INSERT INTO nodes (id, labels, props) VALUES (1000, '{Actor,Person}', '{"uid": 10}');
ROLLBACK;
-- the index is on the text form (props->>'uid'): the string "10" collides
-- with the integer 10, which Neo4j would treat as different values
BEGIN;
INSERT INTO nodes (id, labels, props) VALUES (1000, '{Person}', '{"uid": "10"}');
ROLLBACK;
-- the same uid on a node that is not a Person is fine, as in Neo4j
BEGIN;
INSERT INTO nodes (id, labels, props) VALUES (1000, '{Movie}', '{"uid": 10}');
INSERT INTO nodes (id, labels, props) VALUES (1001, '{Person}', '{"uid": 1001}');
SELECT id, labels, props FROM nodes WHERE id >= 1000 ORDER BY id;
-- upsert through the partial unique index
INSERT INTO nodes (id, labels, props) VALUES (1002, '{Person}', '{"uid": 10}')
    ON CONFLICT ((props->>'uid')) WHERE labels @> ARRAY['Person'] DO NOTHING;
SELECT count(*) AS persons_with_uid_10
  FROM nodes WHERE labels @> ARRAY['Person'] AND props->>'uid' = '10';
ROLLBACK;

-- primary keys
BEGIN;
INSERT INTO nodes (id, labels, props) VALUES (10, '{}', '{}');
ROLLBACK;
BEGIN;
INSERT INTO relationships (id, type, start_id, end_id, props) VALUES (0, 'KNOWS', 10, 5, '{}');
ROLLBACK;

-- NOT NULL columns
BEGIN;
INSERT INTO nodes (id, labels, props) VALUES (1000, NULL, '{}');
ROLLBACK;

-- dangling relationships are rejected
BEGIN;
INSERT INTO relationships (id, type, start_id, end_id, props)
VALUES (1000, 'KNOWS', 10, 999999, '{}');
ROLLBACK;
BEGIN;
INSERT INTO relationships (id, type, start_id, end_id, props)
VALUES (1000, 'KNOWS', 999999, 10, '{}');
ROLLBACK;
-- a node with relationships cannot be deleted on its own
-- (node 23 only starts relationships, node 12 only ends them)
BEGIN;
DELETE FROM nodes WHERE id = 23;
ROLLBACK;
BEGIN;
DELETE FROM nodes WHERE id = 12;
ROLLBACK;
-- but it can together with its relationships
BEGIN;
DELETE FROM relationships WHERE 10 IN (start_id, end_id);
DELETE FROM nodes WHERE id = 10;
SELECT count(*) AS nodes_left FROM nodes;
ROLLBACK;

-- a valid relationship is accepted
BEGIN;
INSERT INTO relationships (id, type, start_id, end_id, props)
VALUES (1000, 'KNOWS', 10, 0, '{"since": 2024}');
SELECT id, type, start_id, end_id, props, prop_types FROM relationships WHERE id = 1000;
ROLLBACK;

\set VERBOSITY default
-- nothing was left behind
SELECT (SELECT count(*) FROM nodes) AS nodes,
       (SELECT count(*) FROM relationships) AS relationships;
