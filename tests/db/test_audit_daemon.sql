-- as: t_daemon
-- The audit chain as the daemon (issue 17, lines 6 and 7): it changes,
-- removes and forges no audit row and reads none (SELECT is granted, no
-- policy shows a row); its login is recorded.
BEGIN;
\ir lib.sql
SELECT plan(12);

SELECT is(session_user::text, 't_daemon', 'runs as the login role t_daemon');
SELECT throws_ok('UPDATE audit SET actor = ''nobody''', '42501', NULL, 'daemon cannot update audit rows');
SELECT throws_ok('DELETE FROM audit', '42501', NULL, 'daemon cannot delete audit rows');
SELECT throws_ok('TRUNCATE audit', '42501', NULL, 'daemon cannot truncate audit');
SELECT throws_ok('INSERT INTO audit (action, tbl, hash) VALUES (''FORGED'', ''x'', ''\x00'')', '42501', NULL,
                 'daemon cannot insert an audit row by hand');
SELECT throws_ok('UPDATE audit_head SET hash = NULL', '42501', NULL, 'daemon cannot move the chain''s head');
SELECT throws_ok('SELECT audit_write(''FORGED'', ''x'', NULL, NULL, NULL)', '42501', NULL,
                 'daemon cannot call audit_write');
SELECT throws_ok('ALTER TABLE audit DISABLE TRIGGER audit_append_only', '42501', NULL,
                 'daemon cannot switch the append-only guard off');
SELECT throws_ok('SET session_replication_role = replica', '42501', NULL,
                 'daemon cannot skip triggers (session_replication_role)');
SELECT is((SELECT count(*) FROM audit), 0::bigint, 'the daemon reads no audit row');
SELECT throws_ok('SELECT * FROM audit_verify()', '42501', NULL, 'the daemon cannot run audit_verify');
SELECT lives_ok('SELECT audit_login(''cobrod'')', 'cobrod''s login is recorded (audit_login)');

SELECT * FROM finish();
ROLLBACK;
