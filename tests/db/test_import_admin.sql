-- as: admin
-- The payment and portfolio imports as the administrator (issue 16, lines 4,
-- 5, 9): a payment applied to its account's installments oldest first, then
-- the balance, past due and oldest unpaid date worked out again, with its
-- event and the import's audit line; the same payments again are
-- duplicates that change nothing; a payment for the whole balance makes the
-- account paid. The portfolio: a new
-- account and debtor, a known debtor found by national id, a known account
-- brought up to date with its agent kept unless reassigned, --full closing
-- what the file does not name. 025_imports.sql, functions/import.sql.
BEGIN;
\ir lib.sql
SELECT plan(42);

SELECT is(session_user::text, 'admin', 'runs as the login role admin');

-- An active account with at least three unpaid installments, two of them late.
SELECT a.id AS acc, a.reference AS ref, a.balance AS bal, a.currency AS cur
FROM account a
WHERE a.status = 'active'
  AND (SELECT count(*) FROM installment i WHERE i.account_id = a.id AND i.paid < i.amount) >= 3
  AND (SELECT count(*) FROM installment i WHERE i.account_id = a.id AND i.paid < i.amount
                                                AND i.due_date < current_date) >= 2
  AND NOT EXISTS (SELECT 1 FROM installment i WHERE i.account_id = a.id AND i.paid > 0 AND i.paid < i.amount)
ORDER BY a.id LIMIT 1 \gset
-- Its unpaid installments, oldest first: the first one's due, and a
-- payment that covers it and half of the second.
SELECT i.seq AS s1, i.amount AS a1, i.due_date AS d1 FROM installment i
WHERE i.account_id = :acc AND i.paid < i.amount ORDER BY i.due_date, i.seq LIMIT 1 \gset
SELECT i.seq AS s2, i.amount AS a2, i.due_date AS d2 FROM installment i
WHERE i.account_id = :acc AND i.paid < i.amount ORDER BY i.due_date, i.seq OFFSET 1 LIMIT 1 \gset
SELECT count(*) AS events0 FROM event WHERE account_id = :acc AND kind = 'payment' \gset

-- ------------------------------------------------------------ payments
SELECT is(import_stage('payments'), 'pg_temp.import_payment', 'import_stage makes the payments staging table');
INSERT INTO pg_temp.import_payment (line, reference, amount, paid_at, method, external_id)
VALUES (2, :'ref', :a1 + :a2 / 2 - 100, '2026-12-01 10:00:00-05:00', 'transfer', 'T-IMP-1'),
       (3, :'ref', 100, '2026-12-01', 'cash', 'T-IMP-2');
SELECT results_eq($$SELECT applied, duplicates, unknown, accounts FROM import_payments('t.csv', 2, 0)$$,
                  $$VALUES (2::bigint, 0::bigint, 0::bigint, 1::bigint)$$,
                  'two payments applied to one account');
SELECT is((SELECT paid FROM installment WHERE account_id = :acc AND seq = :s1), :a1::bigint,
          'the oldest installment is paid whole first');
SELECT is((SELECT paid FROM installment WHERE account_id = :acc AND seq = :s2), (:a2 / 2)::bigint,
          'the next one takes the rest');
SELECT is((SELECT count(*) FROM installment WHERE account_id = :acc AND paid > 0 AND seq NOT IN (:s1, :s2)
             AND paid < amount), 0::bigint, 'no later installment is touched');
SELECT is((SELECT balance FROM account WHERE id = :acc), (:bal - :a1 - :a2 / 2)::bigint, 'the balance goes down by both');
SELECT is((SELECT past_due FROM account WHERE id = :acc),
          (SELECT least(a.balance, coalesce(sum(i.amount - i.paid), 0))::bigint
           FROM account a JOIN installment i ON i.account_id = a.id AND i.due_date < current_date
           WHERE a.id = :acc GROUP BY a.balance),
          'past due is what the late installments still owe');
SELECT is((SELECT oldest_due FROM account WHERE id = :acc), :'d2'::date,
          'the oldest unpaid date moves to the installment partly paid (DPD from it)');
SELECT is((SELECT count(*) FROM event WHERE account_id = :acc AND kind = 'payment'), (:events0 + 2)::bigint,
          'a payment event each');
SELECT is((SELECT at FROM event WHERE account_id = :acc AND kind = 'payment' AND data->>'external_id' = 'T-IMP-1'),
          '2026-12-01 15:00:00+00'::timestamptz, 'the event is at the time paid, its offset kept');
SELECT is((SELECT paid_at FROM payment WHERE external_id = 'T-IMP-2'),
          ('2026-12-01'::timestamp AT TIME ZONE (SELECT d.time_zone FROM debtor d JOIN account a ON a.debtor_id = d.id
                                                   WHERE a.id = :acc)),
          'a date alone is midnight in the debtor''s zone');
