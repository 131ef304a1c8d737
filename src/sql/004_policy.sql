-- Contact policy versions carry their holiday calendars, and every new version
-- is announced so that workstations and daemons switch to it at once.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

ALTER TABLE contact_policy ADD COLUMN holidays text NOT NULL DEFAULT '';

CREATE FUNCTION contact_policy_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('cobro_policy', NEW.version::text);
	RETURN NEW;
END
$$;
CREATE TRIGGER contact_policy_notify AFTER INSERT ON contact_policy
	FOR EACH ROW EXECUTE FUNCTION contact_policy_notify();

-- Only admins load rules; everybody who contacts debtors reads them.
GRANT SELECT ON contact_policy TO cobro_collector, cobro_supervisor, cobro_daemon;
REVOKE UPDATE, DELETE ON contact_policy FROM cobro_admin;

-- The contact history the policy engine needs: every contact with the person,
-- on all their accounts, whoever works them (a cap "per person" counts them
-- all), but only when, how and about which debt: no bodies, no notes. Row-level
-- security would hide a colleague's accounts, so this is SECURITY DEFINER and
-- checks here that the caller may see the debtor at all.
CREATE FUNCTION contact_history(p_debtor bigint, p_since timestamptz)
RETURNS TABLE (at timestamptz, channel text, kind text, debt text, creditor text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	IF NOT (i_am('cobro_admin') OR i_am('cobro_daemon') OR EXISTS (
	        SELECT 1 FROM account a
	        WHERE a.debtor_id = p_debtor
	          AND ((a.agent_id = my_agent_id() AND a.team_id = my_team_id())
	               OR (i_am('cobro_supervisor') AND a.team_id = my_team_id())))) THEN
		RAISE EXCEPTION 'no such debtor' USING ERRCODE = '42501';
	END IF;
	RETURN QUERY
	SELECT e.at, e.kind,
	       CASE WHEN e.kind = 'call' AND e.outcome = 'right_party' THEN 'conversation'
	            WHEN e.kind = 'call' THEN 'placed'
	            WHEN e.kind = 'visit' AND e.outcome = 'right_party' THEN 'conversation'
	            WHEN e.kind = 'visit' THEN 'attempt'
	            ELSE 'sent' END,
	       a.reference, c.code
	FROM event e
	LEFT JOIN account a ON a.id = e.account_id
	LEFT JOIN creditor c ON c.id = a.creditor_id
	WHERE e.debtor_id = p_debtor AND e.at >= p_since
	  AND ((e.kind IN ('call', 'visit') AND e.direction IS DISTINCT FROM 'in')
	       OR (e.kind IN ('sms', 'email', 'whatsapp', 'letter') AND e.direction = 'out'
	           AND coalesce(e.outcome, '') NOT IN ('failed', 'refused')));
END
$$;
REVOKE ALL ON FUNCTION contact_history(bigint, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contact_history(bigint, timestamptz)
	TO cobro_collector, cobro_supervisor, cobro_admin, cobro_daemon;
