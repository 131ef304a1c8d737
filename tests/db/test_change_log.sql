-- as: t_col3
-- What changed (019_quiet_notifications.sql), as a collector of team t_b:
-- the fixtures' accounts, written by the superuser with the triggers on,
-- left their rows in change_log. t_col3 reads those of their own accounts
-- only, through row security, and can neither write the log nor call the
-- function that writes it (a forged row would make workstations reload).
BEGIN;
\ir lib.sql
SELECT plan(8);

SELECT is(session_user::text, 't_col3', 'runs as the login role t_col3');
SELECT isnt_empty(format('SELECT 1 FROM change_log WHERE account_id = %s', :acc_col3_1),
                  'a collector reads the changes of their own account');
SELECT is_empty(format('SELECT 1 FROM change_log WHERE account_id IN (%s, %s)', :acc_col1_1, :acc_shared_a),
                'a collector of team t_b reads no change to team t_a''s accounts, the shared debtor''s included');
SELECT is_empty('SELECT 1 FROM change_log c WHERE c.account_id IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM account a WHERE a.id = c.account_id)',
                'every change a collector reads is to an account they read');
SELECT is_empty(format('SELECT 1 FROM changes_since(NULL) WHERE kind IS NULL AND snapshot IS NULL'),
                'the first reading returns the snapshot to read from');
SELECT throws_ok(format('INSERT INTO change_log (kind, account_id) VALUES (''account'', %s)', :acc_col3_1),
                 '42501', NULL, 'a collector cannot write a change');
SELECT throws_ok('SELECT change_note(''account'', NULL)', '42501', NULL,
                 'nor call the function that writes one (for every account)');
SELECT throws_ok(format('DELETE FROM change_log WHERE account_id = %s', :acc_col3_1), '42501', NULL,
                 'nor delete one');

SELECT * FROM finish();
ROLLBACK;
