-- as: t_daemon
-- The daemon (t_daemon) reads everything it must work on, decides promises
-- (promise_evaluate()) and updates contact opt-outs, writes history; it changes messages only
-- through message_claim(), message_settle() and message_dlr() (tests/db/
-- test_message_daemon.sql); it never changes an assignment and never reads
-- the audit trail.
BEGIN;
\ir lib.sql
SELECT plan(40);

SELECT is(session_user::text, 't_daemon', 'runs as the login role t_daemon');
SELECT is(current_setting('is_superuser'), 'off', 't_daemon is not a superuser');
SELECT ok(pg_has_role('t_daemon', 'cobro_daemon', 'MEMBER')
          AND NOT pg_has_role('t_daemon', 'cobro_admin', 'MEMBER')
          AND NOT pg_has_role('t_daemon', 'cobro_lead', 'MEMBER'),
          't_daemon is in cobro_daemon, not in cobro_admin nor cobro_lead');

-- ------------------------------------------------------------ reads everything
SELECT is((SELECT count(*) FROM account), :n_account::bigint, 'daemon reads every account (of every team)');
SELECT is((SELECT count(*) FROM debtor), :n_debtor::bigint, 'daemon reads every debtor');
SELECT is((SELECT count(*) FROM installment), :n_installment::bigint, 'daemon reads every installment');
SELECT is((SELECT count(*) FROM payment), :n_payment::bigint, 'daemon reads every payment');
SELECT is((SELECT count(*) FROM promise), :n_promise::bigint, 'daemon reads every promise');
SELECT is((SELECT count(*) FROM message), :n_message::bigint, 'daemon reads every message');
SELECT is((SELECT count(*) FROM event), :n_event::bigint, 'daemon reads every event');
SELECT is_empty('SELECT * FROM audit', 'daemon reads no audit row');

-- ------------------------------------------------------------ its own work
SELECT throws_ok(format('UPDATE message SET status = ''sent'', attempts = attempts + 1, provider_id = ''p1'', '
                        'sent_at = now() WHERE id IN (%s, %s)', :msg_col1_1, :msg_col3_1),
                 '42501', 'permission denied for table message',
                 'daemon cannot update a message''s delivery status directly');
SELECT throws_ok(format('UPDATE message SET status = ''sending'', claimed_by = ''t'', claimed_until = now() '
                        'WHERE id = %s', :msg_col2_1),
                 '42501', 'permission denied for table message',
                 'daemon cannot claim a message but through message_claim()');
SELECT ok((SELECT broken FROM promise_evaluate(now() + interval '30 days')) > 0,
          'daemon keeps promises'' status true, through promise_evaluate() (024_promises.sql)');
SELECT is((SELECT status FROM promise WHERE id = :prom_col3_1), 'broken', '  a month on, an unpaid one is broken');
SELECT is(pg_temp.affected(format('UPDATE contact_point SET opted_out = ''{sms}'', opted_out_at = now() WHERE id = %s',
                                  :cp_col3_1_mobile)),
          1::bigint, 'daemon opts a number out after a STOP reply');
SELECT is(pg_temp.affected(format('UPDATE account SET replied_at = now(), next_action_at = now() WHERE id = %s', :acc_col3_1)),
          1::bigint, 'daemon flags an account whose debtor replied');
SELECT lives_ok(format('INSERT INTO event (account_id, debtor_id, kind, direction, outcome, message_id) '
                       'VALUES (%s, %s, ''delivery'', ''out'', ''delivered'', %s)', :acc_col1_1, :deb_col1_1, :msg_col1_1),
                'daemon records a delivery event');
SELECT throws_ok(format('INSERT INTO message (account_id, debtor_id, contact_point_id, channel, recipient, body) '
                        'SELECT %s, %s, id, ''sms'', value, ''Recordatorio'' FROM contact_point WHERE id = %s',
                        :acc_col2_1, :deb_col2_1, :cp_col2_1_mobile),
                 '42501', 'permission denied for table message',
                 'daemon cannot insert a message');

-- ------------------------------------------------------------ refusals
SELECT throws_ok(format('UPDATE account SET agent_id = %s WHERE id = %s', :ag_col2, :acc_col1_1),
                 '42501', 'permission denied for table account', 'daemon cannot change an assignment (agent_id)');
SELECT throws_ok(format('UPDATE account SET team_id = %s WHERE id = %s', :team_b, :acc_col1_1),
                 '42501', 'permission denied for table account', 'daemon cannot move an account to another team');
