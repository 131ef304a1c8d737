-- as: marta
-- Issue 17, lines 3 and 7, as a lead (marta, team norte): her team's
-- agents' worklists and events, never team sur's.
BEGIN;
\ir lib.sql
SELECT plan(4);

SELECT is(session_user::text, 'marta', 'runs as the login role marta');

SELECT is((SELECT count(*) FROM agent_worklist(:agent_luis, 1000)),
          (SELECT count(*) FROM account WHERE agent_id = :agent_luis AND workable),
          'luis''s worklist: every workable account of his');
SELECT cmp_ok((SELECT count(*) FROM agent_events(:agent_luis, 5)), '>', 0::bigint, 'luis''s recent events');
SELECT is(pg_temp.refused_code('SELECT * FROM agent_events(' || :agent_diego || ', 10)'), '42501',
          'diego''s (team sur): refused');

SELECT * FROM finish();
ROLLBACK;
