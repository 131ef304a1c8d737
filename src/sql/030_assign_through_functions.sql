-- A lead moves accounts only through the reassignment functions (issue 17,
-- line 5; functions/reassign.sql), never by writing account.agent_id.
--
-- 016_state_through_functions.sql left leads a column grant and the policy
-- lead_assign, from before reassignment had functions: an UPDATE of
-- agent_id in psql was audited (account_assignment_audit) but wrote no
-- event, so the collector's history and the dashboard did not see the move,
-- no batch could undo it, and an account open on a collector's workstation
-- moved under their hands. The database is the boundary: what the
-- workstation cannot do, psql cannot either. The administrator keeps the
-- column (corrections, audited), as 016 says.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

REVOKE UPDATE ON account FROM cobro_lead;
DROP POLICY lead_assign ON account;
