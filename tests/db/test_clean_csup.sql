-- as: t_csup
-- Issue 18, line 3, as the team's supervisor (t_csup, team t_c): she
-- decides on a proposed number of her team's account; a rejected number
-- stays, never usable.
BEGIN;
\ir lib.sql
SELECT plan(5);

SELECT is(session_user::text, 't_csup', 'runs as the login role t_csup');
SELECT isnt(contact_point_decide(:acc_clean2, :cp_clean2_phone, false), NULL, 'she rejects the proposed number');
SELECT is((SELECT row(proposal, consent)::text FROM contact_point WHERE id = :cp_clean2_phone),
          row('rejected', '{}'::text[])::text, '  kept as rejected, with no consent');
SELECT is(pg_temp.refused_code(format('SELECT contact_point_decide(%s, %s, true)', :acc_clean2, :cp_clean2_phone)),
          '55000', '  and cannot be confirmed afterwards');
SELECT is((SELECT count(*)::int FROM event WHERE account_id = :acc_clean2 AND kind = 'contact_point'
           AND outcome = 'rejected' AND agent_id = my_agent_id()), 1, '  an event under her name');
SELECT * FROM finish();
ROLLBACK;
