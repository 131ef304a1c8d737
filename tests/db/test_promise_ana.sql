-- as: ana
-- Issue 16, lines 2, 3, 9 and 10, as a collector (ana, team norte): a promise
-- is saved only through promise_save(), only on an account she works, checked
-- against the hard rules (each refused with its code word) and the limits of
-- the account's jurisdiction and segment (outside them: awaiting approval,
-- the limits named); one transaction writes the promise, its plan and its
-- event, sets the next action to the first date plus grace, and keeps the
-- account's promise state; the same key saves once; a new promise replaces
-- the active one only when it names it (both recorded). She cannot approve,
-- evaluate, apply payments, load limits or write the tables. The schedule's
-- month ends, leap day and weekly plan across a year end, in SQL (the same
-- cases as the form's C unit tests).
BEGIN;
\ir lib.sql
SELECT plan(67);

SELECT is(session_user::text, 'ana', 'runs as the login role ana');

CREATE FUNCTION pg_temp.save(acc bigint, amount bigint, first date, n integer, freq text, disc bigint, repl bigint,
                             k uuid) RETURNS text LANGUAGE sql AS $$
	SELECT status || ' ' || array_to_string(reasons, ',')
	FROM cobro.promise_save(acc, amount, first, n, freq, disc, 'call', 'prometió', repl, k)
$$;

-- An account of hers with something past due, a balance beyond it, and no
-- active promise; its limits and its debtor's today.
SELECT a.id AS acc, a.balance AS bal, a.past_due AS pd, a.debtor_id AS deb, d.time_zone AS zone
FROM account a JOIN debtor d ON d.id = a.debtor_id
WHERE a.agent_id = my_agent_id() AND a.status = 'active' AND a.past_due > 1000 AND a.balance > a.past_due
  AND NOT EXISTS (SELECT 1 FROM promise p WHERE p.account_id = a.id AND p.status IN ('pending', 'awaiting_approval'))
ORDER BY a.id LIMIT 1 \gset
SELECT version AS lim_v, horizon_days AS lim_h, min_share_permille AS lim_ms, max_installments AS lim_n,
       max_discount_permille AS lim_md, grace_days AS lim_g, today FROM promise_limits_for(:acc) \gset
SELECT :'today'::date = (now() AT TIME ZONE :'zone')::date AS today_is_debtors \gset

-- ------------------------------------------------------------ the limits
SELECT ok(:lim_v > 0 AND :lim_h >= 0 AND :lim_n >= 1, 'promise_limits_for() gives her account''s limits');
SELECT ok(:'today_is_debtors', '  and the debtor''s today, in their time zone');
SELECT is(pg_temp.refusal(format('SELECT * FROM promise_limits_for(%s)', :acc_luis)), '42501 no such account',
          'promise_limits_for() of a teammate''s account: no such account');
SELECT is(pg_temp.refusal('SELECT promise_limits_load(''x'', ''x'', NULL, ''[{"jurisdiction": "*", "segment": "*"}]'')'),
          '42501 permission denied for function promise_limits_load', 'she cannot load limits');
SELECT ok(NOT has_table_privilege('promise_limit', 'INSERT') AND NOT has_table_privilege('promise_limit_set', 'INSERT')
          AND NOT has_table_privilege('promise_limit', 'UPDATE') AND NOT has_table_privilege('promise_limit_set', 'DELETE'),
          '  nor write them');

-- ------------------------------------------------------------ hard errors
SELECT is(pg_temp.refusal(format('SELECT pg_temp.save(%s, 0, %L::date + 1, 1, ''once'', 0, NULL, gen_random_uuid())', :acc, :'today')),
          '22023 amount', 'an amount of 0 is refused: amount');
SELECT is(pg_temp.refusal(format('SELECT pg_temp.save(%s, -5, %L::date + 1, 1, ''once'', 0, NULL, gen_random_uuid())', :acc, :'today')),
          '22023 amount', 'a negative amount is refused: amount');
SELECT is(pg_temp.refusal(format('SELECT pg_temp.save(%s, %s + 1, %L::date + 1, 1, ''once'', 0, NULL, gen_random_uuid())', :acc, :bal, :'today')),
          '22023 amount_above_balance', 'one minor unit above the balance is refused: amount_above_balance');
SELECT is(pg_temp.refusal(format('SELECT pg_temp.save(%s, %s - 99, %L::date + 1, 1, ''once'', 100, NULL, gen_random_uuid())', :acc, :bal, :'today')),
          '22023 amount_above_balance', 'a settlement above the balance less its discount: amount_above_balance');
SELECT is(pg_temp.refusal(format('SELECT pg_temp.save(%s, 100, %L::date - 1, 1, ''once'', 0, NULL, gen_random_uuid())', :acc, :'today')),
          '22023 date_past', 'the debtor''s yesterday is refused: date_past');
SELECT is(pg_temp.refusal(format('SELECT pg_temp.save(%s, 100, NULL, 1, ''once'', 0, NULL, gen_random_uuid())', :acc)),
          '22023 date_past', 'no date is refused: date_past');
SELECT is(pg_temp.refusal(format('SELECT pg_temp.save(%s, 100, %L::date + 1, 0, ''monthly'', 0, NULL, gen_random_uuid())', :acc, :'today')),
          '22023 count', 'no installment is refused: count');
SELECT is(pg_temp.refusal(format('SELECT pg_temp.save(%s, 100, %L::date + 1, 2, ''once'', 0, NULL, gen_random_uuid())', :acc, :'today')),
          '22023 count', '`once` in two installments is refused: count');
SELECT is(pg_temp.refusal(format('SELECT pg_temp.save(%s, 2, %L::date + 1, 3, ''weekly'', 0, NULL, gen_random_uuid())', :acc, :'today')),
          '22023 count', 'more installments than minor units is refused: count');
SELECT is(pg_temp.refusal(format('SELECT pg_temp.save(%s, 100, %L::date + 1, 2, ''daily'', 0, NULL, gen_random_uuid())', :acc, :'today')),
          '22023 frequency', 'an unknown frequency is refused: frequency');
SELECT is(pg_temp.refusal(format('SELECT pg_temp.save(%s, 100, %L::date + 1, 1, ''once'', -1, NULL, gen_random_uuid())', :acc, :'today')),
          '22023 discount', 'a negative discount is refused: discount');
SELECT is(pg_temp.refusal(format('SELECT pg_temp.save(%s, 100, %L::date + 1, 1, ''once'', %s, NULL, gen_random_uuid())', :acc, :'today', :bal)),
          '22023 discount', 'a discount of the whole balance is refused: discount');
SELECT is(pg_temp.refusal(format('SELECT * FROM promise_save(%s, 100, %L::date + 1, 1, ''once'', 0, ''fax'', NULL, NULL, gen_random_uuid())', :acc, :'today')),
          '22023 channel', 'an unknown channel is refused: channel');
SELECT is(pg_temp.refusal(format('SELECT * FROM promise_save(%s, 100, %L::date + 1, 1, ''once'', 0, ''call'', NULL, NULL, NULL)', :acc, :'today')),
          '22004 a promise needs its key', 'a save without its key is refused');
SELECT is((SELECT count(*) FROM promise WHERE account_id = :acc AND status IN ('pending', 'awaiting_approval')), 0::bigint,
          '  nothing refused was saved');

-- ------------------------------------------------------------ within the limits
SELECT is(pg_temp.save(:acc, :pd, :'today'::date + 1, 1, 'once', 0, NULL, '00000000-0000-4000-8000-000000016a01'),
          'pending ', 'the past-due amount tomorrow is within the limits: pending, no reason');
SELECT id AS p1 FROM promise WHERE idempotency_key = '00000000-0000-4000-8000-000000016a01' \gset
SELECT is((SELECT agent_id = my_agent_id() AND amount = :pd AND due_date = :'today'::date + 1 AND frequency = 'once'
                  AND installments = 1 AND grace_days = :lim_g AND limits_version = :lim_v AND channel = 'call'
                  AND note = 'prometió' AND currency = (SELECT currency FROM account WHERE id = :acc)
           FROM promise WHERE id = :p1), true, '  the promise is hers, as asked, with the limits'' version and grace');
SELECT is((SELECT string_agg(seq || ' ' || due_date || ' ' || amount || ' ' || paid || ' ' || status, ',')
           FROM promise_installment WHERE promise_id = :p1),
          format('1 %s %s 0 pending', :'today'::date + 1, :pd), '  with its one installment');
SELECT is((SELECT count(*) FROM event WHERE account_id = :acc AND kind = 'promise' AND outcome = 'pending'
                                        AND agent_id = my_agent_id() AND amount = :pd AND (data->>'promise')::bigint = :p1),
          1::bigint, '  and its `promise` event, in her name');
SELECT is((SELECT next_action_at FROM account WHERE id = :acc),
          ((:'today'::date + 1 + :lim_g)::timestamp AT TIME ZONE :'zone'),
          '  the account''s next action: the first date plus the grace days, at midnight in the debtor''s zone');
SELECT is((SELECT promise_status || ' ' || promise_due FROM account WHERE id = :acc),
          'pending ' || (:'today'::date + 1), '  the account''s promise is pending, due on its date');
SELECT is(pg_temp.save(:acc, :pd, :'today'::date + 1, 1, 'once', 0, NULL, '00000000-0000-4000-8000-000000016a01'),
          'pending ', 'the same key again');
SELECT is((SELECT count(*) FROM promise WHERE account_id = :acc AND created_at = now()), 1::bigint,
          '  saves once');
SELECT is((SELECT promise_id FROM promise_save(:acc, 1, :'today'::date + 5, 1, 'once', 0, 'sms', NULL, NULL,
                                               '00000000-0000-4000-8000-000000016a01')), :p1::bigint,
          '  and returns the first save''s promise, whatever else is asked');

-- ------------------------------------------------------------ one at a time
SELECT is(pg_temp.refusal(format('SELECT pg_temp.save(%s, %s, %L::date + 2, 1, ''once'', 0, NULL, gen_random_uuid())', :acc, :pd, :'today')),
          '22023 active_promise', 'a second promise that does not name the active one: active_promise');
SELECT is(pg_temp.refusal(format('SELECT pg_temp.save(%s, %s, %L::date + 2, 1, ''once'', 0, %s, gen_random_uuid())', :acc, :pd, :'today', :p1 + 1000000)),
          '22023 active_promise', 'naming a promise that is not the active one: active_promise');
SELECT ok(:lim_n >= 2 AND :lim_h >= 9, 'her account''s limits allow two weekly installments (etc/promise.conf)');
SELECT is(pg_temp.save(:acc, :pd, :'today'::date + 2, 2, 'weekly', 0, :p1, '00000000-0000-4000-8000-000000016a02'),
          'pending ', 'naming the active promise replaces it');
SELECT id AS p2 FROM promise WHERE idempotency_key = '00000000-0000-4000-8000-000000016a02' \gset
SELECT is((SELECT status || ' ' || replaced_by FROM promise WHERE id = :p1), 'cancelled ' || :p2,
          '  the replaced promise is cancelled, naming the new one');
SELECT is((SELECT count(*) FROM event WHERE account_id = :acc AND kind = 'promise' AND outcome = 'cancelled'
                                        AND (data->>'promise')::bigint = :p1 AND (data->>'replaced_by')::bigint = :p2),
          1::bigint, '  with its own event: both are recorded');
SELECT is((SELECT string_agg(due_date::text || ' ' || amount, ',' ORDER BY seq) FROM promise_installment WHERE promise_id = :p2),
          format('%s %s,%s %s', :'today'::date + 2, :pd / 2, :'today'::date + 9, :pd - :pd / 2),
          '  the new plan: two weekly installments, the last taking the remainder');
SELECT is((SELECT promise_status || ' ' || promise_due FROM account WHERE id = :acc),
          'pending ' || (:'today'::date + 2), '  the account''s promise is the new one, due on its next installment');

-- ------------------------------------------------------------ outside the limits
SELECT is(pg_temp.save(:acc, :pd, :'today'::date + :lim_h + 1, 1, 'once', 0, :p2, '00000000-0000-4000-8000-000000016a03'),
          'awaiting_approval horizon', 'a date one day past the horizon: awaiting approval, horizon');
SELECT id AS p3 FROM promise WHERE idempotency_key = '00000000-0000-4000-8000-000000016a03' \gset
SELECT is((SELECT promise_status || ' ' || coalesce(promise_due::text, '-') FROM account WHERE id = :acc),
          'awaiting_approval -', '  the account''s promise awaits approval, due on no day yet');
SELECT is((SELECT count(*) FROM event WHERE account_id = :acc AND kind = 'promise' AND outcome = 'awaiting_approval'
                                        AND data->'reasons' = '["horizon"]'), 1::bigint, '  its event names the limit');
SELECT is(pg_temp.save(:acc, :pd, :'today'::date + 1, :lim_n + 1, 'weekly', 0, :p3, '00000000-0000-4000-8000-000000016a04')
          LIKE 'awaiting_approval %max_installments%', true,
          'one installment more than the maximum: awaiting approval, max_installments');
SELECT id AS p4 FROM promise WHERE idempotency_key = '00000000-0000-4000-8000-000000016a04' \gset
SELECT is(pg_temp.save(:acc, 1, :'today'::date + 1, 1, 'once', 0, :p4, '00000000-0000-4000-8000-000000016a05'),
          CASE WHEN :pd * :lim_ms > 1000 THEN 'awaiting_approval min_share' ELSE 'pending ' END,
          'one minor unit, below the minimum share of the past-due amount: awaiting approval, min_share');
SELECT id AS p5 FROM promise WHERE idempotency_key = '00000000-0000-4000-8000-000000016a05' \gset
SELECT is(pg_temp.save(:acc, :bal - (:bal * :lim_md / 1000 + 1), :'today'::date + 1, 1, 'once', :bal * :lim_md / 1000 + 1,
                       :p5, '00000000-0000-4000-8000-000000016a06'),
          'awaiting_approval max_discount',
          'a settlement one minor unit above the maximum discount: awaiting approval, max_discount (no min_share)');
SELECT id AS p6 FROM promise WHERE idempotency_key = '00000000-0000-4000-8000-000000016a06' \gset
SELECT is(pg_temp.save(:acc, :bal - :bal * :lim_md / 1000, :'today'::date + 1, 1, 'once', :bal * :lim_md / 1000,
                       :p6, '00000000-0000-4000-8000-000000016a07'),
          'pending ', 'the maximum discount itself is within the limits');
SELECT id AS p7 FROM promise WHERE idempotency_key = '00000000-0000-4000-8000-000000016a07' \gset
SELECT is(pg_temp.refusal(format('SELECT promise_approve(%s)', :p6)),
          '42501 permission denied for function promise_approve', 'she cannot approve a promise');
SELECT is(pg_temp.refusal(format('SELECT promise_reject(%s, ''no'')', :p6)),
          '42501 permission denied for function promise_reject', '  nor reject one');
SELECT is((SELECT count(*) FROM promise_awaiting()), 0::bigint, 'her approval list is empty, though her promise waits');
SELECT is(pg_temp.refusal('SELECT * FROM promise_evaluate(now())'),
          '42501 permission denied for function promise_evaluate', 'she cannot evaluate promises');
SELECT is(pg_temp.refusal(format('SELECT * FROM promise_apply_payments(ARRAY[%s]::bigint[])', :acc)),
          '42501 permission denied for function promise_apply_payments', '  nor apply payments to them');

-- ------------------------------------------------------------ not her accounts
SELECT is(pg_temp.refusal(format('SELECT pg_temp.save(%s, 100, current_date + 3, 1, ''once'', 0, NULL, gen_random_uuid())', :acc_luis)),
          '42501 no such account', 'a teammate''s account: no such account');
SELECT is(pg_temp.refusal(format('SELECT pg_temp.save(%s, 100, current_date + 3, 1, ''once'', 0, NULL, gen_random_uuid())', :acc_diego)),
          '42501 no such account', 'another team''s account (diego''s): no such account');
SELECT is(pg_temp.refusal(format('SELECT pg_temp.save(%s, 100, current_date + 3, 1, ''once'', 0, NULL, ''00000000-0000-4000-8000-000000016a01'')',
                                 :acc_col3_1)),
          '42501 no such account', '  even with a key of hers');

-- ------------------------------------------------------------ no direct writes
SELECT throws_ok(format('INSERT INTO promise (account_id, agent_id, amount, currency, due_date) VALUES (%s, my_agent_id(), 1, ''EUR'', current_date)', :acc),
                 '42501', 'permission denied for table promise', 'she cannot insert a promise directly');
SELECT throws_ok(format('UPDATE promise SET status = ''pending'' WHERE id = %s', :p3),
                 '42501', 'permission denied for table promise', '  nor approve her own by writing the table');
SELECT throws_ok(format('UPDATE promise_installment SET paid = amount, status = ''kept'' WHERE promise_id = %s', :p2),
                 '42501', 'permission denied for table promise_installment', '  nor mark an installment kept');
SELECT ok(NOT has_any_column_privilege('promise', 'INSERT') AND NOT has_any_column_privilege('promise', 'UPDATE')
          AND NOT has_any_column_privilege('promise_installment', 'INSERT')
          AND NOT has_any_column_privilege('promise_installment', 'UPDATE')
          AND NOT has_table_privilege('promise', 'DELETE') AND NOT has_table_privilege('promise_installment', 'DELETE'),
          '  she holds no write privilege on promise or promise_installment, not even on a column');

-- ------------------------------------------------------------ the screen
SELECT is((SELECT (account_screen(:acc, 10, NULL)::jsonb -> 'promises' -> 0 ->> 'id')::bigint), :p7::bigint,
          'the account screen lists the newest promise first');
SELECT is((SELECT jsonb_build_array(p->>'status', p->'reasons', p->>'frequency', p->'installments', p->'discount',
                                    p->>'decided_by', jsonb_array_length(p->'plan'), p->'plan'->0->>'status')
           FROM jsonb_array_elements(account_screen(:acc, 10, NULL)::jsonb -> 'promises') p
           WHERE (p->>'id')::bigint = :p6),
          jsonb_build_array('cancelled', '["max_discount"]'::jsonb, 'once', 1, :bal * :lim_md / 1000 + 1, '', 1, 'pending'),
          '  with its status, reasons, frequency, installments, discount, decision and plan');
SELECT is((SELECT p->'plan'
           FROM jsonb_array_elements(account_screen(:acc, 10, NULL)::jsonb -> 'promises') p
           WHERE (p->>'id')::bigint = :p2),
          jsonb_build_array(jsonb_build_object('seq', 1, 'due_date', (:'today'::date + 2)::text, 'amount', :pd / 2,
                                               'paid', 0, 'status', 'pending'),
                            jsonb_build_object('seq', 2, 'due_date', (:'today'::date + 9)::text, 'amount', :pd - :pd / 2,
                                               'paid', 0, 'status', 'pending')),
          '  and a replaced promise''s plan, installment by installment');

-- ------------------------------------------------------------ the schedule
SELECT is((SELECT string_agg(due_date || ' ' || amount, ',' ORDER BY seq) FROM promise_schedule('2027-01-31', 4, 'monthly', 1000)),
          '2027-01-31 250,2027-02-28 250,2027-03-31 250,2027-04-30 250',
          'monthly from 31 January: the month''s end when shorter, the 31st again when there is one');
SELECT is((SELECT string_agg(due_date || ' ' || amount, ',' ORDER BY seq) FROM promise_schedule('2028-01-31', 3, 'monthly', 1000)),
          '2028-01-31 333,2028-02-29 333,2028-03-31 334',
          'in a leap year 29 February; the last installment takes the remainder');
SELECT is((SELECT string_agg(due_date::text, ',' ORDER BY seq) FROM promise_schedule('2028-02-29', 13, 'monthly', 1300)
           WHERE seq IN (1, 2, 13)),
          '2028-02-29,2028-03-29,2029-02-28', 'from a leap day: the 29th, and 28 February a year on');
SELECT is((SELECT string_agg(due_date::text, ',' ORDER BY seq) FROM promise_schedule('2026-12-21', 4, 'weekly', 400)),
          '2026-12-21,2026-12-28,2027-01-04,2027-01-11', 'weekly across a year end');
SELECT is((SELECT string_agg(due_date::text, ',' ORDER BY seq) FROM promise_schedule('2026-12-24', 3, 'biweekly', 300)),
          '2026-12-24,2027-01-07,2027-01-21', 'every two weeks across a year end');
SELECT is((SELECT string_agg(due_date || ' ' || amount, ',') FROM promise_schedule('2027-03-15', 1, 'once', 12345)),
          '2027-03-15 12345', 'once: the whole amount on the date');
SELECT is((SELECT count(*) FROM promise_schedule('2027-03-15', 2, 'once', 100)) + (SELECT count(*) FROM promise_schedule('2027-03-15', 0, 'monthly', 100))
          + (SELECT count(*) FROM promise_schedule('2027-03-15', 2, 'daily', 100)), 0::bigint,
          'no schedule for `once` in two, no installment, or an unknown frequency');

SELECT * FROM finish();
ROLLBACK;
