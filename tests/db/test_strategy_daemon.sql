-- as: t_daemon
-- Issue 18, as cobrod's role: it reads the version in force and the facts
-- of every account, and applies a day (the steps once, even when it runs
-- the same day twice); it loads no version, and writes none of the tables
-- itself.
BEGIN;
\ir lib.sql
SELECT plan(12);

SELECT is(session_user::text, 't_daemon', 'runs as the login role t_daemon');
SELECT is(pg_temp.refused_code($$SELECT strategy_load('x', 'segments = ();', encode(sha256(convert_to('segments = ();', 'UTF8')), 'hex'), NULL)$$),
          '42501', 'loading a version: refused');
SELECT cmp_ok((SELECT version FROM strategy_in_force()), '>=', :strategy_fixture_version, 'the version in force: read');
SELECT is((SELECT count(*) FROM strategy_facts(date '2030-02-01') WHERE account_id = :acc_col1_1)::int, 1,
          'the facts: read');
SELECT is(pg_temp.refused_code($$INSERT INTO account_strategy (account_id, version, segment) SELECT id, 1, 'x' FROM account LIMIT 1$$),
          '42501', 'account_strategy: not written directly');
SELECT is(pg_temp.refused_code($$INSERT INTO strategy_step_done (account_id, ladder, step, anchor, run_id, outcome) SELECT id, 'x', 'x', current_date, 1, 'queued' FROM account LIMIT 1$$),
          '42501', 'strategy_step_done: not written directly');
SELECT is(pg_temp.refused_code($$INSERT INTO strategy_run (kind, day, version, worker) VALUES ('ladder', current_date, 1, 'x')$$),
          '42501', 'strategy_run: not written directly');

SELECT strategy_stage();
INSERT INTO pg_temp.strategy_in (kind, account_id, segment, ladder, state) VALUES ('segment', :acc_col1_1, 'fixture', NULL, 'running');
INSERT INTO pg_temp.strategy_in (kind, account_id, ladder, step, anchor, outcome, channel, assign)
VALUES ('action', :acc_pool_a, 'fixture', 'work', date '2030-02-01', 'assign', 'worklist', 'agent:t_col2');
SELECT strategy_apply('ladder', date '2030-02-01', :strategy_fixture_version, 'pgtap-daemon') AS c \gset
SELECT is((:'c'::jsonb)->'outcomes', '{"assigned": 1}'::jsonb, 'a day applied');
SELECT is((SELECT agent_id FROM account WHERE id = :acc_pool_a), :ag_col2::bigint, '  the account assigned');
SELECT is((SELECT data->>'by' FROM event WHERE account_id = :acc_pool_a AND kind = 'assignment' AND outcome = 'strategy'),
          't_daemon', '  an assignment event: cobrod moved it');
SELECT strategy_stage();
INSERT INTO pg_temp.strategy_in (kind, account_id, ladder, step, anchor, outcome, channel, assign)
VALUES ('action', :acc_pool_a, 'fixture', 'work', date '2030-02-01', 'assign', 'worklist', 'pool');
SELECT is((strategy_apply('ladder', date '2030-02-02', :strategy_fixture_version, 'pgtap-daemon'))->'already_done', '1',
          'the step again another day: done already');
SELECT is((SELECT agent_id FROM account WHERE id = :acc_pool_a), :ag_col2::bigint, '  not done again');

SELECT * FROM finish();
ROLLBACK;
