-- Leases: one collector on an account at a time (005_workstation.sql made
-- the table). A lease lasts a few minutes and the workstation renews it while
-- the account is open; a workstation that died simply stops renewing.
-- uses: functions/session.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- Takes or renews the lease on an account for the caller's session. Returns
-- the login and name of whoever holds it, and whether it is this session.
CREATE OR REPLACE FUNCTION lease_take(p_account bigint, p_session text, p_seconds integer DEFAULT 120)
RETURNS TABLE (holder text, holder_name text, mine boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	me bigint := my_agent_id();
BEGIN
	-- Only an account the caller may see can be leased (row-level security
	-- does not apply inside SECURITY DEFINER, so ask as the caller would).
	IF me IS NULL OR NOT EXISTS (SELECT 1 FROM account a WHERE a.id = p_account
	        AND ((a.agent_id = me AND a.team_id = my_team_id())
	             OR (i_am('cobro_supervisor') AND a.team_id = my_team_id())
	             OR i_am('cobro_admin'))) THEN
		RAISE EXCEPTION 'no such account' USING ERRCODE = '42501';
	END IF;
	INSERT INTO lease AS l (account_id, agent_id, session, expires_at)
	VALUES (p_account, me, p_session, now() + make_interval(secs => p_seconds))
	ON CONFLICT (account_id) DO UPDATE
		SET agent_id = EXCLUDED.agent_id, session = EXCLUDED.session, expires_at = EXCLUDED.expires_at,
		    taken_at = CASE WHEN l.session = EXCLUDED.session THEN l.taken_at ELSE now() END
		WHERE l.session = EXCLUDED.session OR l.expires_at < now();
	RETURN QUERY
	SELECT g.login, g.name, l.session = p_session
	FROM lease l JOIN agent g ON g.id = l.agent_id WHERE l.account_id = p_account;
END
$$;

CREATE OR REPLACE FUNCTION lease_release(p_account bigint, p_session text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
	DELETE FROM lease WHERE account_id = p_account AND agent_id = my_agent_id() AND session = p_session;
$$;

REVOKE ALL ON FUNCTION lease_take(bigint, text, integer), lease_release(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION lease_take(bigint, text, integer), lease_release(bigint, text)
	TO cobro_collector, cobro_supervisor;
