-- Each agent's figures over a range, and their hourly contacts
-- (issue 17, line 2). Every figure is defined in docs/metrics.md and
-- computed here only: the dashboard and `cobroctl report agents` both call
-- agent_metrics(). Supervisors and leads read their own team, admins any
-- team or all; collectors nobody's (42501). Their queries are planned for
-- each call's range (plan_cache_mode): the generic plan PostgreSQL switches
-- to after five calls of one session reads a day's rollup 5 times slower.
-- uses: functions/session.sql functions/metrics_rollup.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- The agents whose figures the caller may read: p_team's (its code), or
-- with NULL the caller's own team (an admin: every team). Raises 42501 for
-- a collector or another team, 22023 for no such team.
CREATE OR REPLACE FUNCTION metric_agents(p_team text)
RETURNS TABLE (agent_id bigint, team_id bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	t bigint;
	admin boolean := i_am('cobro_admin');
BEGIN
	IF NOT admin AND NOT i_am('cobro_supervisor') OR my_agent_id() IS NULL AND NOT admin THEN
		RAISE EXCEPTION 'the agents'' figures are for supervisors, leads and administrators'
			USING ERRCODE = '42501';
	END IF;
	IF p_team IS NOT NULL THEN
		SELECT id INTO t FROM team WHERE code = p_team;
		IF t IS NULL THEN
			RAISE EXCEPTION 'no team "%"', left(p_team, 40) USING ERRCODE = '22023';
		END IF;
	ELSIF NOT admin THEN
		t := my_team_id();
	END IF;
	IF NOT admin AND t IS DISTINCT FROM my_team_id() THEN
		RAISE EXCEPTION 'only the figures of your own team' USING ERRCODE = '42501';
	END IF;
	RETURN QUERY SELECT g.id, g.team_id FROM agent g
	             WHERE g.active AND g.team_id IS NOT NULL AND (t IS NULL OR g.team_id = t);
END
$$;
REVOKE ALL ON FUNCTION metric_agents(text) FROM PUBLIC;

-- The counters per hour, agent and account over [p_from, p_to) for p_agents:
-- the rollup's whole hours and the raw history's partial hours at the edges
-- (p_raw: the raw history only, the baseline the rollup is checked and
-- benchmarked against).
CREATE OR REPLACE FUNCTION metric_rows(p_from timestamptz, p_to timestamptz, p_agents bigint[], p_raw boolean)
RETURNS TABLE (hour timestamptz, agent_id bigint, account_id bigint, actions integer, calls integer,
               rpc integer, promises integer, promise_amount bigint, kept_amount bigint, sms integer,
               email integer, whatsapp integer, visits integer, seconds bigint)
LANGUAGE plpgsql STABLE SET search_path = cobro, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	h1 timestamptz := date_trunc('hour', p_from);
	h2 timestamptz := date_trunc('hour', p_to);
BEGIN
	IF h1 < p_from THEN
		h1 := h1 + interval '1 hour';
	END IF;
	IF p_raw OR h1 >= h2 THEN
		h1 := p_to;   -- no whole hour from the rollup: everything raw
		h2 := p_to;
	END IF;
	RETURN QUERY
	WITH ev AS (
		SELECT * FROM metric_event_rows(p_from, h1, p_agents)
		UNION ALL
		SELECT * FROM metric_event_rows(h2, p_to, p_agents)
	), vi AS (
		SELECT date_trunc('hour', v.started_at) AS hour, v.agent_id, v.account_id, count(*)::integer AS visits,
		       sum(floor(extract(epoch FROM v.ended_at - v.started_at)))::bigint AS seconds
		FROM account_visit v
		WHERE v.agent_id = ANY (p_agents)
		  AND ((v.started_at >= p_from AND v.started_at < h1) OR (v.started_at >= h2 AND v.started_at < p_to))
		GROUP BY 1, 2, 3
	)
	SELECT coalesce(e.hour, v.hour), coalesce(e.agent_id, v.agent_id), coalesce(e.account_id, v.account_id),
	       coalesce(e.actions, 0), coalesce(e.calls, 0), coalesce(e.rpc, 0), coalesce(e.promises, 0),
	       coalesce(e.promise_amount, 0)::bigint, coalesce(e.kept_amount, 0)::bigint, coalesce(e.sms, 0),
	       coalesce(e.email, 0), coalesce(e.whatsapp, 0), coalesce(v.visits, 0), coalesce(v.seconds, 0)::bigint
	FROM ev e FULL JOIN vi v ON v.hour = e.hour AND v.agent_id = e.agent_id AND v.account_id = e.account_id
	UNION ALL
	SELECT m.hour, m.agent_id, m.account_id, m.actions, m.calls, m.rpc, m.promises, m.promise_amount,
	       m.kept_amount, m.sms, m.email, m.whatsapp, m.visits, m.seconds
	FROM metric_hour m
	WHERE m.hour >= h1 AND m.hour < h2 AND m.agent_id = ANY (p_agents);
END
$$;
REVOKE ALL ON FUNCTION metric_rows(timestamptz, timestamptz, bigint[], boolean) FROM PUBLIC;

-- Promises kept and broken per agent over [p_from, p_to), the same way.
CREATE OR REPLACE FUNCTION metric_resolved(p_from timestamptz, p_to timestamptz, p_agents bigint[], p_raw boolean)
RETURNS TABLE (agent_id bigint, kept bigint, broken bigint)
LANGUAGE plpgsql STABLE ROWS 100 SET search_path = cobro, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	h1 timestamptz := date_trunc('hour', p_from);
	h2 timestamptz := date_trunc('hour', p_to);
BEGIN
	IF h1 < p_from THEN
		h1 := h1 + interval '1 hour';
	END IF;
	IF p_raw OR h1 >= h2 THEN
		h1 := p_to;
		h2 := p_to;
	END IF;
	RETURN QUERY
	SELECT x.agent_id, sum(x.kept)::bigint, sum(x.broken)::bigint
	FROM (SELECT r.agent_id, r.kept, r.broken FROM metric_event_rows(p_from, h1, p_agents) r
	      UNION ALL
	      SELECT r.agent_id, r.kept, r.broken FROM metric_event_rows(h2, p_to, p_agents) r
	      UNION ALL
	      SELECT m.agent_id, m.kept, m.broken FROM metric_resolve_hour m
	      WHERE m.hour >= h1 AND m.hour < h2 AND m.agent_id = ANY (p_agents)) x
	GROUP BY 1;
END
$$;
REVOKE ALL ON FUNCTION metric_resolved(timestamptz, timestamptz, bigint[], boolean) FROM PUBLIC;

-- The figures (docs/metrics.md): one row per agent of the team (or of every
-- team: an admin with p_team NULL), then one row per team with agent_id NULL,
-- the team's totals. Amounts are per currency, {"CLP": 1234, ...}, in minor
-- units. p_raw is for the tests and the bench (the baseline); the dashboard
-- and the report leave it false.
CREATE OR REPLACE FUNCTION agent_metrics(p_from timestamptz, p_to timestamptz, p_team text DEFAULT NULL,
                                         p_raw boolean DEFAULT false)
RETURNS TABLE (team text, agent_id bigint, login text, name text,
               now_state text, now_account text, now_minutes integer,
               accounts_worked bigint, calls bigint, rpc bigint, rpc_rate numeric,
               promises bigint, promise_amount jsonb, promise_rate numeric,
               kept_30d bigint, broken_30d bigint, kept_rate numeric, collected jsonb,
               sms bigint, email bigint, whatsapp bigint,
               avg_seconds_per_account bigint, contacts bigint, active_hours bigint, contacts_per_hour numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	agents bigint[];
BEGIN
	IF p_from IS NULL OR p_to IS NULL OR p_to <= p_from THEN
		RAISE EXCEPTION 'a range is a start before its end' USING ERRCODE = '22023';
	END IF;
	SELECT array_agg(a.agent_id) INTO agents FROM metric_agents(p_team) a;
	agents := coalesce(agents, '{}');
	RETURN QUERY
	WITH r AS (
		SELECT * FROM metric_rows(p_from, p_to, agents, p_raw)
	), cur AS (   -- each account's currency, once
		SELECT DISTINCT ON (r.account_id) r.account_id, coalesce(a.currency, 'XXX') AS currency
		FROM r LEFT JOIN account a ON a.id = r.account_id
		WHERE r.promise_amount + r.kept_amount > 0
	), money AS (
		SELECT r.agent_id, c.currency, sum(r.promise_amount) AS promised, sum(r.kept_amount) AS kept
		FROM r JOIN cur c USING (account_id) GROUP BY 1, 2
	), money_agent AS (   -- each agent's amounts, {"CLP": 1234, ...}, made once
		SELECT m.agent_id,
		       jsonb_object_agg(m.currency, m.promised) FILTER (WHERE m.promised > 0) AS promised,
		       jsonb_object_agg(m.currency, m.kept) FILTER (WHERE m.kept > 0) AS collected
		FROM money m GROUP BY 1
	), per AS (   -- one row per agent: the sums, then the ratios of the sums
		SELECT g.id AS agent_id, g.team_id, g.login, g.name,
		       count(DISTINCT r.account_id) FILTER (WHERE r.actions > 0 AND r.account_id <> 0) AS accounts_worked,
		       coalesce(sum(r.calls), 0)::bigint AS calls, coalesce(sum(r.rpc), 0)::bigint AS rpc,
		       coalesce(sum(r.promises), 0)::bigint AS promises,
		       coalesce(sum(r.sms), 0)::bigint AS sms, coalesce(sum(r.email), 0)::bigint AS email,
		       coalesce(sum(r.whatsapp), 0)::bigint AS whatsapp,
		       coalesce(sum(r.seconds), 0)::bigint AS seconds,
		       count(DISTINCT r.account_id) FILTER (WHERE r.visits > 0) AS visited,
		       count(DISTINCT r.hour) FILTER (WHERE r.actions > 0) AS active_hours
		FROM agent g LEFT JOIN r ON r.agent_id = g.id
		WHERE g.id = ANY (agents)
		GROUP BY g.id, g.team_id, g.login, g.name
	), res AS (
		SELECT * FROM metric_resolved(p_to - interval '30 days', p_to, agents, p_raw)
	), money_team AS (
		SELECT x.team_id,
		       jsonb_object_agg(x.currency, x.promised) FILTER (WHERE x.promised > 0) AS promised,
		       jsonb_object_agg(x.currency, x.kept) FILTER (WHERE x.kept > 0) AS collected
		FROM (SELECT q.team_id, m.currency, sum(m.promised) AS promised, sum(m.kept) AS kept
		      FROM money m JOIN per q USING (agent_id) GROUP BY 1, 2) x
		GROUP BY 1
	), rows AS (
		SELECT p.team_id, p.agent_id, p.login, p.name, p.accounts_worked, p.calls, p.rpc, p.promises, p.sms,
		       p.email, p.whatsapp, p.seconds, p.visited, p.active_hours,
		       coalesce(s.kept, 0) AS kept, coalesce(s.broken, 0) AS broken, ma.promised, ma.collected
		FROM per p LEFT JOIN res s ON s.agent_id = p.agent_id LEFT JOIN money_agent ma ON ma.agent_id = p.agent_id
		UNION ALL   -- the team's totals: sums of the agents' rows
		SELECT p.team_id, NULL, NULL, NULL, sum(p.accounts_worked)::bigint, sum(p.calls)::bigint, sum(p.rpc)::bigint,
		       sum(p.promises)::bigint, sum(p.sms)::bigint, sum(p.email)::bigint, sum(p.whatsapp)::bigint,
		       sum(p.seconds)::bigint, sum(p.visited)::bigint, sum(p.active_hours)::bigint,
		       sum(coalesce(s.kept, 0))::bigint, sum(coalesce(s.broken, 0))::bigint,
		       min(mt.promised::text)::jsonb, min(mt.collected::text)::jsonb
		FROM per p LEFT JOIN res s ON s.agent_id = p.agent_id LEFT JOIN money_team mt ON mt.team_id = p.team_id
		GROUP BY p.team_id
	)
	SELECT t.code, x.agent_id, x.login, x.name,
	       CASE WHEN x.agent_id IS NULL THEN NULL
	            WHEN pr.agent_id IS NULL OR pr.expires_at <= now() THEN 'offline'
	            WHEN pr.account_id IS NOT NULL THEN 'account' ELSE 'idle' END,
	       CASE WHEN pr.expires_at > now() THEN ac.reference END,
	       CASE WHEN pr.expires_at > now()
	            THEN (extract(epoch FROM now() - coalesce(pr.account_since, pr.since)) / 60)::integer END,
	       x.accounts_worked, x.calls, x.rpc,
	       round(x.rpc::numeric / nullif(x.calls, 0), 4),
	       x.promises, coalesce(x.promised, '{}'), round(x.promises::numeric / nullif(x.rpc, 0), 4),
	       x.kept, x.broken, round(x.kept::numeric / nullif(x.kept + x.broken, 0), 4), coalesce(x.collected, '{}'),
	       x.sms, x.email, x.whatsapp,
	       (x.seconds / nullif(x.visited, 0))::bigint,
	       x.calls + x.sms + x.email + x.whatsapp, x.active_hours,
	       round((x.calls + x.sms + x.email + x.whatsapp)::numeric / nullif(x.active_hours, 0), 2)
	FROM rows x
	JOIN team t ON t.id = x.team_id
	LEFT JOIN presence pr ON pr.agent_id = x.agent_id
	LEFT JOIN account ac ON ac.id = pr.account_id
	ORDER BY t.code, x.agent_id IS NULL, x.login;
END
$$;
REVOKE ALL ON FUNCTION agent_metrics(timestamptz, timestamptz, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION agent_metrics(timestamptz, timestamptz, text, boolean)
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin;

-- Contacts (calls and messages sent, as agent_metrics() counts them) per
-- agent and clock hour over [p_from, p_to): the dashboard's sparkline. Hours
-- without any are left out.
CREATE OR REPLACE FUNCTION agent_hourly(p_from timestamptz, p_to timestamptz, p_team text DEFAULT NULL,
                                        p_raw boolean DEFAULT false)
RETURNS TABLE (agent_id bigint, hour timestamptz, contacts bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	agents bigint[];
BEGIN
	IF p_from IS NULL OR p_to IS NULL OR p_to <= p_from THEN
		RAISE EXCEPTION 'a range is a start before its end' USING ERRCODE = '22023';
	END IF;
	SELECT array_agg(a.agent_id) INTO agents FROM metric_agents(p_team) a;
	RETURN QUERY
	SELECT r.agent_id, r.hour, sum(r.calls + r.sms + r.email + r.whatsapp)::bigint
	FROM metric_rows(p_from, p_to, coalesce(agents, '{}'), p_raw) r
	GROUP BY 1, 2 HAVING sum(r.calls + r.sms + r.email + r.whatsapp) > 0
	ORDER BY 1, 2;
END
$$;
REVOKE ALL ON FUNCTION agent_hourly(timestamptz, timestamptz, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION agent_hourly(timestamptz, timestamptz, text, boolean)
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin;
