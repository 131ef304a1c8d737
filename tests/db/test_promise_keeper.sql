-- as: admin
-- Issue 16, lines 4 and 7, as the administrator who imports payments:
-- payments allocated to a promise's installments oldest first
-- (promise_apply_payments()), and each installment decided by
-- promise_evaluate(at) against its date plus grace in the debtor's time
-- zone: kept, partial, broken, late; a plan all kept is kept, a broken
-- promise puts the account on top (promise_due -infinity), writes an event
-- in its agent's name. The promises are the fixtures' TFX-k-* (team t_k,
-- debtors in Europe/Madrid, dated 2030; fixtures.sql), the payments this
-- file's own, all rolled back.
BEGIN;
\ir lib.sql
SELECT plan(57);

SELECT is(session_user::text, 'admin', 'runs as the login role admin');

-- The status of a promise and of each of its installments ("broken:partial"),
-- and what is allocated to them ("4000:4000/0").
CREATE FUNCTION pg_temp.st(p bigint) RETURNS text LANGUAGE sql AS $$
	SELECT (SELECT status FROM cobro.promise WHERE id = p) || ':'
	       || string_agg(status, ',' ORDER BY seq) FROM cobro.promise_installment WHERE promise_id = p
$$;
CREATE FUNCTION pg_temp.paid(p bigint) RETURNS text LANGUAGE sql AS $$
	SELECT (SELECT paid FROM cobro.promise WHERE id = p) || ':'
	       || string_agg(paid::text, '/' ORDER BY seq) FROM cobro.promise_installment WHERE promise_id = p
$$;
CREATE FUNCTION pg_temp.eval(at timestamptz) RETURNS text LANGUAGE sql AS $$
	SELECT kept || ' ' || partial || ' ' || broken || ' ' || late FROM cobro.promise_evaluate(at)
$$;

-- ------------------------------------------------ the import's allocation
-- TFX-k-apply: 2 x 5000 weekly from tomorrow, given yesterday. 7000 paid now:
-- the first installment covered (kept, ahead of its date), 2000 on the second.
INSERT INTO payment (account_id, amount, currency, paid_at) VALUES (:acc_k_apply, 7000, 'EUR', now());
SELECT is((SELECT kept || ' ' || partial || ' ' || broken || ' ' || late
           FROM promise_apply_payments(ARRAY[:acc_k_apply]::bigint[])), '0 0 0 0',
          'promise_apply_payments() decides no promise on a partly paid plan');
SELECT is(pg_temp.paid(:prom_k_apply), '7000:5000/2000', '  7000 allocated oldest first: 5000 and 2000');
SELECT is(pg_temp.st(:prom_k_apply), 'pending:kept,pending', '  the first installment is kept, the plan pending');
SELECT is((SELECT promise_due FROM account WHERE id = :acc_k_apply), current_date + 8,
          '  the account''s promise is due on its next installment not covered');
INSERT INTO payment (account_id, amount, currency, paid_at) VALUES (:acc_k_apply, 3000, 'EUR', now());
SELECT is((SELECT kept || ' ' || late FROM promise_apply_payments(ARRAY[:acc_k_apply]::bigint[])), '1 0',
          'the rest paid: the plan is kept at once');
SELECT is(pg_temp.st(:prom_k_apply), 'kept:kept,kept', '  every installment kept');
SELECT is((SELECT promise_status || ' ' || coalesce(promise_due::text, '-') FROM account WHERE id = :acc_k_apply),
          'kept -', '  the account''s promise is kept and due no more');
SELECT is((SELECT count(*) FROM event WHERE account_id = :acc_k_apply AND kind = 'promise' AND outcome = 'kept'
                                        AND agent_id = :ag_kcol AND amount = 10000), 1::bigint,
          '  with a `promise kept` event in the name of the promise''s agent');

-- ------------------------------------------------ payments of 2030
INSERT INTO payment (account_id, amount, currency, paid_at) VALUES
	(:acc_k_kept, 10000, 'EUR', '2030-01-12 23:30+01'),     -- within the grace, late at night in Madrid
	(:acc_k_partial, 4000, 'EUR', '2030-01-11 12:00+01'),
	(:acc_k_late, 10000, 'EUR', '2030-01-15 12:00+01'),      -- after the grace
	(:acc_k_plan, 10000, 'EUR', '2030-01-30 12:00+01'),
	(:acc_k_plan, 15000, 'EUR', '2030-02-20 12:00+01'),
	(:acc_k_plan, 5000, 'EUR', '2030-04-02 12:00+02');       -- the last day of the grace, in summer time

