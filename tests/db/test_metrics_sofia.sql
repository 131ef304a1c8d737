-- as: sofia
-- Issue 17, lines 1, 2 and 7, as a supervisor (sofia, team norte): the
-- figures of her team (one row per active agent and the team's totals), never
-- team sur's; what she does is counted at once (the rollup's statement
-- trigger), as docs/metrics.md defines each figure; the rollup and the raw
-- history give the same figures for random ranges, partial hours included;
-- her presence, and the presence news of her team.
BEGIN;
\ir lib.sql
SELECT plan(25);

SELECT is(session_user::text, 'sofia', 'runs as the login role sofia');

-- Rows of the rollup's figures not in the raw ones', and the other way.
CREATE FUNCTION pg_temp.mismatch(f timestamptz, t timestamptz) RETURNS bigint LANGUAGE sql AS $$
	SELECT (SELECT count(*) FROM (
		(SELECT * FROM cobro.agent_metrics(f, t) EXCEPT ALL SELECT * FROM cobro.agent_metrics(f, t, NULL, true))
		UNION ALL
		(SELECT * FROM cobro.agent_metrics(f, t, NULL, true) EXCEPT ALL SELECT * FROM cobro.agent_metrics(f, t))) x
	) + (SELECT count(*) FROM (
		(SELECT * FROM cobro.agent_hourly(f, t) EXCEPT ALL SELECT * FROM cobro.agent_hourly(f, t, NULL, true))
		UNION ALL
		(SELECT * FROM cobro.agent_hourly(f, t, NULL, true) EXCEPT ALL SELECT * FROM cobro.agent_hourly(f, t))) y)
$$;

SELECT is((SELECT string_agg(DISTINCT team, ',') FROM agent_metrics(now() - interval '90 days', now() + interval '1 day')),
          'norte', 'her team''s figures only');
SELECT is((SELECT count(*)::int FROM agent_metrics(now() - interval '1 day', now()) WHERE agent_id IS NOT NULL),
          (SELECT count(*)::int FROM agent g JOIN team t ON t.id = g.team_id WHERE t.code = 'norte' AND g.active),
          '  one row per active agent of norte');
SELECT is((SELECT count(*)::int FROM agent_metrics(now() - interval '1 day', now()) WHERE agent_id IS NULL), 1,
          '  and one of the team''s totals');
SELECT is(pg_temp.refused_code($$SELECT * FROM agent_metrics(now() - interval '1 day', now(), 'sur')$$), '42501',
          'team sur''s figures: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM agent_hourly(now() - interval '1 day', now(), 'sur')$$), '42501',
          'team sur''s hourly contacts: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM agent_metrics(now() - interval '1 day', now(), 'no-such-team')$$), '22023',
          'no such team: a bad argument');
SELECT is(pg_temp.refused_code($$SELECT * FROM agent_metrics(now(), now() - interval '1 day')$$), '22023',
          'a range that ends before it starts: a bad argument');

-- What she does now, counted at once: two calls (one right party), a note, a
-- promise, on two accounts of her team.
SELECT a.id AS acc1, a.currency AS cur1 FROM account a JOIN agent g ON g.id = a.agent_id
WHERE g.login = 'ana' AND a.status = 'active' AND a.past_due > 0
  AND NOT EXISTS (SELECT 1 FROM promise p WHERE p.account_id = a.id AND p.status IN ('pending', 'awaiting_approval'))
ORDER BY a.id LIMIT 1 \gset
SELECT a.id AS acc2 FROM account a JOIN agent g ON g.id = a.agent_id
WHERE g.login = 'luis' AND a.status = 'active' ORDER BY a.id LIMIT 1 \gset
SELECT (SELECT today FROM promise_limits_for(:acc1)) AS today1 \gset
SELECT now() - interval '1 second' AS t0 \gset
SELECT isnt(account_log_call('00000000-0000-4000-8000-000000017a01', :acc1, 'right_party', NULL, NULL), NULL,
            'she logs a right-party call on ana''s account');
SELECT isnt(account_log_call('00000000-0000-4000-8000-000000017a02', :acc2, 'no_answer', NULL, NULL), NULL,
            '  a call with no answer on luis''s');
SELECT isnt(account_add_note('00000000-0000-4000-8000-000000017a03', :acc2, 'volver a llamar'), NULL, '  a note');
SELECT isnt((SELECT status FROM promise_save(:acc1, 1500, :'today1'::date + 2, 1, 'once', 0, 'call', NULL, NULL,
                                             '00000000-0000-4000-8000-000000017a04')), NULL, '  a promise');
SELECT * FROM agent_metrics(:'t0', now() + interval '1 hour') WHERE login = 'sofia' \gset m_
SELECT is(:m_calls::int, 2, 'her calls: 2');
SELECT is(:m_rpc::int || ' ' || :m_rpc_rate, '1 0.5000', '  right-party contacts 1, rate 0.5');
SELECT is(:m_accounts_worked::int, 2, '  accounts worked: 2 (the note and the promise on accounts already called)');
SELECT is(:m_promises::int || ' ' || :'m_promise_amount', '1 {"' || :'cur1' || '": 1500}',
          '  promises: 1, its amount in its account''s currency');
SELECT is(:m_promise_rate::numeric, 1.0, '  promise rate per right-party contact: 1');
SELECT is(:m_contacts::int || ' ' || :m_active_hours || ' ' || :m_contacts_per_hour,
          '2 1 2.00', '  contacts 2 in 1 active hour: 2 per hour');
SELECT is((SELECT sum(contacts)::int FROM agent_hourly(:'t0', now() + interval '1 hour')
           WHERE agent_id = my_agent_id()), 2, '  her hourly contacts add up to 2');

-- The rollup equals the raw history: 12 ranges at random (seeded), of
-- minutes to weeks, over the demo's history and what she just did.
SELECT setseed(0.17);
SELECT is((SELECT sum(pg_temp.mismatch(f, f + d))::int
           FROM (SELECT now() - random() * interval '70 days' AS f, random() * interval '12 days' AS d
                 FROM generate_series(1, 12)) r), 0,
          'rollup and raw history agree over 12 random ranges');
SELECT is(pg_temp.mismatch(date_trunc('hour', now()) - interval '25 minutes', now() + interval '7 minutes'), 0::bigint,
          '  and over one that ends after what she just did, inside an hour');

-- Presence: her own beat; her team's news.
SELECT is(presence_beat('worklist', NULL), 30, 'she beats: the next beat is due in 30 seconds');
SELECT is((SELECT count(*)::int FROM change_log WHERE kind = 'presence' AND was_team = my_team_id()
           AND xid = pg_current_xact_id()), 1,
          '  it is news for her team''s dashboards');
SELECT is((SELECT now_state FROM agent_metrics(now() - interval '1 day', now()) WHERE login = 'sofia'), 'idle',
          '  the figures say she is idle');
SELECT is((SELECT count(*)::int FROM presence p JOIN team t ON t.id = p.team_id WHERE t.code <> 'norte'), 0,
          'no presence of another team');

SELECT * FROM finish();
ROLLBACK;
