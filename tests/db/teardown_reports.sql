-- Run by tests/db/run.sh as the superuser after every test file: takes away
-- the strategy version fixtures_reports.sql wrote and where it put its
-- accounts, and the messages, history, promises and payments it dated
-- around March 2020 on demo accounts, so that no later suite finds them
-- (cli-test_demo measures how many days the demo's history spans).
-- fixtures_reports.sql writes them again at the next run of this suite.
\set ON_ERROR_STOP 1
BEGIN;
DELETE FROM cobro.account_strategy
WHERE version IN (SELECT version FROM cobro.strategy_version WHERE digest = 'rptfx');
DELETE FROM cobro.strategy_version WHERE digest = 'rptfx';
DELETE FROM cobro.event WHERE data->>'fixture' = 'reports';
DELETE FROM cobro.message WHERE provider_id LIKE 'rptfx-%';
DELETE FROM cobro.promise WHERE note LIKE 'rptfx-%';
DELETE FROM cobro.payment WHERE reference LIKE 'rptfx-%';
COMMIT;
