-- Run by tests/db/run.sh as the superuser after every test file: takes away
-- the strategy version fixtures_reports.sql wrote and where it put its
-- accounts, so that no later suite finds them. (The messages and the rest,
-- dated March 2020, stay: nothing else reads that month.)
\set ON_ERROR_STOP 1
BEGIN;
DELETE FROM cobro.account_strategy
WHERE version IN (SELECT version FROM cobro.strategy_version WHERE digest = 'rptfx');
DELETE FROM cobro.strategy_version WHERE digest = 'rptfx';
COMMIT;
