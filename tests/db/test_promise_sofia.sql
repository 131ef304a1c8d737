-- as: sofia
-- Issue 16, lines 2 and 9, as a supervisor (sofia, team norte): she saves a
-- promise on any account of her team (not another team's), sees her team's
-- promises awaiting approval and no other team's, approves or rejects them
-- (a reason required), each with an event; only a promise awaiting approval;
-- never another team's. She cannot evaluate promises or write the tables.
BEGIN;
\ir lib.sql
SELECT plan(27);

SELECT is(session_user::text, 'sofia', 'runs as the login role sofia');

-- Two accounts of her team with no active promise: luis's and ana's.
SELECT a.id AS acc1, a.past_due AS pd1, (SELECT today FROM promise_limits_for(a.id)) AS today1,
       (SELECT horizon_days FROM promise_limits_for(a.id)) AS h1
FROM account a JOIN agent g ON g.id = a.agent_id
WHERE g.login = 'luis' AND a.status = 'active' AND a.past_due > 0
  AND NOT EXISTS (SELECT 1 FROM promise p WHERE p.account_id = a.id AND p.status IN ('pending', 'awaiting_approval'))
ORDER BY a.id LIMIT 1 \gset
SELECT a.id AS acc2, a.past_due AS pd2, (SELECT today FROM promise_limits_for(a.id)) AS today2,
       (SELECT horizon_days FROM promise_limits_for(a.id)) AS h2
FROM account a JOIN agent g ON g.id = a.agent_id
WHERE g.login = 'ana' AND a.status = 'active' AND a.past_due > 0
  AND NOT EXISTS (SELECT 1 FROM promise p WHERE p.account_id = a.id AND p.status IN ('pending', 'awaiting_approval'))
ORDER BY a.id LIMIT 1 \gset
SELECT count(*) AS waiting_before FROM promise_awaiting() \gset

-- ------------------------------------------------------------ saving
SELECT is((SELECT status || ' ' || array_to_string(reasons, ',')
           FROM promise_save(:acc1, :pd1, :'today1'::date + :h1 + 10, 1, 'once', 0, 'call', 'a largo plazo', NULL,
                             '00000000-0000-4000-8000-000000016b01')),
          'awaiting_approval horizon', 'she saves a promise on a team account; beyond the horizon it awaits approval');
SELECT id AS p1 FROM promise WHERE idempotency_key = '00000000-0000-4000-8000-000000016b01' \gset
SELECT is((SELECT agent_id = my_agent_id() FROM promise WHERE id = :p1), true, '  in her own name');
SELECT is((SELECT status FROM promise_save(:acc2, :pd2, :'today2'::date + :h2 + 10, 1, 'once', 0, 'visit', NULL, NULL,
                                           '00000000-0000-4000-8000-000000016b02')),
          'awaiting_approval', 'another, on ana''s account');
SELECT id AS p2 FROM promise WHERE idempotency_key = '00000000-0000-4000-8000-000000016b02' \gset
SELECT is(pg_temp.refusal(format('SELECT * FROM promise_save(%s, 100, current_date + 3, 1, ''once'', 0, ''call'', NULL, NULL, gen_random_uuid())',
                                 :acc_diego)),
          '42501 no such account', 'not on another team''s account');

-- ------------------------------------------------------------ the list
SELECT is((SELECT count(*) FROM promise_awaiting()), :waiting_before + 2::bigint,
          'her approval list holds both new promises');
SELECT is((SELECT reference || ' ' || agent_login || ' ' || amount || ' ' || installments || ' ' || frequency || ' '
                  || array_to_string(reasons, ',') FROM promise_awaiting() WHERE promise_id = :p1),
          (SELECT reference FROM account WHERE id = :acc1) || ' sofia ' || :pd1 || ' 1 once horizon',
          '  with the account, who took it, the amount, the plan and the limits it breaks');
SELECT is((SELECT count(*) FROM promise_awaiting() WHERE promise_id = :prom_k_await), 0::bigint,
          '  and not another team''s promise awaiting approval');
SELECT ok((SELECT bool_and(a.team_id = my_team_id()) FROM promise_awaiting() w JOIN account a ON a.id = w.account_id),
          '  only her team''s');

-- ------------------------------------------------------------ approving
SELECT is(pg_temp.refusal(format('SELECT promise_approve(%s)', :p1)),
          '42501 who took a promise does not approve it; another supervisor does',
          'she cannot approve the promise she took herself (four eyes)');
SELECT is((SELECT status FROM promise WHERE id = :p1), 'awaiting_approval', '  it still awaits approval');
SELECT ok(promise_approve(:prom_n_await) > 0, 'she approves luis''s');
SELECT is((SELECT status || ' ' || (decided_by = my_agent_id()) || ' ' || (decided_at = now()) FROM promise WHERE id = :prom_n_await),
          'pending true true', '  it is pending, decided by her, now');
SELECT is((SELECT promise_status || ' ' || promise_due FROM account WHERE id = :acc_n_await),
          'pending 2030-03-01', '  the account''s promise is pending, due on its date');
SELECT is((SELECT count(*) FROM event WHERE account_id = :acc_n_await AND kind = 'promise' AND outcome = 'approved'
                                        AND agent_id = my_agent_id() AND (data->>'promise')::bigint = :prom_n_await),
          1::bigint, '  with an `approved` event in her name');
SELECT is((SELECT count(*) FROM promise_awaiting() WHERE promise_id = :prom_n_await), 0::bigint, '  it leaves her list');
SELECT is(pg_temp.refusal(format('SELECT promise_approve(%s)', :prom_n_await)),
          '55000 promise ' || :prom_n_await || ' is pending, not awaiting approval',
          'a promise no longer awaiting approval cannot be approved again');
SELECT is(pg_temp.refusal(format('SELECT promise_reject(%s, ''tarde'')', :prom_n_await)),
          '55000 promise ' || :prom_n_await || ' is pending, not awaiting approval',
          '  nor rejected');

-- ------------------------------------------------------------ rejecting
SELECT is(pg_temp.refusal(format('SELECT promise_reject(%s, ''  '')', :p2)), '22023 the note is empty',
          'a rejection needs its reason');
SELECT ok(promise_reject(:p2, 'Plazo demasiado largo; ofrezca dos cuotas') > 0, 'she rejects the second, saying why');
SELECT is((SELECT status || ' ' || decision_reason || ' ' || (decided_by = my_agent_id()) || ' ' || (resolved_at = now())
           FROM promise WHERE id = :p2),
          'rejected Plazo demasiado largo; ofrezca dos cuotas true true', '  it is rejected, with the reason, by her');
SELECT is((SELECT promise_status || ' ' || coalesce(promise_due::text, '-') FROM account WHERE id = :acc2),
          'rejected -', '  the account shows the promise rejected');
SELECT is((SELECT body FROM event WHERE account_id = :acc2 AND kind = 'promise' AND outcome = 'rejected'
                                    AND (data->>'promise')::bigint = :p2),
          'Plazo demasiado largo; ofrezca dos cuotas', '  with a `rejected` event giving the reason');

-- ------------------------------------------------------------ another team's
SELECT is(pg_temp.refusal(format('SELECT promise_approve(%s)', :prom_k_await)), '42501 no such promise',
          'she cannot approve another team''s promise');
SELECT is(pg_temp.refusal(format('SELECT promise_reject(%s, ''no'')', :prom_k_await)), '42501 no such promise',
          '  nor reject it');

-- ------------------------------------------------------------ not hers to do
SELECT is(pg_temp.refusal('SELECT * FROM promise_evaluate(now())'),
          '42501 permission denied for function promise_evaluate', 'she cannot evaluate promises');
SELECT throws_ok(format('UPDATE promise SET status = ''pending'' WHERE id = %s', :p2),
                 '42501', 'permission denied for table promise', 'she cannot approve by writing the table');

SELECT * FROM finish();
ROLLBACK;
