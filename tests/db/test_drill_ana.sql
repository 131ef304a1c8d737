-- as: ana
-- Issue 17, lines 3 and 7, as a collector (ana, team norte): the
-- drill-down's functions refuse her another agent's worklist and events, a
-- teammate's and her own alike (42501): the dashboard is not hers.
BEGIN;
\ir lib.sql
SELECT plan(5);

SELECT is(session_user::text, 'ana', 'runs as the login role ana');

SELECT is(pg_temp.refused_code('SELECT * FROM agent_worklist(' || :agent_luis || ', 10)'), '42501',
          'a teammate''s worklist: refused');
SELECT is(pg_temp.refused_code('SELECT * FROM agent_events(' || :agent_luis || ', 10)'), '42501',
          'a teammate''s recent events: refused');
SELECT is(pg_temp.refused_code('SELECT * FROM agent_worklist(' || :agent_ana || ', 10)'), '42501',
          'her own, through the drill-down: refused too');
SELECT is(pg_temp.refused_code('SELECT * FROM drill_check(' || :agent_ana || ')'), '42501',
          'the check itself is nobody''s to call');

SELECT * FROM finish();
ROLLBACK;
