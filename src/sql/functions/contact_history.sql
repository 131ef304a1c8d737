-- What counts as a contact, in one place: the contact history the policy
-- engine needs (every contact with the person, on all their accounts,
-- whoever works them: a cap "per person" counts them all), but only when,
-- how and about which debt: no bodies, no notes. Row-level security would
-- hide a colleague's accounts, so contact_events() is SECURITY DEFINER and
-- checks itself that the caller may see each debtor at all.
-- uses: functions/session.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- The contacts of many debtors since p_since, with the message each one was:
-- the dispatcher re-checks a message against its debtor's contacts except
-- itself. A message counts from the moment it is queued (two collectors
-- cannot both send today's one SMS) until it fails or is refused. One scan
-- of each month's index for a page of debtors costs far less than one per
-- debtor. Its best plan does not depend on the arguments, so it takes the
-- generic plan from the first call (PostgreSQL would otherwise plan the first
-- five calls anew, each over every monthly partition, and planning costs more
-- than running it), without parallel workers, whose start-up alone is some
-- 60 ms against a millisecond for the whole scan of one debtor's history.
CREATE OR REPLACE FUNCTION contact_events(p_debtors bigint[], p_since timestamptz)
RETURNS TABLE (debtor_id bigint, at timestamptz, channel text, kind text, debt text, creditor text,
               message_id bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp
SET plan_cache_mode = force_generic_plan SET max_parallel_workers_per_gather = 0 AS $$
BEGIN
	IF NOT (i_am('cobro_admin') OR i_am('cobro_daemon')) AND EXISTS (
	    SELECT 1 FROM unnest(p_debtors) AS x(id)
	    WHERE NOT EXISTS (SELECT 1 FROM account a
	                      WHERE a.debtor_id = x.id AND a.team_id = my_team_id()
	                        AND (a.agent_id = my_agent_id() OR i_am('cobro_supervisor')))) THEN
		RAISE EXCEPTION 'no such debtor' USING ERRCODE = '42501';
	END IF;
	RETURN QUERY
	SELECT e.debtor_id, e.at, e.kind,
	       CASE WHEN e.kind = 'call' AND e.outcome = 'right_party' THEN 'conversation'
	            WHEN e.kind = 'call' THEN 'placed'
	            WHEN e.kind = 'visit' AND e.outcome = 'right_party' THEN 'conversation'
	            WHEN e.kind = 'visit' THEN 'attempt'
	            ELSE 'sent' END,
	       a.reference, c.code, e.message_id
	FROM event e
	LEFT JOIN account a ON a.id = e.account_id
	LEFT JOIN creditor c ON c.id = a.creditor_id
	LEFT JOIN message m ON m.id = e.message_id
	WHERE e.debtor_id = ANY (p_debtors) AND e.at >= p_since
	  AND ((e.kind IN ('call', 'visit') AND e.direction IS DISTINCT FROM 'in')
	       OR (e.kind IN ('sms', 'email', 'whatsapp', 'letter') AND e.direction = 'out'
	           AND coalesce(e.outcome, '') NOT IN ('failed', 'refused')
	           AND coalesce(m.status, '') NOT IN ('failed', 'refused')));
END
$$;
REVOKE ALL ON FUNCTION contact_events(bigint[], timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contact_events(bigint[], timestamptz)
	TO cobro_collector, cobro_supervisor, cobro_admin, cobro_daemon;

-- contact_events() without the message: what the worklist and the account
-- screen judge a page of accounts by, in one round trip.
CREATE OR REPLACE FUNCTION contact_history_many(p_debtors bigint[], p_since timestamptz)
RETURNS TABLE (debtor_id bigint, at timestamptz, channel text, kind text, debt text, creditor text)
LANGUAGE sql STABLE AS $$
	SELECT h.debtor_id, h.at, h.channel, h.kind, h.debt, h.creditor
	FROM cobro.contact_events(p_debtors, p_since) h
$$;
REVOKE ALL ON FUNCTION contact_history_many(bigint[], timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contact_history_many(bigint[], timestamptz)
	TO cobro_collector, cobro_supervisor, cobro_admin, cobro_daemon;

-- One debtor's: one text for the rule of who may ask and for what counts as
-- a contact of each kind.
CREATE OR REPLACE FUNCTION contact_history(p_debtor bigint, p_since timestamptz)
RETURNS TABLE (at timestamptz, channel text, kind text, debt text, creditor text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
	SELECT h.at, h.channel, h.kind, h.debt, h.creditor FROM contact_history_many(ARRAY[p_debtor], p_since) h
$$;
REVOKE ALL ON FUNCTION contact_history(bigint, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contact_history(bigint, timestamptz)
	TO cobro_collector, cobro_supervisor, cobro_admin, cobro_daemon;
