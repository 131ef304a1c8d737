-- Reassignment (issue 17, line 5; the functions are functions/reassign.sql).
--
-- reassign_batch: one row per move of many accounts at once: a lead's or an
-- administrator's reassignment, an agent marked absent (their accounts to
-- the team's pool), their return, an undo. reassign_move: each account of a
-- batch, from whom to whom, and its state: done, pending (the account was
-- open on another person's workstation: it moves when that lease ends),
-- undone, or dropped (a pending move that did not happen: undone, or the
-- account changed hands meanwhile). agent_absence: who is absent until when.
--
-- Nobody writes these tables but the functions; supervisors and leads read
-- their team's rows, administrators every row (the account's events name
-- who moved what for everyone who reads the account).
-- uses: functions/session.sql functions/audit.sql functions/notify.sql functions/reassign.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE TABLE reassign_batch (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at         timestamptz NOT NULL DEFAULT now(),
	by_agent   bigint REFERENCES agent,            -- NULL: no agent row (a superuser)
	by_login   text NOT NULL DEFAULT session_user,
	team_id    bigint NOT NULL REFERENCES team,
	kind       text NOT NULL CHECK (kind IN ('reassign', 'absent', 'return')),
	mode       text CHECK (mode IN ('one', 'count', 'balance')),
	filter     jsonb,
	targets    text[],
	undone_at  timestamptz,
	undone_by  text
);
CREATE INDEX reassign_batch_team_idx ON reassign_batch (team_id, id DESC);
CREATE INDEX reassign_batch_by_idx ON reassign_batch (by_login, id DESC);

CREATE TABLE reassign_move (
	batch_id   bigint NOT NULL REFERENCES reassign_batch,
	account_id bigint NOT NULL REFERENCES account ON DELETE CASCADE,
	-- Agents are never deleted (they are deactivated); as in event, no key
	-- is checked for them: 10,000 moves checked two keys each for nothing.
	from_agent bigint,                             -- NULL: the team's pool
	to_agent   bigint,                             -- NULL: the team's pool
	state      text NOT NULL CHECK (state IN ('done', 'pending', 'undone', 'dropped')),
	done_at    timestamptz,
	PRIMARY KEY (batch_id, account_id)
);
CREATE INDEX reassign_move_pending_idx ON reassign_move (account_id) WHERE state = 'pending';

CREATE TABLE agent_absence (
	agent_id   bigint PRIMARY KEY REFERENCES agent,
	team_id    bigint NOT NULL REFERENCES team,
	until      date NOT NULL,
	batch_id   bigint NOT NULL REFERENCES reassign_batch,
	marked_by  text NOT NULL DEFAULT session_user,
	marked_at  timestamptz NOT NULL DEFAULT now()
);

REVOKE ALL ON reassign_batch, reassign_move, agent_absence
	FROM PUBLIC, cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;
GRANT SELECT ON reassign_batch, reassign_move, agent_absence TO cobro_supervisor, cobro_admin;
ALTER TABLE reassign_batch ENABLE ROW LEVEL SECURITY;
ALTER TABLE reassign_move ENABLE ROW LEVEL SECURITY;
ALTER TABLE agent_absence ENABLE ROW LEVEL SECURITY;
CREATE POLICY team ON reassign_batch FOR SELECT TO cobro_supervisor
	USING (team_id = (SELECT my_team_id()));
CREATE POLICY all_rows ON reassign_batch FOR SELECT TO cobro_admin USING (true);
CREATE POLICY team ON reassign_move FOR SELECT TO cobro_supervisor
	USING (EXISTS (SELECT 1 FROM reassign_batch b WHERE b.id = batch_id));
CREATE POLICY all_rows ON reassign_move FOR SELECT TO cobro_admin USING (true);
CREATE POLICY team ON agent_absence FOR SELECT TO cobro_supervisor
	USING (team_id = (SELECT my_team_id()));
CREATE POLICY all_rows ON agent_absence FOR SELECT TO cobro_admin USING (true);

-- The batches and absences are on the audit chain; each account's move is
-- there too, as the account's row (account_assignment_audit, 003).
CREATE TRIGGER reassign_batch_audit AFTER INSERT OR UPDATE ON reassign_batch
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER agent_absence_audit AFTER INSERT OR UPDATE OR DELETE ON agent_absence
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();

-- A lease ends (released, or taken away): the moves that waited for it
-- happen now (functions/reassign.sql). A lease that expires without being
-- released is cobrod's: its sweep applies them (reassign_sweep()).
CREATE TRIGGER lease_ended AFTER DELETE ON lease
	FOR EACH ROW EXECUTE FUNCTION reassign_lease_ended();

-- Bulk writes announce themselves once per statement (functions/notify.sql,
-- notify_account()): an UPDATE of accounts and an INSERT of events, as a
-- reassignment of 10,000 accounts writes them (issue 17, line 9). The same
-- change_log rows, one per transaction, kind and account, as row by row.
DROP TRIGGER notify_account ON account;
CREATE TRIGGER notify_account AFTER INSERT OR DELETE ON account
	FOR EACH ROW EXECUTE FUNCTION notify_account();
CREATE TRIGGER notify_account_update AFTER UPDATE ON account
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION notify_account();
DROP TRIGGER notify_account ON event;
CREATE TRIGGER notify_account AFTER UPDATE OR DELETE ON event
	FOR EACH ROW EXECUTE FUNCTION notify_account();
CREATE TRIGGER notify_account_insert AFTER INSERT ON event
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION notify_account();
