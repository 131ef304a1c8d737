-- The account screen in one call: everything it draws and everything the
-- contact policy needs to give its verdicts, in one JSON document, one round
-- trip and one snapshot (src/core/account.c reads it).
--
-- A function, not a statement the workstation prepares: a prepared statement
-- is planned for its parameters five times before PostgreSQL settles on the
-- generic plan, and planning this one (the history spans every monthly
-- partition of event) costs more than running it. The function asks for the
-- generic plan from the first call; a session-wide setting would also make
-- the filtered worklist's one-off statements generic, which they must not be.
-- Without parallel workers: a generic plan for one debtor's history does not
-- know how few rows it will find, and their start-up alone is some 60 ms.
--
-- It runs as the owner and decides who may see what once, not in every
-- subquery: under row-level security each of its dozen table references was
-- an EXISTS over account and the helper functions again, some 0.75 ms of the
-- 1.75 ms the call took on the 1,000,000-account portfolio. It applies the
-- rules of the policies (003_security.sql, 005_workstation.sql) itself;
-- tests/dbc/test_account.c checks, account by account and person by person,
-- that it returns exactly what the same document returns under row-level
-- security:
--   * the account: admins and the daemon see all; a supervisor the team's;
--     a collector their own in their team. An account they may not see is
--     NULL.
--   * what hangs off a visible account (its debtor, the debtor's contact
--     points and debtor-wide events, its installments, payments, promises,
--     events and lease) is visible with it;
--   * the debtor's other accounts, each by the rule for accounts;
--   * an agent's login (who holds the lease, made a promise, logged an
--     event, owns an account): admins and the daemon see all, collectors
--     and supervisors their team's, as agent's own_team policy says;
--   * a message's status, by its account, or by its debtor when it has none.
-- The contacts the policy counts come from contact_history_many(), which
-- checks for itself, and sees the debtor's contacts by every creditor (a
-- rule limits contacts per debtor, not per account).
--
-- The lease is read by a statement of its own. PostgreSQL keeps a
-- function's plan until a table it reads is analysed or vacuumed, and the
-- lease table is tiny and busy (every account opened and left writes it):
-- autovacuum analyses it every minute or so, and each time every session's
-- screen statement was planned again on its next use, 15 to 30 ms on the
-- 1,000,000-account portfolio, most of it the history's partitions.
-- uses: functions/session.sql functions/contact_history.sql functions/policy_state.sql functions/promise_plan.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE OR REPLACE FUNCTION account_screen(p_account bigint, p_limit integer, p_since timestamptz)
RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = cobro, pg_temp
SET plan_cache_mode = force_generic_plan
SET max_parallel_workers_per_gather = 0 AS $$
DECLARE
	me       bigint := my_agent_id();
	my_team  bigint := my_team_id();
	all_rows boolean := i_am('cobro_admin') OR i_am('cobro_daemon');
	team     boolean := i_am('cobro_supervisor');
	own      boolean := i_am('cobro_collector');
	holder   json;
