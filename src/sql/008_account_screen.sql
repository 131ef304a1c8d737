-- The account screen in one call: everything it draws and everything the
-- contact policy needs to give its verdicts, in one JSON document, one round
-- trip and one snapshot.
--
-- Before, the workstation prepared the screen's query itself and asked the
-- policy's facts in three more statements. A prepared statement is planned for
-- its parameters five times before PostgreSQL settles on the generic plan, and
-- planning this one (the history spans every monthly partition of event, each
-- with its row-security quals) costs more than running it. A function can say
-- which plan it wants from the first call, as 007 does for the worklist; a
-- session-wide setting would also make the filtered worklist's one-off
-- statements generic, which they must not be.
--
-- SECURITY INVOKER: row-level security filters every table as the logged-in
-- person, so an account they may not see yields NULL. The contact history the
-- policy counts comes from contact_history_many(), which sees the debtor's
-- contacts by every creditor (a rule limits contacts per debtor, not per
-- account) and asks the same question of who may see them as the account's
-- policies do.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE FUNCTION account_screen(p_account bigint, p_limit integer, p_since timestamptz)
RETURNS json
LANGUAGE plpgsql STABLE
SET search_path = cobro, pg_temp
SET plan_cache_mode = force_generic_plan
SET max_parallel_workers_per_gather = 0 AS $$
BEGIN
	-- Each list is ordered inside its aggregate, whose input order is
	-- otherwise unspecified. History is never in the future: saying so lets
	-- the executor skip the months ahead that event_add_partitions() made
	-- (a year of them), which a generic plan cannot prune when it is made.
	-- Events are cut at p_limit per source before they
	-- are merged and anything is joined to them; bodies at 512 characters so a
	-- long e-mail never crosses the wire only to be dropped. Dates go through
	-- to_char so DateStyle cannot change them; times are in the session's zone.
	RETURN (
	SELECT json_build_object(
	 'debtor', json_build_object('id', d.id, 'name', d.name, 'first_name', d.first_name,
	   'national_id', coalesce(d.national_id, ''), 'language', d.language,
	   'jurisdiction', d.jurisdiction, 'time_zone', d.time_zone, 'state', d.state),
	 'next_action_at', coalesce(to_char(a.next_action_at, 'YYYY-MM-DD HH24:MI'), ''),
	 -- What the contact policy judges: the account's state when it is not
	 -- active (a dispute stops every contact), the debtor's otherwise.
	 'policy_state', CASE WHEN a.status <> 'active' THEN a.status ELSE d.state END,
	 'creditor_code', (SELECT cr.code FROM creditor cr WHERE cr.id = a.creditor_id),
	 'lease', (SELECT json_build_object('login', coalesce(g.login, ''), 'name', coalesce(g.name, ''))
	   FROM lease l LEFT JOIN agent g ON g.id = l.agent_id
	   WHERE l.account_id = a.id AND l.expires_at > now()),
	 'points', (SELECT coalesce(json_agg(json_build_object('id', c.id, 'kind', c.kind,
	     'value', c.value, 'consent', array_to_string(c.consent, ','),
	     'opted_out', array_to_string(c.opted_out, ','), 'bad', c.bad_since IS NOT NULL,
	     'primary', c.is_primary) ORDER BY c.is_primary DESC, c.kind, c.id), '[]')
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
	   WHERE x.debtor_id = d.id),
	 'installments', (SELECT coalesce(json_agg(json_build_object('seq', i.seq,
	     'due_date', to_char(i.due_date, 'YYYY-MM-DD'), 'amount', i.amount, 'paid', i.paid)
	     ORDER BY i.seq), '[]')
	   FROM installment i WHERE i.account_id = a.id),
	 'payments', (SELECT coalesce(json_agg(json_build_object(
	     'paid_at', to_char(p.paid_at, 'YYYY-MM-DD HH24:MI'), 'amount', p.amount, 'method', p.method)
	     ORDER BY p.paid_at DESC, p.id DESC), '[]')
	   FROM payment p WHERE p.account_id = a.id),
	 'promises', (SELECT coalesce(json_agg(json_build_object('id', r.id,
	     'created_at', to_char(r.created_at, 'YYYY-MM-DD HH24:MI'),
	     'due_date', to_char(r.due_date, 'YYYY-MM-DD'), 'amount', r.amount, 'discount', r.discount,
	     'status', r.status, 'channel', r.channel, 'agent', coalesce(g.login, ''))
	     ORDER BY r.created_at DESC, r.id DESC), '[]')
	   FROM promise r LEFT JOIN agent g ON g.id = r.agent_id
	   WHERE r.account_id = a.id),
	 'events', (SELECT coalesce(json_agg(json_build_object('id', e.id,
	     'at', to_char(e.at, 'YYYY-MM-DD HH24:MI'), 'kind', e.kind,
	     'direction', coalesce(e.direction, ''), 'outcome', coalesce(e.outcome, ''),
	     'agent', coalesce(g.login, ''), 'body', coalesce(left(e.body, 512), ''),
	     'message_status', coalesce(m.status, ''), 'amount', coalesce(e.amount, 0))
	     ORDER BY e.at DESC, e.id DESC), '[]')
	   FROM ((SELECT id, at, kind, direction, outcome, agent_id, body, message_id, amount
	          FROM event WHERE account_id = a.id AND at < now() + interval '1 day'
	          ORDER BY at DESC, id DESC LIMIT p_limit)
	         UNION ALL
	         (SELECT id, at, kind, direction, outcome, agent_id, body, message_id, amount
	          FROM event WHERE debtor_id = d.id AND account_id IS NULL AND at < now() + interval '1 day'
	          ORDER BY at DESC, id DESC LIMIT p_limit)
	         ORDER BY at DESC, id DESC LIMIT p_limit) e
	   LEFT JOIN message m ON m.id = e.message_id
	   LEFT JOIN agent g ON g.id = e.agent_id),
	 -- The contacts the policy counts, oldest first: [epoch, channel, kind,
	 -- debt, creditor], arrays rather than objects to keep a year of them small.
	 'contacts', (SELECT coalesce(json_agg(json_build_array(extract(epoch FROM h.at)::bigint,
	     h.channel, h.kind, coalesce(h.debt, ''), coalesce(h.creditor, '')) ORDER BY h.at), '[]')
	   FROM contact_history_many(ARRAY[d.id], p_since) h))
	FROM account a JOIN debtor d ON d.id = a.debtor_id
	WHERE a.id = p_account);
END
$$;
-- A generic plan for one debtor's history does not know how few rows it
-- will find, and on a big table would start parallel workers for it: their
-- start-up alone is some 60 ms, against a millisecond for the whole scan.
ALTER FUNCTION contact_history_many(bigint[], timestamptz) SET max_parallel_workers_per_gather = 0;

REVOKE ALL ON FUNCTION account_screen(bigint, integer, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION account_screen(bigint, integer, timestamptz)
	TO cobro_collector, cobro_supervisor, cobro_admin, cobro_daemon;
