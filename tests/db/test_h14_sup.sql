-- as: t_sup
-- Issue 14, line 5, as a supervisor (as sofia of the demo): a lease is the
-- agent's who took it. t_sup can read t_col1's session in the lease table
-- and pass it: that takes nothing. A lease t_col2 took before leases were
-- bounded (until 2094, fixtures.sql) holds the team off no longer.
BEGIN;
\ir lib.sql
SELECT plan(9);

SELECT is(session_user::text, 't_sup', 'runs as the login role t_sup');
SELECT is((SELECT session FROM lease WHERE account_id = :acc_col1_2), 'tfx-col1-session',
          't_sup reads t_col1''s lease and its session');
SELECT is((SELECT row(holder, mine)::text FROM lease_take(:acc_col1_2, 'tfx-col1-session', 120)), '(t_col1,f)',
          'lease_take with t_col1''s session: t_col1 still holds it, not t_sup');
SELECT is((SELECT g.login::text FROM lease l JOIN agent g ON g.id = l.agent_id WHERE l.account_id = :acc_col1_2), 't_col1',
          'and the lease row is still t_col1''s');
SELECT ok((SELECT expires_at < now() + interval '300 seconds' FROM lease WHERE account_id = :acc_col1_2),
          'nor was it stretched');
SELECT lives_ok(format('SELECT lease_release(%s, %L)', :acc_col1_2, 'tfx-col1-session'), 'lease_release with it');
SELECT ok(EXISTS (SELECT 1 FROM lease WHERE account_id = :acc_col1_2), 'releases nothing');

SELECT is((SELECT row(holder, mine)::text FROM lease_take(:acc_col2_2, 'sup-window', 120)), '(t_sup,t)',
          'a lease until 2094 (taken before the bound) no longer holds the team off: t_sup takes it');
SELECT throws_ok('UPDATE lease_setting SET max_seconds = 3600', '42501', 'permission denied for table lease_setting',
                 'a supervisor cannot set the longest lease');

SELECT * FROM finish();
ROLLBACK;
