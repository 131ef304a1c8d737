-- as: t_sup
-- Issue 17, lines 1 and 7, as a supervisor of team t_a: the presence of her
-- team (t_col1 on an account, t_col2 offline), never team t_b's (t_col3),
-- through the table and through presence_now(); the sweep is not hers.
BEGIN;
\ir lib.sql
SELECT plan(5);

SELECT is(session_user::text, 't_sup', 'runs as the login role t_sup');
SELECT is((SELECT string_agg(login || ':' || screen || ':' || online, ',' ORDER BY login) FROM presence_now()),
          't_col1:account:true,t_col2:account:false', 'her team''s presence, the dead workstation offline');
SELECT is((SELECT count(*)::int FROM presence WHERE agent_id = (SELECT id FROM agent WHERE login = 't_col3')), 0,
          '  not t_col3''s (team t_b) in the table');
SELECT is((SELECT reference FROM presence_now() WHERE login = 't_col1'), 'TFX-col1-1', '  the account t_col1 is on');
SELECT throws_ok('SELECT presence_sweep()', '42501', NULL, 'the sweep is not hers');

SELECT * FROM finish();
ROLLBACK;
