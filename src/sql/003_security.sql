-- Who may see and do what (docs/architecture.md, "Who may do what").
-- Row-level security is the boundary: a collector in psql sees exactly what the
-- workstation shows. The policies call the helpers of functions/session.sql.
-- uses: functions/session.sql functions/audit.sql
-- Its functions moved to src/sql/functions/; a database that ran
-- the text before is at the same schema (cobroctl migrate accepts it):
-- supersedes: 8d459950b562484cbb5124fe17f6984e
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- ---------------------------------------------------------------- audit chain
-- The head of the chain, which functions/audit.sql locks and moves on.
CREATE TABLE audit_head (
	one  boolean PRIMARY KEY DEFAULT true CHECK (one),
	hash bytea
);
ALTER TABLE audit_head ENABLE ROW LEVEL SECURITY;   -- no policy, no grant: only the owner
INSERT INTO audit_head (hash) VALUES (NULL);

-- Audited: assignments, promises, contact points, policy, people.
CREATE TRIGGER account_assignment_audit AFTER UPDATE OF agent_id, team_id ON account
	FOR EACH ROW WHEN (OLD.agent_id IS DISTINCT FROM NEW.agent_id OR OLD.team_id IS DISTINCT FROM NEW.team_id)
	EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER promise_audit AFTER INSERT OR UPDATE OR DELETE ON promise
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER contact_point_audit AFTER UPDATE OR DELETE ON contact_point
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER contact_policy_audit AFTER INSERT ON contact_policy
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER agent_audit AFTER INSERT OR UPDATE OR DELETE ON agent
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();

-- ------------------------------------------------------------------ grants
GRANT SELECT ON ALL TABLES IN SCHEMA cobro TO cobro_admin, cobro_daemon;
GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA cobro TO cobro_admin;
REVOKE INSERT, UPDATE, DELETE ON audit, schema_migration FROM cobro_admin;
REVOKE ALL ON audit_head FROM cobro_admin, cobro_daemon;
GRANT INSERT ON event, message TO cobro_daemon;
-- The history is append-only, for admins too.
REVOKE UPDATE, DELETE ON event FROM cobro_admin;
-- Partitions are reached through event only (its grants and policies apply there).
DO $$
DECLARE
	p regclass;
BEGIN
	FOR p IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'cobro.event'::regclass LOOP
		EXECUTE format('REVOKE ALL ON %s FROM cobro_admin, cobro_daemon', p);
	END LOOP;
END
$$;
GRANT UPDATE ON message, promise TO cobro_daemon;
GRANT UPDATE (opted_out, opted_out_at, bad_since) ON contact_point TO cobro_daemon;
GRANT UPDATE (replied_at, last_contact_at, next_action_at, updated_at) ON account TO cobro_daemon;

GRANT SELECT ON team, agent, creditor, template, strategy, strategy_step, contact_policy,
	debtor, contact_point, account, installment, payment, promise, promise_installment,
	message, event
	TO cobro_collector, cobro_supervisor;
-- Column lists leave out the times and states the server sets: nobody backdates
-- history or files a message as already delivered.
GRANT INSERT (account_id, debtor_id, agent_id, kind, direction, outcome, message_id, amount, body, data)
	ON event TO cobro_collector, cobro_supervisor;
GRANT INSERT (account_id, debtor_id, contact_point_id, channel, recipient, subject, body, template_id,
              idempotency_key, agent_id)
	ON message TO cobro_collector, cobro_supervisor;
GRANT INSERT (account_id, agent_id, amount, currency, due_date, discount, channel, note)
	ON promise TO cobro_collector, cobro_supervisor;
GRANT INSERT ON promise_installment TO cobro_collector, cobro_supervisor;
GRANT UPDATE (status, note, resolved_at) ON promise TO cobro_collector;
GRANT UPDATE (next_action_at, last_contact_at, replied_at, status, updated_at) ON account TO cobro_collector;
GRANT UPDATE (bad_since, opted_out, opted_out_at, consent) ON contact_point TO cobro_collector;
-- Moving accounts is the lead's job.
GRANT UPDATE (agent_id, updated_at) ON account TO cobro_lead;

-- ------------------------------------------------------------- row security
ALTER TABLE agent ENABLE ROW LEVEL SECURITY;
ALTER TABLE account ENABLE ROW LEVEL SECURITY;
ALTER TABLE debtor ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact_point ENABLE ROW LEVEL SECURITY;
ALTER TABLE installment ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment ENABLE ROW LEVEL SECURITY;
ALTER TABLE promise ENABLE ROW LEVEL SECURITY;
ALTER TABLE promise_installment ENABLE ROW LEVEL SECURITY;
ALTER TABLE message ENABLE ROW LEVEL SECURITY;
ALTER TABLE event ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit ENABLE ROW LEVEL SECURITY;

