-- as: t_lead
-- Issue 17, line 5, as a lead (t_lead, team t_a): an account open on
-- another person's workstation (TFX-col2-2, t_col2's lease) is not moved
-- under their hands: its move waits; the others move at once.
BEGIN;
\ir lib.sql
SELECT plan(7);

SELECT is(session_user::text, 't_lead', 'runs as the login role t_lead');

SELECT is((SELECT sum(pending)::int FROM reassign_preview('{"agent": "t_col2"}', '{t_col1}', 'one')), 1,
          'the preview says one account waits for a lease');
CREATE TEMP TABLE applied AS SELECT * FROM reassign_apply('{"agent": "t_col2"}', '{t_col1}', 'one');
SELECT is((SELECT a.agent_id FROM account a WHERE a.id = :acc_col2_2), :ag_col2::bigint,
          'the leased account stays with t_col2 for now');
SELECT is((SELECT a.agent_id FROM account a WHERE a.id = :acc_col2_1), :ag_col1::bigint, 'the other one moved');
SELECT is((SELECT state FROM reassign_move WHERE account_id = :acc_col2_2 AND batch_id = (SELECT min(batch) FROM applied)),
          'pending', 'its move is pending');
SELECT is((SELECT pending FROM reassign_batches(NULL, 1)), 1::bigint, 'the batch says so');
SELECT is((SELECT count(*)::int FROM event WHERE account_id = :acc_col2_2 AND kind = 'assignment'
             AND (data->>'batch')::bigint = (SELECT min(batch) FROM applied)), 0, 'and no event yet');

SELECT * FROM finish();
ROLLBACK;
