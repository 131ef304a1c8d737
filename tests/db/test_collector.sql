-- as: t_col1
-- A collector (t_col1, team t_a) reads and writes only the accounts assigned to
-- them and what hangs from those accounts; nothing of a teammate (t_col2), of
-- the team pool, or of another team (t_col3, t_b). Fixtures: fixtures.sql.
BEGIN;
\ir lib.sql
SELECT plan(75);

SELECT is(session_user::text, 't_col1', 'runs as the login role t_col1');
SELECT is(current_setting('is_superuser'), 'off', 't_col1 is not a superuser');
SELECT ok(pg_has_role('t_col1', 'cobro_collector', 'MEMBER')
          AND NOT pg_has_role('t_col1', 'cobro_supervisor', 'MEMBER')
          AND NOT pg_has_role('t_col1', 'cobro_lead', 'MEMBER')
          AND NOT pg_has_role('t_col1', 'cobro_admin', 'MEMBER')
          AND NOT pg_has_role('t_col1', 'cobro_daemon', 'MEMBER'),
          't_col1 is in cobro_collector and no other group');
SELECT is(my_agent_id(), :ag_col1::bigint, 'my_agent_id() is t_col1''s agent');

-- ------------------------------------------------------------------ reading
SELECT set_eq('SELECT id FROM account',
              ARRAY[:acc_col1_1, :acc_col1_2, :acc_shared_a]::bigint[],
              'collector reads exactly the 3 accounts assigned to them');
SELECT set_eq('SELECT id FROM debtor',
              ARRAY[:deb_col1_1, :deb_col1_2, :deb_shared]::bigint[],
              'collector reads exactly the debtors of their accounts');
SELECT set_eq('SELECT id FROM contact_point',
              ARRAY[:cp_col1_1_mobile, :cp_col1_1_email, :cp_col1_2_mobile, :cp_col1_2_email,
                    :cp_shared_mobile, :cp_shared_email]::bigint[],
              'collector reads exactly the contact points of their debtors');
SELECT bag_eq('SELECT account_id FROM installment',
              ARRAY[:acc_col1_1, :acc_col1_1, :acc_col1_2, :acc_col1_2, :acc_shared_a, :acc_shared_a]::bigint[],
              'collector reads exactly the installments of their accounts');
SELECT bag_eq('SELECT account_id FROM payment',
              ARRAY[:acc_col1_1, :acc_col1_2, :acc_shared_a]::bigint[],
              'collector reads exactly the payments of their accounts');
SELECT set_eq('SELECT id FROM promise',
              ARRAY[:prom_col1_1, :prom_col1_2, :prom_shared_a]::bigint[],
              'collector reads exactly the promises of their accounts');
SELECT bag_eq('SELECT promise_id FROM promise_installment',
              ARRAY[:prom_col1_1, :prom_col1_2, :prom_shared_a]::bigint[],
              'collector reads exactly the plan installments of their promises');
SELECT bag_eq('SELECT account_id FROM event',
              ARRAY[:acc_col1_1, :acc_col1_1, :acc_col1_2, :acc_col1_2, :acc_shared_a, :acc_shared_a]::bigint[],
              'collector reads exactly the 6 events of their accounts');
SELECT set_eq('SELECT id FROM message',
              ARRAY[:msg_col1_1, :msg_col1_2, :msg_shared_a]::bigint[],
              'collector reads exactly the messages of their accounts');

-- A teammate's rows.
SELECT is_empty(format('SELECT 1 FROM account WHERE id IN (%s, %s) OR agent_id = %s',
                       :acc_col2_1, :acc_col2_2, :ag_col2),
                'collector sees no account of a teammate');
SELECT is_empty(format('SELECT 1 FROM debtor WHERE id IN (%s, %s)', :deb_col2_1, :deb_col2_2),
                'collector sees no debtor of a teammate');
