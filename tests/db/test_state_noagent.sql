-- as: t_noagent
-- Issue 14, line 2, as a login role given cobro's collector and supervisor
-- groups by hand but with no agent row (fixtures.sql makes it): nothing to
-- write directly, and the functions know nobody. Fixtures: fixtures.sql.
BEGIN;
\ir lib.sql
SELECT plan(7);

SELECT is(session_user::text, 't_noagent', 'runs as the login role t_noagent');
SELECT is(my_agent_id(), NULL, 't_noagent has no agent row');
SELECT throws_ok(format('UPDATE account SET status = ''active'' WHERE id = %s', :acc_col1_1),
                 '42501', 'permission denied for table account', 'no UPDATE of account at all');
SELECT throws_ok(format('INSERT INTO event (account_id, debtor_id, kind) VALUES (%s, %s, ''note'')',
                        :acc_col1_1, :deb_col1_1),
                 '42501', 'permission denied for table event', 'no INSERT into event at all');
SELECT throws_ok(format('UPDATE contact_point SET opted_out = ''{}'' WHERE id = %s', :cp_col1_1_mobile),
                 '42501', 'permission denied for table contact_point', 'no UPDATE of contact_point at all');
SELECT throws_ok(format('SELECT cobro.account_log_call(''00000000-0000-4000-8000-000000000f11'', %s, ''no_answer'', NULL, NULL)',
                        :acc_col1_1),
                 '42501', 'no such account', 'the call function knows nobody without an agent row');
SELECT throws_ok(format('SELECT cobro.account_lift_dispute(%s, ''x'')', :acc_col1_1),
                 '42501', 'no such account', 'nor does the lifting function');

SELECT * FROM finish();
ROLLBACK;
