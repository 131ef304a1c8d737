-- as: t_sup
-- Issue 15, line 6, as a supervisor (team t_a): their own call's mark they may
-- undo right after, as a collector may; the undo window is not theirs to set.
BEGIN;
\ir lib.sql
SELECT plan(6);

SELECT is(session_user::text, 't_sup', 'runs as the login role t_sup');
SELECT ok(cobro.account_log_call('00000000-0000-4000-8000-000000015d01', :acc_col1_1, 'wrong_number', :cp_col1_1_mobile,
                                 NULL) > 0, 'the supervisor logs a wrong number on a team account');
SELECT ok(cobro.account_undo_call('00000000-0000-4000-8000-000000015d02', :acc_col1_1,
                                  '00000000-0000-4000-8000-000000015d01') > 0, '... and undoes it');
SELECT is((SELECT bad_since FROM contact_point WHERE id = :cp_col1_1_mobile), NULL, '... the number is good again');
SELECT throws_ok('UPDATE undo_setting SET window_seconds = 3600', '42501', NULL,
                 'a supervisor cannot lengthen the undo window');
SELECT is((SELECT window_seconds FROM undo_setting), 600, 'the window is ten minutes unless the administrator says');

SELECT * FROM finish();
ROLLBACK;