SELECT is_empty(format('SELECT 1 FROM contact_point WHERE debtor_id IN (%s, %s)', :deb_col2_1, :deb_col2_2),
                'collector sees no contact point of a teammate''s debtor');
SELECT is_empty(format('SELECT 1 FROM event WHERE account_id IN (%s, %s) OR debtor_id IN (%s, %s)',
                       :acc_col2_1, :acc_col2_2, :deb_col2_1, :deb_col2_2),
                'collector sees no event of a teammate''s accounts or debtors (not even account-less ones)');
SELECT is_empty(format('SELECT 1 FROM message WHERE account_id IN (%s, %s) OR debtor_id IN (%s, %s)',
                       :acc_col2_1, :acc_col2_2, :deb_col2_1, :deb_col2_2),
                'collector sees no message of a teammate''s accounts or debtors');
SELECT is_empty(format('SELECT 1 FROM promise WHERE account_id IN (%s, %s)', :acc_col2_1, :acc_col2_2),
                'collector sees no promise of a teammate');
SELECT is_empty(format('SELECT 1 FROM installment WHERE account_id IN (%s, %s) '
                       'UNION ALL SELECT 1 FROM payment WHERE account_id IN (%s, %s)',
                       :acc_col2_1, :acc_col2_2, :acc_col2_1, :acc_col2_2),
                'collector sees no installment or payment of a teammate');
SELECT is_empty(format('SELECT 1 FROM account WHERE id IN (%s, %s)', :acc_pool_a, :acc_gone_1),
                'collector sees neither the unassigned team pool nor a deactivated teammate''s account');

-- Another team's rows, including the other team's account of a shared debtor.
SELECT is_empty(format('SELECT 1 FROM account WHERE id IN (%s, %s) OR team_id = %s',
                       :acc_col3_1, :acc_shared_b, :team_b),
                'collector sees no account of another team');
SELECT is_empty(format('SELECT 1 FROM debtor WHERE id = %s', :deb_col3_1),
                'collector sees no debtor of another team');
SELECT is_empty(format('SELECT 1 FROM event WHERE account_id IN (%s, %s) OR debtor_id = %s',
                       :acc_col3_1, :acc_shared_b, :deb_col3_1),
                'collector sees no event of another team, even on a debtor they share');
SELECT is_empty(format('SELECT 1 FROM message WHERE account_id IN (%s, %s) OR debtor_id = %s',
                       :acc_col3_1, :acc_shared_b, :deb_col3_1),
                'collector sees no message of another team, even on a debtor they share');
SELECT is_empty(format('SELECT 1 FROM promise WHERE account_id IN (%s, %s) '
                       'UNION ALL SELECT 1 FROM promise_installment WHERE promise_id IN (%s, %s)',
                       :acc_col3_1, :acc_shared_b, :prom_col3_1, :prom_shared_b),
                'collector sees no promise of another team');
SELECT is_empty(format('SELECT 1 FROM installment WHERE account_id IN (%s, %s) '
                       'UNION ALL SELECT 1 FROM payment WHERE account_id IN (%s, %s)',
                       :acc_col3_1, :acc_shared_b, :acc_col3_1, :acc_shared_b),
                'collector sees no installment or payment of another team');
SELECT set_eq('SELECT login FROM agent',
              ARRAY['t_col1', 't_col2', 't_gone', 't_sup', 't_lead'],
              'collector reads only the people of their own team');

-- Tables that are not theirs to read.
SELECT throws_ok('SELECT * FROM audit', '42501', 'permission denied for table audit',
                 'collector cannot read the audit trail');
SELECT throws_ok('SELECT * FROM schema_migration', '42501', 'permission denied for table schema_migration',
                 'collector cannot read the migration ledger');
SELECT throws_ok('SELECT * FROM event_default', '42501', 'permission denied for table event_default',
                 'collector cannot read an event partition directly (partitions have no RLS)');
SELECT throws_ok('SELECT * FROM schema_function', '42501', 'permission denied for table schema_function',
                 'collector cannot read the function files'' ledger');
