-- Delivery reports, as cobrod's listener hears them from a gateway that
-- proved who it is (its callback secret: src/cobrod/listener.c). The gateway
-- may only speak of messages it was given: of the channel it sends, and
-- handed to it (sending or sent). Its free text (Kannel's %A, the operator's
-- answer) is not taken at all: only the status code is recorded.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;


-- A delivery report from the gateway of channel p_channel (NULL: a gateway
-- that sends nothing now). Returns what it did:
--   'unknown'   no such message: the caller answers 404, nothing changes;
--   'refused'   not a message this gateway could have: another channel's,
--               still queued, refused by the policy, or failed before it
--               was handed over; nothing changes;
--   'delivered', 'failed'  the report's final word, recorded with an event;
--   'ignored'   an intermediate report, a repeat, or one that came after the
--               final word: reports arrive out of order, and a late
--               "submitted" must not undo "delivered".
-- It runs as its owner: since 015 the daemon writes no message itself.
-- Kannel's status codes: 1 delivered, 2 and 16 failed, 4 buffered, 8
-- submitted to the operator; anything else is intermediate.
CREATE OR REPLACE FUNCTION message_dlr(p_id bigint, p_channel text, p_status integer, p_at timestamptz)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	m record;
	verdict text;
BEGIN
	SELECT * INTO m FROM message WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RETURN 'unknown';
	END IF;
	IF p_channel IS NULL OR m.channel <> p_channel THEN
		RETURN 'refused';
	END IF;
	-- Handed to the gateway: being sent (a report may beat cobrod's own
	-- record of the send), sent, or already given its final word by a
	-- report. A message failed or refused by cobrod never reached it.
	IF NOT (m.status IN ('sending', 'sent')
	        OR m.status IN ('delivered', 'failed') AND m.sent_at IS NOT NULL AND m.dlr_status IS NOT NULL) THEN
		RETURN 'refused';
	END IF;
	verdict := CASE WHEN p_status = 1 THEN 'delivered' WHEN p_status IN (2, 16) THEN 'failed' END;
	IF verdict IS NULL OR m.status IN ('delivered', 'failed') THEN
		IF verdict IS NULL AND m.status IN ('sending', 'sent') THEN
			UPDATE message SET dlr_status = p_status WHERE id = p_id;
		END IF;
		RETURN 'ignored';
	END IF;
	UPDATE message SET status = verdict, dlr_status = p_status,
	       delivered_at = CASE WHEN verdict = 'delivered' THEN p_at ELSE delivered_at END,
	       failed_at = CASE WHEN verdict = 'failed' THEN p_at ELSE failed_at END,
	       error = CASE WHEN verdict = 'failed' THEN format('the operator reported status %s', p_status)
	                    ELSE error END,
	       sent_at = coalesce(sent_at, p_at), claimed_until = NULL
	WHERE id = p_id;
	INSERT INTO event (account_id, debtor_id, kind, outcome, message_id, body, data)
	VALUES (m.account_id, m.debtor_id, 'delivery', verdict, m.id, NULL,
	        jsonb_build_object('channel', m.channel, 'dlr', p_status, 'at', p_at));
	RETURN verdict;
END
$$;
REVOKE ALL ON FUNCTION message_dlr(bigint, text, integer, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION message_dlr(bigint, text, integer, timestamptz) TO cobro_daemon;

-- Many delivery reports at once, in the order they came: each gets the
-- answer message_dlr() would have given it, had they been called one after
-- another, and the messages end as they would have. One statement for all
-- the reports cobrod's listener has in hand (issue 18, line 11: at 2,000 SMS
-- a second Kannel sends 4,000 reports a second; one call and one commit each
-- took more of the database than the sending itself). Reports are about
-- messages in sending or sent, or with a final word already: whether one is
-- refused depends only on the message as it was, since a report only ever
-- moves a message from sending or sent to its final word. Of a message's
-- final reports (1, 2, 16), the first one counts; an intermediate one before
-- it, or when none came, leaves its status code (the last one's).
CREATE OR REPLACE FUNCTION message_dlr_many(p_ids bigint[], p_channels text[], p_statuses integer[],
                                            p_ats timestamptz[])
RETURNS text[]
-- By primary key, a batch at a time, as message_claim().
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp
SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
	verdicts text[];
BEGIN
	-- In one order, as message_settle() and message_claim() may hold some.
	PERFORM 1 FROM message WHERE id = ANY (p_ids) ORDER BY id FOR UPDATE;
	WITH r AS (
		SELECT * FROM unnest(p_ids, p_channels, p_statuses, p_ats) WITH ORDINALITY AS r(id, channel, status, at, ord)
	), j AS (
		SELECT r.ord, r.id, r.status, r.at, m.id IS NOT NULL AS known, m.status AS was,
		       coalesce(r.channel IS NOT NULL AND m.channel = r.channel
		                AND (m.status IN ('sending', 'sent')
		                     OR m.status IN ('delivered', 'failed') AND m.sent_at IS NOT NULL
		                        AND m.dlr_status IS NOT NULL), false) AS handed,
		       CASE WHEN r.status = 1 THEN 'delivered' WHEN r.status IN (2, 16) THEN 'failed' END AS final
		FROM r LEFT JOIN message m ON m.id = r.id
	), first_final AS (
		SELECT DISTINCT ON (id) id, ord, status, at, final FROM j
		WHERE handed AND final IS NOT NULL AND was IN ('sending', 'sent')
		ORDER BY id, ord
	), v AS (
		SELECT j.ord, j.id, j.status,
		       CASE WHEN NOT j.known THEN 'unknown' WHEN NOT j.handed THEN 'refused'
		            WHEN f.ord = j.ord THEN j.final ELSE 'ignored' END AS verdict,
		       j.handed AND j.final IS NULL AND j.was IN ('sending', 'sent') AND f.id IS NULL AS interim
		FROM j LEFT JOIN first_final f ON f.id = j.id
	), last_interim AS (
		SELECT DISTINCT ON (id) id, status FROM v WHERE interim ORDER BY id, ord DESC
	), finals AS (
		UPDATE message m SET status = f.final, dlr_status = f.status,
		       delivered_at = CASE WHEN f.final = 'delivered' THEN f.at ELSE m.delivered_at END,
		       failed_at = CASE WHEN f.final = 'failed' THEN f.at ELSE m.failed_at END,
		       error = CASE WHEN f.final = 'failed' THEN format('the operator reported status %s', f.status)
		                    ELSE m.error END,
		       sent_at = coalesce(m.sent_at, f.at), claimed_until = NULL
		FROM first_final f WHERE m.id = f.id
		RETURNING m.id, m.account_id, m.debtor_id, m.channel, f.final, f.status, f.at, f.ord
	), interims AS (
		UPDATE message m SET dlr_status = l.status FROM last_interim l WHERE m.id = l.id
		RETURNING m.id
	), events AS (
		INSERT INTO event (account_id, debtor_id, kind, outcome, message_id, body, data)
		SELECT account_id, debtor_id, 'delivery', final, id, NULL,
		       jsonb_build_object('channel', channel, 'dlr', status, 'at', at)
		FROM finals ORDER BY ord
		RETURNING 1
	)
	-- The UPDATEs and the INSERT run whole whether read or not.
	SELECT array_agg(verdict ORDER BY ord) INTO verdicts FROM v;
	RETURN verdicts;
END
$$;
REVOKE ALL ON FUNCTION message_dlr_many(bigint[], text[], integer[], timestamptz[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION message_dlr_many(bigint[], text[], integer[], timestamptz[]) TO cobro_daemon;
