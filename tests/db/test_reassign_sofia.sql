-- as: sofia
-- Issue 17, lines 5 and 7, as a supervisor (sofia, team norte): she may not
-- reassign (the database refuses every call that would, or previews it),
-- and reads her team's batches, never another team's.
BEGIN;
\ir lib.sql
SELECT plan(12);

SELECT is(session_user::text, 'sofia', 'runs as the login role sofia');

SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_count('{}')$$), '42501', 'count: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_preview('{"agent": "luis"}', '{ana}', 'one')$$), '42501', 'preview: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_apply('{"agent": "luis"}', '{ana}', 'one')$$), '42501', 'apply: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_undo(0)$$), '42501', 'undo: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_absent('luis', current_date + 2)$$), '42501', 'an absence: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_agents(NULL)$$), '42501', 'the agents to choose from: refused');
SELECT is(pg_temp.refused_code($$UPDATE account SET agent_id = NULL WHERE id = (SELECT min(id) FROM account)$$), '42501',
          'moving an account by hand: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_batches(NULL, 10)$$), 'done', 'she reads her team''s batches');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_batches('sur', 10)$$), '42501', '  not team sur''s');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_batch$$), 'done', '  and the table, under row security');
SELECT is(pg_temp.refused_code($$INSERT INTO reassign_batch (team_id, kind) VALUES (1, 'reassign')$$), '42501',
          '  never writes it');

SELECT * FROM finish();
ROLLBACK;
