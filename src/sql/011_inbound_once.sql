-- An inbound text is recorded once, however often it is delivered.
--
-- smsbox retries a get-url it got no answer to (a timeout, a connection lost
-- after cobrod had already committed), and a provider's webhook does the
-- same: each retry used to add the reply to the debtor's history again and
-- again mark the accounts replied. Kannel gives every message it receives an
-- id (%I, a UUID; scripts/services.sh passes it as id=). The id is kept a
-- week, longer than any gateway keeps retrying, and a message whose id is
-- already kept changes nothing.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE TABLE inbound_seen (
	channel     text NOT NULL,
	provider_id text NOT NULL CHECK (length(provider_id) BETWEEN 1 AND 100),
	seen_at     timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (channel, provider_id)
);
CREATE INDEX inbound_seen_at_idx ON inbound_seen (seen_at);
-- The daemon's alone, like every table that is not reference data.
ALTER TABLE inbound_seen ENABLE ROW LEVEL SECURITY;
CREATE POLICY all_rows ON inbound_seen TO cobro_daemon USING (true);
GRANT SELECT, INSERT, DELETE ON inbound_seen TO cobro_daemon;

-- message_inbound() with the provider's id: -1 when that id was recorded
-- already, else what message_inbound() returns (the debtors it reached). A
-- NULL id records the text as before. Two deliveries at once: the second
-- waits on the first's row and then finds it.
CREATE FUNCTION message_inbound(p_channel text, p_from text, p_to text, p_text text, p_at timestamptz,
                                p_stop boolean, p_provider_id text)
RETURNS integer
LANGUAGE plpgsql SET search_path = cobro, pg_temp AS $$
BEGIN
	IF p_provider_id IS NOT NULL THEN
		DELETE FROM inbound_seen WHERE seen_at < now() - interval '7 days';
		INSERT INTO inbound_seen (channel, provider_id) VALUES (p_channel, p_provider_id)
		ON CONFLICT DO NOTHING;
		IF NOT FOUND THEN
			RETURN -1;
		END IF;
	END IF;
	RETURN message_inbound(p_channel, p_from, p_to, p_text, p_at, p_stop);
END
$$;
REVOKE ALL ON FUNCTION message_inbound(text, text, text, text, timestamptz, boolean, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION message_inbound(text, text, text, text, timestamptz, boolean, text) TO cobro_daemon;
