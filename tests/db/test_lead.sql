-- as: t_lead
-- A team lead (t_lead, team t_a) reads what a supervisor reads and moves
-- accounts between agents of their own team, in bulk too; never to an agent
-- of another team, never an account of another team.
BEGIN;
\ir lib.sql
SELECT plan(26);

SELECT is(session_user::text, 't_lead', 'runs as the login role t_lead');
SELECT is(current_setting('is_superuser'), 'off', 't_lead is not a superuser');
SELECT ok(pg_has_role('t_lead', 'cobro_lead', 'MEMBER')
          AND NOT pg_has_role('t_lead', 'cobro_collector', 'MEMBER')
          AND NOT pg_has_role('t_lead', 'cobro_admin', 'MEMBER')
          AND NOT pg_has_role('t_lead', 'cobro_daemon', 'MEMBER'),
          't_lead is in cobro_lead (which includes cobro_supervisor) and no other group');

SELECT set_eq('SELECT id FROM account',
              ARRAY[:acc_col1_1, :acc_col1_2, :acc_shared_a, :acc_col2_1, :acc_col2_2, :acc_gone_1, :acc_pool_a]::bigint[],
              'lead reads exactly the 7 accounts of their team');
SELECT is((SELECT count(*)::int FROM event), 15, 'lead reads the 15 events of their team');
SELECT is_empty(format('SELECT 1 FROM account WHERE team_id = %s UNION ALL SELECT 1 FROM event WHERE account_id IN (%s, %s) '
                       'UNION ALL SELECT 1 FROM debtor WHERE id = %s',
                       :team_b, :acc_col3_1, :acc_shared_b, :deb_col3_1),
                'lead reads no account, event or debtor of another team');

-- ------------------------------------------------------------ reassigning
SELECT is(pg_temp.affected(format('UPDATE account SET agent_id = %s, updated_at = now() WHERE agent_id = %s',
                                  :ag_col1, :ag_col2)),
          2::bigint, 'lead moves all of a collector''s accounts to a teammate in one statement');
SELECT set_eq(format('SELECT id FROM account WHERE agent_id = %s', :ag_col1),
              ARRAY[:acc_col1_1, :acc_col1_2, :acc_shared_a, :acc_col2_1, :acc_col2_2]::bigint[],
              'the moved accounts now belong to the new collector');
SELECT is(pg_temp.affected(format('UPDATE account SET agent_id = %s WHERE id = %s', :ag_col2, :acc_pool_a)),
          1::bigint, 'lead assigns the team pool''s account to a collector of their team');
SELECT is(pg_temp.affected(format('UPDATE account SET agent_id = NULL WHERE id = %s', :acc_col1_2)),
          1::bigint, 'lead returns an account to the team pool');
SELECT is(pg_temp.affected(format('UPDATE account SET agent_id = %s WHERE id = %s', :ag_col2, :acc_gone_1)),
          1::bigint, 'lead takes a deactivated collector''s account away');

SELECT throws_ok(format('UPDATE account SET agent_id = %s WHERE id = %s', :ag_col3, :acc_col1_1),
                 '42501', 'new row violates row-level security policy for table "account"',
                 'lead cannot assign an account to a collector of another team');
SELECT throws_ok(format('UPDATE account SET agent_id = %s WHERE id = %s', :ag_lead_b, :acc_col1_1),
                 '42501', 'new row violates row-level security policy for table "account"',
                 'lead cannot assign an account to the lead of another team');
SELECT throws_ok(format('UPDATE account SET agent_id = %s WHERE id = %s', :ag_admin, :acc_col1_1),
                 '42501', 'new row violates row-level security policy for table "account"',
                 'lead cannot assign an account to a person of no team (an admin)');
SELECT throws_ok(format('UPDATE account SET agent_id = %s WHERE id = %s', :ag_gone, :acc_col1_1),
                 '42501', 'new row violates row-level security policy for table "account"',
                 'lead cannot assign an account to a deactivated collector');
SELECT throws_ok(format('UPDATE account SET agent_id = %s WHERE team_id = %s', :ag_col3, :team_a),
                 '42501', 'new row violates row-level security policy for table "account"',
                 'lead cannot move the whole team''s portfolio to another team''s collector');
SELECT is(pg_temp.affected(format('UPDATE account SET agent_id = %s WHERE id IN (%s, %s)', :ag_col3, :acc_col3_1, :acc_shared_b)),
          0::bigint, 'lead cannot reassign another team''s accounts within that team (0 rows)');
SELECT is(pg_temp.affected(format('UPDATE account SET agent_id = NULL WHERE id IN (%s, %s)', :acc_col3_1, :acc_shared_b)),
          0::bigint, 'lead cannot unassign another team''s accounts (0 rows)');
SELECT is(pg_temp.affected(format('UPDATE account SET agent_id = %s WHERE team_id = %s', :ag_col1, :team_b)),
          0::bigint, 'lead cannot pull another team''s accounts to their own collector (0 rows)');

SELECT throws_ok(format('UPDATE account SET team_id = %s WHERE id = %s', :team_b, :acc_col1_1),
                 '42501', 'permission denied for table account',
                 'lead cannot move an account to another team (UPDATE team_id)');
SELECT throws_ok(format('UPDATE account SET status = ''closed'' WHERE id = %s', :acc_col1_1),
                 '42501', 'permission denied for table account',
                 'lead cannot change an account''s status');
SELECT throws_ok(format('UPDATE agent SET team_id = %s WHERE id = %s', :team_a, :ag_col3),
                 '42501', 'permission denied for table agent',
                 'lead cannot pull a person of another team into theirs');
SELECT throws_ok(format('DELETE FROM account WHERE id = %s', :acc_col1_1),
                 '42501', 'permission denied for table account', 'lead cannot delete an account');
SELECT throws_ok('SELECT * FROM audit', '42501', 'permission denied for table audit',
                 'lead cannot read the audit trail');
SELECT throws_ok('SELECT cobro.agent_add(''t_evil'', ''Evil'', ''collector'', ''t_a'')',
                 '42501', 'permission denied for function agent_add', 'lead cannot execute agent_add');
SELECT throws_ok('CREATE TABLE cobro.t_x (i int)', '42501', 'permission denied for schema cobro',
                 'lead cannot create a table in schema cobro');

SELECT * FROM finish();
ROLLBACK;
