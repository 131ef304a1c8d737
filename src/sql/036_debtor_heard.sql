-- When each debtor was last heard from: their last reply and last
-- right-party contact over the whole history, one row per debtor heard from,
-- kept by statement triggers on event (functions/debtor_heard.sql).
--
-- A strategy run looks at both for every account (a reply stops a ladder,
-- a segment may ask for no right-party contact in N days). Aggregated from
-- 400 days of history on each run, they were the costliest part of the
-- facts: some 2 s per 100,000 accounts (issue 18, line 11). Kept here, the
-- facts read one row per debtor; for a day before the kept moment (a run of
-- a past day) they look that debtor's history up instead, so the facts of
-- any day stay what the history says.
--
-- Nobody writes it but its triggers. Administrators and cobrod read it
-- (the facts run as their caller); the people at workstations do not need
-- it: the account screen reads the history itself.
-- uses: functions/debtor_heard.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE TABLE debtor_heard (
	debtor_id  bigint PRIMARY KEY,   -- no FK, as event has none: the history outlives its debtors
	last_reply timestamptz,          -- the last sms, email or whatsapp in from the debtor
	last_rpc   timestamptz           -- the last call or visit with outcome right_party
);
REVOKE ALL ON debtor_heard FROM PUBLIC, cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;
GRANT SELECT ON debtor_heard TO cobro_admin, cobro_daemon;
ALTER TABLE debtor_heard ENABLE ROW LEVEL SECURITY;
CREATE POLICY all_rows ON debtor_heard FOR SELECT TO cobro_admin, cobro_daemon USING (true);

CREATE TRIGGER debtor_heard AFTER INSERT ON event REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION debtor_heard_event();
CREATE TRIGGER debtor_heard_update AFTER UPDATE ON event REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION debtor_heard_event_update();
CREATE TRIGGER debtor_heard_delete AFTER DELETE ON event REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION debtor_heard_event_delete();

-- The history written before this migration.
SELECT debtor_heard_rebuild();
ANALYZE debtor_heard;