SELECT throws_ok('SELECT * FROM cobro.event_partitions_keep(3)', '42501',
                 'permission denied for function event_partitions_keep', 'collector cannot make partitions');

-- ------------------------------------------------------------------ writing
-- Assignment is not the collector's.
SELECT throws_ok(format('UPDATE account SET agent_id = %s WHERE id = %s', :ag_col2, :acc_col1_1),
                 '42501', 'permission denied for table account',
                 'collector cannot hand their own account to a teammate (UPDATE agent_id)');
SELECT throws_ok(format('UPDATE account SET agent_id = %s WHERE id = %s', :ag_col1, :acc_col2_1),
                 '42501', 'permission denied for table account',
                 'collector cannot take a teammate''s account (UPDATE agent_id)');
SELECT throws_ok(format('UPDATE account SET team_id = %s WHERE id = %s', :team_b, :acc_col1_1),
                 '42501', 'permission denied for table account',
                 'collector cannot move an account to another team (UPDATE team_id)');

-- Their own account's working columns change only through the functions of
-- functions/account_actions.sql (test_state_collector.sql).
SELECT throws_ok(format(
          'UPDATE account SET next_action_at = now() + interval ''1 day'', last_contact_at = now() WHERE id = %s',
          :acc_col1_1), '42501', 'permission denied for table account',
          'collector cannot update next_action_at directly, even on their own account');
SELECT throws_ok(format('UPDATE account SET next_action_at = now() WHERE id IN (%s, %s, %s, %s)',
                        :acc_col2_1, :acc_col3_1, :acc_pool_a, :acc_gone_1),
          '42501', 'permission denied for table account',
          'collector cannot update a teammate''s, another team''s, the pool''s account');
SELECT throws_ok(format('UPDATE account SET balance = 0 WHERE id = %s', :acc_col1_1),
                 '42501', 'permission denied for table account',
                 'collector cannot change a balance, even on their own account');

-- History, messages and promises on their own account.
SELECT ok(cobro.account_log_call('00000000-0000-4000-8000-0000000000c1', :acc_col1_1, 'right_party', NULL, NULL) > 0,
          'collector logs a call on their own account (through account_log_call)');
SELECT lives_ok(format('SELECT message_queue(gen_random_uuid(), %s, %s, ''sms'', NULL, NULL, ''Hola'', NULL, NULL, NULL)',
                       :acc_col1_1, :cp_col1_1_mobile),
                'collector queues an SMS on their own account, through message_queue()');
SELECT throws_ok(format('INSERT INTO promise (account_id, agent_id, amount, currency, due_date) '
                        'VALUES (%s, %s, 5000, ''EUR'', current_date + 3)', :acc_col1_2, :ag_col1),
                 '42501', 'permission denied for table promise',
                 'collector cannot insert a promise directly, even on their own account');
SELECT throws_ok(format('INSERT INTO promise_installment (promise_id, seq, due_date, amount) '
                        'VALUES (%s, 2, current_date + 30, 100)', :prom_col1_1),
                 '42501', 'permission denied for table promise_installment',
                 'collector cannot add a plan installment directly, even to their own promise');
SELECT throws_ok(format('UPDATE promise SET status = ''cancelled'', note = ''t'' WHERE id = %s', :prom_col1_2),
                 '42501', 'permission denied for table promise',
                 'collector cannot change a promise''s status (its outcome is cobrod''s or an admin''s)');
SELECT ok(cobro.contact_point_mark_bad('00000000-0000-4000-8000-0000000000c2', :acc_col1_2, :cp_col1_2_mobile) > 0,
          'collector marks their own debtor''s number bad (through contact_point_mark_bad)');

-- ... and never on anyone else's.
SELECT throws_ok(format('INSERT INTO event (account_id, debtor_id, agent_id, kind) VALUES (%s, %s, %s, ''note'')',
                        :acc_col2_1, :deb_col2_1, :ag_col1),
                 '42501', 'permission denied for table event',
                 'collector cannot add an event to a teammate''s account');
