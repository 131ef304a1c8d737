-- A wrong number or a dispute can be taken back by whoever just marked it
-- (issue 15, line 6): `c`, Wrong number, and the debtor's only mobile was bad
-- at once, with no way back but a supervisor. account_undo_call()
-- (functions/account_actions.sql) lets the collector who logged the call undo
-- its mark for this long after it; past it, or for anyone else's, lifting
-- stays a supervisor's (account_lift_dispute(), contact_point_lift_bad()).
-- The administrator's to set, as lease_setting is.
-- uses: functions/audit.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE TABLE undo_setting (
	one            boolean PRIMARY KEY DEFAULT true CHECK (one),
	window_seconds integer NOT NULL DEFAULT 600 CHECK (window_seconds BETWEEN 0 AND 3600)
);
INSERT INTO undo_setting DEFAULT VALUES;
GRANT SELECT ON undo_setting TO cobro_collector, cobro_supervisor, cobro_admin;
GRANT UPDATE (window_seconds) ON undo_setting TO cobro_admin;
ALTER TABLE undo_setting ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_sets ON undo_setting TO cobro_admin USING (true);
CREATE POLICY people_read ON undo_setting FOR SELECT TO cobro_collector, cobro_supervisor USING (true);
CREATE TRIGGER undo_setting_audit AFTER UPDATE ON undo_setting
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();
