-- as: t_lead
-- Issue 18, line 3, as the lead of another team (t_lead, team t_a): team
-- t_c's proposed numbers are not hers to decide.
BEGIN;
\ir lib.sql
SELECT plan(2);

SELECT is(session_user::text, 't_lead', 'runs as the login role t_lead');
SELECT is(pg_temp.refused_code(format('SELECT contact_point_decide(%s, %s, true)', :acc_clean2, :cp_clean2_phone)),
          '42501', 'confirming another team''s proposed number: refused');
SELECT * FROM finish();
ROLLBACK;
