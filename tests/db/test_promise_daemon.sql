-- as: t_daemon
-- Issue 16, lines 7 and 9, as cobrod's login: it evaluates promises and
-- applies payments to them, and nothing else of theirs: it takes, approves
-- and rejects none, loads no limits, writes no promise table directly.
BEGIN;
\ir lib.sql
SELECT plan(9);

SELECT is(session_user::text, 't_daemon', 'runs as the login role t_daemon');

SELECT is((SELECT kept + partial + broken + late >= 0 FROM promise_evaluate('2030-01-12 23:00Z')), true,
          'cobrod evaluates the promises');
SELECT is((SELECT status FROM promise WHERE id = :prom_k_broken), 'broken', '  and decides them (a promise broken)');
SELECT is(pg_temp.refusal(format('SELECT * FROM promise_apply_payments(ARRAY[%s]::bigint[])', :acc_k_apply)), 'done',
          'it applies payments to promises');
SELECT is(pg_temp.refusal(format('SELECT * FROM promise_save(%s, 100, current_date + 3, 1, ''once'', 0, ''call'', NULL, NULL, gen_random_uuid())',
                                 :acc_k_kept)),
          '42501 permission denied for function promise_save', 'it takes no promise');
SELECT is(pg_temp.refusal(format('SELECT promise_approve(%s)', :prom_k_await)),
          '42501 permission denied for function promise_approve', 'it approves none');
SELECT is(pg_temp.refusal('SELECT promise_limits_load(''x'', ''x'', NULL, ''[]'')'),
          '42501 permission denied for function promise_limits_load', 'it loads no limits');
SELECT throws_ok(format('UPDATE promise SET status = ''kept'' WHERE id = %s', :prom_k_broken),
                 '42501', 'permission denied for table promise', 'it writes no promise directly (003_security.sql had let it)');
SELECT throws_ok(format('UPDATE promise_installment SET status = ''kept'' WHERE promise_id = %s', :prom_k_broken),
                 '42501', 'permission denied for table promise_installment', '  nor an installment');

SELECT * FROM finish();
ROLLBACK;
