-- as: marta
-- Issue 16, lines 2 and 9, as a lead (marta, team norte): a lead is a
-- supervisor too: she approves her team's promises awaiting approval (not
-- her own: four eyes), never another team's, and reads only her team's in the approval list.
BEGIN;
\ir lib.sql
SELECT plan(9);

SELECT is(session_user::text, 'marta', 'runs as the login role marta');

SELECT a.id AS acc, a.past_due AS pd, (SELECT today FROM promise_limits_for(a.id)) AS today,
       (SELECT max_installments FROM promise_limits_for(a.id)) AS n
FROM account a JOIN agent g ON g.id = a.agent_id
WHERE g.login = 'ana' AND a.status = 'active' AND a.past_due > 100
  AND NOT EXISTS (SELECT 1 FROM promise p WHERE p.account_id = a.id AND p.status IN ('pending', 'awaiting_approval'))
ORDER BY a.id DESC LIMIT 1 \gset

SELECT is((SELECT status || ' ' || array_to_string(reasons, ',')
           FROM promise_save(:acc, :pd, :'today'::date + 1, :n + 1, 'weekly', 0, 'call', NULL, NULL,
                             '00000000-0000-4000-8000-000000016c01')) LIKE 'awaiting_approval %max_installments%',
          true, 'a plan of more installments than the limit, on ana''s account, awaits approval');
SELECT id AS p1 FROM promise WHERE idempotency_key = '00000000-0000-4000-8000-000000016c01' \gset
SELECT is((SELECT count(*) FROM promise_awaiting() WHERE promise_id = :p1), 1::bigint, 'it is on her approval list');
SELECT is((SELECT count(*) FROM promise_awaiting() WHERE promise_id = :prom_k_await), 0::bigint,
          '  another team''s is not');
SELECT is(pg_temp.refusal(format('SELECT promise_approve(%s)', :p1)),
          '42501 who took a promise does not approve it; another supervisor does',
          'she cannot approve the promise she took herself (four eyes)');
SELECT ok(promise_approve(:prom_n_await) > 0, 'she approves luis''s');
SELECT is((SELECT status || ' ' || (decided_by = my_agent_id()) FROM promise WHERE id = :prom_n_await), 'pending true',
          '  pending, decided by her');
SELECT is(pg_temp.refusal(format('SELECT promise_approve(%s)', :prom_k_await)), '42501 no such promise',
          'she cannot approve another team''s promise');
SELECT is(pg_temp.refusal('SELECT * FROM promise_apply_payments(ARRAY[1]::bigint[])'),
          '42501 permission denied for function promise_apply_payments', 'she cannot apply payments');

SELECT * FROM finish();
ROLLBACK;
