-- A collector's worklist page, read in index order: all their workable
-- accounts by stored rank (account_worklist_idx), and the same for the two
-- sets that jump ahead, a callback due and a promise due or broken
-- (account_worklist_callback_idx, account_worklist_promise_idx).
-- uses: functions/session.sql functions/priority.sql functions/promise_shown.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- The caller's worklist page, p_offset and p_limit, under the weights of their
-- cobro.conf; the last column counts all their workable accounts.
--
-- priority_total() is callback bonus + promise bonus + rank_value - contact
-- cost, and within each of the four combinations of bonuses the order is
-- rank_value's. So every account of the page is among the first p_offset +
-- p_limit by rank_value of its own combination, and those are the
-- candidates: four short index scans instead of ranking thousands of
-- accounts.
--
-- It runs with the owner's rights so the debtor is read by key, not through
-- row security's per-row check; the WHERE below is collector_own's rule
-- (003_security.sql): the caller's own accounts, in the caller's own team.
-- Its plan is made once per session: PostgreSQL would plan the first five
-- calls anew, and on a 1,000,000-account database planning the four index
-- scans costs more than running them; the best plan does not depend on the
-- arguments (an agent's accounts).
CREATE OR REPLACE FUNCTION worklist_page(p_offset integer, p_limit integer,
                                         p_callback float8, p_promise float8, p_cost float8)
RETURNS TABLE (id bigint, debtor text, reference text, dpd integer, balance bigint, currency text,
               promise text, last_contact text, segment text, jurisdiction text, workable bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp
SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
DECLARE
	me bigint := my_agent_id();
	team bigint := my_team_id();
	k integer := p_offset + p_limit;
BEGIN
	RETURN QUERY
	WITH c AS (
		(SELECT a.id, a.next_action_at, a.promise_due, a.rank_value FROM account a
		 WHERE a.agent_id = me AND a.team_id = team AND a.workable
		 ORDER BY a.rank_value DESC, a.id LIMIT k)
		UNION
		(SELECT a.id, a.next_action_at, a.promise_due, a.rank_value FROM account a
		 WHERE a.agent_id = me AND a.team_id = team AND a.workable
		   AND priority_callback_due(a.next_action_at)
		 ORDER BY a.rank_value DESC, a.id LIMIT k)
		UNION
		(SELECT a.id, a.next_action_at, a.promise_due, a.rank_value FROM account a
		 WHERE a.agent_id = me AND a.team_id = team AND a.workable
		   AND priority_promise_due(a.promise_due)
		 ORDER BY a.rank_value DESC, a.id LIMIT k)
		UNION
		(SELECT a.id, a.next_action_at, a.promise_due, a.rank_value FROM account a
		 WHERE a.agent_id = me AND a.team_id = team AND a.workable
		   AND priority_callback_due(a.next_action_at) AND priority_promise_due(a.promise_due)
		 ORDER BY a.rank_value DESC, a.id LIMIT k)
	), t AS (
		SELECT c.id, priority_total(c.next_action_at, c.promise_due, c.rank_value,
		                            p_callback, p_promise, p_cost) AS total
		FROM c ORDER BY total DESC, c.id OFFSET p_offset LIMIT p_limit
	)
	SELECT a.id, d.name, a.reference, greatest(0, current_date - a.oldest_due), a.balance, a.currency::text,
	       promise_shown(a.promise_status, a.promise_due, d.time_zone), coalesce(to_char(a.last_contact_at, 'YYYY-MM-DD HH24:MI'), ''),
	       a.segment, d.jurisdiction,
	       (SELECT count(*) FROM account w WHERE w.agent_id = me AND w.team_id = team AND w.workable)
	FROM t JOIN account a ON a.id = t.id JOIN debtor d ON d.id = a.debtor_id
	ORDER BY t.total DESC, t.id;
END
$$;
REVOKE ALL ON FUNCTION worklist_page(integer, integer, float8, float8, float8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION worklist_page(integer, integer, float8, float8, float8)
	TO cobro_collector, cobro_supervisor, cobro_admin;