-- Everything else due before 2030 (the demo's and the other fixtures'
-- promises) is decided first, so that the counts below are the TFX-k-* ones.
SELECT ok(pg_temp.eval('2030-01-05 00:00Z') IS NOT NULL, 'an evaluation early in 2030 decides what was due before');
SELECT is(pg_temp.st(:prom_k_kept) || ' ' || pg_temp.st(:prom_k_broken), 'pending:pending pending:pending',
          '  the promises due on 2030-01-10 wait');

-- 23:59:59 on 12 January in Madrid: the last second of the grace.
SELECT is(pg_temp.eval('2030-01-12 22:59:59Z'), '1 0 0 0',
          'at the last second of the grace in Madrid: one promise kept, nothing broken');
SELECT is(pg_temp.st(:prom_k_kept), 'kept:kept', '  paid in full at 23:30 in Madrid, within the grace: kept');
SELECT is(pg_temp.paid(:prom_k_kept), '10000:10000', '  and its payment allocated');
SELECT is(pg_temp.st(:prom_k_partial), 'pending:pending', '  part paid, its deadline not passed: still pending');
SELECT is(pg_temp.paid(:prom_k_partial), '4000:4000', '  with what was paid allocated');
SELECT is(pg_temp.st(:prom_k_broken), 'pending:pending', '  nothing paid, not yet broken');
SELECT is(pg_temp.paid(:prom_k_broken), '0:0', '  a payment from the day before the promise does not count towards it');
SELECT is((SELECT promise_status FROM account WHERE id = :acc_k_kept), 'kept', '  the account shows its promise kept');
SELECT is((SELECT count(*) FROM event WHERE account_id = :acc_k_kept AND kind = 'promise' AND outcome = 'kept'),
          1::bigint, '  with its event');

-- 00:00 on 13 January in Madrid, 23:00 UTC on the 12th: the grace is over
-- there, though not yet in UTC.
SELECT is(pg_temp.eval('2030-01-12 23:00:00Z'), '0 1 3 0',
          'at midnight in Madrid (23:00 UTC): one installment partial, three promises broken');
SELECT is(pg_temp.st(:prom_k_partial), 'broken:partial', '  4000 of 10000 by the deadline: partial, the promise broken');
SELECT is(pg_temp.st(:prom_k_broken), 'broken:broken', '  nothing by the deadline: broken');
SELECT is(pg_temp.st(:prom_k_late), 'broken:broken', '  paid later, nothing yet: broken');
SELECT is(pg_temp.st(:prom_k_kept), 'kept:kept', '  the kept one stays kept');
SELECT is((SELECT string_agg(promise_status || ' ' || promise_due::text, ',' ORDER BY id) FROM account
           WHERE id IN (:acc_k_partial, :acc_k_broken, :acc_k_late)),
          'broken -infinity,broken -infinity,broken -infinity',
          '  each broken promise puts its account at the top of the worklist (promise_due -infinity)');
SELECT ok((SELECT priority_promise_due(promise_due) FROM account WHERE id = :acc_k_broken),
          '  which the worklist''s order reads as a promise due');
SELECT is((SELECT count(*) FROM event WHERE account_id IN (:acc_k_partial, :acc_k_broken, :acc_k_late)
                                        AND kind = 'promise' AND outcome = 'broken' AND agent_id = :ag_kcol),
          3::bigint, '  each broken promise is an event in the name of its agent (it counts against them)');
SELECT is((SELECT amount FROM event WHERE account_id = :acc_k_partial AND kind = 'promise' AND outcome = 'broken'),
          6000::bigint, '  the event says what was left unpaid');
SELECT is((SELECT string_agg(status || ' ' || to_char(resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), ',')
           FROM promise WHERE id = :prom_k_broken), 'broken 2030-01-12 23:00',
          '  resolved at the moment asked');
SELECT is(pg_temp.eval('2030-01-12 23:00:00Z'), '0 0 0 0', 'the same evaluation again decides nothing more');

