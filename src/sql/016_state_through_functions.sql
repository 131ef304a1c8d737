-- State changes only through functions that check and record (issue 14,
-- line 2; docs/security.md, "State changes").
--
-- A collector, a supervisor or a lead held column grants on account,
-- contact_point, promise and callback and INSERT on event and promises, so
-- from psql they could lift a dispute, clear an opt-out, mark an account
-- paid, file a payment event, set last_contact_at in 1999 or write a 20 MB
-- event body. People now write none of these tables: the workstation calls
-- the SECURITY DEFINER functions of functions/account_actions.sql, which
-- check who is asking and what is asked, take the times from now(), and
-- record an event and an audit row. Lifting a dispute, a bad number or an
-- opt-out is a supervisor's or an administrator's function; payments and
-- promise outcomes stay with cobrod and the administrator.
-- uses: functions/account_actions.sql functions/audit.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- People's roles: no direct write on the state a screen shows. A table-level
-- REVOKE takes the column grants of 003_security.sql and 005_workstation.sql
-- with it.
REVOKE INSERT, UPDATE, DELETE ON account, contact_point, promise, promise_installment, event, payment, callback
	FROM cobro_collector, cobro_supervisor, cobro_lead;
-- Moving an account between agents of the lead's own team stays the lead's
-- (policy lead_assign checks the team; account_assignment_audit records it).
GRANT UPDATE (agent_id, updated_at) ON account TO cobro_lead;

-- The administrator: the history is written only through functions, and an
-- account's working state (status, contact times) and a contact point's
-- opt-outs and bad mark change only through the audited functions.
-- Assignment, payments and promise outcomes remain theirs.
REVOKE INSERT ON event FROM cobro_admin;
REVOKE UPDATE ON account FROM cobro_admin;
GRANT UPDATE (creditor_id, product, reference, currency, balance, past_due, oldest_due, segment, score,
              team_id, agent_id, updated_at, rank_value, rank_day)
	ON account TO cobro_admin;
REVOKE UPDATE, DELETE ON contact_point FROM cobro_admin;
-- A point's data stays the administrator's to correct (audited by
-- contact_point_audit); its opt-outs and bad mark do not, nor deleting it,
-- which would forget them.
GRANT UPDATE (kind, value, consent, is_primary) ON contact_point TO cobro_admin;
REVOKE INSERT, UPDATE, DELETE ON callback FROM cobro_admin;

-- Payments stay the administrator's to record; each is now audited, as
-- promises are (cobroctl demo switches the audit triggers off for its load).
CREATE TRIGGER payment_audit AFTER INSERT OR UPDATE OR DELETE ON payment
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();
