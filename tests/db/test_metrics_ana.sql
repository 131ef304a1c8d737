-- as: ana
-- Issue 17, lines 1, 2 and 7, as a collector (ana, team norte): the
-- database refuses her the agents' figures, the hourly series, other
-- people's presence, the sweep and the rollup; she beats her own presence
-- (only with an account of her team) and sees only her own row; the news of
-- presence changes is not hers to read.
BEGIN;
\ir lib.sql
SELECT plan(16);

SELECT is(session_user::text, 'ana', 'runs as the login role ana');

SELECT is(pg_temp.refused_code($$SELECT * FROM agent_metrics(now() - interval '1 day', now())$$), '42501',
          'the figures of her team: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM agent_metrics(now() - interval '1 day', now(), 'norte')$$), '42501',
          '  naming her team: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM agent_metrics(now() - interval '1 day', now(), 'norte', true)$$), '42501',
          '  from the raw history: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM agent_hourly(now() - interval '1 day', now())$$), '42501',
          'the hourly contacts: refused');
SELECT is(pg_temp.refused_code('SELECT * FROM metric_hour'), '42501', 'the rollup table: refused');
SELECT is(pg_temp.refused_code('SELECT * FROM account_visit'), '42501', 'the visits table: refused');
SELECT is(pg_temp.refused_code('SELECT presence_sweep()'), '42501', 'the sweep of dead workstations: refused');
SELECT is(pg_temp.refused_code('SELECT metric_rebuild()'), '42501', 'rebuilding the rollup: refused');
SELECT is(pg_temp.refused_code($$INSERT INTO presence (agent_id, screen, since, logged_in_at, seen_at, expires_at)
                            VALUES (my_agent_id(), 'worklist', now(), now(), now(), now())$$), '42501',
          'writing presence directly: refused');

SELECT a.id AS mine FROM account a JOIN agent g ON g.id = a.agent_id WHERE g.login = 'ana' ORDER BY a.id LIMIT 1 \gset
SELECT is(presence_beat('account', :mine), presence_period(), 'she beats on one of her accounts: next beat in a period');
SELECT is(pg_temp.refused_code(format('SELECT presence_beat(%L, %s)', 'account', :acc_diego)), '42501',
          '  not on another team''s account');
SELECT is(pg_temp.refused_code(format('SELECT presence_beat(%L, %s)', 'account', :acc_luis)), '42501',
          '  nor on a teammate''s, which no screen of hers shows');
SELECT is((SELECT count(*)::int FROM presence), 1, 'she reads one presence row');
SELECT is((SELECT login || ' ' || screen || ' ' || online FROM presence_now()), 'ana account true', '  her own');
SELECT is((SELECT count(*)::int FROM change_log WHERE kind = 'presence' AND xid = pg_current_xact_id()), 0,
          'presence news is not hers to read (her own beat wrote one)');

SELECT * FROM finish();
ROLLBACK;
