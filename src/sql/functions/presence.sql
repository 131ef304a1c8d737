-- Who is at a workstation, on which screen and account, since when (issue 17,
-- line 1; the table is 027_presence_metrics.sql's). A workstation beats every
-- presence_period() seconds and whenever its screen or account changes; its
-- row stands for three periods, so a workstation that died is offline within
-- three periods of its last beat. What a dashboard would show differently is
-- written to change_log (kind 'presence', the person's team) and announced on
-- cobro_presence; a beat that only says "still here" announces nothing.
-- uses: functions/session.sql functions/notify.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- The heartbeat's period, in seconds: the workstation beats this often.
CREATE OR REPLACE FUNCTION presence_period() RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT 30 $$;
GRANT EXECUTE ON FUNCTION presence_period() TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin;

-- A visit to an account ends: it goes into account_visit (the figures' time
-- per account). Internal.
CREATE OR REPLACE FUNCTION presence_visit_end(p_agent bigint, p_account bigint, p_since timestamptz,
                                              p_until timestamptz) RETURNS void
LANGUAGE plpgsql SET search_path = cobro, pg_temp AS $$
BEGIN
	IF p_account IS NOT NULL AND p_since IS NOT NULL AND p_until >= p_since THEN
		INSERT INTO account_visit (agent_id, account_id, started_at, ended_at)
		VALUES (p_agent, p_account, p_since, p_until);
	END IF;
END
$$;
REVOKE ALL ON FUNCTION presence_visit_end(bigint, bigint, timestamptz, timestamptz) FROM PUBLIC;

-- The change a dashboard must hear about, for the person's team.
CREATE OR REPLACE FUNCTION presence_announce(p_team bigint) RETURNS void
LANGUAGE plpgsql SET search_path = cobro, pg_temp AS $$
BEGIN
	PERFORM change_note('presence', NULL, NULL, p_team);
	PERFORM pg_notify('cobro_presence', '');
END
$$;
REVOKE ALL ON FUNCTION presence_announce(bigint) FROM PUBLIC;

-- The caller's own heartbeat: on screen p_screen (a screen's name, e.g.
-- "worklist", "account"), with account p_account open (NULL: none; it must be
-- one of the caller's team's accounts). Returns the seconds until the next
-- beat is due.
CREATE OR REPLACE FUNCTION presence_beat(p_screen text, p_account bigint) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	me agent;
	old presence;
	period integer := presence_period();
	t timestamptz := now();
	alive boolean;
BEGIN
	SELECT * INTO me FROM agent WHERE login = session_user AND active;
	IF me.id IS NULL THEN
		RAISE EXCEPTION 'only an agent has a presence' USING ERRCODE = '42501';
	END IF;
	IF p_screen IS NULL OR p_screen !~ '^[a-z_]{1,32}$' THEN
		RAISE EXCEPTION 'a screen''s name is 1 to 32 letters a-z or _' USING ERRCODE = '22023';
	END IF;
	-- Only an account the workstation could show: a collector's own (row
	-- security shows them no other), any of a supervisor's or lead's team,
	-- any for an admin. A collector naming a teammate's would count time on
	-- it in the figures (account_visit) that no screen of theirs spent.
	IF p_account IS NOT NULL AND NOT EXISTS (
		SELECT 1 FROM account a WHERE a.id = p_account
		  AND (a.agent_id = me.id OR (a.team_id = me.team_id AND me.role <> 'collector')
		       OR me.role = 'admin')) THEN
		RAISE EXCEPTION 'no such account' USING ERRCODE = '42501';
	END IF;
	SELECT * INTO old FROM presence WHERE agent_id = me.id FOR UPDATE;
	alive := old.agent_id IS NOT NULL AND old.expires_at > t;
	IF old.agent_id IS NOT NULL AND old.account_id IS NOT NULL
	   AND (NOT alive OR old.account_id IS DISTINCT FROM p_account) THEN
		-- A workstation that died was on the account until it was last heard.
		PERFORM presence_visit_end(me.id, old.account_id, old.account_since,
		                           CASE WHEN alive THEN t ELSE old.seen_at END);
	END IF;
	INSERT INTO presence AS p (agent_id, team_id, screen, account_id, since, account_since, logged_in_at,
	                           seen_at, expires_at)
	VALUES (me.id, me.team_id, p_screen, p_account, t, CASE WHEN p_account IS NOT NULL THEN t END, t, t,
	        t + make_interval(secs => 3 * period))
	ON CONFLICT (agent_id) DO UPDATE
	SET team_id = EXCLUDED.team_id, screen = EXCLUDED.screen, account_id = EXCLUDED.account_id,
	    since = CASE WHEN alive AND p.screen = EXCLUDED.screen AND p.account_id IS NOT DISTINCT FROM EXCLUDED.account_id
	                 THEN p.since ELSE t END,
	    account_since = CASE WHEN EXCLUDED.account_id IS NULL THEN NULL
	                         WHEN alive AND p.account_id = EXCLUDED.account_id THEN p.account_since ELSE t END,
	    logged_in_at = CASE WHEN alive THEN p.logged_in_at ELSE t END,
	    seen_at = t, expires_at = EXCLUDED.expires_at;
	IF NOT alive OR old.screen IS DISTINCT FROM p_screen OR old.account_id IS DISTINCT FROM p_account THEN
		PERFORM presence_announce(me.team_id);
	END IF;
	RETURN period;
