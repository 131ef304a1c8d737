-- What the workstation needs beyond the nouns: leases (one collector on an
-- account at a time), callbacks, accent-insensitive search, and NOTIFY on
-- every change a screen shows.
-- uses: functions/session.sql functions/fold.sql functions/notify.sql
-- Its functions moved to src/sql/functions/; a database that ran
-- the text before is at the same schema (cobroctl migrate accepts it):
-- supersedes: b5de9479d3086527d39f852f8980a39c
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- ------------------------------------------------------------------ leases
-- Who is working an account right now. A lease lasts a few minutes and the
-- workstation renews it while the account is open; a workstation that died
-- simply stops renewing, and the lease expires (functions/lease.sql).
CREATE TABLE lease (
	account_id bigint PRIMARY KEY REFERENCES account ON DELETE CASCADE,
	agent_id   bigint NOT NULL REFERENCES agent,
	session    text NOT NULL,    -- the workstation's own id: two windows of one person are two holders
	taken_at   timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL
);

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
-- Accents and case folded away (functions/fold.sql).
CREATE INDEX debtor_name_fold_idx ON debtor USING gin (fold(name) public.gin_trgm_ops);
CREATE INDEX account_reference_lower_idx ON account (lower(reference));

-- ------------------------------------------------------------ live refresh
-- Every change a screen shows is announced on cobro_account with the account
-- id (functions/notify.sql); the workstation listens and reloads what is on
-- screen.
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
