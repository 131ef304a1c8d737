-- The rows a reassignment test made for a team of its own (@TEAM@, put in
-- by the test): its accounts with their history, moves, batches, absences,
-- debtors, people and the team, so that the suites after it find the shared
-- demo as it was. Run as the superuser. The audit rows stay: nobody removes
-- those.
CREATE TEMP TABLE gone_team AS SELECT id FROM cobro.team WHERE code = '@TEAM@';
CREATE TEMP TABLE gone_accounts AS
	SELECT a.id, a.debtor_id FROM cobro.account a WHERE a.team_id IN (SELECT id FROM gone_team);
DELETE FROM cobro.event WHERE account_id IN (SELECT id FROM gone_accounts);
DELETE FROM cobro.agent_absence WHERE team_id IN (SELECT id FROM gone_team);
DELETE FROM cobro.reassign_move WHERE batch_id IN (SELECT id FROM cobro.reassign_batch WHERE team_id IN (SELECT id FROM gone_team));
DELETE FROM cobro.reassign_batch WHERE team_id IN (SELECT id FROM gone_team);
DELETE FROM cobro.lease WHERE account_id IN (SELECT id FROM gone_accounts);
DELETE FROM cobro.account WHERE id IN (SELECT id FROM gone_accounts);
DELETE FROM cobro.debtor WHERE id IN (SELECT debtor_id FROM gone_accounts);
DELETE FROM cobro.metric_hour WHERE agent_id IN (SELECT id FROM cobro.agent WHERE team_id IN (SELECT id FROM gone_team));
DELETE FROM cobro.agent WHERE team_id IN (SELECT id FROM gone_team);
DELETE FROM cobro.team WHERE id IN (SELECT id FROM gone_team);