SELECT throws_ok(format('INSERT INTO event (account_id, debtor_id, agent_id, kind) VALUES (%s, %s, %s, ''note'')',
                        :acc_col3_1, :deb_col3_1, :ag_col1),
                 '42501', 'permission denied for table event',
                 'collector cannot add an event to another team''s account');
SELECT throws_ok(format('INSERT INTO event (debtor_id, agent_id, kind) VALUES (%s, %s, ''note'')',
                        :deb_col3_1, :ag_col1),
                 '42501', 'permission denied for table event',
                 'collector cannot add an account-less event to another team''s debtor');
SELECT throws_ok(format('INSERT INTO message (account_id, debtor_id, channel, recipient, body) '
                        'VALUES (%s, %s, ''sms'', ''+34600000000'', ''x'')', :acc_col2_1, :deb_col2_1),
                 '42501', 'permission denied for table message',
                 'collector cannot queue a message on a teammate''s account');
SELECT throws_ok(format('INSERT INTO message (debtor_id, channel, recipient, body) '
                        'VALUES (%s, ''sms'', ''+34600000000'', ''x'')', :deb_col3_1),
                 '42501', 'permission denied for table message',
                 'collector cannot queue an account-less message to another team''s debtor');
SELECT throws_ok(format('INSERT INTO promise (account_id, agent_id, amount, currency, due_date) '
                        'VALUES (%s, %s, 100, ''EUR'', current_date)', :acc_col2_1, :ag_col1),
                 '42501', 'permission denied for table promise',
                 'collector cannot record a promise on a teammate''s account');
SELECT throws_ok(format('INSERT INTO promise (account_id, agent_id, amount, currency, due_date) '
                        'VALUES (%s, %s, 100, ''EUR'', current_date)', :acc_shared_b, :ag_col1),
                 '42501', 'permission denied for table promise',
                 'collector cannot record a promise on another team''s account of a debtor they share');
SELECT throws_ok(format('INSERT INTO promise_installment (promise_id, seq, due_date, amount) '
                        'VALUES (%s, 9, current_date, 100)', :prom_col2_1),
                 '42501', 'permission denied for table promise_installment',
                 'collector cannot add a plan installment to a teammate''s promise');
SELECT throws_ok(format('UPDATE promise SET status = ''kept'' WHERE id IN (%s, %s)', :prom_col2_1, :prom_col3_1),
                 '42501', 'permission denied for table promise',
                 'collector cannot update other people''s promises');
SELECT throws_ok(format('UPDATE contact_point SET opted_out = ''{sms}'' WHERE debtor_id IN (%s, %s)',
                        :deb_col2_1, :deb_col3_1),
                 '42501', 'permission denied for table contact_point',
                 'collector cannot update other debtors'' contact points');

-- Rows of their own account must stay about their own account's debtor.
SELECT throws_ok(format('INSERT INTO event (account_id, debtor_id, agent_id, kind) VALUES (%s, %s, %s, ''note'')',
                        :acc_col1_1, :deb_col3_1, :ag_col1),
                 '42501', NULL,
                 'collector cannot file an event under their own account naming another team''s debtor');
SELECT throws_ok(format('INSERT INTO message (account_id, debtor_id, channel, recipient, body) '
                        'VALUES (%s, %s, ''sms'', ''+34600000000'', ''x'')', :acc_col1_1, :deb_col3_1),
                 '42501', NULL,
                 'collector cannot queue a message under their own account to another team''s debtor');
SELECT throws_ok(format('INSERT INTO message (account_id, debtor_id, contact_point_id, channel, recipient, body) '
                        'VALUES (%s, %s, %s, ''sms'', ''+34600000000'', ''x'')',
                        :acc_col1_1, :deb_col1_1, :cp_col3_1_mobile),
                 '42501', NULL,
                 'collector cannot queue a message to another team''s contact point');

