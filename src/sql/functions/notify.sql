-- What the database announces (LISTEN/NOTIFY), at commit, as each trigger's
-- function below says; docs/architecture.md, "Live refresh", says who listens.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- A new contact policy version: workstations and daemons switch to it at once.
CREATE OR REPLACE FUNCTION contact_policy_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('cobro_policy', NEW.version::text);
	RETURN NEW;
END
$$;

-- Every change a screen shows is announced on cobro_account with the account
-- id; the workstation listens and reloads what is on screen. NOTIFY is sent at
-- commit and folded per transaction, so a bulk change costs one message per
-- account, not per row.
CREATE OR REPLACE FUNCTION notify_account() RETURNS trigger
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

-- cobrod wakes on a new message instead of polling for it.
CREATE OR REPLACE FUNCTION notify_outbox() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('cobro_outbox', '');
	RETURN NULL;
END
$$;

-- Leases announce themselves on cobro_lease, and only when the holder
-- changes: a renewal (every 30 s per open account) says nothing, and the
-- worklist, which shows no lease, does not hear of them at all (013).
CREATE OR REPLACE FUNCTION notify_lease() RETURNS trigger
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
