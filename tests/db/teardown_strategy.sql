-- Run by tests/db/run.sh as the superuser after every test file: takes away
-- the strategy version fixtures.sql wrote (one segment, no ladder: a text
-- that parses no more, as strategy.c asks for ladders), its run and where
-- it put its accounts. Left in force, it would be what every cobrod the
-- later suites start runs each day, and fails to. fixtures.sql makes them
-- again at the next run of this suite.
\set ON_ERROR_STOP 1
BEGIN;
DELETE FROM cobro.strategy_step_done
WHERE run_id IN (SELECT r.id FROM cobro.strategy_run r JOIN cobro.strategy_version v ON v.version = r.version
                 WHERE v.file = 'tests/db/fixtures.sql');
DELETE FROM cobro.account_strategy
WHERE version IN (SELECT version FROM cobro.strategy_version WHERE file = 'tests/db/fixtures.sql');
DELETE FROM cobro.strategy_run
WHERE version IN (SELECT version FROM cobro.strategy_version WHERE file = 'tests/db/fixtures.sql');
DELETE FROM cobro.strategy_version WHERE file = 'tests/db/fixtures.sql';
COMMIT;