BEGIN
	-- Who holds the lease, read on its own (the top of this file says why). For
	-- an account the caller may not see the statement below returns NULL,
	-- so this is never shown to them.
	SELECT json_build_object('login', coalesce(g.login, ''), 'name', coalesce(g.name, '')) INTO holder
	FROM lease l LEFT JOIN agent g ON g.id = l.agent_id
	     AND (all_rows OR ((own OR team) AND g.team_id = my_team))
	WHERE l.account_id = p_account AND l.expires_at > now();
	-- Each list is ordered inside its aggregate, whose input order is
	-- otherwise unspecified. History is never in the future: saying so lets
	-- the executor skip the months ahead that cobrod keeps ready, which a
	-- generic plan cannot prune when it is made. Events are cut at p_limit
	-- per source before they are merged and anything is joined to them;
	-- bodies at 512 characters so a long e-mail never crosses the wire only
	-- to be dropped. Dates go through to_char so DateStyle cannot change
	-- them; times are in the session's zone.
	RETURN (
	SELECT json_build_object(
	 'debtor', json_build_object('id', d.id, 'name', d.name, 'first_name', d.first_name,
	   'national_id', coalesce(d.national_id, ''), 'language', d.language,
	   'jurisdiction', d.jurisdiction, 'time_zone', d.time_zone, 'state', d.state),
	 'next_action_at', coalesce(to_char(a.next_action_at, 'YYYY-MM-DD HH24:MI'), ''),
	 'policy_state', policy_state(a.status, d.state),
	 'creditor_code', (SELECT cr.code FROM creditor cr WHERE cr.id = a.creditor_id),
	 'lease', holder,
	 -- Where the account stands in its strategy (031_strategies.sql), or
	 -- NULL when no run has placed it yet.
	 'strategy', (SELECT json_build_object('segment', s.segment, 'ladder', coalesce(s.ladder, ''),
	     'variant', coalesce(s.variant, ''), 'state', s.state, 'state_reason', coalesce(s.state_reason, ''),
	     'last_step', coalesce(s.last_step, ''),
	     'last_step_at', coalesce(to_char(s.last_step_at, 'YYYY-MM-DD'), ''),
	     'next_step', coalesce(s.next_step, ''),
	     'next_step_on', coalesce(to_char(s.next_step_on, 'YYYY-MM-DD'), ''))
	   FROM account_strategy s WHERE s.account_id = a.id),
	 'points', (SELECT coalesce(json_agg(json_build_object('id', c.id, 'kind', c.kind,
	     'value', c.value, 'consent', array_to_string(c.consent, ','),
	     'opted_out', array_to_string(c.opted_out, ','), 'bad', c.bad_since IS NOT NULL,
	     'primary', c.is_primary, 'proposal', coalesce(c.proposal, '')) ORDER BY c.is_primary DESC, c.kind, c.id), '[]')
	   FROM contact_point c WHERE c.debtor_id = d.id),
	 'accounts', (SELECT coalesce(json_agg(json_build_object('id', x.id, 'reference', x.reference,
	     'creditor', cr.name, 'product', x.product, 'currency', x.currency,
	     'balance', x.balance, 'past_due', x.past_due,
	     'dpd', coalesce(greatest(0, current_date - x.oldest_due), 0),
	     'status', x.status, 'segment', x.segment, 'agent', coalesce(g.login, ''),
	     'oldest_due', coalesce(to_char(x.oldest_due, 'YYYY-MM-DD'), ''),
	     'pay_link', coalesce(cr.pay_link || x.reference, ''))
	     ORDER BY x.id), '[]')
	   FROM account x JOIN creditor cr ON cr.id = x.creditor_id
	   LEFT JOIN agent g ON g.id = x.agent_id
	        AND (all_rows OR ((own OR team) AND g.team_id = my_team))
	   WHERE x.debtor_id = d.id
	     AND (all_rows OR (team AND x.team_id = my_team)
	          OR (own AND x.agent_id = me AND x.team_id = my_team))),
	 'installments', (SELECT coalesce(json_agg(json_build_object('seq', i.seq,
	     'due_date', to_char(i.due_date, 'YYYY-MM-DD'), 'amount', i.amount, 'paid', i.paid)
	     ORDER BY i.seq), '[]')
	   FROM installment i WHERE i.account_id = a.id),
	 'payments', (SELECT coalesce(json_agg(json_build_object(
	     'paid_at', to_char(p.paid_at, 'YYYY-MM-DD HH24:MI'), 'amount', p.amount, 'method', p.method)
	     ORDER BY p.paid_at DESC, p.id DESC), '[]')
	   FROM payment p WHERE p.account_id = a.id),
	 -- Each promise with its plan (024_promises.sql, docs/promises.md):
	 -- who decided on it if it waited for approval, and why; due_today when
	 -- it is pending and its next installment not covered falls on the
	 -- debtor's today.
	 'promises', (SELECT coalesce(json_agg(json_build_object('id', r.id,
	     'created_at', to_char(r.created_at, 'YYYY-MM-DD HH24:MI'),
	     'due_date', to_char(r.due_date, 'YYYY-MM-DD'), 'amount', r.amount, 'discount', r.discount,
	     'status', r.status, 'channel', r.channel, 'agent', coalesce(g.login, ''),
	     'frequency', r.frequency, 'installments', r.installments, 'grace_days', r.grace_days,
	     'paid', r.paid, 'reasons', to_json(r.reasons), 'decided_by', coalesce(k.login, ''),
	     'decided_at', coalesce(to_char(r.decided_at, 'YYYY-MM-DD HH24:MI'), ''),
	     'decision_reason', coalesce(r.decision_reason, ''),
	     'replaced_by', r.replaced_by,
	     'next_due', coalesce(to_char(n.next_due, 'YYYY-MM-DD'), ''),
	     'due_today', r.status = 'pending' AND n.next_due = zone_date(d.time_zone, now()),
	     'plan', (SELECT coalesce(json_agg(json_build_object('seq', i.seq,
	                  'due_date', to_char(i.due_date, 'YYYY-MM-DD'), 'amount', i.amount, 'paid', i.paid,
	                  'status', i.status) ORDER BY i.seq), '[]')
	              FROM promise_installment i WHERE i.promise_id = r.id))
	     ORDER BY r.created_at DESC, r.id DESC), '[]')
	   FROM promise r LEFT JOIN agent g ON g.id = r.agent_id
	        AND (all_rows OR ((own OR team) AND g.team_id = my_team))
	   LEFT JOIN agent k ON k.id = r.decided_by
	        AND (all_rows OR ((own OR team) AND k.team_id = my_team))
	   LEFT JOIN LATERAL (SELECT min(i.due_date) AS next_due FROM promise_installment i
	                      WHERE i.promise_id = r.id AND i.paid < i.amount) n ON true
	   WHERE r.account_id = a.id),
	 'events', (SELECT coalesce(json_agg(json_build_object('id', e.id,
	     'at', to_char(e.at, 'YYYY-MM-DD HH24:MI'), 'kind', e.kind,
	     'direction', coalesce(e.direction, ''), 'outcome', coalesce(e.outcome, ''),
	     'agent', coalesce(g.login, ''), 'body', coalesce(left(e.body, 512), ''),
	     -- A message cobrod found waiting longer than outbox.late_after, and
	     -- still waiting, reads "late" (023_send_facts.sql).
	     'message_status', coalesce(CASE WHEN m.status = 'queued' AND m.late_at IS NOT NULL THEN 'late'
	                                     ELSE m.status END, ''),
	     'amount', coalesce(e.amount, 0),
	     -- A callback's moment: "due" and the zone it was typed in, as the
	     -- workstation writes it; "at", on the debtor's clock, as imports do.
	     'due', CASE WHEN e.kind = 'callback'
	                 THEN extract(epoch FROM coalesce(e.data->>'due', e.data->>'at')::timestamptz)::bigint END,
	     'zone', CASE WHEN e.kind = 'callback' THEN coalesce(e.data->>'zone', d.time_zone) END)
	     ORDER BY e.at DESC, e.id DESC), '[]')
	   FROM ((SELECT id, at, kind, direction, outcome, agent_id, body, message_id, amount, data
	          FROM event WHERE account_id = a.id AND at < now() + interval '1 day'
	          ORDER BY at DESC, id DESC LIMIT p_limit)
	         UNION ALL
	         (SELECT id, at, kind, direction, outcome, agent_id, body, message_id, amount, data
	          FROM event WHERE debtor_id = d.id AND account_id IS NULL AND at < now() + interval '1 day'
	          ORDER BY at DESC, id DESC LIMIT p_limit)
	         ORDER BY at DESC, id DESC LIMIT p_limit) e
	   LEFT JOIN message m ON m.id = e.message_id
	        AND (m.account_id = a.id
	             OR (m.account_id IS NULL AND EXISTS (SELECT 1 FROM account y WHERE y.debtor_id = m.debtor_id
	                   AND (all_rows OR (team AND y.team_id = my_team)
	                        OR (own AND y.agent_id = me AND y.team_id = my_team))))
	             OR EXISTS (SELECT 1 FROM account y WHERE y.id = m.account_id
	                   AND (all_rows OR (team AND y.team_id = my_team)
	                        OR (own AND y.agent_id = me AND y.team_id = my_team))))
	   LEFT JOIN agent g ON g.id = e.agent_id
	        AND (all_rows OR ((own OR team) AND g.team_id = my_team))),
	 'contacts', (SELECT coalesce(json_agg(json_build_array(extract(epoch FROM h.at)::bigint,
	     h.channel, h.kind, coalesce(h.debt, ''), coalesce(h.creditor, '')) ORDER BY h.at), '[]')
	   FROM contact_history_many(ARRAY[d.id], p_since) h))
	FROM account a JOIN debtor d ON d.id = a.debtor_id
	WHERE a.id = p_account
	  AND (all_rows OR (team AND a.team_id = my_team)
	       OR (own AND a.agent_id = me AND a.team_id = my_team)));
END
$$;
REVOKE ALL ON FUNCTION account_screen(bigint, integer, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION account_screen(bigint, integer, timestamptz)
	TO cobro_collector, cobro_supervisor, cobro_admin, cobro_daemon;
