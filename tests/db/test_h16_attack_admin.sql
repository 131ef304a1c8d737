-- as: admin
-- Issue 16, line 4, at the boundary: a payment larger than the balance
-- (or any payment on a paid account) stops the balance at zero, and the
-- excess does not vanish: an `overpaid` payment event with the amount above
-- the balance is on the account's timeline (functions/import.sql,
-- import_payments()).
BEGIN;
\ir lib.sql
SELECT plan(7);

SELECT is(session_user::text, 'admin', 'runs as the login role admin');

SELECT a.id AS acc, a.reference AS ref, a.balance AS bal FROM account a
WHERE a.status = 'active' AND a.balance > 1000 ORDER BY a.id LIMIT 1 \gset

SELECT ok(import_stage('payments') IS NOT NULL, 'payments staged');
INSERT INTO pg_temp.import_payment (line, reference, amount, paid_at, method, external_id)
VALUES (2, :'ref', :bal - 100, '2026-12-01', 'transfer', 'T-ATK-OVER-1'),
       (3, :'ref', 600, '2026-12-01', 'cash', 'T-ATK-OVER-2');
SELECT results_eq($$SELECT applied FROM import_payments('t.csv', 2, 0)$$, $$VALUES (2::bigint)$$,
                  'two payments that together pay 500 more than the balance');
SELECT results_eq(format('SELECT balance, status FROM account WHERE id = %s', :acc),
                  $$VALUES (0::bigint, 'paid'::text)$$, 'the balance stops at zero, the account paid');
SELECT results_eq(format($q$SELECT amount, (data->>'paid')::bigint, (data->>'balance')::bigint FROM event
                           WHERE account_id = %s AND kind = 'payment' AND outcome = 'overpaid'$q$, :acc),
                  format('VALUES (500::bigint, %s::bigint, %s::bigint)', :bal + 500, :bal),
                  'the 500 above the balance is an overpaid event on its timeline, with what was paid and owed');

-- A payment on the account now paid: all of it is above the balance.
SELECT ok(import_stage('payments') IS NOT NULL, 'staged again');
INSERT INTO pg_temp.import_payment (line, reference, amount, paid_at, method, external_id)
VALUES (2, :'ref', 250, '2026-12-02', 'cash', 'T-ATK-OVER-3');
SELECT * FROM import_payments('t.csv', 1, 0) \gset
SELECT is((SELECT sum(amount)::bigint FROM event WHERE account_id = :acc AND kind = 'payment' AND outcome = 'overpaid'),
          750::bigint, 'a payment on a paid account is all overpaid (250 more)');

SELECT * FROM finish();
ROLLBACK;
