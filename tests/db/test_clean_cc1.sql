-- as: t_cc1
-- Issue 18, line 3, as the account's own collector (t_cc1, team t_c): she
-- sees the number a reply proposed, cannot write to it or call it yet,
-- confirms it (usable, consent for the channel it came by, nothing else
-- lifted, an event), and cannot decide it twice.
BEGIN;
\ir lib.sql
SELECT plan(12);

SELECT is(session_user::text, 't_cc1', 'runs as the login role t_cc1');
SELECT is((SELECT p->>'proposal' FROM json_array_elements(account_screen(:acc_clean2, 10, now())->'points') p
           WHERE (p->>'id')::bigint = :cp_clean2_phone), 'proposed', 'the account screen''s document says proposed');
SELECT is(pg_temp.refused_code(format('SELECT message_queue(%L, %s, %s, %L, NULL, NULL, %L, NULL, 1, %L)',
          '00000000-0000-4000-8000-000000018d01', :acc_clean2, :cp_clean2_phone, 'sms', 'hola', 'gsm7')),
          '23514', 'a proposed number cannot be written to');
SELECT is(pg_temp.refused_code(format('UPDATE contact_point SET proposal = NULL WHERE id = %s', :cp_clean2_phone)),
          '42501', 'nor confirmed by hand');
SELECT is(pg_temp.refused_code(format('SELECT contact_point_decide(%s, %s, true)', :acc_clean2, :cp_clean2_mobile)),
          '55000', 'a point that is not proposed is not decided');
SELECT isnt(contact_point_decide(:acc_clean2, :cp_clean2_phone, true), NULL, 'she confirms the proposed number');
SELECT is((SELECT row(proposal, consent, bad_since IS NULL)::text FROM contact_point WHERE id = :cp_clean2_phone),
          row(NULL::text, '{sms}'::text[], true)::text, '  usable now, with consent for SMS, the channel it came by');
SELECT is((SELECT bad_since IS NOT NULL FROM contact_point WHERE id = :cp_clean2_mobile), true,
          '  the wrong mobile stays wrong: nothing else is lifted');
SELECT is((SELECT count(*)::int FROM event WHERE account_id = :acc_clean2 AND kind = 'contact_point'
           AND outcome = 'confirmed' AND agent_id = my_agent_id() AND (data->>'contact_point')::bigint = :cp_clean2_phone),
          1, '  an event under her name');
SELECT is(pg_temp.refused_code(format('SELECT contact_point_decide(%s, %s, false)', :acc_clean2, :cp_clean2_phone)),
          '55000', '  decided once: rejecting it now is refused');
SELECT is((SELECT p->>'proposal' FROM json_array_elements(account_screen(:acc_clean2, 10, now())->'points') p
           WHERE (p->>'id')::bigint = :cp_clean2_phone), '', 'the document shows it as any point');
SELECT is(pg_temp.refused_code(format('SELECT contact_point_decide(%s, %s, true)', :acc_col1_1, :cp_col1_1_mobile)),
          '42501', 'another team''s account: refused');
SELECT * FROM finish();
ROLLBACK;
