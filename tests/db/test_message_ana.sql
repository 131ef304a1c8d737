-- as: ana
-- Messages only through the queue (issue 14, line 1), as a collector (ana, team norte): no direct
-- INSERT, UPDATE or DELETE on cobro.message; message_queue() queues on their own accounts; a contact
-- point of another debtor, or an account not theirs, is refused; and the
-- errors name the contact point, never its number or address (they reach
-- PostgreSQL's log). 015_messages_through_queue.sql, functions/outbox.sql.
BEGIN;
\ir lib.sql
SELECT plan(24);

SELECT is(session_user::text, 'ana', 'runs as the login role ana');
SELECT ok(pg_has_role('ana', 'cobro_collector', 'MEMBER') AND NOT pg_has_role('ana', 'cobro_daemon', 'MEMBER'),
          'ana is in cobro_collector');

-- An account of theirs and a number of its debtor that takes SMS.
SELECT a.id AS my_acc, a.debtor_id AS my_deb, p.id AS my_pt, p.value AS my_value
FROM account a JOIN contact_point p ON p.debtor_id = a.debtor_id
WHERE a.agent_id = my_agent_id() AND p.kind = 'mobile' AND p.bad_since IS NULL AND NOT 'sms' = ANY (p.opted_out)
ORDER BY a.id, p.id LIMIT 1 \gset

-- ------------------------------------------------------------ no direct writes
SELECT throws_ok(format('INSERT INTO message (account_id, debtor_id, contact_point_id, channel, recipient, body, agent_id) '
                        'VALUES (%s, %s, %s, ''sms'', ''+15550002222 +15550003333'', ''x'', my_agent_id())',
                        :my_acc, :my_deb, :my_pt),
                 '42501', 'permission denied for table message',
                 'ana cannot insert a message with a free recipient');
SELECT throws_ok(format('INSERT INTO message (account_id, debtor_id, contact_point_id, channel, recipient, body, agent_id) '
                        'SELECT %s, %s, id, ''sms'', value, ''x'', my_agent_id() FROM contact_point WHERE id = %s',
                        :my_acc, :my_deb, :my_pt),
                 '42501', 'permission denied for table message',
                 'ana cannot insert a message even to the point''s own value (no history event would count it)');
SELECT throws_ok('UPDATE message SET recipient = ''attacker@evil.example'' WHERE status = ''queued''',
                 '42501', 'permission denied for table message',
                 'ana cannot redirect a queued message');
SELECT throws_ok('UPDATE message SET status = ''queued'', attempts = 0 WHERE status = ''refused''',
                 '42501', 'permission denied for table message',
                 'ana cannot queue a refused message again');
SELECT throws_ok('DELETE FROM message', '42501', 'permission denied for table message',
                 'ana cannot delete messages');
SELECT ok(NOT has_table_privilege('message', 'INSERT') AND NOT has_table_privilege('message', 'UPDATE')
          AND NOT has_table_privilege('message', 'DELETE') AND NOT has_table_privilege('message', 'TRUNCATE')
          AND NOT has_any_column_privilege('message', 'INSERT') AND NOT has_any_column_privilege('message', 'UPDATE'),
          'ana holds no write privilege on message, not even on a column');

-- ------------------------------------------------------------ through the queue
SELECT message_queue('00000000-0000-4000-8000-00000000e014'::uuid, :my_acc, :my_pt, 'sms', NULL, NULL,
                     'Hola, queued by ana', NULL, NULL, NULL) AS queued \gset
SELECT is((SELECT recipient FROM message WHERE id = :queued), :'my_value',
          'message_queue() stores the contact point''s value as the recipient');
SELECT is((SELECT count(*) FROM event WHERE message_id = :queued AND kind = 'sms' AND direction = 'out'
                                         AND agent_id IS NOT DISTINCT FROM my_agent_id()),
          1::bigint, '  and writes the `sms out` event in ana''s name that the history and the caps count');
SELECT is((SELECT status || ' ' || attempts || ' ' || (agent_id IS NOT DISTINCT FROM my_agent_id())
           FROM message WHERE id = :queued),
          'queued 0 true', '  queued, no attempt, in ana''s name');
SELECT is(message_queue('00000000-0000-4000-8000-00000000e014'::uuid, :my_acc, :my_pt, 'sms', NULL, NULL,
                        'Hola, queued by ana', NULL, NULL, NULL), :queued::bigint,
          '  a retry with the same key returns the same message');
SELECT throws_ok(format('SELECT message_queue(gen_random_uuid(), %s, %s, ''sms'', NULL, NULL, ''x'', NULL, NULL, NULL)',
                        :my_acc, :cp_col1_1_mobile),
                 '23503', 'no contact point ' || :cp_col1_1_mobile || ' for this debtor',
                 'message_queue() refuses a contact point of another debtor');
SELECT throws_ok(format('SELECT message_queue(gen_random_uuid(), %s, %s, ''email'', NULL, ''s'', ''x'', NULL, NULL, NULL)',
                        :my_acc, :my_pt),
                 '23514', 'email cannot be sent to contact point ' || :my_pt || ' (mobile)',
                 'message_queue() refuses a channel the point does not take, naming the point');
SELECT throws_ok(format('SELECT message_queue(gen_random_uuid(), %s, %s, ''sms'', NULL, NULL, ''x'', NULL, NULL, NULL)',
                        :acc_col3_1, :cp_col3_1_mobile),
                 '42501', 'no such account',
                 'message_queue() refuses an account of another team, with that account''s own point');
SELECT is((SELECT count(*) FROM message WHERE account_id = :acc_col3_1 AND body = 'x'),
          0::bigint, '  and nothing of that team''s is queued');

-- ------------------------------------------------------------ a channel nobody sends
-- Issue 15, line 5: a WhatsApp message stayed queued for ever, because no
-- running cobrod had a WhatsApp transport. The fixture's cobrod sends SMS
-- and email only (fixtures.sql).
SELECT a.id AS wa_acc, p.id AS wa_pt
FROM account a JOIN contact_point p ON p.debtor_id = a.debtor_id
WHERE a.agent_id = my_agent_id() AND p.kind IN ('mobile', 'whatsapp') AND p.bad_since IS NULL
  AND NOT 'whatsapp' = ANY (p.opted_out)
ORDER BY a.id, p.id LIMIT 1 \gset
SELECT is(channel_senders('whatsapp'), 0, 'ana can ask how many running cobrods send WhatsApp: none');
SELECT cmp_ok(channel_senders('sms'), '>', 0, '  and SMS: some');
SELECT throws_ok(format('SELECT message_queue(gen_random_uuid(), %s, %s, ''whatsapp'', NULL, NULL, ''Hola'', NULL, NULL, NULL)',
                        :wa_acc, :wa_pt),
                 '55000', 'no running cobrod can send whatsapp messages now',
                 'message_queue() refuses a channel no running cobrod can send, with the reason');
SELECT is((SELECT count(*) FROM message WHERE account_id = :wa_acc AND channel = 'whatsapp' AND body = 'Hola'),
          0::bigint, '  and nothing is queued');
SELECT throws_ok('SELECT daemon_heartbeat(''ana'', ''{whatsapp}'', 30)', '42501', NULL,
                 'ana cannot pretend to be a cobrod that sends WhatsApp');

-- ------------------------------------------------------------ errors without numbers
SELECT cmp_ok((SELECT count(*) FROM pg_temp.queue_refusals('own') WHERE value LIKE '+%'), '>', 0::bigint,
              'ana has numbers marked bad or opted out to be refused');
SELECT is_empty('SELECT point, err FROM pg_temp.queue_refusals(''own'') WHERE err IS NULL',
                'message_queue() refuses every number marked bad or opted out');
SELECT is_empty('SELECT point, err FROM pg_temp.queue_refusals(''own'')
                 WHERE strpos(err, ltrim(value, ''+'')) > 0 OR strpos(err, split_part(value, ''@'', 1)) > 0
                    OR strpos(err, ''contact point '' || point) = 0',
                '  and each refusal names the contact point by its id, never its number or address');

SELECT * FROM finish();
ROLLBACK;
