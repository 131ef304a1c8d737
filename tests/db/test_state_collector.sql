-- as: t_col1
-- Issue 14, line 2, as a collector: what ana did from psql (lift a dispute,
-- clear an opt-out, mark an account paid, file a payment event, mark a promise
-- kept, backdate last_contact_at, write a 20 MB event body) is refused; the
-- workstation's actions go through functions/account_actions.sql, which
-- check what is asked and record the event. Fixtures: fixtures.sql.
BEGIN;
\ir lib.sql
SELECT plan(53);

SELECT is(session_user::text, 't_col1', 'runs as the login role t_col1');

-- ------------------------------------------------------ direct writes refused
SELECT throws_ok(format('UPDATE account SET status = ''active'' WHERE id = %s', :acc_col1_1),
                 '42501', 'permission denied for table account',
                 'collector cannot set an account''s status (lift a dispute) directly');
SELECT throws_ok(format('UPDATE account SET status = ''paid'' WHERE id = %s', :acc_col1_1),
                 '42501', 'permission denied for table account',
                 'collector cannot mark an account paid directly');
SELECT throws_ok(format('UPDATE account SET last_contact_at = ''1999-01-01'' WHERE id = %s', :acc_col1_1),
                 '42501', 'permission denied for table account',
                 'collector cannot backdate last_contact_at');
SELECT throws_ok(format('UPDATE account SET next_action_at = ''2094-01-01'', replied_at = NULL WHERE id = %s',
                        :acc_col1_1),
                 '42501', 'permission denied for table account',
                 'collector cannot set next_action_at or replied_at directly');
SELECT throws_ok(format('UPDATE contact_point SET opted_out = ''{}'', opted_out_at = NULL WHERE id = %s',
                        :cp_col1_1_mobile),
                 '42501', 'permission denied for table contact_point',
                 'collector cannot clear an opt-out');
SELECT throws_ok(format('UPDATE contact_point SET bad_since = NULL WHERE id = %s', :cp_col1_1_mobile),
                 '42501', 'permission denied for table contact_point',
                 'collector cannot clear a bad mark');
SELECT throws_ok(format('UPDATE contact_point SET consent = ''{sms,call,email}'' WHERE id = %s', :cp_col1_1_mobile),
                 '42501', 'permission denied for table contact_point',
                 'collector cannot widen a consent');
SELECT throws_ok(format('INSERT INTO event (account_id, debtor_id, agent_id, kind, direction, amount) '
                        'VALUES (%s, %s, %s, ''payment'', ''in'', 99999900)', :acc_col1_1, :deb_col1_1, :ag_col1),
                 '42501', 'permission denied for table event',
                 'collector cannot file a payment event of 999,999.00');
SELECT throws_ok(format('INSERT INTO event (account_id, debtor_id, agent_id, kind, body) '
                        'VALUES (%s, %s, %s, ''note'', repeat(''x'', 20000000))', :acc_col1_1, :deb_col1_1, :ag_col1),
                 '42501', 'permission denied for table event',
                 'collector cannot write a 20 MB event body');
SELECT throws_ok(format('INSERT INTO event (account_id, debtor_id, agent_id, kind, direction, outcome) '
                        'VALUES (%s, %s, %s, ''call'', ''out'', ''right_party'')', :acc_col1_1, :deb_col1_1, :ag_col1),
                 '42501', 'permission denied for table event',
                 'collector cannot insert even a plain call event directly');
SELECT throws_ok(format('UPDATE promise SET status = ''kept'', resolved_at = now() WHERE id = %s', :prom_col1_1),
                 '42501', 'permission denied for table promise',
                 'collector cannot mark a promise kept');
SELECT throws_ok(format('INSERT INTO promise (account_id, agent_id, amount, currency, due_date) '
                        'VALUES (%s, %s, 5000, ''EUR'', current_date + 3)', :acc_col1_2, :ag_col1),
                 '42501', 'permission denied for table promise',
                 'collector cannot insert a promise directly');
SELECT throws_ok(format('INSERT INTO promise_installment (promise_id, seq, due_date, amount) '
                        'VALUES (%s, 2, current_date + 30, 100)', :prom_col1_1),
                 '42501', 'permission denied for table promise_installment',
                 'collector cannot add a plan installment directly');
SELECT throws_ok(format('INSERT INTO callback (account_id, agent_id, due_at, zone) '
                        'VALUES (%s, %s, ''2094-01-01'', ''UTC'')', :acc_col1_1, :ag_col1),
                 '42501', 'permission denied for table callback',
                 'collector cannot insert a callback directly (2094)');
