-- as: admin
-- Messages only through the queue (issue 14, line 1), as an admin (admin): no direct
-- INSERT, UPDATE or DELETE on cobro.message; message_queue() queues on any account; a contact
-- point of another debtor, or an account (for an admin, none), is refused; and the
-- errors name the contact point, never its number or address (they reach
-- PostgreSQL's log). 015_messages_through_queue.sql, functions/outbox.sql.
BEGIN;
\ir lib.sql
SELECT plan(24);

SELECT is(session_user::text, 'admin', 'runs as the login role admin');
SELECT ok(pg_has_role('admin', 'cobro_admin', 'MEMBER') AND NOT pg_has_role('admin', 'cobro_daemon', 'MEMBER'),
          'admin is in cobro_admin');

-- An account of theirs and a number of its debtor that takes SMS.
SELECT a.id AS my_acc, a.debtor_id AS my_deb, p.id AS my_pt, p.value AS my_value
FROM account a JOIN contact_point p ON p.debtor_id = a.debtor_id
WHERE true AND p.kind = 'mobile' AND p.bad_since IS NULL AND NOT 'sms' = ANY (p.opted_out)
ORDER BY a.id, p.id LIMIT 1 \gset

-- ------------------------------------------------------------ no direct writes
SELECT throws_ok(format('INSERT INTO message (account_id, debtor_id, contact_point_id, channel, recipient, body, agent_id) '
                        'VALUES (%s, %s, %s, ''sms'', ''+15550002222 +15550003333'', ''x'', my_agent_id())',
                        :my_acc, :my_deb, :my_pt),
                 '42501', 'permission denied for table message',
                 'admin cannot insert a message with a free recipient');
SELECT throws_ok(format('INSERT INTO message (account_id, debtor_id, contact_point_id, channel, recipient, body, agent_id) '
                        'SELECT %s, %s, id, ''sms'', value, ''x'', my_agent_id() FROM contact_point WHERE id = %s',
                        :my_acc, :my_deb, :my_pt),
                 '42501', 'permission denied for table message',
                 'admin cannot insert a message even to the point''s own value (no history event would count it)');
SELECT throws_ok('UPDATE message SET recipient = ''attacker@evil.example'' WHERE status = ''queued''',
                 '42501', 'permission denied for table message',
                 'admin cannot redirect a queued message');
SELECT throws_ok('UPDATE message SET status = ''queued'', attempts = 0 WHERE status = ''refused''',
                 '42501', 'permission denied for table message',
                 'admin cannot queue a refused message again');
SELECT throws_ok('DELETE FROM message', '42501', 'permission denied for table message',
                 'admin cannot delete messages');
SELECT is_empty($$SELECT d.defaclrole::regrole, x.grantee, x.privilege_type
                  FROM pg_default_acl d, aclexplode(d.defaclacl) x
                  WHERE d.defaclobjtype = 'r' AND x.grantee <> d.defaclrole
                    AND x.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')$$,
                'no default privilege hands the writes of a table made later to anybody');
SELECT ok(NOT has_table_privilege('message', 'INSERT') AND NOT has_table_privilege('message', 'UPDATE')
          AND NOT has_table_privilege('message', 'DELETE') AND NOT has_table_privilege('message', 'TRUNCATE')
          AND NOT has_any_column_privilege('message', 'INSERT') AND NOT has_any_column_privilege('message', 'UPDATE'),
          'admin holds no write privilege on message, not even on a column');

-- ------------------------------------------------------------ through the queue
SELECT message_queue('00000000-0000-4000-8000-00000000e014'::uuid, :my_acc, :my_pt, 'sms', NULL, NULL,
                     'Hola, queued by admin', NULL, NULL, NULL) AS queued \gset
SELECT is((SELECT recipient FROM message WHERE id = :queued), :'my_value',
          'message_queue() stores the contact point''s value as the recipient');
SELECT is((SELECT count(*) FROM event WHERE message_id = :queued AND kind = 'sms' AND direction = 'out'
                                         AND agent_id IS NOT DISTINCT FROM my_agent_id()),
          1::bigint, '  and writes the `sms out` event in admin''s name that the history and the caps count');
SELECT is((SELECT status || ' ' || attempts || ' ' || (agent_id IS NOT DISTINCT FROM my_agent_id())
           FROM message WHERE id = :queued),
          'queued 0 true', '  queued, no attempt, in admin''s name');
SELECT is(message_queue('00000000-0000-4000-8000-00000000e014'::uuid, :my_acc, :my_pt, 'sms', NULL, NULL,
                        'Hola, queued by admin', NULL, NULL, NULL), :queued::bigint,
          '  a retry with the same key returns the same message');
SELECT throws_ok(format('SELECT message_queue(gen_random_uuid(), %s, %s, ''sms'', NULL, NULL, ''x'', NULL, NULL, NULL)',
                        :my_acc, :cp_col1_1_mobile),
                 '23503', 'no contact point ' || :cp_col1_1_mobile || ' for this debtor',
                 'message_queue() refuses a contact point of another debtor');
SELECT throws_ok(format('SELECT message_queue(gen_random_uuid(), %s, %s, ''email'', NULL, ''s'', ''x'', NULL, NULL, NULL)',
                        :my_acc, :my_pt),
                 '23514', 'email cannot be sent to contact point ' || :my_pt || ' (mobile)',
                 'message_queue() refuses a channel the point does not take, naming the point');
SELECT isnt(message_queue(gen_random_uuid(), :acc_col3_1, :cp_col3_1_mobile, 'sms', NULL, NULL, 'x', NULL, NULL, NULL),
            NULL, 'an admin queues on any team''s account, through message_queue()');
SELECT throws_ok(format('SELECT message_queue(gen_random_uuid(), %s, %s, ''sms'', NULL, NULL, ''x'', NULL, NULL, NULL)',
                        :acc_col3_1, :cp_col1_1_mobile),
                 '23503', 'no contact point ' || :cp_col1_1_mobile || ' for this debtor',
                 '  but not to another debtor''s point');

-- ------------------------------------------------------------ errors without numbers
SELECT cmp_ok((SELECT count(*) FROM pg_temp.queue_refusals('all') WHERE value LIKE '+%'), '>', 0::bigint,
              'admin has numbers marked bad or opted out to be refused');
SELECT is_empty('SELECT point, err FROM pg_temp.queue_refusals(''all'') WHERE err IS NULL',
                'message_queue() refuses every number marked bad or opted out');
SELECT is_empty('SELECT point, err FROM pg_temp.queue_refusals(''all'')
                 WHERE strpos(err, ltrim(value, ''+'')) > 0 OR strpos(err, split_part(value, ''@'', 1)) > 0
                    OR strpos(err, ''contact point '' || point) = 0',
                '  and each refusal names the contact point by its id, never its number or address');

-- Issue 15, line 4: a template states its facts, from a closed set, whoever
-- writes it (cobroctl checks the .tpl file; the table checks the rest).
SELECT lives_ok('INSERT INTO template (code, channel, language, body, requires)
                 VALUES (''t_facts_ok'', ''sms'', ''es'', ''x'', ''{promise_broken,past_due}'')',
                'an admin stores a template with the facts it needs');
SELECT is((SELECT requires FROM template WHERE code = 't_facts_ok'), '{promise_broken,past_due}'::text[],
          '  and they are kept with it');
SELECT throws_ok('INSERT INTO template (code, channel, language, body, requires)
                  VALUES (''t_facts_bad'', ''sms'', ''es'', ''x'', ''{overdue}'')',
                 '23514', NULL, 'a fact outside the closed set is refused');
SELECT throws_ok('SELECT daemon_heartbeat(''admin'', ''{sms}'', 30)', '42501', NULL,
                 'an admin cannot write a cobrod''s heartbeat either');

SELECT * FROM finish();
ROLLBACK;
