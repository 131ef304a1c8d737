-- Inbound messages: a reply or a STOP from a debtor's number, as cobrod's
-- listener hears it from a gateway (src/cobrod/listener.c).
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- An inbound message from p_from (E.164). It becomes an event on each of the
-- sender's debtors' accounts (or on the debtor, when they have none), which
-- are marked replied for their collectors. p_stop (the caller read STOP,
-- BAJA or a variant) also opts the number out of the channel it came on;
-- the contact point's audit trigger records the change and an optout event
-- tells the collector. Returns how many debtors the number belongs to (0:
-- an unknown sender, nothing recorded).
CREATE OR REPLACE FUNCTION message_inbound(p_channel text, p_from text, p_to text, p_text text, p_at timestamptz,
                                p_stop boolean)
RETURNS integer
LANGUAGE plpgsql SET search_path = cobro, pg_temp AS $$
DECLARE
	n integer := 0;
	c record;
BEGIN
	IF p_channel NOT IN ('sms', 'whatsapp') THEN
		RAISE EXCEPTION 'inbound % is not handled', p_channel USING ERRCODE = '22023';
	END IF;
	FOR c IN SELECT cp.id, cp.debtor_id FROM contact_point cp
	         WHERE cp.value = p_from AND cp.kind IN ('mobile', 'phone', 'whatsapp')
	         ORDER BY cp.id FOR UPDATE LOOP
		n := n + 1;
		INSERT INTO event (account_id, debtor_id, kind, direction, body, data)
		SELECT a.id, c.debtor_id, p_channel, 'in', p_text,
		       jsonb_build_object('from', p_from, 'to', p_to, 'at', p_at)
		FROM (SELECT x.id FROM account x WHERE x.debtor_id = c.debtor_id
		      UNION ALL SELECT NULL WHERE NOT EXISTS (SELECT 1 FROM account x WHERE x.debtor_id = c.debtor_id)) a;
		UPDATE account SET replied_at = now(), updated_at = now() WHERE debtor_id = c.debtor_id;
		IF p_stop THEN
			UPDATE contact_point SET opted_out = array_append(opted_out, p_channel), opted_out_at = now()
			WHERE id = c.id AND NOT (p_channel = ANY (opted_out));
			IF FOUND THEN
				INSERT INTO event (account_id, debtor_id, kind, direction, outcome, body, data)
				SELECT a.id, c.debtor_id, 'optout', 'in', p_channel, p_text,
				       jsonb_build_object('contact_point', c.id, 'value', p_from)
				FROM (SELECT x.id FROM account x WHERE x.debtor_id = c.debtor_id
				      UNION ALL SELECT NULL
				      WHERE NOT EXISTS (SELECT 1 FROM account x WHERE x.debtor_id = c.debtor_id)) a;
			END IF;
		END IF;
	END LOOP;
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION message_inbound(text, text, text, text, timestamptz, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION message_inbound(text, text, text, text, timestamptz, boolean) TO cobro_daemon;

-- The same with the provider's id, so that a text is recorded once however
-- often it is delivered: smsbox retries a get-url it got no answer to (a
-- timeout, a connection lost after cobrod had already committed), and a
-- provider's webhook does the same. Kannel gives every message it receives
-- an id (%I, a UUID; scripts/services.sh passes it as id=), kept in
-- inbound_seen a week, longer than any gateway keeps retrying. Returns -1
-- when the id was recorded already, else what the one above returns (the
-- debtors it reached). A NULL id records the text as before. Two deliveries
-- at once: the second waits on the first's row and then finds it.
CREATE OR REPLACE FUNCTION message_inbound(p_channel text, p_from text, p_to text, p_text text, p_at timestamptz,
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
