-- The worklist from an index: each account keeps the parts of its priority
-- that do not depend on the minute (docs/priority.md), so a collector's first
-- page is read in index order instead of ranking all their accounts.
-- uses: functions/priority.sql functions/account_derived.sql
-- Its functions moved to src/sql/functions/; a database that ran
-- the text before is at the same schema (cobroctl migrate accepts it):
-- supersedes: ad563db63ec194cd142a2a895cb1959e
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- The one weight that shapes the stored rank: p(pay) falls by dpd_decay per
-- 30 days past due. It lives here, not in each cobro.conf, so that the whole
-- floor ranks alike and the index holds that ranking.
CREATE TABLE priority_setting (
	only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
	dpd_decay  float8 NOT NULL DEFAULT 0.08 CHECK (dpd_decay >= 0 AND dpd_decay <= 1),
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by text NOT NULL DEFAULT session_user
);
INSERT INTO priority_setting DEFAULT VALUES;
GRANT SELECT ON priority_setting TO cobro_collector, cobro_supervisor, cobro_admin, cobro_daemon;

-- rank_value, rank_day: rank_value() as of rank_day (refreshed daily, as days
--   past due grow: priority_refresh());
-- promise_status, promise_due: the newest promise's status, and the day it
--   puts the account on top: its due date while pending, -infinity once broken;
-- workable: the account is worked at all (active, and its debtor active).
ALTER TABLE account
	ADD COLUMN rank_value     float8 NOT NULL DEFAULT 0,
	ADD COLUMN rank_day       date,
	ADD COLUMN promise_status text,
	ADD COLUMN promise_due    date,
	ADD COLUMN workable       boolean NOT NULL DEFAULT false;

-- The accounts as they are now, before the triggers below keep them so
-- (functions/account_derived.sql).
ALTER TABLE account DISABLE TRIGGER notify_account;
UPDATE account a SET rank_day = current_date,
	rank_value = rank_value(a.balance, a.score, a.oldest_due, current_date,
	                        (SELECT dpd_decay FROM priority_setting)),
	workable = a.status = 'active' AND d.state = 'active',
	promise_status = (SELECT status FROM promise WHERE account_id = a.id
	                  ORDER BY created_at DESC, id DESC LIMIT 1),
	promise_due = (SELECT CASE status WHEN 'pending' THEN due_date WHEN 'broken' THEN '-infinity'::date END
	               FROM promise WHERE account_id = a.id ORDER BY created_at DESC, id DESC LIMIT 1)
FROM debtor d
WHERE d.id = a.debtor_id;
ALTER TABLE account ENABLE TRIGGER notify_account;

CREATE TRIGGER account_derive BEFORE INSERT OR UPDATE ON account
	FOR EACH ROW EXECUTE FUNCTION account_derive();
CREATE TRIGGER debtor_workable AFTER UPDATE OF state ON debtor
	FOR EACH ROW WHEN (NEW.state IS DISTINCT FROM OLD.state) EXECUTE FUNCTION debtor_workable();

CREATE TRIGGER account_promise_insert AFTER INSERT ON promise
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION account_promise();
CREATE TRIGGER account_promise_update AFTER UPDATE ON promise
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION account_promise();
CREATE TRIGGER account_promise_delete AFTER DELETE ON promise
	REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION account_promise();

-- A collector's first page, read in index order: all their workable accounts
-- by stored rank, and the same for the two sets that jump ahead (a callback
-- due, a promise due or broken). team_id and the two dates are carried so
-- the page is decided from the indexes alone.
CREATE INDEX account_worklist_idx ON account (agent_id, rank_value DESC, id)
	INCLUDE (team_id, next_action_at, promise_due) WHERE workable;
CREATE INDEX account_worklist_callback_idx ON account (agent_id, rank_value DESC, id)
	INCLUDE (team_id, next_action_at, promise_due) WHERE workable AND next_action_at IS NOT NULL;
CREATE INDEX account_worklist_promise_idx ON account (agent_id, rank_value DESC, id)
	INCLUDE (team_id, next_action_at, promise_due) WHERE workable AND promise_due IS NOT NULL;
