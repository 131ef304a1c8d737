-- Issue 14, lines 3 to 5: what the database itself refuses (docs/security.md,
-- "Contact policy versions", "Login roles", "Leases").
-- uses: functions/contact_policy_guard.sql functions/lease.sql functions/agent_add.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- ------------------------------------------------------------- login roles
-- Every login role cobro creates carries cobro's mark, a comment (kept by the
-- cluster, like the role): roles are the cluster's, shared with other
-- applications, and agent_add() touches an existing role only when it
-- carries the mark (functions/agent_add.sql). The people already added carry
-- it from now on. (cobro_owner has CREATEROLE, which COMMENT ON ROLE needs;
-- a superuser login is not cobro's to mark.)
DO $$
DECLARE
	l text;
BEGIN
	FOR l IN SELECT a.login FROM cobro.agent a JOIN pg_roles r ON r.rolname = a.login WHERE NOT r.rolsuper LOOP
		EXECUTE format('COMMENT ON ROLE %I IS %L', l, agent_mark());
	END LOOP;
END
$$;

-- ------------------------------------------------- contact policy versions
-- accepted: the version passed the database's check when it was stored
-- (functions/contact_policy_guard.sql); the version in force is the newest
-- accepted one. Versions stored before this check are judged now, oldest
-- first, each against the newest accepted before it: one that does not
-- parse or that loosened a locked rule stays in the history, never in force.
ALTER TABLE contact_policy ADD COLUMN accepted boolean NOT NULL DEFAULT false;
DO $$
DECLARE
	r record;
	prev_text text;
	prev_holidays text;
BEGIN
	FOR r IN SELECT version, text, holidays FROM contact_policy ORDER BY version LOOP
		IF policy_verify(r.text, r.holidays, prev_text, prev_holidays) IS NULL THEN
			UPDATE contact_policy SET accepted = true WHERE version = r.version;
			prev_text := r.text;
			prev_holidays := r.holidays;
		END IF;
	END LOOP;
END
$$;
CREATE TRIGGER contact_policy_guard BEFORE INSERT OR UPDATE OR DELETE ON contact_policy
	FOR EACH ROW EXECUTE FUNCTION contact_policy_guard();

-- ------------------------------------------------------------------ leases
-- How long a lease may last, the administrator's to set: lease_take() grants
-- at most this, and a lease longer than it no longer holds anyone off.
CREATE TABLE lease_setting (
	one         boolean PRIMARY KEY DEFAULT true CHECK (one),
	max_seconds integer NOT NULL DEFAULT 300 CHECK (max_seconds BETWEEN 60 AND 3600)
);
INSERT INTO lease_setting DEFAULT VALUES;
GRANT SELECT ON lease_setting TO cobro_admin, cobro_daemon;
GRANT UPDATE (max_seconds) ON lease_setting TO cobro_admin;
ALTER TABLE lease_setting ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_sets ON lease_setting TO cobro_admin USING (true);
CREATE POLICY daemon_reads ON lease_setting FOR SELECT TO cobro_daemon USING (true);

-- A shorter maximum shortens the leases already taken at once (functions/lease.sql).
CREATE TRIGGER lease_setting_cap AFTER UPDATE ON lease_setting
	FOR EACH ROW EXECUTE FUNCTION lease_setting_cap();

-- Leases taken before the bound are cut to it.
UPDATE lease SET expires_at = now() + interval '300 seconds' WHERE expires_at > now() + interval '300 seconds';
