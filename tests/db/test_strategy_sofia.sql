-- as: sofia
-- Issue 18, as a supervisor (sofia, team norte): reads the versions, the
-- version in force, the runs, and where their team's accounts stand (not
-- another team's); loads no version, reads no facts, applies no day.
BEGIN;
\ir lib.sql
SELECT plan(12);

SELECT is(session_user::text, 'sofia', 'runs as the login role sofia');
SELECT is(pg_temp.refused_code($$SELECT strategy_load('x', 'segments = ();', encode(sha256(convert_to('segments = ();', 'UTF8')), 'hex'), NULL)$$),
          '42501', 'loading a version: refused');
SELECT cmp_ok((SELECT version FROM strategy_in_force()), '>=', :strategy_fixture_version, 'the version in force: read');
SELECT is((SELECT count(*) FROM strategy_version WHERE version = :strategy_fixture_version)::int, 1, 'the versions: read');
SELECT is((SELECT count(*) FROM strategy_run WHERE day = date '2000-01-01')::int, 1, 'the runs: read');
SELECT is(pg_temp.refused_code($$SELECT * FROM strategy_facts(current_date)$$), '42501', 'the facts: refused');
SELECT is(pg_temp.refused_code($$SELECT strategy_stage()$$), '42501', 'staging: refused');
SELECT is(pg_temp.refused_code($$SELECT strategy_apply('ladder', current_date, 1, 'x')$$), '42501', 'applying: refused');
SELECT is((SELECT array_agg(account_id ORDER BY account_id) FROM account_strategy WHERE segment = 'fixture'),
          ARRAY[:acc_ana, :acc_luis]::bigint[], 'account_strategy: their team''s accounts, not another team''s');
SELECT is((SELECT array_agg(account_id ORDER BY account_id) FROM strategy_step_done WHERE ladder = 'fixture'),
          ARRAY[:acc_ana, :acc_luis]::bigint[], 'strategy_step_done: the same');
SELECT is(pg_temp.refused_code($$UPDATE account_strategy SET segment = 'x'$$), '42501', 'account_strategy: not written');
SELECT is(pg_temp.refused_code($$INSERT INTO strategy_version (file, text, digest) VALUES ('x', 'x', 'x')$$), '42501',
          'strategy_version: not written');

SELECT * FROM finish();
ROLLBACK;
