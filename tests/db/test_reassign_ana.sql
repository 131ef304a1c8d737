-- as: ana
-- Issue 17, lines 5 and 7, as a collector (ana, team norte): reassignment
-- is refused by the database, not only the screen: no count, preview,
-- apply, undo, absence (their own neither), agents list, batches, sweep; the
-- tables are not theirs to read or write.
BEGIN;
\ir lib.sql
SELECT plan(14);

SELECT is(session_user::text, 'ana', 'runs as the login role ana');

SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_count('{}')$$), '42501', 'count: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_preview('{"agent": "luis"}', '{ana}', 'one')$$), '42501', 'preview: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_apply('{"agent": "luis"}', '{ana}', 'one')$$), '42501', 'apply: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_apply('{"agent": "ana"}', '{luis}', 'one')$$), '42501', '  their own accounts too');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_undo(0)$$), '42501', 'undo: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_undo_check(0)$$), '42501', 'undo check: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_absent('ana', current_date + 2)$$), '42501', 'marking themselves absent: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_present('ana')$$), '42501', 'present: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_agents(NULL)$$), '42501', 'the agents to choose from: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_batches(NULL, 10)$$), '42501', 'the batches: refused');
SELECT is(pg_temp.refused_code($$SELECT reassign_sweep()$$), '42501', 'the sweep: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_batch$$), '42501', 'reading reassign_batch: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM agent_absence$$), '42501', 'reading agent_absence: refused');

SELECT * FROM finish();
ROLLBACK;
