-- Notifications that say nothing (issue 14, line 8).
--
-- PostgreSQL has no privilege on LISTEN and NOTIFY: any role that can
-- connect, even one with no right on the schema, hears every channel and
-- may notify any. cobro_account and cobro_lease used to carry the changed
-- account's id, so anyone could watch which accounts of every team moved.
-- Now every notification is empty: it only says "something changed, ask".
-- What changed is written here, in the writer's transaction, and each
-- workstation reads it through changes_since() (functions/notify.sql),
-- under row security: a person reads the changes of the accounts they may
-- see (or just stopped seeing), nobody else's, and a role with no grant
-- reads nothing. A notification anyone forged finds nothing new to read,
-- and a workstation asks at most once a second (docs/security.md,
-- "Notifications and logs").
--
-- xid is the writing transaction: a reader remembers the snapshot of its
-- last reading and asks for the rows that were not visible in it, so a
-- transaction that committed late, after a later one, is not missed (a
-- sequence alone would be). One row per transaction, kind and account
-- (change_log_once): a bulk change costs one row per account, as it used to
-- cost one notification per account. Rows older than an hour are pruned by
-- the triggers as they write (every thousandth row): a workstation reads
-- them within a second of their commit, and one that was away reloads
-- everything when it is back.
--
-- PostgreSQL's own log: an error's DETAIL is the failing row ("Failing row
-- contains (..., +525512345678, ...)", "Key (debtor_id, kind,
-- value)=(..., +525512345678) already exists") and the parameters of a
-- statement logged for its duration are the values bound ("Parameters: $1
-- = '+525512345678'"): phone numbers, addresses and message bodies kept in
-- a log longer, and read by more people, than the database. Every session of
-- this database logs tersely (no DETAIL, HINT, QUERY or CONTEXT); the
-- clients still get them. The setting is a superuser's, as the migration
-- runner is; without one it is left to the operator (docs/operations.md).
-- uses: functions/session.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE TABLE change_log (
	seq        bigint GENERATED ALWAYS AS IDENTITY,
	xid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
	kind       text NOT NULL CHECK (kind IN ('account', 'lease', 'policy')),
	account_id bigint,   -- NULL: every account (cobroctl demo), or a policy version
	-- Who had the account before the change, when it changed hands: they
	-- stop seeing it, and must still hear that it left their worklist.
	was_agent  bigint,
	was_team   bigint,
	pid        integer NOT NULL DEFAULT pg_backend_pid(),  -- the writer's session
	at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX change_log_once ON change_log (xid, kind, account_id, was_agent, was_team) NULLS NOT DISTINCT;
CREATE INDEX change_log_at ON change_log (at);

ALTER TABLE change_log ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON change_log FROM PUBLIC;
GRANT SELECT ON change_log TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;
-- A change is visible exactly when its account is (the sub-select on account
-- is itself filtered by 003's policies); one for every account, or a policy
-- version, to everyone granted.
CREATE POLICY via_account ON change_log FOR SELECT
	USING (account_id IS NULL OR EXISTS (SELECT 1 FROM account a WHERE a.id = change_log.account_id));
-- The account that left a collector's hands, or a team.
CREATE POLICY was_mine ON change_log FOR SELECT TO cobro_collector
	USING (was_agent = (SELECT my_agent_id()));
CREATE POLICY was_team ON change_log FOR SELECT TO cobro_supervisor, cobro_lead
	USING (was_team = (SELECT my_team_id()));

-- The log's verbosity (above) is a superuser's setting: as the role that ran
-- the migration, not as cobro_owner.
RESET ROLE;
DO $$
BEGIN
	IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
		EXECUTE format('ALTER DATABASE %I SET log_error_verbosity = terse', current_database());
	END IF;
END
$$;
