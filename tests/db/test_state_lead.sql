-- as: t_lead
-- Issue 14, line 2, as a lead (team t_a): assignment stays theirs; the
-- state a screen shows is not, but through the functions. Fixtures: fixtures.sql.
BEGIN;
\ir lib.sql
SELECT plan(8);

SELECT is(session_user::text, 't_lead', 'runs as the login role t_lead');
SELECT throws_ok(format('UPDATE account SET status = ''paid'' WHERE id = %s', :acc_col1_1),
                 '42501', 'permission denied for table account', 'lead cannot mark an account paid');
SELECT throws_ok(format('UPDATE account SET last_contact_at = ''1999-01-01'' WHERE id = %s', :acc_col1_1),
                 '42501', 'permission denied for table account', 'lead cannot backdate last_contact_at');
SELECT throws_ok(format('UPDATE contact_point SET bad_since = NULL WHERE id = %s', :cp_col1_1_mobile),
                 '42501', 'permission denied for table contact_point', 'lead cannot clear a bad mark directly');
SELECT throws_ok(format('INSERT INTO event (account_id, debtor_id, agent_id, kind, body) '
                        'VALUES (%s, %s, %s, ''note'', ''x'')', :acc_col1_1, :deb_col1_1, :ag_lead),
                 '42501', 'permission denied for table event', 'lead cannot insert an event directly');
SELECT throws_ok(format('UPDATE promise SET status = ''kept'' WHERE id = %s', :prom_col1_1),
                 '42501', 'permission denied for table promise', 'lead cannot mark a promise kept');
SELECT throws_ok(format('UPDATE account SET agent_id = %s WHERE id = %s', :ag_col2, :acc_col1_2),
                 '42501', 'permission denied for table account',
                 'lead moves no account by writing agent_id (reassign_apply() does, test_lead.sql)');
SELECT ok(cobro.account_add_note('00000000-0000-4000-8000-000000000d01', :acc_col1_1, 'Nota del jefe de equipo') > 0,
          'lead notes a team account through the function');

SELECT * FROM finish();
ROLLBACK;
