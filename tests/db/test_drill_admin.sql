-- as: t_admin
-- Issue 17, line 3, as an administrator: any team's agents, ana's (norte)
-- and diego's (sur); an unknown agent is refused.
BEGIN;
\ir lib.sql
SELECT plan(4);

SELECT cmp_ok((SELECT count(*) FROM agent_worklist(:agent_diego, 10)), '>', 0::bigint, 'diego''s worklist (sur)');
SELECT cmp_ok((SELECT count(*) FROM agent_worklist(:agent_ana, 10)), '>', 0::bigint, 'ana''s worklist (norte)');
SELECT cmp_ok((SELECT count(*) FROM agent_events(:agent_diego, 10)), '>', 0::bigint, 'diego''s recent events');
SELECT is(pg_temp.refused_code('SELECT * FROM agent_events(-1, 10)'), '42501', 'nobody''s: refused');

SELECT * FROM finish();
ROLLBACK;
