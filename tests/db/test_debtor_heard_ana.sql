-- as: ana
-- Issue 18, line 11, as a collector (ana): when debtors were last heard
-- from (debtor_heard, 036) is the strategy run's, not hers: she reads the
-- history of her own accounts on their screens instead. Nor does she reach
-- the functions that keep it.
BEGIN;
\ir lib.sql
SELECT plan(5);

SELECT is(session_user::text, 'ana', 'runs as the login role ana');
SELECT is(pg_temp.refused_code('SELECT * FROM debtor_heard'), '42501', 'debtor_heard: not read');
SELECT is(pg_temp.refused_code('INSERT INTO debtor_heard (debtor_id) VALUES (1)'), '42501', '  nor written');
SELECT is(pg_temp.refused_code('SELECT debtor_heard_rebuild()'), '42501', 'rebuilding it: refused');
SELECT is(pg_temp.refused_code('SELECT * FROM debtor_heard_of(NULL)'), '42501', 'the history''s aggregate: refused');

SELECT * FROM finish();
ROLLBACK;
