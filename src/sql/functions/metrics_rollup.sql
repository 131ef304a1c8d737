-- The rollup of the agents' figures (027_presence_metrics.sql; what each
-- counter means is docs/metrics.md's). metric_event_rows() is the one place
-- that says which event counts for which counter: the triggers roll up the
-- rows an INSERT wrote through it, agent_metrics() reads the partial hours
-- at a range's edges through it, and metric_rebuild() rebuilds from it.
-- Events are never updated or deleted (docs/schema.md); an archived
-- partition leaves its figures in the rollup.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- The counters of each agent's event of p_events (a jsonb array of event
-- rows, as to_jsonb(event) writes them), per hour and account.
CREATE OR REPLACE FUNCTION metric_event_rows(p_from timestamptz, p_to timestamptz, p_agents bigint[])
RETURNS TABLE (hour timestamptz, agent_id bigint, account_id bigint, actions integer, calls integer,
               rpc integer, promises integer, promise_amount bigint, kept_amount bigint, sms integer,
               email integer, whatsapp integer, kept integer, broken integer)
LANGUAGE plpgsql STABLE SET search_path = cobro, pg_temp SET plan_cache_mode = force_custom_plan AS $$
BEGIN
	RETURN QUERY
	SELECT date_trunc('hour', e.at), e.agent_id, coalesce(e.account_id, 0),
	       count(*) FILTER (WHERE (e.kind IN ('call', 'sms', 'email', 'whatsapp', 'letter', 'visit', 'note', 'callback')
	                               AND e.direction IS DISTINCT FROM 'in')
	                              OR (e.kind = 'promise' AND e.outcome IN ('created', 'pending', 'awaiting_approval')))::integer,
	       count(*) FILTER (WHERE e.kind = 'call' AND e.direction IS DISTINCT FROM 'in')::integer,
	       count(*) FILTER (WHERE e.kind = 'call' AND e.direction IS DISTINCT FROM 'in'
	                              AND e.outcome = 'right_party')::integer,
	       count(*) FILTER (WHERE e.kind = 'promise' AND e.outcome IN ('created', 'pending', 'awaiting_approval'))::integer,
	       coalesce(sum(e.amount) FILTER (WHERE e.kind = 'promise' AND e.outcome IN ('created', 'pending', 'awaiting_approval')), 0)::bigint,
	       coalesce(sum(e.amount) FILTER (WHERE e.kind = 'promise' AND e.outcome = 'kept'), 0)::bigint,
	       count(*) FILTER (WHERE e.kind = 'sms' AND e.direction = 'out')::integer,
	       count(*) FILTER (WHERE e.kind = 'email' AND e.direction = 'out')::integer,
	       count(*) FILTER (WHERE e.kind = 'whatsapp' AND e.direction = 'out')::integer,
	       count(*) FILTER (WHERE e.kind = 'promise' AND e.outcome = 'kept')::integer,
	       count(*) FILTER (WHERE e.kind = 'promise' AND e.outcome = 'broken')::integer
	FROM event e
	WHERE e.at >= p_from AND e.at < p_to AND e.agent_id IS NOT NULL
	  AND (p_agents IS NULL OR e.agent_id = ANY (p_agents))
	GROUP BY 1, 2, 3;
END
$$;
REVOKE ALL ON FUNCTION metric_event_rows(timestamptz, timestamptz, bigint[]) FROM PUBLIC;

