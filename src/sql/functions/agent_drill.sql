-- The dashboard's drill-down (issue 17, line 3): one agent's worklist and
-- recent events, read by their supervisor or lead, or an admin, and by
-- nobody else. The agents one may read are metric_agents()'s, the same as
-- the figures': a collector is refused (42501), a supervisor reads only her
-- own team. Read only: the account screen, opened from here, decides what
-- the reader may do to an account (functions/lease.sql).
-- uses: functions/session.sql functions/metrics.sql functions/promise_shown.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- Raises 42501 unless the caller may read p_agent's figures.
CREATE OR REPLACE FUNCTION drill_check(p_agent bigint) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM metric_agents(NULL) a WHERE a.agent_id = p_agent) THEN
		RAISE EXCEPTION 'only the agents of your own team' USING ERRCODE = '42501';
	END IF;
END
$$;
REVOKE ALL ON FUNCTION drill_check(bigint) FROM PUBLIC;

-- p_agent's workable accounts in their stored rank order (the worklist's
-- order before the bonuses of a callback or promise due, which depend on
-- the collector's own cobro.conf), at most p_limit; total counts them all.
CREATE OR REPLACE FUNCTION agent_worklist(p_agent bigint, p_limit integer)
RETURNS TABLE (id bigint, debtor text, reference text, dpd integer, balance bigint, currency text,
               promise text, last_contact text, total bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
#variable_conflict use_column
BEGIN
	PERFORM drill_check(p_agent);
	RETURN QUERY
	SELECT a.id, d.name, a.reference, greatest(0, current_date - a.oldest_due), a.balance, a.currency::text,
	       promise_shown(a.promise_status, a.promise_due, d.time_zone),
	       coalesce(to_char(a.last_contact_at, 'YYYY-MM-DD HH24:MI'), ''), count(*) OVER ()
	FROM account a JOIN debtor d ON d.id = a.debtor_id
	WHERE a.agent_id = p_agent AND a.team_id = agent_team(p_agent) AND a.workable
	ORDER BY a.rank_value DESC, a.id
	LIMIT greatest(0, least(p_limit, 1000));
END
$$;
REVOKE ALL ON FUNCTION agent_worklist(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION agent_worklist(bigint, integer)
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin;

-- p_agent's newest events, at most p_limit: what they did, on which account.
CREATE OR REPLACE FUNCTION agent_events(p_agent bigint, p_limit integer)
RETURNS TABLE (at text, account_id bigint, reference text, kind text, direction text, outcome text,
               amount bigint, currency text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
#variable_conflict use_column
BEGIN
	PERFORM drill_check(p_agent);
	RETURN QUERY
	SELECT to_char(e.at, 'YYYY-MM-DD HH24:MI'), e.account_id, coalesce(a.reference, ''), e.kind,
	       coalesce(e.direction, ''), coalesce(e.outcome, ''), e.amount, coalesce(a.currency::text, '')
	FROM (SELECT * FROM event x WHERE x.agent_id = p_agent ORDER BY x.at DESC, x.id DESC
	      LIMIT greatest(0, least(p_limit, 1000))) e
	LEFT JOIN account a ON a.id = e.account_id
	ORDER BY e.at DESC, e.id DESC;
END
$$;
REVOKE ALL ON FUNCTION agent_events(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION agent_events(bigint, integer)
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin;
