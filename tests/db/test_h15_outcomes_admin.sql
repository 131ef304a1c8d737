-- as: t_admin
-- Issue 15, line 6: the undo window is the administrator's to set, audited;
-- undoing a call is not theirs (they log none).
BEGIN;
\ir lib.sql
SELECT plan(5);

SELECT is(session_user::text, 't_admin', 'runs as the login role t_admin');
SELECT lives_ok('UPDATE undo_setting SET window_seconds = 300', 'the administrator sets the undo window');
SELECT is((SELECT count(*) FROM audit WHERE tbl = 'undo_setting' AND new->>'window_seconds' = '300'), 1::bigint,
          '... audited');
SELECT throws_ok('UPDATE undo_setting SET window_seconds = 7200', '23514', NULL, 'at most an hour');
SELECT throws_ok(format('SELECT cobro.account_undo_call(''00000000-0000-4000-8000-000000015e01'', %s, '
                        '''00000000-0000-4000-8000-000000015e02'')', :acc_col1_1),
                 '42501', NULL, 'an administrator undoes no call');

SELECT * FROM finish();
ROLLBACK;
