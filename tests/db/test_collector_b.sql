-- as: t_col3
-- The same rules seen from the other team: t_col3 (team t_b) reads their two
-- accounts, shares a debtor with t_col1 (t_a) but none of t_a's history on it.
BEGIN;
\ir lib.sql
SELECT plan(13);

SELECT is(session_user::text, 't_col3', 'runs as the login role t_col3');
SELECT set_eq('SELECT id FROM account', ARRAY[:acc_col3_1, :acc_shared_b]::bigint[],
              'collector of team t_b reads exactly their 2 accounts');
SELECT set_eq('SELECT id FROM debtor', ARRAY[:deb_col3_1, :deb_shared]::bigint[],
              'collector of team t_b reads exactly their 2 debtors, the shared one included');
SELECT is((SELECT count(*)::int FROM contact_point), 4, 'collector of team t_b reads the 4 contact points of their debtors');
SELECT bag_eq('SELECT coalesce(account_id, 0) FROM event',
              ARRAY[:acc_col3_1, :acc_col3_1, :acc_shared_b, :acc_shared_b, 0]::bigint[],
              'collector of team t_b reads the events of their accounts and the account-less one of their debtor');
SELECT set_eq('SELECT id FROM message WHERE account_id IS NOT NULL', ARRAY[:msg_col3_1, :msg_shared_b]::bigint[],
              'collector of team t_b reads the messages of their accounts');
SELECT is_empty(format('SELECT 1 FROM event WHERE account_id = %s UNION ALL SELECT 1 FROM message WHERE account_id = %s '
                       'UNION ALL SELECT 1 FROM promise WHERE account_id = %s',
                       :acc_shared_a, :acc_shared_a, :acc_shared_a),
                'the shared debtor''s history with team t_a stays invisible to team t_b');
SELECT set_eq('SELECT id FROM promise', ARRAY[:prom_col3_1, :prom_shared_b]::bigint[],
              'collector of team t_b reads exactly their promises');
SELECT set_eq('SELECT login FROM agent', ARRAY['t_col3', 't_lead_b'],
              'collector of team t_b reads only the people of team t_b');
SELECT is_empty(format('SELECT 1 FROM account WHERE team_id = %s', :team_a),
                'collector of team t_b reads no account of team t_a');
SELECT throws_ok(format('SELECT cobro.account_raise_dispute(''00000000-0000-4000-8000-0000000000c5'', %s, NULL)',
                        :acc_shared_a),
                 '42501', 'no such account',
                 'collector of team t_b cannot change team t_a''s account of the shared debtor');
SELECT ok(cobro.account_raise_dispute('00000000-0000-4000-8000-0000000000c6', :acc_shared_b, NULL) > 0,
          'collector of team t_b raises a dispute on their own account (through account_raise_dispute)');
SELECT is((SELECT status FROM account WHERE id = :acc_shared_b), 'dispute', '... and it is in dispute');

SELECT * FROM finish();
ROLLBACK;
