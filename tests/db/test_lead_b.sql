-- as: t_lead_b
-- The lead of team t_b: their own team only, from the other side.
BEGIN;
\ir lib.sql
SELECT plan(7);

SELECT is(session_user::text, 't_lead_b', 'runs as the login role t_lead_b');
SELECT set_eq('SELECT id FROM account', ARRAY[:acc_col3_1, :acc_shared_b]::bigint[],
              'lead of team t_b reads exactly team t_b''s 2 accounts');
SELECT is_empty(format('SELECT 1 FROM event WHERE account_id = %s UNION ALL SELECT 1 FROM message WHERE account_id = %s',
                       :acc_shared_a, :acc_shared_a),
                'lead of team t_b reads none of team t_a''s history on the shared debtor');
SELECT throws_ok(format('UPDATE account SET agent_id = %s WHERE team_id = %s', :ag_col3, :team_a),
                 '42501', 'permission denied for table account',
                 'lead of team t_b writes no account''s agent (030_assign_through_functions.sql)');
SELECT throws_ok('SELECT * FROM reassign_apply(''{"agent": "t_col1"}'', ''{t_col3}'', ''one'')',
                 '42501', NULL, 'lead of team t_b cannot take team t_a''s collector''s accounts');
SELECT throws_ok('SELECT * FROM reassign_apply(''{"agent": "t_col3"}'', ''{t_col1}'', ''one'')',
                 '42501', NULL, 'nor hand team t_b''s accounts to a collector of team t_a');
SELECT is((SELECT sum(accounts)::int FROM reassign_apply('{"agent": "t_col3"}', '{t_lead_b}', 'one')), 2,
          'lead of team t_b moves team t_b''s accounts to a person of team t_b, through reassign_apply()');

SELECT * FROM finish();
ROLLBACK;