-- Admins and the daemon see everything, debtors without an account yet included.
CREATE POLICY all_rows ON agent TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON account TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON debtor TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON contact_point TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON installment TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON payment TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON promise TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON promise_installment TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON message TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON event TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON audit FOR SELECT TO cobro_admin USING (true);

-- People see their own team's people.
CREATE POLICY own_team ON agent FOR SELECT TO cobro_collector, cobro_supervisor
	USING (team_id = (SELECT my_team_id()));

-- Accounts: a collector works their own; supervisors and leads read their team's;
-- a lead moves accounts only between agents of their own team.
-- The team check keeps a collector moved to another team out of the old one.
CREATE POLICY collector_own ON account TO cobro_collector
	USING (agent_id = (SELECT my_agent_id()) AND team_id = (SELECT my_team_id()))
	WITH CHECK (agent_id = (SELECT my_agent_id()) AND team_id = (SELECT my_team_id()));
CREATE POLICY supervisor_team ON account FOR SELECT TO cobro_supervisor
	USING (team_id = (SELECT my_team_id()));
CREATE POLICY lead_assign ON account FOR UPDATE TO cobro_lead
	USING (team_id = (SELECT my_team_id()))
	WITH CHECK (team_id = (SELECT my_team_id())
	            AND (agent_id IS NULL OR agent_team(agent_id) = (SELECT my_team_id())));

-- Everything hanging from an account is visible exactly when the account is:
-- the sub-select on account is itself filtered by the policies above.
CREATE POLICY via_account ON debtor
	USING (EXISTS (SELECT 1 FROM account a WHERE a.debtor_id = debtor.id));
CREATE POLICY via_account ON contact_point
	USING (EXISTS (SELECT 1 FROM account a WHERE a.debtor_id = contact_point.debtor_id));
CREATE POLICY via_account ON installment
	USING (EXISTS (SELECT 1 FROM account a WHERE a.id = installment.account_id));
CREATE POLICY via_account ON payment
	USING (EXISTS (SELECT 1 FROM account a WHERE a.id = payment.account_id));
CREATE POLICY via_account ON promise
	USING (EXISTS (SELECT 1 FROM account a WHERE a.id = promise.account_id));
CREATE POLICY via_account ON promise_installment
	USING (EXISTS (SELECT 1 FROM promise p WHERE p.id = promise_installment.promise_id));
CREATE POLICY via_account ON message
	USING (EXISTS (SELECT 1 FROM account a WHERE a.id = message.account_id)
	       OR (message.account_id IS NULL
	           AND EXISTS (SELECT 1 FROM account a WHERE a.debtor_id = message.debtor_id)));
CREATE POLICY via_account ON event
	USING (EXISTS (SELECT 1 FROM account a WHERE a.id = event.account_id)
	       OR (event.account_id IS NULL
	           AND EXISTS (SELECT 1 FROM account a WHERE a.debtor_id = event.debtor_id)));

-- A row filed under an account is about that account's debtor and contact
-- points. Restrictive: ANDed with every permissive policy above.
CREATE POLICY same_debtor ON event AS RESTRICTIVE FOR INSERT
	WITH CHECK (account_id IS NULL
	            OR EXISTS (SELECT 1 FROM account a WHERE a.id = event.account_id AND a.debtor_id = event.debtor_id));
CREATE POLICY same_debtor ON message AS RESTRICTIVE FOR INSERT
	WITH CHECK ((account_id IS NULL
	             OR EXISTS (SELECT 1 FROM account a WHERE a.id = message.account_id AND a.debtor_id = message.debtor_id))
	            AND (contact_point_id IS NULL
	                 OR EXISTS (SELECT 1 FROM contact_point c
	                            WHERE c.id = message.contact_point_id AND c.debtor_id = message.debtor_id)));

-- People write history in their own name only, and a new message or promise
-- starts at the beginning of its life: the dashboards count these rows.
CREATE POLICY own_name ON event AS RESTRICTIVE FOR INSERT TO cobro_collector, cobro_supervisor
	WITH CHECK (agent_id = (SELECT my_agent_id()));
CREATE POLICY own_name ON message AS RESTRICTIVE FOR INSERT TO cobro_collector, cobro_supervisor
	WITH CHECK (agent_id = (SELECT my_agent_id()) AND status = 'queued' AND attempts = 0);
CREATE POLICY own_name ON promise AS RESTRICTIVE FOR INSERT TO cobro_collector, cobro_supervisor
	WITH CHECK (agent_id = (SELECT my_agent_id()) AND status = 'pending');