SELECT throws_ok(format('UPDATE account SET balance = 0 WHERE id = %s', :acc_col1_1),
                 '42501', 'permission denied for table account', 'daemon cannot change a balance');
SELECT throws_ok(format('UPDATE contact_point SET value = ''+34999999999'' WHERE id = %s', :cp_col1_1_mobile),
                 '42501', 'permission denied for table contact_point', 'daemon cannot rewrite a contact point''s value');
SELECT throws_ok(format('DELETE FROM message WHERE id = %s', :msg_col1_1),
                 '42501', 'permission denied for table message', 'daemon cannot delete a message');
SELECT throws_ok(format('DELETE FROM event WHERE account_id = %s', :acc_col1_1),
                 '42501', 'permission denied for table event', 'daemon cannot delete history');
SELECT throws_ok(format('UPDATE event SET body = ''x'' WHERE account_id = %s', :acc_col1_1),
                 '42501', 'permission denied for table event', 'daemon cannot rewrite history');
SELECT throws_ok('INSERT INTO debtor (name, first_name, jurisdiction, time_zone) VALUES (''x'', ''x'', ''ES'', ''UTC'')',
                 '42501', 'permission denied for table debtor', 'daemon cannot create a debtor');
SELECT throws_ok(format('UPDATE agent SET active = false WHERE id = %s', :ag_col1),
                 '42501', 'permission denied for table agent', 'daemon cannot change a person');
SELECT throws_ok('UPDATE audit SET actor = ''x''', '42501', 'permission denied for table audit',
                 'daemon cannot rewrite the audit trail');
SELECT throws_ok('DELETE FROM audit', '42501', 'permission denied for table audit', 'daemon cannot delete the audit trail');
SELECT throws_ok('INSERT INTO schema_migration (version, name, checksum) VALUES (999, ''x'', ''x'')', '42501',
                 'permission denied for table schema_migration', 'daemon cannot write the migration ledger');
SELECT throws_ok('SELECT cobro.agent_add(''t_evil'', ''Evil'', ''admin'', NULL)',
                 '42501', 'permission denied for function agent_add', 'daemon cannot execute agent_add');
SELECT throws_ok('CREATE TABLE cobro.t_x (i int)', '42501', 'permission denied for schema cobro',
                 'daemon cannot create a table in schema cobro');
SELECT throws_ok('SET ROLE cobro_owner', '42501', 'permission denied to set role "cobro_owner"',
                 'daemon cannot become the table owner');
SELECT throws_ok('UPDATE schema_function SET checksum = ''x''', '42501', 'permission denied for table schema_function',
                 'daemon cannot write the function files'' ledger');

-- ------------------------------------------------------------ the history's partitions
-- cobrod's upkeep, as the daemon: months ahead of the clock (rolled back
-- with the rest of this file). They are the owner's and nobody's else,
-- reached only through event and its policies.
SELECT cmp_ok((SELECT count(*) FROM cobro.event_partitions_keep(8)), '>=', 1::bigint,
              'daemon makes the months ahead that are missing');
SELECT is_empty('SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = ''cobro.event''::regclass AND c.relowner <> ''cobro_owner''::regrole',
                'every partition, new ones included, belongs to cobro_owner');
SELECT is_empty('SELECT c.relname, g FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid,
                 unnest(ARRAY[''public'', ''cobro_collector'', ''cobro_supervisor'', ''cobro_lead'', ''cobro_admin'',
                              ''cobro_daemon'']) g
                 WHERE i.inhparent = ''cobro.event''::regclass
                   AND (has_table_privilege(g, c.oid, ''SELECT'') OR has_table_privilege(g, c.oid, ''INSERT'')
                        OR has_table_privilege(g, c.oid, ''UPDATE'') OR has_table_privilege(g, c.oid, ''DELETE''))',
                'no group has a privilege on any partition, new ones included');
SELECT throws_ok(format('SELECT * FROM cobro.%I', (SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                        WHERE i.inhparent = 'cobro.event'::regclass ORDER BY c.relname DESC LIMIT 1)),
                 '42501', NULL, 'daemon cannot read a new partition directly');
SELECT throws_ok('SELECT * FROM cobro.event_partitions_keep(121)', '22023', NULL,
                 'months ahead are bounded');

SELECT * FROM finish();
ROLLBACK;
