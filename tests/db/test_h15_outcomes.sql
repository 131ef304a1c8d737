-- as: t_col1
-- Issue 15, lines 3 and 6, as a collector (ana's role): working an account
-- completes its due callback in the same transaction, with an event; a call
-- names the number dialled, one of the debtor's numbers; a wrong number names
-- it, a dispute says why; the collector undoes their own call's mark once,
-- right after (account_undo_call(), 022_undo_window.sql). The window's end and
-- another person's call are in tests/dbc/test_outcome.c, which can set the
-- clock of a committed row, and reads the audit rows a collector may not.
BEGIN;
\ir lib.sql
SELECT plan(35);

SELECT is(session_user::text, 't_col1', 'runs as the login role t_col1');

-- ---------------------------------------------------------- a worked callback
-- A callback at now() is due at once inside this transaction (now() stands
-- still in it); one in two days stays ahead.
SELECT ok(cobro.account_schedule_callback('00000000-0000-4000-8000-000000015c01', :acc_col1_1,
                                          now() + interval '2 days', 'Europe/Madrid', NULL) > 0,
          'a callback in two days is scheduled');
SELECT ok(cobro.account_schedule_callback('00000000-0000-4000-8000-000000015c02', :acc_col1_1, now(),
                                          'Europe/Madrid', 'Llamar ahora') > 0,
          'a callback due now is scheduled');
SELECT is((SELECT next_action_at FROM account WHERE id = :acc_col1_1), now(), '... and the account''s next action is due');
SELECT ok(cobro.account_add_note('00000000-0000-4000-8000-000000015c03', :acc_col1_1, 'Le escribí') > 0,
          'a note is added');
SELECT is((SELECT next_action_at FROM account WHERE id = :acc_col1_1), now(), '... a note does not work the callback');
SELECT ok(cobro.account_log_call('00000000-0000-4000-8000-000000015c04', :acc_col1_1, 'no_answer', :cp_col1_1_mobile,
                                 NULL) > 0, 'a call outcome is logged');
SELECT is((SELECT count(*) FROM callback WHERE account_id = :acc_col1_1 AND due_at <= now() AND done_at IS NULL),
          0::bigint, '... the callback due is done');
SELECT is((SELECT done_at FROM callback WHERE account_id = :acc_col1_1 AND due_at = now()), now(),
          '... in the call''s own transaction');
SELECT is((SELECT next_action_at FROM account WHERE id = :acc_col1_1), now() + interval '2 days',
          '... the next action is the callback still ahead');
SELECT is((SELECT count(*) FROM event WHERE account_id = :acc_col1_1 AND kind = 'callback' AND outcome = 'done'
           AND agent_id = :ag_col1 AND at = now()
           AND (data->>'by')::bigint = (SELECT id FROM event WHERE data->>'key' = '00000000-0000-4000-8000-000000015c04'
                                          AND kind = 'call')),
          1::bigint, '... with a ''callback done'' event naming the call');
SELECT is((SELECT (data->>'contact_point')::bigint FROM event
           WHERE data->>'key' = '00000000-0000-4000-8000-000000015c04' AND kind = 'call'),
          :cp_col1_1_mobile::bigint, 'the call event records the number dialled');

-- Said done without a call.
SELECT throws_ok(format('SELECT cobro.account_complete_callback(''00000000-0000-4000-8000-000000015c05'', %s, NULL)',
                        :acc_col1_1),
                 '55000', NULL, 'nothing due: "callback done" is refused');
SELECT ok(cobro.account_schedule_callback('00000000-0000-4000-8000-000000015c06', :acc_col1_2, now(),
                                          'Europe/Madrid', NULL) > 0, 'another callback due now');
SELECT ok(cobro.account_complete_callback('00000000-0000-4000-8000-000000015c07', :acc_col1_2, 'Me llamó él') > 0,
          'the collector says it is done');
SELECT is((SELECT next_action_at FROM account WHERE id = :acc_col1_2), NULL, '... nothing due remains');
SELECT is((SELECT count(*) FROM event WHERE data->>'key' = '00000000-0000-4000-8000-000000015c07'
           AND kind = 'callback' AND outcome = 'done' AND body = 'Me llamó él'), 1::bigint, '... with its event');
SELECT throws_ok(format('SELECT cobro.account_complete_callback(''00000000-0000-4000-8000-000000015c08'', %s, NULL)',
                        :acc_col3_1),
                 '42501', 'no such account', 'not on another team''s account');

-- ------------------------------------------------------- the number dialled
SELECT throws_ok(format('SELECT cobro.account_log_call(''00000000-0000-4000-8000-000000015a01'', %s, ''busy'', %s, NULL)',
                        :acc_col1_1, :cp_col2_1_mobile),
                 '23503', NULL, 'a number of another debtor is not the number dialled');
SELECT throws_ok(format('SELECT cobro.account_log_call(''00000000-0000-4000-8000-000000015a02'', %s, ''busy'', %s, NULL)',
                        :acc_col1_1, :cp_col1_1_email),
                 '23514', NULL, 'an email address is not a number dialled');
SELECT throws_ok(format('SELECT cobro.account_log_call(''00000000-0000-4000-8000-000000015a03'', %s, ''wrong_number'', NULL, NULL)',
                        :acc_col1_1),
                 '22004', NULL, 'a wrong number that names no number is refused');
SELECT throws_ok(format('SELECT cobro.account_log_call(''00000000-0000-4000-8000-000000015a04'', %s, ''dispute'', %s, ''  '')',
                        :acc_col1_1, :cp_col1_1_mobile),
                 '22004', NULL, 'a dispute without its reason is refused');
SELECT is((SELECT status FROM account WHERE id = :acc_col1_1), 'active', '... and raised nothing');

-- ------------------------------------------------------------------ undo
SELECT ok(cobro.account_log_call('00000000-0000-4000-8000-000000015b01', :acc_col1_1, 'wrong_number', :cp_col1_1_mobile,
                                 NULL) > 0, 'a wrong number is logged');
SELECT isnt((SELECT bad_since FROM contact_point WHERE id = :cp_col1_1_mobile), NULL, '... the number is bad');
SELECT ok(cobro.account_undo_call('00000000-0000-4000-8000-000000015b02', :acc_col1_1,
                                  '00000000-0000-4000-8000-000000015b01') > 0, 'the collector undoes it right after');
SELECT is((SELECT bad_since FROM contact_point WHERE id = :cp_col1_1_mobile), NULL, '... the number is good again');
SELECT is((SELECT count(*) FROM event WHERE data->>'undoes' = '00000000-0000-4000-8000-000000015b01'
           AND kind = 'contact_point' AND outcome = 'good' AND agent_id = :ag_col1), 1::bigint, '... with an event');
SELECT throws_ok(format('SELECT cobro.account_undo_call(''00000000-0000-4000-8000-000000015b03'', %s, '
                        '''00000000-0000-4000-8000-000000015b01'')', :acc_col1_1),
                 '55000', 'that call was undone already', 'a call is undone once');
SELECT throws_ok(format('SELECT cobro.account_undo_call(''00000000-0000-4000-8000-000000015b04'', %s, '
                        '''00000000-0000-4000-8000-000000015c04'')', :acc_col1_1),
                 '55000', NULL, 'a call that marked nothing has nothing to undo');
SELECT throws_ok(format('SELECT cobro.account_undo_call(''00000000-0000-4000-8000-000000015b05'', %s, '
                        '''00000000-0000-4000-8000-0000000159ff'')', :acc_col1_1),
                 'P0002', NULL, 'a call that is not there is not undone');

SELECT ok(cobro.account_log_call('00000000-0000-4000-8000-000000015b06', :acc_shared_a, 'dispute', :cp_shared_mobile,
                                 'Dice que ya pagó') > 0, 'a dispute is logged with its reason');
SELECT is((SELECT body FROM event WHERE data->>'key' = '00000000-0000-4000-8000-000000015b06' AND kind = 'call'),
          'Dice que ya pagó', '... the reason is on the call');
SELECT ok(cobro.account_undo_call('00000000-0000-4000-8000-000000015b07', :acc_shared_a,
                                  '00000000-0000-4000-8000-000000015b06') > 0, 'the collector undoes the dispute');
SELECT is((SELECT status FROM account WHERE id = :acc_shared_a), 'active', '... the account is active again');

SELECT * FROM finish();
ROLLBACK;
