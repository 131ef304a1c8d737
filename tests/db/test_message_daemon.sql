-- as: t_daemon
-- Messages only through the queue (issue 14, line 1), as the daemon: it
-- cannot insert, update or delete a message, nor queue one; it changes
-- messages only through message_claim() and message_settle() (and
-- message_dlr()), and the claim hands it the contact point's value as the
-- recipient, whatever the row says. 015_messages_through_queue.sql.
BEGIN;
\ir lib.sql
SELECT plan(19);

SELECT is(session_user::text, 't_daemon', 'runs as the login role t_daemon');

-- ------------------------------------------------------------ no direct writes
SELECT throws_ok(format('INSERT INTO message (account_id, debtor_id, contact_point_id, channel, recipient, body) '
                        'VALUES (%s, %s, %s, ''sms'', ''+15550002222 +15550003333'', ''x'')',
                        :acc_col2_1, :deb_col2_1, :cp_col2_1_mobile),
                 '42501', 'permission denied for table message', 'the daemon cannot insert a message');
SELECT throws_ok(format('UPDATE message SET recipient = ''+15550002222'' WHERE id = %s', :msg_col1_1),
                 '42501', 'permission denied for table message', 'the daemon cannot redirect a message');
SELECT throws_ok(format('UPDATE message SET status = ''delivered'' WHERE id = %s', :msg_col1_1),
                 '42501', 'permission denied for table message', 'the daemon cannot set a status but through its functions');
SELECT throws_ok('DELETE FROM message', '42501', 'permission denied for table message', 'the daemon cannot delete messages');
SELECT ok(NOT has_table_privilege('message', 'INSERT') AND NOT has_table_privilege('message', 'UPDATE')
          AND NOT has_table_privilege('message', 'DELETE') AND NOT has_any_column_privilege('message', 'UPDATE'),
          'the daemon holds no write privilege on message');
SELECT throws_ok(format('SELECT cobro.message_queue(gen_random_uuid(), %s, %s, ''sms'', NULL, NULL, ''x'', NULL, NULL, NULL)',
                        :acc_col2_1, :cp_col2_1_mobile),
                 '42501', 'permission denied for function message_queue', 'the daemon cannot queue a message');

-- ------------------------------------------------------------ through its functions
-- The fixtures' messages were put in by the superuser (no `out` event); the
-- claim says so, and gives the point's value, not the row's.
CREATE TEMP TABLE got AS SELECT * FROM cobro.message_claim('t-msg', 'sms', 100000, 60);
SELECT cmp_ok((SELECT count(*) FROM got), '>=', 1::bigint, 'message_claim() claims the queued SMS');
SELECT is_empty('SELECT g.id FROM got g JOIN message m ON m.id = g.id
                 WHERE m.status <> ''sending'' OR m.claimed_by <> ''t-msg'' OR m.attempts <> g.attempts',
                '  and marks them sending, claimed by the worker');
SELECT is_empty('SELECT g.id FROM got g JOIN contact_point p ON p.id = g.contact_point_id
                 WHERE g.recipient IS DISTINCT FROM p.value OR g.point_kind IS DISTINCT FROM p.kind',
                '  handing out each contact point''s own value and kind');
SELECT is((SELECT queued_with_event FROM got WHERE id = :msg_col1_1), false,
          '  and saying a message has no `sms out` event when it has none');
SELECT is(cobro.message_settle('t-msg', ARRAY[:msg_col1_1]::bigint[], '{refused}', '{""}', '{"RECIPIENT: x"}',
                               '{RECIPIENT}', '{0}'), 1, 'message_settle() settles a claimed message');
SELECT is((SELECT status || ' ' || refused_rule FROM message WHERE id = :msg_col1_1), 'refused RECIPIENT',
          '  as refused, with the rule');
SELECT is((SELECT count(*) FROM event WHERE message_id = :msg_col1_1 AND kind = 'status' AND outcome = 'refused'),
          1::bigint, '  and a status event in the history');

-- Issue 15, line 5: the daemon says which channels it sends; a heartbeat
-- opens the channel to message_queue(), its expiry or its stop closes it.
SELECT lives_ok('SELECT cobro.daemon_heartbeat(''t-daemon-1'', ''{whatsapp}'', 30)',
                'the daemon says it sends WhatsApp for 30 s');
SELECT is(cobro.channel_senders('whatsapp'), 1, '  and then one running cobrod sends WhatsApp');
SELECT throws_ok('SELECT cobro.daemon_heartbeat(''t-daemon-1'', ''{fax}'', 30)', '22023',
                 'daemon_heartbeat: channels are sms, email, whatsapp', '  no channel cobrod does not know');
SELECT throws_ok('INSERT INTO cobro.daemon_presence (worker, channels, expires_at) VALUES (''x'', ''{sms}'', now())',
                 '42501', 'permission denied for table daemon_presence',
                 '  nor a row written by hand');
SELECT cobro.daemon_heartbeat('t-daemon-1', '{}', 0);
SELECT is(cobro.channel_senders('whatsapp'), 0, '  stopping takes its word back');

SELECT * FROM finish();
ROLLBACK;
