-- as: sofia
-- Issue 17, lines 3 and 7, as a supervisor (sofia, team norte): she reads
-- ana's worklist (her workable accounts, best rank first) and ana's newest
-- events, and nothing of team sur's diego.
BEGIN;
\ir lib.sql
SELECT plan(9);

SELECT is(session_user::text, 'sofia', 'runs as the login role sofia');

SELECT cmp_ok((SELECT count(*) FROM account WHERE agent_id = :agent_ana AND workable), '>', 0::bigint,
              'ana has workable accounts');
SELECT is((SELECT count(*) FROM agent_worklist(:agent_ana, 1000)),
          (SELECT count(*) FROM account WHERE agent_id = :agent_ana AND workable),
          'ana''s worklist: every workable account of hers');
SELECT is((SELECT array_agg(id) FROM agent_worklist(:agent_ana, 5)),
          (SELECT array_agg(id) FROM (SELECT id FROM account WHERE agent_id = :agent_ana AND workable
                                      ORDER BY rank_value DESC, id LIMIT 5) x),
          '  in rank order, the limit kept');
SELECT is((SELECT count(*) FROM agent_events(:agent_ana, 7)), 7::bigint, 'ana''s recent events: as many as asked');
SELECT is((SELECT array_agg(at ORDER BY at DESC) FROM agent_events(:agent_ana, 7)),
          (SELECT array_agg(x ORDER BY x DESC) FROM (SELECT to_char(at, 'YYYY-MM-DD HH24:MI') AS x FROM event
                                                     WHERE agent_id = :agent_ana ORDER BY at DESC, id DESC LIMIT 7) e),
          '  her newest, newest first');
SELECT is(pg_temp.refused_code('SELECT * FROM agent_worklist(' || :agent_diego || ', 10)'), '42501',
          'diego''s worklist (team sur): refused');
SELECT is(pg_temp.refused_code('SELECT * FROM agent_events(' || :agent_diego || ', 10)'), '42501',
          'diego''s recent events: refused');
SELECT is(pg_temp.refused_code('SELECT * FROM agent_worklist(-1, 10)'), '42501', 'nobody''s: refused');

SELECT * FROM finish();
ROLLBACK;
