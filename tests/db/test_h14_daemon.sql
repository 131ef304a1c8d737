-- as: t_daemon
-- Issue 14, lines 3 to 5, as cobrod's role: it reads the rules, never writes
-- them; it adds no people and sets no lease length.
BEGIN;
\ir lib.sql
SELECT plan(6);

SELECT is(session_user::text, 't_daemon', 'runs as the login role t_daemon');
SELECT lives_ok('SELECT version, text FROM contact_policy WHERE accepted', 'the daemon reads the contact rules');
SELECT throws_ok($$INSERT INTO contact_policy (text) VALUES ('jurisdictions = ();')$$, '42501', NULL,
                 'the daemon cannot store contact rules');
SELECT throws_ok('UPDATE contact_policy SET text = text', '42501', NULL, 'nor change them');
SELECT throws_ok('UPDATE lease_setting SET max_seconds = 3600', '42501', NULL, 'the daemon cannot set the longest lease');
SELECT throws_ok($$SELECT agent_add('t_other_app', 'x', 'collector', 't_a')$$, '42501', NULL,
                 'the daemon cannot add people');

SELECT * FROM finish();
ROLLBACK;