-- The same counters for the rows one statement inserted (the trigger's
-- transition table has no name a function could take, so the query is
-- written out here the same way; tests/dbc/test_metrics.c holds both to
-- the same result).
CREATE OR REPLACE FUNCTION metric_rollup_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	WITH c AS (
		SELECT date_trunc('hour', e.at) AS hour, e.agent_id, coalesce(e.account_id, 0) AS account_id,
		       count(*) FILTER (WHERE (e.kind IN ('call', 'sms', 'email', 'whatsapp', 'letter', 'visit', 'note', 'callback')
		                               AND e.direction IS DISTINCT FROM 'in')
		                              OR (e.kind = 'promise' AND e.outcome IN ('created', 'pending', 'awaiting_approval'))) AS actions,
		       count(*) FILTER (WHERE e.kind = 'call' AND e.direction IS DISTINCT FROM 'in') AS calls,
		       count(*) FILTER (WHERE e.kind = 'call' AND e.direction IS DISTINCT FROM 'in'
		                              AND e.outcome = 'right_party') AS rpc,
		       count(*) FILTER (WHERE e.kind = 'promise' AND e.outcome IN ('created', 'pending', 'awaiting_approval')) AS promises,
		       coalesce(sum(e.amount) FILTER (WHERE e.kind = 'promise' AND e.outcome IN ('created', 'pending', 'awaiting_approval')), 0) AS promise_amount,
		       coalesce(sum(e.amount) FILTER (WHERE e.kind = 'promise' AND e.outcome = 'kept'), 0) AS kept_amount,
		       count(*) FILTER (WHERE e.kind = 'sms' AND e.direction = 'out') AS sms,
		       count(*) FILTER (WHERE e.kind = 'email' AND e.direction = 'out') AS email,
		       count(*) FILTER (WHERE e.kind = 'whatsapp' AND e.direction = 'out') AS whatsapp,
		       count(*) FILTER (WHERE e.kind = 'promise' AND e.outcome = 'kept') AS kept,
		       count(*) FILTER (WHERE e.kind = 'promise' AND e.outcome = 'broken') AS broken
		FROM new_rows e
		WHERE e.agent_id IS NOT NULL
		GROUP BY 1, 2, 3
	), r AS (
		INSERT INTO metric_resolve_hour AS m (hour, agent_id, kept, broken)
		SELECT c.hour, c.agent_id, sum(c.kept), sum(c.broken) FROM c
		WHERE c.kept + c.broken > 0 GROUP BY 1, 2
		ON CONFLICT (hour, agent_id) DO UPDATE SET kept = m.kept + EXCLUDED.kept, broken = m.broken + EXCLUDED.broken
	)
	INSERT INTO metric_hour AS m (hour, agent_id, account_id, actions, calls, rpc, promises, promise_amount,
	                              kept_amount, sms, email, whatsapp)
	SELECT c.hour, c.agent_id, c.account_id, c.actions, c.calls, c.rpc, c.promises, c.promise_amount,
	       c.kept_amount, c.sms, c.email, c.whatsapp
	FROM c
	WHERE c.actions + c.calls + c.promises + c.kept_amount + c.sms + c.email + c.whatsapp > 0
	ORDER BY 1, 2, 3   -- one lock order: two writers of one row never deadlock
	ON CONFLICT (hour, agent_id, account_id) DO UPDATE
	SET actions = m.actions + EXCLUDED.actions, calls = m.calls + EXCLUDED.calls, rpc = m.rpc + EXCLUDED.rpc,
	    promises = m.promises + EXCLUDED.promises, promise_amount = m.promise_amount + EXCLUDED.promise_amount,
	    kept_amount = m.kept_amount + EXCLUDED.kept_amount, sms = m.sms + EXCLUDED.sms,
	    email = m.email + EXCLUDED.email, whatsapp = m.whatsapp + EXCLUDED.whatsapp;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION metric_rollup_event() FROM PUBLIC;

-- A visit counts in the hour it began.
CREATE OR REPLACE FUNCTION metric_rollup_visit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	INSERT INTO metric_hour AS m (hour, agent_id, account_id, visits, seconds)
	SELECT date_trunc('hour', v.started_at), v.agent_id, v.account_id, count(*),
	       sum(floor(extract(epoch FROM v.ended_at - v.started_at)))::bigint
	FROM new_rows v GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
	ON CONFLICT (hour, agent_id, account_id) DO UPDATE
	SET visits = m.visits + EXCLUDED.visits, seconds = m.seconds + EXCLUDED.seconds;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION metric_rollup_visit() FROM PUBLIC;

-- The rollup recomputed from the raw history (after a load that bypassed
-- the triggers, or to reconcile). Owner and superuser only.
CREATE OR REPLACE FUNCTION metric_rebuild() RETURNS bigint
LANGUAGE plpgsql SET search_path = cobro, pg_temp AS $$
DECLARE
	n bigint;
BEGIN
	LOCK TABLE metric_hour, metric_resolve_hour IN EXCLUSIVE MODE;
	TRUNCATE metric_hour, metric_resolve_hour;
	INSERT INTO metric_resolve_hour (hour, agent_id, kept, broken)
	SELECT r.hour, r.agent_id, sum(r.kept), sum(r.broken)
	FROM metric_event_rows('-infinity', 'infinity', NULL) r WHERE r.kept + r.broken > 0 GROUP BY 1, 2;
	INSERT INTO metric_hour (hour, agent_id, account_id, actions, calls, rpc, promises, promise_amount,
	                         kept_amount, sms, email, whatsapp, visits, seconds)
	SELECT coalesce(r.hour, v.hour), coalesce(r.agent_id, v.agent_id), coalesce(r.account_id, v.account_id),
	       coalesce(r.actions, 0), coalesce(r.calls, 0), coalesce(r.rpc, 0), coalesce(r.promises, 0),
	       coalesce(r.promise_amount, 0), coalesce(r.kept_amount, 0), coalesce(r.sms, 0), coalesce(r.email, 0),
	       coalesce(r.whatsapp, 0), coalesce(v.visits, 0), coalesce(v.seconds, 0)
	FROM (SELECT * FROM metric_event_rows('-infinity', 'infinity', NULL) x
	      WHERE x.actions + x.calls + x.promises + x.kept_amount + x.sms + x.email + x.whatsapp > 0) r
	FULL JOIN (SELECT date_trunc('hour', started_at) AS hour, agent_id, account_id, count(*)::integer AS visits,
	                  sum(floor(extract(epoch FROM ended_at - started_at)))::bigint AS seconds
	           FROM account_visit GROUP BY 1, 2, 3) v
	  ON v.hour = r.hour AND v.agent_id = r.agent_id AND v.account_id = r.account_id;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION metric_rebuild() FROM PUBLIC;
