-- as: t_daemon
-- Issue 18, line 3, as cobrod: the cleaning asks the debtor whose every
-- number is gone (TFX-clean1: mobile marked wrong, WhatsApp failing) by
-- email and WhatsApp, once per every_days; a reply with a number proposes
-- it (TFX-clean1 was asked), never for a debtor nobody asked; the daemon
-- itself may not decide on a proposed number nor write one.
BEGIN;
\ir lib.sql
SELECT plan(19);

SELECT is(session_user::text, 't_daemon', 'runs as the login role t_daemon');
SELECT set_eq(format('SELECT account_id, point_id, channel FROM cleaning_due(3, 7, %L, %L, NULL, NULL) WHERE debtor_id = %s',
                     '{email,whatsapp}', '2026-12-01 15:00Z', :deb_clean1),
              format('VALUES (%s::bigint, %s::bigint, %L::text), (%s, %s, %L)',
                     :acc_clean1, :cp_clean1_email, 'email', :acc_clean1, :cp_clean1_whatsapp, 'whatsapp'),
              'clean1 (mobile wrong, WhatsApp failing) is asked by email and by WhatsApp');
SELECT is((SELECT count(*)::int FROM cleaning_due(4, 7, '{email,whatsapp}', '2026-12-01 15:00Z', NULL, NULL)
           WHERE debtor_id = :deb_clean1), 0,
          '  not when a number must fail four times in a row and failed three');
SELECT is((SELECT array_agg(channel) FROM cleaning_due(3, 7, '{whatsapp}', '2026-12-01 15:00Z', NULL, NULL)
           WHERE debtor_id = :deb_clean1), '{whatsapp}', '  only by the channels the strategy names');
SELECT is((SELECT count(*)::int FROM cleaning_due(3, 7, '{email,whatsapp}', '2026-12-01 15:00Z', NULL, NULL)
           WHERE debtor_id = :deb_clean2), 0, 'clean2 waits for a collector on its proposed number: not asked');
SELECT is((SELECT count(*)::int FROM cleaning_due(3, 7, '{email,whatsapp}', '2026-12-01 15:00Z', NULL, NULL)
           WHERE debtor_id = :deb_col1_1), 0, 'a debtor with a good mobile is not asked');
SELECT is((SELECT array_agg(DISTINCT debtor_id) FROM cleaning_due(3, 7, '{email,whatsapp}', '2026-12-01 15:00Z', 't_c', NULL)),
          ARRAY[:deb_clean1]::bigint[], 'a run for team t_c asks its debtors only');
SELECT is((SELECT count(*)::int FROM cleaning_due(3, 7, '{email,whatsapp}', '2026-12-01 15:00Z', 't_a', NULL)
           WHERE debtor_id = :deb_clean1), 0, '  and a run for another team none of them');
SELECT is((SELECT count(*)::int FROM cleaning_due(3, 7, '{email,whatsapp}', '2026-12-01 15:00Z', NULL, '{early,late}')
           WHERE debtor_id = :deb_clean1), 0, 'cleaning.segments: an account no run placed in one of them is not asked');

SELECT ok(has_function_privilege('cleaning_queue(uuid, bigint, bigint, text, bigint, text, text, jsonb, integer, integer, timestamptz)', 'EXECUTE'),
          'the daemon may queue an ask (test_clean_admin queues them)');
SELECT is(pg_temp.refused_code(format('INSERT INTO contact_point (debtor_id, kind, value, proposal) VALUES (%s, %L, %L, %L)',
          :deb_clean1, 'mobile', '+51987650001', 'proposed')), '42501', 'nor write a contact point itself');

-- The reply: from clean1's WhatsApp, "mi número nuevo es 987 654 321".
SELECT is(message_inbound_numbers('whatsapp', '+51911100009', NULL, 'mi número nuevo es 987 654 321',
                                  '2026-12-02 16:00Z', false, 'wamid.clean-1',
                                  '{"PE": {"+51987654321": "mobile"}, "MX": {"+52987654321": "phone"}}'),
          1, 'a reply from clean1''s WhatsApp reaches its debtor');
SELECT is((SELECT row(kind, proposal, proposed_via, bad_since IS NULL, consent)::text FROM contact_point
           WHERE debtor_id = :deb_clean1 AND value = '+51987654321'),
          row('mobile', 'proposed', 'whatsapp', true, '{}'::text[])::text,
          '  the number read for Peru is a mobile proposed, by WhatsApp, with no consent yet');
SELECT is((SELECT count(*)::int FROM contact_point WHERE debtor_id = :deb_clean1 AND value = '+52987654321'), 0,
          '  the reading for Mexico is not the debtor''s country: nothing');
SELECT is((SELECT count(*)::int FROM event WHERE account_id = :acc_clean1 AND kind = 'contact_point'
           AND outcome = 'proposed' AND data->>'value' = '+51987654321'), 1, '  and the account''s history says so');
SELECT is(message_inbound_numbers('whatsapp', '+51911100009', NULL, 'mi número nuevo es 987 654 321',
                                  '2026-12-02 16:00Z', false, 'wamid.clean-1', '{"PE": {"+51987654321": "mobile"}}'),
          -1, '  the same reply delivered again proposes nothing twice');
SELECT is(message_inbound_numbers('sms', '+34609900000', NULL, 'llámenme al 611 222 333', '2026-12-02 16:00Z',
                                  false, NULL, '{"ES": {"+34611222333": "mobile"}}') >= 0, true,
          'a reply with a number from a debtor nobody asked is recorded');
SELECT is((SELECT count(*)::int FROM contact_point WHERE value = '+34611222333'), 0, '  but proposes nothing');

SELECT is(pg_temp.refused_code(format('SELECT contact_point_decide(%s, %s, true)', :acc_clean2, :cp_clean2_phone)),
          '42501', 'the daemon may not confirm a proposed number');
SELECT * FROM finish();
ROLLBACK;
