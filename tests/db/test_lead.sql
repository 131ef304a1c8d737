-- as: t_lead
-- A team lead (t_lead, team t_a) reads what a supervisor reads and moves
-- accounts between agents of their own team, in bulk too; never to an agent
-- of another team, never an account of another team.
BEGIN;
\ir lib.sql
SELECT plan(21);

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
-- Only through the reassignment functions (030_assign_through_functions.sql):
-- a move is an event, an audit row and a batch that can be undone, and an
-- account open on a workstation waits; a plain UPDATE would be none of these.
SELECT throws_ok(format('UPDATE account SET agent_id = %s, updated_at = now() WHERE agent_id = %s', :ag_col1, :ag_col2),
                 '42501', 'permission denied for table account',
                 'lead cannot move accounts by writing agent_id');
SELECT throws_ok(format('UPDATE account SET agent_id = NULL WHERE id = %s', :acc_col1_2),
                 '42501', 'permission denied for table account', '  nor return one to the pool that way');
SELECT is((SELECT sum(accounts)::int FROM reassign_apply('{"agent": "t_col2"}', '{t_col1}', 'one')),
          2, 'lead moves a collector''s accounts to a teammate through reassign_apply()');
SELECT is((SELECT count(*)::int FROM event WHERE kind = 'assignment' AND account_id IN (:acc_col2_1, :acc_col2_2)),
          1, '  each account moved now has its event (the one open on t_col2''s workstation waits)');
SELECT is(pg_temp.refused_code(format('SELECT * FROM reassign_apply(''{"agent": "t_col1"}'', ''{t_col3}'', ''one'')')),
          '42501', 'lead cannot move accounts to a collector of another team');
SELECT is(pg_temp.refused_code(format('SELECT * FROM reassign_apply(''{"agent": "t_col1"}'', ''{t_lead_b}'', ''one'')')),
          '42501', 'nor to the lead of another team');
SELECT is(pg_temp.refused_code(format('SELECT * FROM reassign_apply(''{"agent": "t_col1"}'', ''{t_gone}'', ''one'')')),
          '42501', 'nor to a deactivated collector');
SELECT is(pg_temp.refused_code(format('SELECT * FROM reassign_apply(''{"agent": "t_col3"}'', ''{t_col1}'', ''one'')')),
          '42501', 'nor pull another team''s collector''s accounts');

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
