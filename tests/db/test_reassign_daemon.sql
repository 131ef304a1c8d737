-- as: t_daemon
-- Issue 17, line 5, as cobrod's role: it sweeps (absences whose day came,
-- moves whose lease expired) and reassigns nothing itself.
BEGIN;
\ir lib.sql
SELECT plan(4);

SELECT is(session_user::text, 't_daemon', 'runs as the login role t_daemon');

SELECT is(pg_temp.refused_code($$SELECT reassign_sweep()$$), 'done', 'the sweep runs');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_apply('{"team": "t_a"}', '{t_col1}', 'one')$$), '42501', 'apply: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_absent('t_col1', current_date + 2)$$), '42501', 'an absence: refused');

SELECT * FROM finish();
ROLLBACK;
