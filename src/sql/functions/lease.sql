-- Leases: one collector on an account at a time (005_workstation.sql made
-- the table). A lease lasts a few minutes and the workstation renews it while
-- the account is open; a workstation that died simply stops renewing.
-- uses: functions/session.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- Takes or renews the lease on an account for the caller's session. Returns
-- the login and name of whoever holds it, and whether it is this session.
--
-- The session is the workstation's own id (two windows of one person are two
-- holders), and it is anyone's to read in the lease table: it only ever
-- names a lease together with the agent who took it, the caller
-- (my_agent_id(), from session_user). Copying another person's session
-- takes nothing. The length asked is cut to lease_setting.max_seconds (the
-- administrator's; 300 s unless set), and a lease longer than that (taken
-- before the maximum was lowered) holds nobody off.
CREATE OR REPLACE FUNCTION lease_take(p_account bigint, p_session text, p_seconds integer DEFAULT 120)
RETURNS TABLE (holder text, holder_name text, mine boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	me bigint := my_agent_id();
	longest interval := make_interval(secs => coalesce((SELECT s.max_seconds FROM lease_setting s), 300));
	granted interval;
BEGIN
	-- Only an account the caller may see can be leased (row-level security
	-- does not apply inside SECURITY DEFINER, so ask as the caller would).
	IF me IS NULL OR NOT EXISTS (SELECT 1 FROM account a WHERE a.id = p_account
	        AND ((a.agent_id = me AND a.team_id = my_team_id())
	             OR (i_am('cobro_supervisor') AND a.team_id = my_team_id())
	             OR i_am('cobro_admin'))) THEN
		RAISE EXCEPTION 'no such account' USING ERRCODE = '42501';
	END IF;
	IF p_session IS NULL OR length(p_session) NOT BETWEEN 1 AND 64 THEN
		RAISE EXCEPTION 'a lease session is 1 to 64 characters' USING ERRCODE = '22023';
	END IF;
	IF p_seconds IS NULL OR p_seconds < 1 THEN
		RAISE EXCEPTION 'a lease lasts at least a second' USING ERRCODE = '22023';
	END IF;
	granted := least(make_interval(secs => p_seconds), longest);
	INSERT INTO lease AS l (account_id, agent_id, session, expires_at)
	VALUES (p_account, me, p_session, now() + granted)
	ON CONFLICT (account_id) DO UPDATE
		SET agent_id = EXCLUDED.agent_id, session = EXCLUDED.session, expires_at = EXCLUDED.expires_at,
		    taken_at = CASE WHEN l.agent_id = EXCLUDED.agent_id AND l.session = EXCLUDED.session
		                    THEN l.taken_at ELSE now() END
		WHERE (l.agent_id = EXCLUDED.agent_id AND l.session = EXCLUDED.session)
		   OR l.expires_at < now() OR l.expires_at > now() + longest;
	RETURN QUERY
	SELECT g.login, g.name, l.agent_id = me AND l.session = p_session
	FROM lease l JOIN agent g ON g.id = l.agent_id WHERE l.account_id = p_account;
END
$$;

-- AFTER UPDATE ON lease_setting (017_policy_agents_leases.sql): a shorter
-- maximum cuts the leases already taken at once.
CREATE OR REPLACE FUNCTION lease_setting_cap() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	UPDATE lease SET expires_at = now() + make_interval(secs => NEW.max_seconds)
	WHERE expires_at > now() + make_interval(secs => NEW.max_seconds);
	RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION lease_setting_cap() FROM PUBLIC;

CREATE OR REPLACE FUNCTION lease_release(p_account bigint, p_session text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
	DELETE FROM lease WHERE account_id = p_account AND agent_id = my_agent_id() AND session = p_session;
$$;

REVOKE ALL ON FUNCTION lease_take(bigint, text, integer), lease_release(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION lease_take(bigint, text, integer), lease_release(bigint, text)
	TO cobro_collector, cobro_supervisor;
