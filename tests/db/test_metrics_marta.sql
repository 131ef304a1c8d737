-- as: marta
-- Issue 17, lines 2 and 7, as a lead (marta, team norte): her team's figures
-- and hourly contacts, never another team's; the presence of her team only.
BEGIN;
\ir lib.sql
SELECT plan(6);

SELECT is(session_user::text, 'marta', 'runs as the login role marta');

SELECT is((SELECT string_agg(DISTINCT team, ',') FROM agent_metrics(now() - interval '90 days', now(), 'norte')),
          'norte', 'her team''s figures, named');
SELECT is((SELECT count(*)::int FROM agent_metrics(now() - interval '90 days', now()) WHERE login IN ('ana', 'luis')),
          2, '  ana and luis among them');
SELECT is(pg_temp.refused_code($$SELECT * FROM agent_metrics(now() - interval '1 day', now(), 'sur')$$), '42501',
          'team sur''s figures: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM agent_hourly(now() - interval '1 day', now(), 'sur')$$), '42501',
          'team sur''s hourly contacts: refused');
SELECT is((SELECT count(*)::int FROM presence_now() WHERE team <> 'norte'), 0, 'no presence of another team');

SELECT * FROM finish();
ROLLBACK;
