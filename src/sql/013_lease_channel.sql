-- Leases announce themselves on a channel of their own, cobro_lease, and
-- only when the holder changes.
--
-- Every lease taken, renewed (every 30 s per open account) and released
-- used to notify cobro_account, on which every workstation reloads its
-- worklist: with a team at work, each workstation reloaded several times a
-- second for changes its worklist does not show (a worklist shows no
-- lease), and the database paid for each reload. Now the worklist does not
-- hear of leases at all; the account screens of the account hear of the
-- holder coming and going, which is what they show ("luis is on this
-- account"). A renewal changes no holder and says nothing.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE FUNCTION notify_lease() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND NEW.agent_id = OLD.agent_id AND NEW.session = OLD.session THEN
		RETURN NULL;
	END IF;
	PERFORM pg_notify('cobro_lease', (CASE WHEN TG_OP = 'DELETE' THEN OLD.account_id
	                                       ELSE NEW.account_id END)::text);
	RETURN NULL;
END
$$;

DROP TRIGGER notify_account ON lease;
CREATE TRIGGER notify_lease AFTER INSERT OR UPDATE OR DELETE ON lease
	FOR EACH ROW EXECUTE FUNCTION notify_lease();