-- Paid on the 15th, after the grace: late, not kept; the promise stays broken.
SELECT is(pg_temp.eval('2030-01-16 00:00Z'), '0 0 0 1', 'a payment after the grace: one installment late');
SELECT is(pg_temp.st(:prom_k_late), 'broken:late', '  recorded late, the promise still broken');
SELECT is(pg_temp.paid(:prom_k_late), '10000:10000', '  the payment allocated to it');
SELECT is((SELECT count(*) FROM event WHERE account_id = :acc_k_late AND kind = 'promise' AND outcome = 'late'
                                        AND agent_id = :ag_kcol), 1::bigint, '  with a `promise late` event');

-- The plan: 3 x 10000 on 31 January, 28 February, 31 March.
SELECT is(pg_temp.st(:prom_k_plan), 'pending:pending,pending,pending', 'the monthly plan is pending');
SELECT is((SELECT promise_due FROM account WHERE id = :acc_k_plan), date '2030-01-31',
          '  due on its first installment');
SELECT is(pg_temp.eval('2030-02-01 00:00Z'), '0 0 0 0', 'the first installment paid the day before its date');
SELECT is(pg_temp.st(:prom_k_plan), 'pending:kept,pending,pending', '  is kept, the plan goes on');
SELECT is((SELECT promise_due FROM account WHERE id = :acc_k_plan), date '2030-02-28',
          '  the account''s promise is now due on the next installment');
SELECT is(pg_temp.eval('2030-02-21 00:00Z'), '0 0 0 0', '15000 more on 20 February');
SELECT is(pg_temp.paid(:prom_k_plan), '25000:10000/10000/5000', '  allocated oldest first: the second covered, 5000 on the third');
SELECT is(pg_temp.st(:prom_k_plan), 'pending:kept,kept,pending', '  the second kept, the third pending');
SELECT is((SELECT promise_due FROM account WHERE id = :acc_k_plan), date '2030-03-31',
          '  the account''s promise is due on the third, part paid');
-- 31 March plus 2 days' grace ends at midnight of 2 April in Madrid, in
-- summer time then (UTC+2): 22:00 UTC.
SELECT is(pg_temp.eval('2030-04-02 09:00Z'), '0 0 0 0', 'on the grace''s last day, before the last payment');
SELECT is(pg_temp.st(:prom_k_plan), 'pending:kept,kept,pending', '  the third installment is not broken yet');
SELECT is(pg_temp.eval('2030-04-02 21:59:59Z'), '1 0 0 0', 'paid at noon that day: at the last second of the grace');
SELECT is(pg_temp.st(:prom_k_plan), 'kept:kept,kept,kept', '  every installment kept: the plan is kept');
SELECT is(pg_temp.paid(:prom_k_plan), '30000:10000/10000/10000', '  all of it allocated');
SELECT is((SELECT promise_status || ' ' || coalesce(promise_due::text, '-') FROM account WHERE id = :acc_k_plan),
          'kept -', '  the account shows it kept');
SELECT is(pg_temp.eval('2030-04-03 00:00Z'), '0 0 0 0', 'a kept plan is not decided again');

-- ------------------------------------------------ who may
SELECT throws_ok('INSERT INTO promise (account_id, amount, currency, due_date) SELECT id, 1, ''EUR'', current_date FROM account LIMIT 1',
                 '42501', 'permission denied for table promise', 'admin cannot insert a promise directly');
SELECT throws_ok(format('UPDATE promise SET status = ''kept'' WHERE id = %s', :prom_k_broken),
                 '42501', 'permission denied for table promise', 'admin cannot mark a promise kept directly');
SELECT throws_ok(format('UPDATE promise_installment SET paid = amount WHERE promise_id = %s', :prom_k_broken),
                 '42501', 'permission denied for table promise_installment', 'admin cannot mark an installment paid directly');
SELECT throws_ok(format('DELETE FROM promise WHERE id = %s', :prom_k_broken),
                 '42501', 'permission denied for table promise', 'admin cannot delete a promise');
SELECT throws_ok(format('SELECT * FROM promise_save(%s, 100, current_date + 1, 1, ''once'', 0, ''call'', NULL, NULL, gen_random_uuid())',
                        :acc_k_kept),
                 '42501', 'permission denied for function promise_save', 'admin takes no promise (a collector does)');
SELECT ok(NOT has_function_privilege('cobro.promise_keep(timestamptz, bigint[])', 'EXECUTE'),
          'admin cannot call the keeper''s inner function but through promise_evaluate() and promise_apply_payments()');

SELECT * FROM finish();
ROLLBACK;
