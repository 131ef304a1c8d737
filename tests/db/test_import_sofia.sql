-- as: sofia
-- Imports are for administrators (issue 16, line 9), as a supervisor (sofia): the
-- database refuses them the staging table, both imports, and a payment or
-- an import record written by hand (025_imports.sql, functions/import.sql).
BEGIN;
\ir lib.sql
SELECT plan(8);

SELECT is(session_user::text, 'sofia', 'runs as the login role sofia');
SELECT throws_ok($$SELECT import_stage('payments')$$, '42501', NULL, 'sofia cannot stage a payments import');
SELECT throws_ok($$SELECT import_stage('accounts')$$, '42501', NULL, 'sofia cannot stage an accounts import');
SELECT throws_ok($$SELECT * FROM import_payments('x.csv', 0, 0)$$, '42501', NULL, 'sofia cannot apply payments');
SELECT throws_ok($$SELECT * FROM import_accounts('x.csv', 0, 0, false, false, NULL)$$, '42501', NULL,
                 'sofia cannot apply a portfolio');
SELECT throws_ok($$INSERT INTO payment (account_id, amount, currency, paid_at, external_id)
                   SELECT id, 100, currency, now(), 'hand-made' FROM account LIMIT 1$$, '42501', NULL,
                 'sofia cannot write a payment');
SELECT throws_ok($$INSERT INTO import_run (kind, file) VALUES ('payments', 'x.csv')$$, '42501', NULL,
                 'sofia cannot write an import record');
SELECT throws_ok($$SELECT * FROM import_run$$, '42501', NULL, 'sofia cannot read the import records');

SELECT * FROM finish();
ROLLBACK;