-- Privileges the collector does not have at all.
SELECT throws_ok(format('UPDATE message SET status = ''delivered'' WHERE id = %s', :msg_col1_1),
                 '42501', 'permission denied for table message',
                 'collector cannot change a message''s delivery status');
SELECT throws_ok(format('UPDATE contact_point SET value = ''+34999999999'' WHERE id = %s', :cp_col1_1_mobile),
                 '42501', 'permission denied for table contact_point',
                 'collector cannot rewrite a contact point''s value');
SELECT throws_ok(format('UPDATE debtor SET name = ''x'' WHERE id = %s', :deb_col1_1),
                 '42501', 'permission denied for table debtor', 'collector cannot update a debtor');
SELECT throws_ok(format('UPDATE event SET body = ''x'' WHERE account_id = %s', :acc_col1_1),
                 '42501', 'permission denied for table event', 'collector cannot rewrite history (UPDATE event)');
SELECT throws_ok(format('DELETE FROM event WHERE account_id = %s', :acc_col1_1),
                 '42501', 'permission denied for table event', 'collector cannot delete history');
SELECT throws_ok(format('DELETE FROM promise WHERE id = %s', :prom_col1_1),
                 '42501', 'permission denied for table promise', 'collector cannot delete a promise');
SELECT throws_ok(format('DELETE FROM account WHERE id = %s', :acc_col1_1),
                 '42501', 'permission denied for table account', 'collector cannot delete an account');
SELECT throws_ok(format('INSERT INTO account (debtor_id, creditor_id, product, reference, currency, balance, team_id, agent_id) '
                        'SELECT %s, creditor_id, ''x'', ''TFX-new'', ''EUR'', 1, team_id, agent_id FROM account WHERE id = %s',
                        :deb_col1_1, :acc_col1_1),
                 '42501', 'permission denied for table account', 'collector cannot create an account');
SELECT throws_ok('INSERT INTO debtor (name, first_name, jurisdiction, time_zone) VALUES (''x'', ''x'', ''ES'', ''UTC'')',
                 '42501', 'permission denied for table debtor', 'collector cannot create a debtor');
SELECT throws_ok(format('INSERT INTO payment (account_id, amount, currency, paid_at) VALUES (%s, 1, ''EUR'', now())',
                        :acc_col1_1),
                 '42501', 'permission denied for table payment', 'collector cannot record a payment');
SELECT throws_ok(format('UPDATE agent SET team_id = %s WHERE login = ''t_col1''', :team_b),
                 '42501', 'permission denied for table agent', 'collector cannot change their own team');
SELECT throws_ok('INSERT INTO team (code, name) VALUES (''t_x'', ''x'')',
                 '42501', 'permission denied for table team', 'collector cannot create a team');
SELECT throws_ok('INSERT INTO template (code, channel, language, body) VALUES (''x'', ''sms'', ''es'', ''x'')',
                 '42501', 'permission denied for table template', 'collector cannot create a template');

-- People and schema.
SELECT throws_ok('SELECT cobro.agent_add(''t_evil'', ''Evil'', ''admin'', NULL)',
                 '42501', 'permission denied for function agent_add',
                 'collector cannot execute agent_add (cannot make an admin)');
SELECT throws_ok('SELECT cobro.audit_write(''UPDATE'', ''account'', 1, NULL, NULL)',
                 '42501', 'permission denied for function audit_write',
                 'collector cannot write audit rows');
SELECT throws_ok('CREATE TABLE cobro.t_x (i int)', '42501', 'permission denied for schema cobro',
                 'collector cannot create a table in schema cobro');
SELECT throws_ok('CREATE TABLE public.t_x (i int)', '42501', 'permission denied for schema public',
                 'collector cannot create a table in schema public');

SELECT * FROM finish();
ROLLBACK;