SELECT throws_ok(format('UPDATE callback SET done_at = now() WHERE account_id = %s', :acc_col1_1),
                 '42501', 'permission denied for table callback',
                 'collector cannot mark callbacks done directly');

-- ---------------------------------------------- the lifting is not theirs
SELECT throws_ok(format('SELECT cobro.account_lift_dispute(%s, ''he paid'')', :acc_col1_1),
                 '42501', 'permission denied for function account_lift_dispute',
                 'collector cannot lift a dispute through the function either');
SELECT throws_ok(format('SELECT cobro.contact_point_lift_bad(%s, %s, ''ok'')', :acc_col1_1, :cp_col1_1_mobile),
                 '42501', 'permission denied for function contact_point_lift_bad',
                 'collector cannot lift a bad mark');
SELECT throws_ok(format('SELECT cobro.contact_point_lift_optout(%s, %s, ''sms'', ''ok'')', :acc_col1_1, :cp_col1_1_mobile),
                 '42501', 'permission denied for function contact_point_lift_optout',
                 'collector cannot lift an opt-out');

-- ------------------------------------------------ the functions refuse
SELECT throws_ok(format('SELECT cobro.account_log_call(''00000000-0000-4000-8000-000000000a01'', %s, ''paid'', NULL, NULL)',
                        :acc_col1_1),
                 '22023', NULL, 'a call outcome the workstation does not offer (paid) is refused');
SELECT throws_ok(format('SELECT cobro.account_log_call(''00000000-0000-4000-8000-000000000a02'', %s, ''no_answer'', NULL, NULL)',
                        :acc_col2_1),
                 '42501', 'no such account', 'a call on a teammate''s account is refused');
SELECT throws_ok(format('SELECT cobro.account_add_note(''00000000-0000-4000-8000-000000000a03'', %s, ''x'')', :acc_col3_1),
                 '42501', 'no such account', 'a note on another team''s account is refused');
SELECT throws_ok(format('SELECT cobro.account_log_call(''00000000-0000-4000-8000-000000000a04'', %s, ''wrong_number'', %s, NULL)',
                        :acc_col1_1, :cp_col3_1_mobile),
                 '23503', NULL, 'a call naming another debtor''s number is refused');
SELECT throws_ok(format('SELECT cobro.account_add_note(''00000000-0000-4000-8000-000000000a05'', %s, repeat(''x'', 20000000))',
                        :acc_col1_1),
                 '22001', NULL, 'a 20 MB note is refused');
SELECT throws_ok(format('SELECT cobro.account_add_note(''00000000-0000-4000-8000-000000000a06'', %s, repeat(''x'', 2001))',
                        :acc_col1_1),
                 '22001', NULL, 'a note of 2,001 characters is refused');
SELECT throws_ok(format('SELECT cobro.account_add_note(''00000000-0000-4000-8000-000000000a07'', %s, E''red \x1b[31m'')',
                        :acc_col1_1),
                 '22023', NULL, 'a note with an escape character is refused');
SELECT throws_ok(format('SELECT cobro.account_add_note(''00000000-0000-4000-8000-000000000a08'', %s, ''   '')', :acc_col1_1),
                 '22023', NULL, 'a blank note is refused');
