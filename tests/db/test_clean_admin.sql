-- as: t_admin
-- Issue 18, line 3, as an administrator (cobroctl strategy clean): the
-- asks are queued once per channel every every_days, to the points left,
-- never to a debtor with a usable number nor to a number marked wrong; an
-- administrator does not decide on a proposed number (a collector of the
-- account does) and cannot write the proposal by hand.
BEGIN;
\ir lib.sql
SELECT plan(13);

SELECT is(session_user::text, 't_admin', 'runs as the login role t_admin');
INSERT INTO template (code, channel, language, subject, body)
VALUES ('tfx_number_update', 'email', 'es', 'Su número', '¿Nos da un número actual?');
SELECT id AS tpl FROM template WHERE code = 'tfx_number_update' \gset
SELECT isnt(cleaning_queue('00000000-0000-4000-8000-000000018c01', :acc_clean1, :cp_clean1_email, 'email', :tpl,
                           'Su número', '¿Nos da un número?', NULL, 3, 7, '2026-12-01 15:00Z'), NULL,
            'the ask by email is queued');
SELECT is((SELECT row(m.agent_id IS NULL, m.ladder, m.status, m.recipient)::text FROM message m
           WHERE m.idempotency_key = '00000000-0000-4000-8000-000000018c01'),
          row(true, 'cleaning', 'queued', 'tfx-clean1@example.test')::text,
          '  as the daemon''s (no agent), ladder cleaning, queued to the email');
SELECT is((SELECT count(*)::int FROM event e JOIN message m ON m.id = e.message_id
           WHERE m.idempotency_key = '00000000-0000-4000-8000-000000018c01' AND e.kind = 'email' AND e.direction = 'out'),
          1, '  with its email out event (what the contact policy counts)');
SELECT is(cleaning_queue('00000000-0000-4000-8000-000000018c02', :acc_clean1, :cp_clean1_email, 'email', :tpl,
                         'Su número', 'otra vez', NULL, 3, 7, '2026-12-05 15:00Z'), NULL,
          'four days later the same channel asks nothing (every_days 7)');
SELECT is((SELECT array_agg(channel) FROM cleaning_due(3, 7, '{email,whatsapp}', '2026-12-05 15:00Z', NULL, NULL)
           WHERE debtor_id = :deb_clean1), '{whatsapp}', '  and the run finds only WhatsApp left to ask');
SELECT isnt(cleaning_queue('00000000-0000-4000-8000-000000018c03', :acc_clean1, :cp_clean1_email, 'email', :tpl,
                           'Su número', 'una semana después', NULL, 3, 7, '2026-12-08 15:01Z'), NULL,
            'seven days later it asks again');
SELECT is(pg_temp.refused_code(format('SELECT cleaning_queue(%L, %s, %s, %L, %s, NULL, %L, NULL, 3, 7, %L)',
          '00000000-0000-4000-8000-000000018c04', :acc_col1_1, :cp_col1_1_email, 'email', :tpl, 'x',
          '2026-12-01 15:00Z')), '55000', 'a debtor with a usable number is never asked');
SELECT is(pg_temp.refused_code(format('SELECT cleaning_queue(%L, %s, %s, %L, %s, NULL, %L, NULL, 3, 7, %L)',
          '00000000-0000-4000-8000-000000018c05', :acc_clean1, :cp_clean1_mobile, 'whatsapp', :tpl, 'x',
          '2026-12-01 15:00Z')), '23514', 'nor asked on the number marked wrong');

SELECT is((SELECT count(*)::int FROM cleaning_request WHERE debtor_id = :deb_clean1 AND asked_at > '2026-11-01'), 2,
          'each ask is a cleaning request of the debtor');
SELECT is(pg_temp.refused_code(format('SELECT contact_point_decide(%s, %s, true)', :acc_clean2, :cp_clean2_phone)),
          '42501', 'an administrator does not confirm a proposed number');
SELECT is(pg_temp.refused_code(format('UPDATE contact_point SET proposal = NULL WHERE id = %s', :cp_clean2_phone)),
          '42501', '  nor clears the proposal by hand');
SELECT is((SELECT proposal FROM contact_point WHERE id = :cp_clean2_phone), 'proposed', '  it is still proposed');
SELECT * FROM finish();
ROLLBACK;
