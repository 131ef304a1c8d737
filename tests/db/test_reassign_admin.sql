-- as: admin
-- Issue 17, lines 5, 6 and 7, as an administrator: any team's accounts, a
-- team named; each move an audit row on the chain (the account's row, who,
-- from and to) and the batch's own; undo by batch id.
BEGIN;
\ir lib.sql
SELECT plan(10);

SELECT is(session_user::text, 'admin', 'runs as the login role admin');

SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_count('{}')$$), '22023', 'an administrator names a team');
SELECT ok((SELECT sum(accounts) FROM reassign_count('{"team": "sur"}')) > 0, 'team sur''s accounts, counted');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_apply('{"agent": "carla"}', '{ana}', 'one')$$), '22023',
          'not to an agent of another team');

SELECT max(id) AS audit_before FROM audit \gset
CREATE TEMP TABLE applied AS
	SELECT * FROM reassign_apply('{"agent": "carla", "dpd_from": 61}', '{diego}', 'one');
SELECT ok((SELECT sum(accounts) FROM applied) > 0, 'carla''s accounts over 60 days past due to diego');
SELECT is((SELECT count(*) FROM audit WHERE id > :audit_before AND tbl = 'account' AND action = 'UPDATE'
             AND actor = 'admin' AND (old->>'agent_id')::bigint = (SELECT id FROM agent WHERE login = 'carla')
             AND (new->>'agent_id')::bigint = (SELECT id FROM agent WHERE login = 'diego')),
          (SELECT sum(accounts)::bigint FROM applied), 'an audit row per account moved: who, from, to');
SELECT is((SELECT count(*)::int FROM audit WHERE id > :audit_before AND tbl = 'reassign_batch'
             AND row_id = (SELECT min(batch) FROM applied)), 1, 'and one for the batch');
SELECT is((SELECT (audit_verify()).broken_id), NULL::bigint, 'the chain still verifies');
SELECT is((SELECT restored FROM reassign_undo((SELECT min(batch) FROM applied))), (SELECT sum(accounts)::bigint FROM applied),
          'undo by batch id');
SELECT is((SELECT undone FROM reassign_batches('sur', 1)), true, 'the batch reads undone');

SELECT * FROM finish();
ROLLBACK;