SELECT throws_ok(format('SELECT cobro.account_schedule_callback(''00000000-0000-4000-8000-000000000a09'', %s, '
                        '''1999-01-01'', ''UTC'', NULL)', :acc_col1_1),
                 '22008', NULL, 'a callback in 1999 is refused');
SELECT throws_ok(format('SELECT cobro.account_schedule_callback(''00000000-0000-4000-8000-000000000a0a'', %s, '
                        'now() - interval ''5 minutes'', ''UTC'', NULL)', :acc_col1_1),
                 '22008', NULL, 'a callback five minutes ago is refused');
SELECT throws_ok(format('SELECT cobro.account_schedule_callback(''00000000-0000-4000-8000-000000000a0b'', %s, '
                        'now() + interval ''3 years'', ''UTC'', NULL)', :acc_col1_1),
                 '22008', NULL, 'a callback three years ahead is refused');
SELECT throws_ok(format('SELECT cobro.account_schedule_callback(''00000000-0000-4000-8000-000000000a0c'', %s, '
                        'now() + interval ''1 day'', ''Lima; DROP'', NULL)', :acc_col1_1),
                 '22023', NULL, 'a callback with a zone that is no zone name is refused');
SELECT is((SELECT count(*) FROM event WHERE data->>'key' LIKE '00000000-0000-4000-8000-000000000a%'), 0::bigint,
          'nothing refused left an event');

-- ------------------------------------------ what the workstation does, accepted
SELECT ok(cobro.account_log_call('00000000-0000-4000-8000-000000000b01', :acc_col1_1, 'right_party', :cp_col1_1_mobile,
                                 'Promete pagar el lunes') > 0, 'a call with its outcome is recorded');
SELECT is((SELECT count(*) FROM event WHERE data->>'key' = '00000000-0000-4000-8000-000000000b01' AND kind = 'call'
           AND outcome = 'right_party' AND agent_id = :ag_col1 AND body = 'Promete pagar el lunes'
           AND at = now()), 1::bigint, 'its event is in the collector''s name, at the server''s time');
SELECT is((SELECT last_contact_at FROM account WHERE id = :acc_col1_1), now(),
          'last_contact_at is set by the function from now()');
SELECT is(cobro.account_log_call('00000000-0000-4000-8000-000000000b01', :acc_col1_1, 'right_party', :cp_col1_1_mobile,
                                 'Promete pagar el lunes'),
          (SELECT id FROM event WHERE data->>'key' = '00000000-0000-4000-8000-000000000b01'),
          'the same call saved again returns the first event');
SELECT is((SELECT count(*) FROM event WHERE data->>'key' = '00000000-0000-4000-8000-000000000b01'), 1::bigint,
          '... and records it once');

SELECT ok(cobro.account_log_call('00000000-0000-4000-8000-000000000b02', :acc_col1_2, 'wrong_number', :cp_col1_2_mobile,
                                 NULL) > 0, 'a wrong number is recorded');
SELECT isnt((SELECT bad_since FROM contact_point WHERE id = :cp_col1_2_mobile), NULL,
            '... and marks the number bad');
SELECT is((SELECT count(*) FROM event WHERE data->>'key' = '00000000-0000-4000-8000-000000000b02'
           AND kind = 'contact_point' AND outcome = 'bad'), 1::bigint, '... with a contact_point event');

SELECT ok(cobro.account_add_note('00000000-0000-4000-8000-000000000b03', :acc_col1_1, repeat('ñ', 2000)) > 0,
          'a note of 2,000 characters (4,000 bytes) is accepted');
SELECT is((SELECT count(*) FROM event WHERE data->>'key' = '00000000-0000-4000-8000-000000000b03' AND kind = 'note'
           AND agent_id = :ag_col1), 1::bigint, '... as a note event');

SELECT ok(cobro.account_schedule_callback('00000000-0000-4000-8000-000000000b04', :acc_col1_1,
                                          date_trunc('minute', now()) + interval '2 days', 'America/Lima', 'Llamar') > 0,
          'a callback in two days is accepted');
SELECT is((SELECT next_action_at FROM account WHERE id = :acc_col1_1), date_trunc('minute', now()) + interval '2 days',
          '... and sets next_action_at');
SELECT is((SELECT count(*) FROM callback WHERE account_id = :acc_col1_1 AND agent_id = :ag_col1
           AND due_at = date_trunc('minute', now()) + interval '2 days' AND zone = 'America/Lima'), 1::bigint,
          '... with its callback row');

SELECT ok(cobro.account_log_call('00000000-0000-4000-8000-000000000b05', :acc_shared_a, 'dispute', NULL,
                                 'Dice que ya pagó') > 0, 'a call ending in a dispute is recorded');
SELECT is((SELECT status FROM account WHERE id = :acc_shared_a), 'dispute', '... and the account is in dispute');
SELECT is((SELECT count(*) FROM event WHERE data->>'key' = '00000000-0000-4000-8000-000000000b05'
           AND kind = 'status' AND outcome = 'dispute'), 1::bigint, '... with a status event');
SELECT throws_ok(format('UPDATE account SET status = ''active'' WHERE id = %s', :acc_shared_a),
                 '42501', 'permission denied for table account', 'the collector cannot lift it again directly');

SELECT ok(cobro.account_raise_dispute('00000000-0000-4000-8000-000000000b06', :acc_col1_2, 'Escribió disputando') > 0,
          'a dispute raised without a call is recorded');
SELECT is((SELECT status FROM account WHERE id = :acc_col1_2), 'dispute', '... and the account is in dispute');

SELECT ok(cobro.contact_point_mark_bad('00000000-0000-4000-8000-000000000b07', :acc_col1_1, :cp_col1_1_email) > 0,
          'an address is marked bad');
SELECT isnt((SELECT bad_since FROM contact_point WHERE id = :cp_col1_1_email), NULL, '... and is bad');

SELECT * FROM finish();
ROLLBACK;
