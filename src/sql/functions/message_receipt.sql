-- Receipts from a gateway that names our messages by its own id (the
-- provider_id it answered when it took them): the WhatsApp Cloud API's
-- status webhook, as cobrod's listener hears it from a caller that proved
-- who it is (the transport's callback_secret). The message is found by
-- channel and provider id; what a receipt may change, and when, is
-- message_dlr()'s, so the two kinds of gateway follow one set of rules.
-- uses: functions/message_dlr.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- p_channel is the channel the calling gateway sends (NULL: none now).
-- p_status is the gateway's word: 'sent' (intermediate), 'delivered' or
-- 'read' (delivered), 'failed'. Returns message_dlr()'s verdict ('unknown'
-- when no message of p_channel has that provider id, or when the word is
-- none of those; 'refused', 'delivered', 'failed', 'ignored').
CREATE OR REPLACE FUNCTION message_receipt(p_channel text, p_provider_id text, p_status text, p_at timestamptz)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	mid bigint;
	-- In message_dlr()'s codes (Kannel's): 1 delivered, 2 failed, 8 submitted.
	code integer := CASE p_status WHEN 'delivered' THEN 1 WHEN 'read' THEN 1
	                              WHEN 'failed' THEN 2 WHEN 'sent' THEN 8 END;
BEGIN
	IF p_provider_id IS NULL OR code IS NULL THEN
		RETURN 'unknown';
	END IF;
	IF p_channel IS NULL THEN -- a gateway that sends on no channel now
		RETURN 'refused';
	END IF;
	-- The newest such message: an id the gateway gave twice (never, but the
	-- column has no such promise) speaks of its latest use.
	SELECT id INTO mid FROM message
	WHERE provider_id = p_provider_id AND channel = p_channel
	ORDER BY id DESC LIMIT 1;
	IF NOT FOUND THEN
		RETURN 'unknown';
	END IF;
	RETURN message_dlr(mid, p_channel, code, p_at);
END
$$;
REVOKE ALL ON FUNCTION message_receipt(text, text, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION message_receipt(text, text, text, timestamptz) TO cobro_daemon;
