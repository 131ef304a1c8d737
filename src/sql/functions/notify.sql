-- What the database announces (LISTEN/NOTIFY), at commit, as each trigger's
-- function below says; docs/architecture.md, "Live refresh", says who listens.
--
-- Every notification is empty. PostgreSQL has no privilege on LISTEN or
-- NOTIFY: any role that can connect hears every channel and may notify any,
-- so a payload would tell a stranger what changed. What changed is written
-- to change_log (019_quiet_notifications.sql) in the writer's transaction;
-- a workstation that hears a notification asks changes_since(), under row
-- security, for what it may see (docs/security.md, "Notifications and logs").
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- One row of change_log, once per transaction, kind and account; every
-- thousandth row prunes the rows older than an hour. SECURITY DEFINER: the
-- writers have no grant on change_log, and need none.
CREATE OR REPLACE FUNCTION change_note(p_kind text, p_account bigint, p_was_agent bigint DEFAULT NULL,
                                       p_was_team bigint DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	s bigint;
BEGIN
	INSERT INTO change_log (kind, account_id, was_agent, was_team)
	VALUES (p_kind, p_account, p_was_agent, p_was_team)
	ON CONFLICT DO NOTHING
	RETURNING seq INTO s;
	IF s % 1000 = 0 THEN
		DELETE FROM change_log WHERE at < now() - interval '1 hour';
	END IF;
END
$$;
REVOKE ALL ON FUNCTION change_note(text, bigint, bigint, bigint) FROM PUBLIC;

-- A new contact policy version: workstations and daemons switch to it at once.
CREATE OR REPLACE FUNCTION contact_policy_notify() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	PERFORM change_note('policy', NULL);
	PERFORM pg_notify('cobro_policy', '');
	RETURN NEW;
END
$$;

-- Every change a screen shows is written down with its account and announced
-- on cobro_account; the workstation reads what changed and reloads what is on
-- screen. NOTIFY is sent at commit and folded per transaction, so a bulk
-- change costs one (empty) message, and one change_log row per account.
-- An account that changes hands is also written down for whoever had it.
--
-- Row by row for most tables; for a statement's rows at once where bulk
-- writes happen (029_reassign.sql): UPDATE of account (old_rows, new_rows)
-- and INSERT into event (new_rows). A PL/pgSQL call and an INSERT per row
-- was a third of the time of 10,000 accounts reassigned with their events
-- (issue 17, line 9); one INSERT ... SELECT writes the same rows. One
-- function for both, so that whoever switches the notifications off for a
-- bulk load (the import, the demo) finds them all by this function.
-- The planner has no statistics of transition tables and takes each for
-- one row: it joined old_rows and new_rows by a nested loop, n x n
-- comparisons. A day's strategy run that touched 12,000 accounts spent 26 s
-- here (100,000 accounts portfolio), and one of 1,000,000 accounts more than
-- 15 minutes; a hash join takes milliseconds (issue 18, line 11).
CREATE OR REPLACE FUNCTION notify_account() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp SET enable_nestloop = off AS $$
DECLARE
	r jsonb;
	id bigint;
	nrows bigint;
	prune boolean;
BEGIN
	IF TG_LEVEL = 'STATEMENT' THEN
		IF TG_TABLE_NAME = 'account' THEN
			WITH ins AS (
				INSERT INTO change_log (kind, account_id, was_agent, was_team)
				SELECT 'account', n.id, CASE WHEN m.moved THEN o.agent_id END, CASE WHEN m.moved THEN o.team_id END
				FROM new_rows n JOIN old_rows o ON o.id = n.id,
				     LATERAL (SELECT o.agent_id IS DISTINCT FROM n.agent_id OR o.team_id IS DISTINCT FROM n.team_id
				              AS moved) m
				ON CONFLICT DO NOTHING
				RETURNING seq)
			SELECT coalesce(bool_or(seq % 1000 = 0), false) INTO prune FROM ins;
			SELECT count(*) INTO nrows FROM new_rows;
		ELSE
			WITH ins AS (
				INSERT INTO change_log (kind, account_id)
				SELECT DISTINCT 'account', n.account_id FROM new_rows n WHERE n.account_id IS NOT NULL
				ON CONFLICT DO NOTHING
				RETURNING seq)
			SELECT coalesce(bool_or(seq % 1000 = 0), false) INTO prune FROM ins;
			SELECT count(*) INTO nrows FROM new_rows n WHERE n.account_id IS NOT NULL;
		END IF;
		IF prune THEN
			DELETE FROM change_log WHERE at < now() - interval '1 hour';
		END IF;
		IF nrows > 0 THEN
			PERFORM pg_notify('cobro_account', '');
		END IF;
		RETURN NULL;
	END IF;
	r := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
	-- The account's own id, or the account a dependent row belongs to.
	id := CASE TG_TABLE_NAME WHEN 'account' THEN r->>'id' ELSE r->>'account_id' END;
	IF id IS NULL THEN
		RETURN NULL;
	END IF;
	IF TG_TABLE_NAME = 'account' AND TG_OP <> 'INSERT'
	   AND (TG_OP = 'DELETE' OR (to_jsonb(OLD)->>'agent_id') IS DISTINCT FROM (r->>'agent_id')
	        OR (to_jsonb(OLD)->>'team_id') IS DISTINCT FROM (r->>'team_id')) THEN
		PERFORM change_note('account', id, (to_jsonb(OLD)->>'agent_id')::bigint,
		                    (to_jsonb(OLD)->>'team_id')::bigint);
	ELSE
		PERFORM change_note('account', id);
	END IF;
	PERFORM pg_notify('cobro_account', '');
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
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND NEW.agent_id = OLD.agent_id AND NEW.session = OLD.session THEN
		RETURN NULL;
	END IF;
	PERFORM change_note('lease', CASE WHEN TG_OP = 'DELETE' THEN OLD.account_id ELSE NEW.account_id END);
	PERFORM pg_notify('cobro_lease', '');
	RETURN NULL;
END
$$;

-- What changed, for the caller, since the snapshot of its last reading
-- (p_after, as pg_current_snapshot() gave it; NULL the first time): one row
-- per kind and account (account_id NULL: every account, or the policy),
-- own when only this session wrote it; then one last row with kind NULL and
-- the snapshot to ask from next time. Row security decides what the caller
-- reads (019): their own accounts, their team's, or none. STABLE: the rows
-- and the snapshot returned are those of one and the same snapshot.
CREATE OR REPLACE FUNCTION changes_since(p_after text)
RETURNS TABLE (kind text, account_id bigint, own boolean, snapshot text)
LANGUAGE plpgsql STABLE SET search_path = cobro, pg_temp AS $$
DECLARE
	before pg_snapshot := p_after::pg_snapshot;
BEGIN
	IF before IS NOT NULL THEN
		RETURN QUERY
		SELECT c.kind, c.account_id, bool_and(c.pid = pg_backend_pid()), NULL::text
		  FROM change_log c
		 WHERE c.xid >= pg_snapshot_xmin(before) AND NOT pg_visible_in_snapshot(c.xid, before)
		 GROUP BY c.kind, c.account_id
		 ORDER BY min(c.seq);
	END IF;
	RETURN QUERY SELECT NULL::text, NULL::bigint, NULL::boolean, pg_current_snapshot()::text;
END
$$;
REVOKE ALL ON FUNCTION changes_since(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION changes_since(text)
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;
