-- as: t_sup
-- A supervisor (t_sup, team t_a) reads everything of their own team and
-- nothing of another team; they cannot change an assignment.
BEGIN;
\ir lib.sql
SELECT plan(30);

SELECT is(session_user::text, 't_sup', 'runs as the login role t_sup');
SELECT is(current_setting('is_superuser'), 'off', 't_sup is not a superuser');
SELECT ok(pg_has_role('t_sup', 'cobro_supervisor', 'MEMBER')
          AND NOT pg_has_role('t_sup', 'cobro_lead', 'MEMBER')
          AND NOT pg_has_role('t_sup', 'cobro_collector', 'MEMBER')
          AND NOT pg_has_role('t_sup', 'cobro_admin', 'MEMBER')
          AND NOT pg_has_role('t_sup', 'cobro_daemon', 'MEMBER'),
          't_sup is in cobro_supervisor and no other group');

-- ------------------------------------------------------------ own team
SELECT set_eq('SELECT id FROM account',
              ARRAY[:acc_col1_1, :acc_col1_2, :acc_shared_a, :acc_col2_1, :acc_col2_2, :acc_gone_1, :acc_pool_a]::bigint[],
              'supervisor reads exactly the 7 accounts of their team (every agent''s, the pool''s)');
SELECT set_eq('SELECT id FROM debtor',
              ARRAY[:deb_col1_1, :deb_col1_2, :deb_shared, :deb_col2_1, :deb_col2_2, :deb_gone_1, :deb_pool_a]::bigint[],
              'supervisor reads exactly the debtors of their team''s accounts');
SELECT is((SELECT count(*)::int FROM contact_point), 14, 'supervisor reads the 14 contact points of their team''s debtors');
SELECT is((SELECT count(*)::int FROM installment), 14, 'supervisor reads the 14 installments of their team''s accounts');
SELECT is((SELECT count(*)::int FROM payment), 7, 'supervisor reads the 7 payments of their team''s accounts');
SELECT set_eq('SELECT id FROM promise',
              ARRAY[:prom_col1_1, :prom_col1_2, :prom_shared_a, :prom_col2_1, :prom_col2_2, :prom_gone_1, :prom_pool_a]::bigint[],
              'supervisor reads exactly the promises of their team''s accounts');
SELECT is((SELECT count(*)::int FROM promise_installment), 7, 'supervisor reads the 7 plan installments of their team''s promises');
SELECT is((SELECT count(*)::int FROM event), 15,
          'supervisor reads the 15 events of their team (14 on accounts, 1 account-less on a team debtor)');
SELECT is((SELECT count(*)::int FROM message), 8,
          'supervisor reads the 8 messages of their team (7 on accounts, 1 account-less)');
SELECT set_eq('SELECT login FROM agent', ARRAY['t_col1', 't_col2', 't_gone', 't_sup', 't_lead'],
              'supervisor reads exactly the people of their team');

-- ------------------------------------------------------------ other team
SELECT is_empty(format('SELECT 1 FROM account WHERE team_id = %s OR id IN (%s, %s)', :team_b, :acc_col3_1, :acc_shared_b),
                'supervisor reads no account of another team');
SELECT is_empty(format('SELECT 1 FROM debtor WHERE id = %s', :deb_col3_1), 'supervisor reads no debtor of another team');
SELECT is_empty(format('SELECT 1 FROM event WHERE account_id IN (%s, %s) OR debtor_id = %s '
                       'UNION ALL SELECT 1 FROM message WHERE account_id IN (%s, %s) OR debtor_id = %s',
                       :acc_col3_1, :acc_shared_b, :deb_col3_1, :acc_col3_1, :acc_shared_b, :deb_col3_1),
                'supervisor reads no event or message of another team, even on a shared debtor');
SELECT is_empty(format('SELECT 1 FROM promise WHERE account_id IN (%s, %s) '
                       'UNION ALL SELECT 1 FROM payment WHERE account_id IN (%s, %s) '
                       'UNION ALL SELECT 1 FROM installment WHERE account_id IN (%s, %s)',
                       :acc_col3_1, :acc_shared_b, :acc_col3_1, :acc_shared_b, :acc_col3_1, :acc_shared_b),
                'supervisor reads no promise, payment or installment of another team');
SELECT is_empty('SELECT 1 FROM agent WHERE login IN (''t_col3'', ''t_lead_b'', ''t_admin'', ''t_daemon'')',
                'supervisor reads no person of another team, nor admins or daemons');

-- ------------------------------------------------------------ writing
SELECT throws_ok(format('UPDATE account SET agent_id = %s WHERE id = %s', :ag_col2, :acc_col1_1),
                 '42501', 'permission denied for table account',
                 'supervisor cannot reassign an account of their team');
SELECT throws_ok(format('UPDATE account SET agent_id = %s WHERE id = %s', :ag_col1, :acc_pool_a),
                 '42501', 'permission denied for table account',
                 'supervisor cannot assign the team pool''s account');
SELECT throws_ok(format('UPDATE account SET status = ''closed'' WHERE id = %s', :acc_col1_1),
                 '42501', 'permission denied for table account',
                 'supervisor cannot change an account''s status');
SELECT throws_ok(format('UPDATE promise SET status = ''kept'' WHERE id = %s', :prom_col1_1),
                 '42501', 'permission denied for table promise',
                 'supervisor cannot change a promise''s status');
SELECT ok(cobro.account_add_note('00000000-0000-4000-8000-0000000000c3', :acc_col2_1, 'sup') > 0,
          'supervisor adds a note to an account of their team (through account_add_note)');
SELECT throws_ok(format('SELECT cobro.account_add_note(''00000000-0000-4000-8000-0000000000c4'', %s, ''x'')', :acc_col3_1),
                 '42501', 'no such account',
                 'supervisor cannot add an event to another team''s account');
SELECT throws_ok(format('INSERT INTO message (account_id, debtor_id, channel, recipient, body) '
                        'VALUES (%s, %s, ''sms'', ''+34600000000'', ''x'')', :acc_shared_b, :deb_shared),
                 '42501', 'permission denied for table message',
                 'supervisor cannot queue a message on another team''s account');
SELECT throws_ok('SELECT * FROM audit', '42501', 'permission denied for table audit',
                 'supervisor cannot read the audit trail');
SELECT throws_ok('SELECT * FROM schema_migration', '42501', 'permission denied for table schema_migration',
                 'supervisor cannot read the migration ledger');
SELECT throws_ok('SELECT cobro.agent_add(''t_evil'', ''Evil'', ''collector'', ''t_a'')',
                 '42501', 'permission denied for function agent_add', 'supervisor cannot execute agent_add');
SELECT throws_ok(format('UPDATE agent SET active = false WHERE id = %s', :ag_col1),
                 '42501', 'permission denied for table agent', 'supervisor cannot deactivate a person');
SELECT throws_ok('CREATE TABLE cobro.t_x (i int)', '42501', 'permission denied for schema cobro',
                 'supervisor cannot create a table in schema cobro');

SELECT * FROM finish();
ROLLBACK;
