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