END
$$;
REVOKE ALL ON FUNCTION presence_beat(text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION presence_beat(text, bigint) TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin;

-- The caller leaves (logs out, quits): offline at once.
CREATE OR REPLACE FUNCTION presence_leave() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	old presence;
BEGIN
	DELETE FROM presence WHERE agent_id = my_agent_id() RETURNING * INTO old;
	IF old.agent_id IS NOT NULL THEN
		PERFORM presence_visit_end(old.agent_id, old.account_id, old.account_since,
		                           least(now(), old.expires_at));
		PERFORM presence_announce(old.team_id);
	END IF;
END
$$;
REVOKE ALL ON FUNCTION presence_leave() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION presence_leave() TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin;

-- The rows that expired (workstations that died): their visits end when they
-- were last heard, they go, and each team hears it. cobrod runs it every
-- period; a dashboard may also wake at the earliest expires_at it shows.
-- Returns how many went.
CREATE OR REPLACE FUNCTION presence_sweep() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	o presence;
	n integer := 0;
BEGIN
	FOR o IN DELETE FROM presence WHERE expires_at <= now() RETURNING * LOOP
		PERFORM presence_visit_end(o.agent_id, o.account_id, o.account_since, o.seen_at);
		PERFORM presence_announce(o.team_id);
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION presence_sweep() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION presence_sweep() TO cobro_daemon, cobro_admin;

-- Who is where now, as the caller may see it: a supervisor or lead their
-- team, an admin everyone (p_team narrows), a collector only themselves.
-- Rows that expired are offline (online false).
CREATE OR REPLACE FUNCTION presence_now(p_team text DEFAULT NULL)
RETURNS TABLE (agent_id bigint, login text, team text, screen text, account_id bigint, reference text,
               since timestamptz, account_since timestamptz, logged_in_at timestamptz, seen_at timestamptz,
               online boolean)
LANGUAGE sql STABLE SET search_path = cobro, pg_temp AS $$
	SELECT p.agent_id, g.login, t.code, p.screen, p.account_id, a.reference, p.since, p.account_since,
	       p.logged_in_at, p.seen_at, p.expires_at > now()
	FROM presence p   -- under presence's row security: the caller's rights
	JOIN agent g ON g.id = p.agent_id
	LEFT JOIN team t ON t.id = p.team_id
	LEFT JOIN account a ON a.id = p.account_id
	WHERE p_team IS NULL OR t.code = p_team
	ORDER BY g.login
$$;
REVOKE ALL ON FUNCTION presence_now(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION presence_now(text) TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin;