SELECT is((SELECT currency FROM payment WHERE external_id = 'T-IMP-1'), :'cur'::bpchar,
          'a payment is in its account''s currency');
SELECT ok((SELECT digest IS NOT NULL AND applied = 2 AND actor = 'admin' FROM import_run
           WHERE id = (SELECT import_id FROM payment WHERE external_id = 'T-IMP-1')),
          'the import is recorded with its digest');
SELECT ok(EXISTS (SELECT 1 FROM audit WHERE tbl = 'import_run' AND actor = 'admin'
                  AND new->>'id' = (SELECT import_id FROM payment WHERE external_id = 'T-IMP-1')::text
                  AND new->>'digest' IS NOT NULL),
          'the audit chain records the import and its digest');
SELECT is((SELECT count(*) FROM pg_trigger WHERE tgenabled = 'D' AND tgrelid IN ('payment'::regclass, 'account'::regclass)),
          0::bigint, 'the row triggers are on again after the import');
SELECT ok(EXISTS (SELECT 1 FROM change_log WHERE kind = 'account' AND account_id = :acc),
          'the workstations hear of the account');

-- The same file again: duplicates, nothing changes.
SELECT balance AS bal2 FROM account WHERE id = :acc \gset
SELECT ok(import_stage('payments') IS NOT NULL, 'staged again');
INSERT INTO pg_temp.import_payment (line, reference, amount, paid_at, method, external_id)
VALUES (2, :'ref', :a1 + :a2 / 2 - 100, '2026-12-01 10:00:00-05:00', 'transfer', 'T-IMP-1'),
       (3, :'ref', 100, '2026-12-01', 'cash', 'T-IMP-2');
SELECT results_eq($$SELECT applied, duplicates FROM import_payments('t.csv', 2, 0)$$,
                  $$VALUES (0::bigint, 2::bigint)$$, 'a re-import: two duplicates, nothing applied');
SELECT is((SELECT balance FROM account WHERE id = :acc), :bal2::bigint, 'the balance is unchanged');
SELECT is((SELECT count(*) FROM event WHERE account_id = :acc AND kind = 'payment'), (:events0 + 2)::bigint,
          'no new payment event');
SELECT is((SELECT count(*) FROM payment WHERE external_id IN ('T-IMP-1', 'T-IMP-2')), 2::bigint,
          'each payment once');

-- The whole balance: paid (tests/cli/test_import.sh: its queued overdue notice refused).
SELECT ok(import_stage('payments') IS NOT NULL, 'staged again');
INSERT INTO pg_temp.import_payment (line, reference, amount, paid_at, method, external_id)
VALUES (2, :'ref', :bal2, '2026-12-02', 'transfer', 'T-IMP-3');
SELECT results_eq($$SELECT applied FROM import_payments('t.csv', 1, 0)$$, $$VALUES (1::bigint)$$,
                  'the rest of the balance paid');
SELECT results_eq($$SELECT balance, past_due, oldest_due, status FROM account WHERE id = $$ || :acc,
                  $$VALUES (0::bigint, 0::bigint, NULL::date, 'paid'::text)$$,
                  'nothing owed: balance and past due 0, no oldest due date, the account paid');
SELECT is((SELECT count(*) FROM installment WHERE account_id = :acc AND paid < amount), 0::bigint,
          'every installment paid');

-- A payment on an account with a pending promise goes to the promise too
-- (promise_apply_payments(), functions/promise_keeper.sql).
SELECT p.id AS prom, a.reference AS pref FROM promise p JOIN account a ON a.id = p.account_id
WHERE p.status = 'pending' AND p.created_at < now() ORDER BY p.id LIMIT 1 \gset
SELECT ok(import_stage('payments') IS NOT NULL, 'staged again');
INSERT INTO pg_temp.import_payment (line, reference, amount, paid_at, method, external_id)
VALUES (2, :'pref', 500, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00:00', 'transfer',
        'T-IMP-PROMISE');
SELECT results_eq($$SELECT applied FROM import_payments('t.csv', 1, 0)$$, $$VALUES (1::bigint)$$,
                  'a payment on an account with a pending promise');
SELECT is((SELECT paid FROM promise WHERE id = :prom), 500::bigint, 'the promise takes it');
SELECT is((SELECT sum(paid)::bigint FROM promise_installment WHERE promise_id = :prom), 500::bigint,
          'its plan''s first installments take it');

SELECT throws_ok($$SELECT * FROM import_payments('t.csv', 0, 0)$$, '55000', NULL,
                 'nothing staged: import_payments refuses');

