-- as: t_admin
-- Issue 17, lines 1, 2 and 7, as an administrator: every team's figures (or
-- one named), every team's presence; the sweep takes the rows of dead
-- workstations (t_col2's, in the fixtures) and keeps the time they were on
-- their account; rollup and raw history agree for every agent.
BEGIN;
\ir lib.sql
SELECT plan(10);

CREATE FUNCTION pg_temp.mismatch(f timestamptz, t timestamptz) RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*) FROM (
		(SELECT * FROM cobro.agent_metrics(f, t) EXCEPT ALL SELECT * FROM cobro.agent_metrics(f, t, NULL, true))
		UNION ALL
		(SELECT * FROM cobro.agent_metrics(f, t, NULL, true) EXCEPT ALL SELECT * FROM cobro.agent_metrics(f, t))) x
$$;

SELECT is(session_user::text, 't_admin', 'runs as the login role t_admin');

SELECT ok((SELECT count(DISTINCT team) FROM agent_metrics(now() - interval '1 day', now())) >= 3,
          'every team''s figures (t_a, t_b and the demo''s)');
SELECT is((SELECT count(*)::int FROM agent_metrics(now() - interval '1 day', now()) WHERE agent_id IS NULL),
          (SELECT count(DISTINCT team_id)::int FROM agent WHERE active AND team_id IS NOT NULL),
          '  one totals row per team with agents');
SELECT is((SELECT string_agg(DISTINCT team, ',') FROM agent_metrics(now() - interval '1 day', now(), 't_b')), 't_b',
          '  one team, named');
SELECT is((SELECT string_agg(login || ':' || online, ',' ORDER BY login) FROM presence_now()
           WHERE login LIKE 't\_col%'), 't_col1:true,t_col2:false,t_col3:true',
          'every team''s presence; t_col2''s workstation died');
SELECT is((SELECT now_state FROM agent_metrics(now() - interval '1 day', now()) WHERE login = 't_col2'), 'offline',
          '  the figures say offline');
SELECT is((SELECT now_state || ' ' || now_account FROM agent_metrics(now() - interval '1 day', now())
           WHERE login = 't_col1'), 'account TFX-col1-1', '  and t_col1 on her account');
SELECT setseed(0.42);
SELECT is((SELECT sum(pg_temp.mismatch(f, f + d))::int
           FROM (SELECT now() - random() * interval '70 days' AS f, random() * interval '20 days' AS d
                 FROM generate_series(1, 8)) r), 0,
          'rollup and raw history agree for every agent over 8 random ranges');
SELECT ok(presence_sweep() >= 1, 'the sweep takes the expired rows');
SELECT is((SELECT count(*)::int FROM presence_now() WHERE login = 't_col2'), 0, '  t_col2 is gone');

SELECT * FROM finish();
ROLLBACK;
