-- What sending needs besides the outbox itself (023_send_facts.sql): which
-- channels the running cobrods can send, a template's facts tested again at
-- send time, and messages left waiting too long.
-- uses: functions/session.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- A running cobrod says which channels it can send, every few seconds, for
-- p_ttl seconds; p_ttl 0 (a daemon stopping) takes its row away. Not audited
-- and no event: a heartbeat is the daemon's state, not something a person
-- did, and would flood both.
CREATE OR REPLACE FUNCTION daemon_heartbeat(p_worker text, p_channels text[], p_ttl integer)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	IF p_worker IS NULL OR length(p_worker) NOT BETWEEN 1 AND 128 THEN
		RAISE EXCEPTION 'daemon_heartbeat: a worker name of 1 to 128 characters' USING ERRCODE = '22023';
	END IF;
	IF p_ttl IS NULL OR p_ttl NOT BETWEEN 0 AND 3600 THEN
		RAISE EXCEPTION 'daemon_heartbeat: ttl is 0 to 3600 seconds' USING ERRCODE = '22023';
	END IF;
	IF p_ttl = 0 THEN
		DELETE FROM daemon_presence WHERE worker = p_worker;
		RETURN;
	END IF;
	IF p_channels IS NULL OR NOT p_channels <@ ARRAY['sms', 'email', 'whatsapp'] THEN
		RAISE EXCEPTION 'daemon_heartbeat: channels are sms, email, whatsapp' USING ERRCODE = '22023';
	END IF;
	INSERT INTO daemon_presence (worker, channels, seen_at, expires_at)
	VALUES (p_worker, p_channels, now(), now() + make_interval(secs => p_ttl))
	ON CONFLICT (worker) DO UPDATE SET channels = EXCLUDED.channels, seen_at = EXCLUDED.seen_at,
	                                   expires_at = EXCLUDED.expires_at;
END
$$;
REVOKE ALL ON FUNCTION daemon_heartbeat(text, text[], integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION daemon_heartbeat(text, text[], integer) TO cobro_daemon;

-- How many running cobrods can send channel p_channel now: what
-- message_queue() asks before it queues, and the send screen before it
-- offers Enter.
CREATE OR REPLACE FUNCTION channel_senders(p_channel text)
RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
	SELECT count(*)::integer FROM daemon_presence WHERE p_channel = ANY (channels) AND expires_at > now()
$$;
REVOKE ALL ON FUNCTION channel_senders(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION channel_senders(text) TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin,
	cobro_daemon;

-- The facts of each message's account that its template's requirements are
-- tested against at send time (src/core/template.c, template_fits(), which
-- the send screen uses too): the template's requirements as they are now,
-- the debtor's day at p_at, the amount past due and the oldest unpaid date,
-- whether anything is left to pay, the promise a message speaks of (the
-- pending one, else the latest: src/core/outbox.c) and whether there is a
-- payment. Messages without a template or an account come back with no
-- requirements. For cobrod only.
CREATE OR REPLACE FUNCTION message_facts(p_ids bigint[], p_at timestamptz)
RETURNS TABLE (id bigint, requires text[], today text, past_due bigint, oldest_due text, unpaid boolean,
               promise_status text, promise_date text, has_payment boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
	SELECT m.id, coalesce(t.requires, '{}'),
	       to_char((p_at AT TIME ZONE d.time_zone)::date, 'YYYY-MM-DD'),
	       coalesce(a.past_due, 0), coalesce(to_char(a.oldest_due, 'YYYY-MM-DD'), ''),
	       EXISTS (SELECT 1 FROM installment i WHERE i.account_id = a.id AND i.paid < i.amount),
	       coalesce(pr.status, ''), coalesce(to_char(pr.due_date, 'YYYY-MM-DD'), ''),
	       EXISTS (SELECT 1 FROM payment y WHERE y.account_id = a.id)
	FROM message m
	JOIN debtor d ON d.id = m.debtor_id
	LEFT JOIN template t ON t.id = m.template_id
	LEFT JOIN account a ON a.id = m.account_id
	LEFT JOIN LATERAL (SELECT r.status, r.due_date FROM promise r WHERE r.account_id = a.id
	                   ORDER BY r.status = 'pending' DESC, r.created_at DESC, r.id DESC LIMIT 1) pr ON true
	WHERE m.id = ANY (p_ids)
	ORDER BY m.id
$$;
REVOKE ALL ON FUNCTION message_facts(bigint[], timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION message_facts(bigint[], timestamptz) TO cobro_daemon;

-- Messages still queued p_after seconds after they were queued, each marked
-- late once (message.late_at) with a `status late` event in the history, and
-- returned for cobrod's log. A message queued again for a retry keeps its
-- first queueing time: it is late all the same.
CREATE OR REPLACE FUNCTION message_late(p_after integer)
RETURNS TABLE (id bigint, channel text, waited integer, error text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	IF p_after IS NULL OR p_after < 1 THEN
		RAISE EXCEPTION 'message_late: after is at least 1 second' USING ERRCODE = '22023';
	END IF;
	RETURN QUERY
	WITH late AS (
		UPDATE message m SET late_at = now()
		WHERE m.status = 'queued' AND m.late_at IS NULL
		  AND m.created_at < now() - make_interval(secs => p_after)
		RETURNING m.id, m.account_id, m.debtor_id, m.channel, m.created_at, m.error
	), ev AS (
		INSERT INTO event (account_id, debtor_id, kind, outcome, message_id, body, data)
		SELECT l.account_id, l.debtor_id, 'status', 'late', l.id, l.error,
		       jsonb_build_object('channel', l.channel, 'queued_at', l.created_at)
		FROM late l
		RETURNING 1
	)
	SELECT l.id, l.channel, extract(epoch FROM now() - l.created_at)::integer, l.error
	FROM late l ORDER BY l.id;
END
$$;
REVOKE ALL ON FUNCTION message_late(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION message_late(integer) TO cobro_daemon;
