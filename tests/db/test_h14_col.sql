-- as: t_col1
-- Issue 14, lines 3 to 5, as a collector (as ana of the demo): a lease lasts
-- at most lease_setting.max_seconds, whatever the length asked; no contact
-- rules, no people, no lease settings.
BEGIN;
\ir lib.sql
SELECT plan(8);

SELECT is(session_user::text, 't_col1', 'runs as the login role t_col1');
SELECT is((SELECT row(holder, mine)::text FROM lease_take(:acc_col1_1, 'col1-window', 2000000000)), '(t_col1,t)',
          't_col1 takes a lease on an own account asking for 63 years');
SELECT ok((SELECT expires_at <= now() + interval '300 seconds' FROM lease WHERE account_id = :acc_col1_1),
          'and gets 300 seconds at most (the default longest lease)');
SELECT throws_ok(format('SELECT * FROM lease_take(%s, %L, 0)', :acc_col1_1, 'col1-window'), '22023', NULL,
                 'a lease of no length is refused');
SELECT is((SELECT row(holder, mine)::text FROM lease_take(:acc_col1_2, 'col1-other-window', 120)), '(t_col1,f)',
          'another window of the same person is another holder');
SELECT throws_ok('UPDATE lease_setting SET max_seconds = 3600', '42501', NULL, 'a collector cannot set the longest lease');
SELECT throws_ok($$INSERT INTO contact_policy (text) VALUES ('jurisdictions = ();')$$, '42501', NULL,
                 'a collector cannot store contact rules');
SELECT throws_ok($$SELECT agent_add('t_other_app', 'x', 'collector', 't_a')$$, '42501', NULL,
                 'a collector cannot add people');

SELECT * FROM finish();
ROLLBACK;
