-- as: t_clead
-- Issue 18, line 3, as the team's lead (t_clead, team t_c): a supervisor of
-- the team, she may confirm; the lead of another team (test_clean_cc2's
-- counterpart, t_lead) may not.
BEGIN;
\ir lib.sql
SELECT plan(2);

SELECT is(session_user::text, 't_clead', 'runs as the login role t_clead');
SELECT isnt(contact_point_decide(:acc_clean2, :cp_clean2_phone, true), NULL, 'she confirms her team''s proposed number');
SELECT * FROM finish();
ROLLBACK;
