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
SELECT is(pg_temp.affected(format('UPDATE account SET agent_id = %s WHERE team_id = %s', :ag_col3, :team_a)),
          0::bigint, 'lead of team t_b cannot take team t_a''s accounts (0 rows)');
SELECT throws_ok(format('UPDATE account SET agent_id = %s WHERE id = %s', :ag_col1, :acc_shared_b),
                 '42501', 'new row violates row-level security policy for table "account"',
                 'lead of team t_b cannot hand an account to a collector of team t_a');
SELECT is(pg_temp.affected(format('UPDATE account SET agent_id = %s WHERE id = %s', :ag_lead_b, :acc_shared_b)),
          1::bigint, 'lead of team t_b assigns a team t_b account to a person of team t_b');
SELECT is(pg_temp.affected(format('UPDATE account SET agent_id = NULL WHERE id = %s', :acc_col3_1)),
          1::bigint, 'lead of team t_b returns a team t_b account to the pool');

SELECT * FROM finish();
ROLLBACK;
