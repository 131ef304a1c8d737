-- What the workstation needs beyond the nouns: leases (one collector on an
-- account at a time), callbacks, accent-insensitive search, and NOTIFY on
-- every change a screen shows.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- ------------------------------------------------------------------ leases
-- Who is working an account right now. A lease lasts a few minutes and the
-- workstation renews it while the account is open; a workstation that died
-- simply stops renewing, and the lease expires.
CREATE TABLE lease (
	account_id bigint PRIMARY KEY REFERENCES account ON DELETE CASCADE,
	agent_id   bigint NOT NULL REFERENCES agent,
	session    text NOT NULL,    -- the workstation's own id: two windows of one person are two holders
	taken_at   timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL
);

-- Takes or renews the lease on an account for the caller's session. Returns
-- the login and name of whoever holds it, and whether it is this session.
CREATE FUNCTION lease_take(p_account bigint, p_session text, p_seconds integer DEFAULT 120)
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

CREATE FUNCTION lease_release(p_account bigint, p_session text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
	DELETE FROM lease WHERE account_id = p_account AND agent_id = my_agent_id() AND session = p_session;
$$;

REVOKE ALL ON FUNCTION lease_take(bigint, text, integer), lease_release(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION lease_take(bigint, text, integer), lease_release(bigint, text)
	TO cobro_collector, cobro_supervisor;
-- Who is on which account is visible to the team (the dashboard, "luis is on
-- this account"), through the account's own visibility.
ALTER TABLE lease ENABLE ROW LEVEL SECURITY;
CREATE POLICY via_account ON lease FOR SELECT USING (EXISTS (SELECT 1 FROM account a WHERE a.id = lease.account_id));
GRANT SELECT ON lease TO cobro_collector, cobro_supervisor, cobro_admin, cobro_daemon;

-- --------------------------------------------------------------- callbacks
CREATE TABLE callback (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	account_id bigint NOT NULL REFERENCES account ON DELETE CASCADE,
	agent_id   bigint NOT NULL REFERENCES agent,
	due_at     timestamptz NOT NULL,
	zone       text NOT NULL,    -- the zone the collector typed the time in (shown back)
	note       text CHECK (length(note) <= 2000),
	created_at timestamptz NOT NULL DEFAULT now(),
	done_at    timestamptz
);
CREATE INDEX callback_due_idx ON callback (account_id, due_at) WHERE done_at IS NULL;
ALTER TABLE callback ENABLE ROW LEVEL SECURITY;
CREATE POLICY all_rows ON callback TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY via_account ON callback USING (EXISTS (SELECT 1 FROM account a WHERE a.id = callback.account_id));
CREATE POLICY own_name ON callback AS RESTRICTIVE FOR INSERT TO cobro_collector, cobro_supervisor
	WITH CHECK (agent_id = (SELECT my_agent_id()) AND due_at > now());
GRANT SELECT ON callback TO cobro_collector, cobro_supervisor, cobro_admin, cobro_daemon;
GRANT INSERT (account_id, agent_id, due_at, zone, note), UPDATE (done_at)
	ON callback TO cobro_collector, cobro_supervisor;

-- ------------------------------------------------------------------ search
-- unaccent() is STABLE (it reads a dictionary); an index needs IMMUTABLE, so
-- this wrapper names the dictionary and promises what the dictionary keeps.
CREATE FUNCTION fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS
$$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$;
GRANT EXECUTE ON FUNCTION fold(text) TO cobro_collector, cobro_supervisor, cobro_admin, cobro_daemon;
CREATE INDEX debtor_name_fold_idx ON debtor USING gin (fold(name) public.gin_trgm_ops);
CREATE INDEX account_reference_lower_idx ON account (lower(reference));

-- ------------------------------------------------------------ live refresh
-- Every change a screen shows is announced on cobro_account with the account
-- id; the workstation listens and reloads what is on screen. NOTIFY is sent at
-- commit and folded per transaction, so a bulk change costs one message per
-- account, not per row.
CREATE FUNCTION notify_account() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	r jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
	id text;
BEGIN
	-- The account's own id, or the account a dependent row belongs to.
	id := CASE TG_TABLE_NAME WHEN 'account' THEN r->>'id' ELSE r->>'account_id' END;
	IF id IS NOT NULL THEN
		PERFORM pg_notify('cobro_account', id);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER notify_account AFTER INSERT OR UPDATE OR DELETE ON account
	FOR EACH ROW EXECUTE FUNCTION notify_account();
CREATE TRIGGER notify_account AFTER INSERT OR UPDATE OR DELETE ON event
	FOR EACH ROW EXECUTE FUNCTION notify_account();
CREATE TRIGGER notify_account AFTER INSERT OR UPDATE OR DELETE ON message
	FOR EACH ROW EXECUTE FUNCTION notify_account();
CREATE TRIGGER notify_account AFTER INSERT OR UPDATE OR DELETE ON promise
	FOR EACH ROW EXECUTE FUNCTION notify_account();
CREATE TRIGGER notify_account AFTER INSERT OR UPDATE OR DELETE ON lease
	FOR EACH ROW EXECUTE FUNCTION notify_account();
CREATE TRIGGER notify_account AFTER INSERT OR UPDATE OR DELETE ON callback
	FOR EACH ROW EXECUTE FUNCTION notify_account();

-- The account screen shows the debtor's events filed under no account (a reply
-- that matched none) beside the account's own; this keeps that part small.
CREATE INDEX event_debtor_unfiled_idx ON event (debtor_id, at DESC) WHERE account_id IS NULL;
