-- as: t_daemon
-- Issue 17, line 7: cobrod's role reads no review queue and decides nothing
-- there.
BEGIN;
\ir lib.sql
SELECT plan(6);

SELECT is(session_user::text, 't_daemon', 'runs as the login role t_daemon');

SELECT is(pg_temp.refused_code('SELECT * FROM review_disputes()'), '42501', 'the disputes'' queue: refused');
SELECT is(pg_temp.refused_code('SELECT * FROM review_wrong_points()'), '42501', 'the wrong points'' queue: refused');
SELECT is(pg_temp.refused_code(format('SELECT review_dispute_clear(%s, %L)', :acc_ana, 'x')), '42501',
          'clearing a dispute: refused');
SELECT is(pg_temp.refused_code(format('SELECT review_point_confirm(%s, 1, %L)', :acc_ana, 'x')), '42501',
          'confirming a point: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM review_decisions(now() - interval '1 day')$$), '42501',
          'the collectors'' news of decisions: refused');

SELECT * FROM finish();
ROLLBACK;
