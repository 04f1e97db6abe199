--
-- ext_backup: neo2pg_backup_rows() reads a backup on the server through the
-- backend's I/O table (transient files, directory listing, gzip), with the
-- load's rules; a bad row is an ERROR whose DETAIL names its file and row.
-- Run from the top of the repository (test/check.sh does).
--
SET search_path = public;

-- copies in a directory the server can read (it runs as another user, and
-- the repository may be in a private home directory), and bad backups made
-- by the generator
\set tmp `d=$(mktemp -d /tmp/neo2pg-regress.XXXXXX) && chmod 755 "$d" && echo "$d"`
\set made `cp -R examples/backup :'tmp'/example && for b in bad-literal wrong-digest nul truncated-gzip int-overflow; do python3 tools/gen_backup.py --nodes 30 --rels 20 --chunk-rows 10 --bad $b :'tmp'/$b >/dev/null || exit 1; done && chmod -R a+rX :'tmp' && echo made`
SELECT :'made' AS generated;
\set example :tmp/example
SELECT * FROM neo2pg_backup_rows(:'example');

-- each names the file and the row in its DETAIL (the message is the CLI's);
-- U+0000 is not the reader's rule but PostgreSQL's (neo2pg_props applies it)
SELECT * FROM neo2pg_backup_rows(:'tmp' || '/bad-literal');
SELECT * FROM neo2pg_backup_rows(:'tmp' || '/wrong-digest');
SELECT * FROM neo2pg_backup_rows(:'tmp' || '/nul');
SELECT * FROM neo2pg_backup_rows(:'tmp' || '/int-overflow');
SELECT * FROM neo2pg_backup_rows(:'tmp' || '/truncated-gzip');
SELECT * FROM neo2pg_backup_rows('/nonexistent/neo2pg-backup');

-- only superusers and roles with pg_read_server_files read server files
CREATE ROLE neo2pg_regress_reader;
SET ROLE neo2pg_regress_reader;
SELECT * FROM neo2pg_backup_rows(:'example');
RESET ROLE;
GRANT pg_read_server_files TO neo2pg_regress_reader;
SET ROLE neo2pg_regress_reader;
SELECT * FROM neo2pg_backup_rows(:'example');
RESET ROLE;
DROP ROLE neo2pg_regress_reader;

\set cleaned `rm -rf :'tmp' && echo cleaned`
SELECT :'cleaned' AS cleaned;
