-- as: ana
-- Issue 18, as a collector (ana, team norte): no strategy function is
-- hers (load, the version in force, the facts, staging, applying); she reads
-- where her own accounts stand and the steps they went through (the
-- account screen shows them), not a teammate's nor another team's.
BEGIN;
\ir lib.sql
SELECT plan(13);

SELECT is(session_user::text, 'ana', 'runs as the login role ana');
SELECT is(pg_temp.refused_code($$SELECT strategy_load('x', 'segments = ();', encode(sha256(convert_to('segments = ();', 'UTF8')), 'hex'), NULL)$$),
          '42501', 'loading a version: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM strategy_in_force()$$), '42501', 'the version in force: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM strategy_facts(current_date)$$), '42501', 'the facts: refused');
SELECT is(pg_temp.refused_code($$SELECT strategy_stage()$$), '42501', 'staging: refused');
SELECT is(pg_temp.refused_code($$SELECT strategy_apply('ladder', current_date, 1, 'x')$$), '42501', 'applying: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM strategy_version$$), '42501', 'strategy_version: not hers to read');
SELECT is(pg_temp.refused_code($$SELECT * FROM strategy_run$$), '42501', 'strategy_run: neither');
SELECT is(pg_temp.refused_code($$SELECT * FROM placement$$), '42501', 'placement: neither');
SELECT is((SELECT array_agg(account_id ORDER BY account_id) FROM account_strategy WHERE segment = 'fixture'),
          ARRAY[:acc_ana]::bigint[], 'account_strategy: her own account''s row only');
SELECT is((SELECT array_agg(account_id ORDER BY account_id) FROM strategy_step_done WHERE ladder = 'fixture'),
          ARRAY[:acc_ana]::bigint[], 'strategy_step_done: her own account''s only');
SELECT is(pg_temp.affected($$UPDATE account_strategy SET segment = 'x'$$), 0::bigint, 'account_strategy: no update')
	WHERE false;
SELECT is(pg_temp.refused_code($$UPDATE account_strategy SET segment = 'x'$$), '42501', 'account_strategy: not written');
SELECT is(pg_temp.refused_code($$DELETE FROM strategy_step_done$$), '42501', 'strategy_step_done: not written');

SELECT * FROM finish();
ROLLBACK;
