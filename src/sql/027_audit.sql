-- The audit chain made append-only and complete (issue 17, line 6).
--
-- Grants already kept every group from writing audit (003_security.sql);
-- a trigger now refuses UPDATE, DELETE and TRUNCATE to every role, the
-- owner's SECURITY DEFINER functions included, so only a superuser can touch
-- a row, and audit_verify() then finds it (functions/audit_chain.sql).
--
-- What was not audited and now is: an account's status however it changes
-- (the dispute functions write their own line too; an administrator's
-- UPDATE did not), teams, contact points added, and every login
-- (audit_login(), called by cobro, cobroctl and cobrod once connected).
-- Templates, contact rules (policy and promise limit versions, the undo
-- window), people, assignments and promises were audited already.
--
-- Who reads the trail: administrators only (policy all_rows of
-- 003_security.sql). Supervisors and leads read their team's history in the
-- events, which name who moved what; the audit rows hold whole rows of any
-- team and every login, and stay with the administrators (docs/security.md).
-- uses: functions/audit.sql functions/audit_chain.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- A transaction's first write checks that the row the head names is still
-- there (functions/audit.sql), and audit_verify() finds rows by their hash.
CREATE INDEX audit_hash ON audit USING hash (hash);

CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
	FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_append_only_truncate BEFORE TRUNCATE ON audit
	FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
-- The head moves only through audit_write(); nobody removes it.
CREATE TRIGGER audit_head_kept BEFORE DELETE ON audit_head
	FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_head_kept_truncate BEFORE TRUNCATE ON audit_head
	FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

CREATE TRIGGER account_status_audit AFTER UPDATE OF status ON account
	FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
	EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER team_audit AFTER INSERT OR UPDATE OR DELETE ON team
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();
DROP TRIGGER contact_point_audit ON contact_point;
CREATE TRIGGER contact_point_audit AFTER INSERT OR UPDATE OR DELETE ON contact_point
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();

-- audit_show() and the verify read the chain in id order, filtered by who
-- and when: indexes for the filters of cobroctl audit show.
CREATE INDEX audit_actor_at ON audit (actor, at);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_tbl_row ON audit (tbl, row_id);
