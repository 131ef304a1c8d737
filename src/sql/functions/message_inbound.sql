-- Inbound messages: a reply or a STOP from a debtor's number, as cobrod's
-- listener hears it from a gateway (src/cobrod/listener.c).
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- An inbound message from p_from (E.164). It is one event per debtor the
-- number belongs to, however many of their contact points carry it (a
-- mobile that is their WhatsApp too: issue 15 saw one BAJA recorded twice):
-- filed under the debtor's account when they have exactly one, else on the
-- debtor (account_id NULL), which every account's history shows, since a
-- reply cannot say which of several accounts it is about. Every account of
-- the debtor is marked replied for its collector. p_stop (the caller read
-- STOP, BAJA or a variant) also opts every contact point with that number
-- out of the channel it came on; the contact points' audit trigger records
-- each change, and one optout event per debtor (naming the points) tells
-- the collector. Returns how many debtors the number belongs to (0: an
-- unknown sender, nothing recorded).
CREATE OR REPLACE FUNCTION message_inbound(p_channel text, p_from text, p_to text, p_text text, p_at timestamptz,
                                p_stop boolean)
RETURNS integer
LANGUAGE plpgsql SET search_path = cobro, pg_temp AS $$
DECLARE
	n integer := 0;
	d record;
	acc bigint;
	stopped bigint[];
BEGIN
	IF p_channel NOT IN ('sms', 'whatsapp') THEN
		RAISE EXCEPTION 'inbound % is not handled', p_channel USING ERRCODE = '22023';
	END IF;
	-- The points are locked in id order (as before), so two texts from one
	-- number, or a text and a collector's change, never deadlock.
	FOR d IN SELECT cp.debtor_id, array_agg(cp.id ORDER BY cp.id) AS points
	         FROM (SELECT x.id, x.debtor_id FROM contact_point x
	               WHERE x.value = p_from AND x.kind IN ('mobile', 'phone', 'whatsapp')
	               ORDER BY x.id FOR UPDATE) cp
	         GROUP BY cp.debtor_id ORDER BY min(cp.id) LOOP
		n := n + 1;
		acc := (SELECT CASE WHEN count(*) = 1 THEN min(x.id) END FROM account x WHERE x.debtor_id = d.debtor_id);
		INSERT INTO event (account_id, debtor_id, kind, direction, body, data)
		VALUES (acc, d.debtor_id, p_channel, 'in', p_text,
		        jsonb_build_object('from', p_from, 'to', p_to, 'at', p_at));
		UPDATE account SET replied_at = now(), updated_at = now() WHERE debtor_id = d.debtor_id;
		IF p_stop THEN
			WITH u AS (
				UPDATE contact_point SET opted_out = array_append(opted_out, p_channel), opted_out_at = now()
				WHERE id = ANY (d.points) AND NOT (p_channel = ANY (opted_out))
				RETURNING id)
			SELECT array_agg(id ORDER BY id) INTO stopped FROM u;
			IF stopped IS NOT NULL THEN
				INSERT INTO event (account_id, debtor_id, kind, direction, outcome, body, data)
				VALUES (acc, d.debtor_id, 'optout', 'in', p_channel, p_text,
				        jsonb_build_object('contact_point', stopped[1], 'contact_points', to_jsonb(stopped),
				                           'value', p_from));
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