-- ------------------------------------------------------------ accounts
SELECT d.national_id AS nid, d.id AS deb FROM debtor d WHERE d.national_id IS NOT NULL ORDER BY d.id LIMIT 1 \gset
SELECT a.id AS acc2, a.reference AS ref2, a.agent_id AS agent2, a.currency AS cur2, c.code AS cred2
FROM account a JOIN creditor c ON c.id = a.creditor_id
WHERE a.status = 'active' AND a.agent_id = (SELECT id FROM agent WHERE login = 'ana')
ORDER BY a.id LIMIT 1 \gset
SELECT is(import_stage('accounts'), 'pg_temp.import_account', 'import_stage makes the accounts staging table');
INSERT INTO pg_temp.import_account (line, ok, reference, debtor_name, national_id, mobile, mobile_kind, email,
                                    jurisdiction, time_zone, language, creditor, product, currency, balance,
                                    past_due, due_date, segment, score, agent)
VALUES (2, true, 'T-NEW-1', 'Nueva Persona', 'T-NID-NEW', '+51987000111', 'mobile', 'nueva@example.com', 'PE',
        'America/Lima', 'es', :'cred2', 'card', 'PEN', 150000, 50000, '2026-11-01', 'early', 700, 'luis'),
       (3, true, 'T-NEW-2', 'Known Debtor', :'nid', NULL, NULL, NULL, 'PE', 'America/Lima', 'es', :'cred2',
        'loan', 'PEN', 1000, 0, NULL, 'standard', 500, 'luis'),
       (4, true, :'ref2', 'Whoever', 'T-NID-X', NULL, NULL, NULL, 'PE', 'America/Lima', 'es', :'cred2',
        'card', :'cur2', 4200, 4200, '2026-10-01', 'late', 321, 'luis');
SELECT results_eq($$SELECT created, updated, closed, debtors FROM import_accounts('a.csv', 3, 0, false, false, NULL)$$,
                  $$VALUES (2::bigint, 1::bigint, 0::bigint, 1::bigint)$$,
                  'two accounts made, one updated, one new debtor');
SELECT results_eq($$SELECT a.balance, a.past_due, a.oldest_due, a.segment, a.score, g.login, d.name
                    FROM account a JOIN agent g ON g.id = a.agent_id JOIN debtor d ON d.id = a.debtor_id
                    WHERE a.reference = 'T-NEW-1'$$,
                  $$VALUES (150000::bigint, 50000::bigint, '2026-11-01'::date, 'early'::text, 700::smallint,
                            'luis'::text, 'Nueva Persona'::text)$$,
                  'a new account, its debtor and agent');
SELECT is((SELECT array_agg(kind || ' ' || value ORDER BY kind) FROM contact_point
           WHERE debtor_id = (SELECT debtor_id FROM account WHERE reference = 'T-NEW-1')),
          ARRAY['email nueva@example.com', 'mobile +51987000111'], 'its mobile and email');
SELECT is((SELECT debtor_id FROM account WHERE reference = 'T-NEW-2'), :deb::bigint,
          'a debtor already known by national id is found, not made again');
SELECT results_eq($$SELECT a.balance, a.past_due, a.segment, a.score, g.login FROM account a
                    JOIN agent g ON g.id = a.agent_id WHERE a.id = $$ || :acc2,
                  $$VALUES (4200::bigint, 4200::bigint, 'late'::text, 321::smallint, 'ana'::text)$$,
                  'a known account brought up to date, its agent kept');
SELECT ok(import_stage('accounts') IS NOT NULL, 'staged again');
INSERT INTO pg_temp.import_account (line, ok, reference, debtor_name, national_id, jurisdiction, time_zone, language,
                                    creditor, product, currency, balance, past_due, segment, score, agent)
VALUES (2, true, :'ref2', 'Whoever', 'T-NID-X', 'PE', 'America/Lima', 'es', :'cred2', 'card', :'cur2', 4200, 4200,
        'late', 321, 'luis'),
       (3, false, 'T-NEW-1', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
SELECT results_eq($$SELECT updated FROM import_accounts('a.csv', 2, 1, true, true, NULL)$$,
                  $$VALUES (1::bigint)$$, '--reassign moves the known account');
SELECT is((SELECT g.login FROM account a JOIN agent g ON g.id = a.agent_id WHERE a.id = :acc2), 'luis',
          'to the file''s agent');
SELECT is((SELECT count(*) FROM account a JOIN creditor c ON c.id = a.creditor_id
           WHERE c.code = :'cred2' AND a.status NOT IN ('closed', 'paid') AND a.reference NOT IN (:'ref2', 'T-NEW-1')),
          0::bigint, '--full closes every other open account of the creditor');
SELECT is((SELECT status FROM account WHERE reference = 'T-NEW-1'), 'active',
          'but not one whose row was rejected');

SELECT * FROM finish();
ROLLBACK;
