-- as: ana
-- The audit chain as ana, a collector (issue 17, lines 6 and 7): nobody changes,
-- removes or forges audit rows, nor switches the guard off; the trail is
-- the administrators' to read and verify (027_audit.sql: supervisors and
-- leads read their team's history in the events, not the audit rows);
-- a login of theirs is recorded.
BEGIN;
\ir lib.sql
SELECT plan(12);

SELECT is(session_user::text, 'ana', 'runs as the login role ana');
SELECT throws_ok('UPDATE audit SET actor = ''nobody''', '42501', NULL, 'ana cannot update audit rows');
SELECT throws_ok('DELETE FROM audit', '42501', NULL, 'ana cannot delete audit rows');
SELECT throws_ok('TRUNCATE audit', '42501', NULL, 'ana cannot truncate audit');
SELECT throws_ok('INSERT INTO audit (action, tbl, hash) VALUES (''FORGED'', ''x'', ''\x00'')', '42501', NULL,
                 'ana cannot insert an audit row by hand');
SELECT throws_ok('UPDATE audit_head SET hash = NULL', '42501', NULL, 'ana cannot move the chain''s head');
SELECT throws_ok('SELECT audit_write(''FORGED'', ''x'', NULL, NULL, NULL)', '42501', NULL,
                 'ana cannot call audit_write');
SELECT throws_ok('ALTER TABLE audit DISABLE TRIGGER audit_append_only', '42501', NULL,
                 'ana cannot switch the append-only guard off');
SELECT throws_ok('SET session_replication_role = replica', '42501', NULL,
                 'ana cannot skip triggers (session_replication_role)');
SELECT throws_ok('SELECT count(*) FROM audit', '42501', NULL, 'ana cannot read the audit trail');
SELECT throws_ok('SELECT * FROM audit_verify()', '42501', NULL, 'ana cannot run audit_verify');
SELECT lives_ok('SELECT audit_login(''cobro'')', 'ana''s workstation login is recorded (audit_login)');

SELECT * FROM finish();
ROLLBACK;
