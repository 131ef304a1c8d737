-- Contact policy versions carry their holiday calendars, and every new version
-- is announced (functions/notify.sql) so that workstations and daemons switch
-- to it at once. What the policy counts as contacts is functions/contact_history.sql.
-- uses: functions/notify.sql
-- Its functions moved to src/sql/functions/; a database that ran
-- the text before is at the same schema (cobroctl migrate accepts it):
-- supersedes: f195ee61034058bbf079d6f37d2487d0
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

ALTER TABLE contact_policy ADD COLUMN holidays text NOT NULL DEFAULT '';

CREATE TRIGGER contact_policy_notify AFTER INSERT ON contact_policy
	FOR EACH ROW EXECUTE FUNCTION contact_policy_notify();

-- Only admins load rules; everybody who contacts debtors reads them.
GRANT SELECT ON contact_policy TO cobro_collector, cobro_supervisor, cobro_daemon;
REVOKE UPDATE, DELETE ON contact_policy FROM cobro_admin;
