-- as: t_lead
-- Issue 14, lines 3 to 5, as a team lead (as marta of the demo).
BEGIN;
\ir lib.sql
SELECT plan(5);

SELECT is(session_user::text, 't_lead', 'runs as the login role t_lead');
SELECT is((SELECT row(holder, mine)::text FROM lease_take(:acc_col1_2, 'tfx-col1-session', 120)), '(t_col1,f)',
          'a lead passing t_col1''s session takes nothing either');
SELECT throws_ok('UPDATE lease_setting SET max_seconds = 3600', '42501', NULL, 'a lead cannot set the longest lease');
SELECT throws_ok($$INSERT INTO contact_policy (text) VALUES ('jurisdictions = ();')$$, '42501', NULL,
                 'a lead cannot store contact rules');
SELECT throws_ok($$SELECT agent_add('t_other_app', 'x', 'collector', 't_a')$$, '42501', NULL,
                 'a lead cannot add people');

SELECT * FROM finish();
ROLLBACK;
