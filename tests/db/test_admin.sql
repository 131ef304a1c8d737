-- as: t_admin
-- An admin (t_admin) reads everything, reassigns anywhere, adds people, and
-- is the only one who reads the audit trail, which they cannot change. Every
-- change of assignment writes an audit row chained to the one before it.
BEGIN;
\ir lib.sql
SELECT plan(48);

SELECT is(session_user::text, 't_admin', 'runs as the login role t_admin');
SELECT is(current_setting('is_superuser'), 'off', 't_admin is not a superuser');
SELECT ok(pg_has_role('t_admin', 'cobro_admin', 'MEMBER')
          AND NOT pg_has_role('t_admin', 'cobro_owner', 'MEMBER')
          AND NOT pg_has_role('t_admin', 'cobro_daemon', 'MEMBER'),
          't_admin is in cobro_admin, not in cobro_owner nor cobro_daemon');

-- ------------------------------------------------------------ reads everything
SELECT is((SELECT count(*) FROM account), :n_account::bigint, 'admin reads every account (of every team)');
SELECT is((SELECT count(*) FROM debtor), :n_debtor::bigint, 'admin reads every debtor, one with no account yet included');
SELECT is((SELECT count(*) FROM contact_point), :n_contact_point::bigint, 'admin reads every contact point');
SELECT is((SELECT count(*) FROM installment), :n_installment::bigint, 'admin reads every installment');
SELECT is((SELECT count(*) FROM payment), :n_payment::bigint, 'admin reads every payment');
SELECT is((SELECT count(*) FROM promise), :n_promise::bigint, 'admin reads every promise');
SELECT is((SELECT count(*) FROM promise_installment), :n_promise_installment::bigint, 'admin reads every plan installment');
SELECT is((SELECT count(*) FROM message), :n_message::bigint, 'admin reads every message');
SELECT is((SELECT count(*) FROM event), :n_event::bigint, 'admin reads every event');
SELECT is((SELECT count(*) FROM agent), :n_agent::bigint, 'admin reads every person');
SELECT is((SELECT count(*) FROM audit), :n_audit::bigint, 'admin reads the whole audit trail');
SELECT lives_ok('SELECT * FROM schema_migration', 'admin reads the migration ledger');
SELECT lives_ok('SELECT * FROM schema_function', 'admin reads the function files'' ledger');

-- ------------------------------------------------------------ reassigns anywhere
-- This admin works from Lima: the session's time zone must not leak into the
-- audit chain, or nobody elsewhere could verify it.
SET LOCAL TimeZone = 'America/Lima';
SELECT coalesce(max(id), 0) AS audit_before FROM audit \gset
SELECT is(pg_temp.affected(format('UPDATE account SET agent_id = %s, team_id = %s, updated_at = now() WHERE id = %s',
                                  :ag_col3, :team_b, :acc_col1_1)),
          1::bigint, 'admin moves an account to another team''s collector');
SELECT is(pg_temp.affected(format('UPDATE account SET agent_id = %s WHERE id = %s', :ag_col2, :acc_col3_1)),
          1::bigint, 'admin assigns another team''s account to any collector');

-- The audit rows of those two changes.
SELECT is((SELECT count(*)::int FROM audit WHERE id > :audit_before), 2, 'the two reassignments wrote two audit rows');
SELECT results_eq(format('SELECT actor, action, tbl, row_id, (old->>''agent_id'')::bigint, (new->>''agent_id'')::bigint, '
                         '(new->>''team_id'')::bigint FROM audit WHERE id > %s ORDER BY id', :audit_before),
                  format('VALUES (''t_admin'', ''UPDATE'', ''account'', %s::bigint, %s::bigint, %s::bigint, %s::bigint), '
                         '(''t_admin'', ''UPDATE'', ''account'', %s, %s, %s, %s)',
                         :acc_col1_1, :ag_col1, :ag_col3, :team_b, :acc_col3_1, :ag_col3, :ag_col2, :team_b),
                  'each audit row names the actor, the account, the old and the new agent');
SELECT is_empty(format('SELECT a.id FROM audit a WHERE a.id > %s AND a.prev_hash IS DISTINCT FROM '
                       '(SELECT p.hash FROM audit p WHERE p.id < a.id ORDER BY p.id DESC LIMIT 1)', :audit_before),
                'each new audit row''s prev_hash is the hash of the row before it');
SELECT is_empty('SELECT id FROM (SELECT id, prev_hash, lag(hash) OVER (ORDER BY id) AS before FROM audit) c '
                'WHERE prev_hash IS DISTINCT FROM before',
                'the whole audit trail is one unbroken chain');
-- The hash is sha256(prev_hash || "at|actor|action|tbl|row_id|old|new"), the
-- time written in UTC (ISO): anyone can recompute it, wherever they are.
SET LOCAL TimeZone = 'UTC';
SET LOCAL DateStyle = 'ISO, YMD';
SELECT is_empty(format('SELECT id FROM audit WHERE id > %s AND hash IS DISTINCT FROM '
                       'sha256(coalesce(prev_hash, ''\x''::bytea) || convert_to(concat_ws(''|'', at, actor, action, tbl, '
                       'row_id, old, new), ''UTF8''))', :audit_before),
                'each new audit row''s hash covers the previous hash and the row, time in UTC, whatever the writer''s time zone');
RESET TimeZone;
RESET DateStyle;

-- The audit trail and the ledger cannot be changed, not even by an admin.
SELECT throws_ok('UPDATE audit SET actor = ''nobody''', '42501', 'permission denied for table audit',
                 'admin cannot rewrite an audit row');
SELECT throws_ok('DELETE FROM audit', '42501', 'permission denied for table audit', 'admin cannot delete audit rows');
SELECT throws_ok('INSERT INTO audit (action, tbl, hash) VALUES (''x'', ''x'', ''\x00'')', '42501',
                 'permission denied for table audit', 'admin cannot forge an audit row');
SELECT throws_ok('TRUNCATE audit', '42501', 'permission denied for table audit', 'admin cannot truncate the audit trail');
SELECT throws_ok('SELECT cobro.audit_write(''UPDATE'', ''account'', 1, NULL, NULL)', '42501',
                 'permission denied for function audit_write', 'admin cannot call audit_write directly');
SELECT throws_ok('INSERT INTO schema_migration (version, name, checksum) VALUES (999, ''x'', ''x'')', '42501',
                 'permission denied for table schema_migration', 'admin cannot write the migration ledger');
SELECT throws_ok('DELETE FROM schema_migration', '42501', 'permission denied for table schema_migration',
                 'admin cannot delete from the migration ledger');
SELECT throws_ok('UPDATE schema_function SET checksum = ''x''', '42501', 'permission denied for table schema_function',
                 'admin cannot write the function files'' ledger');
SELECT throws_ok('SELECT cobro.event_add_partitions(''2040-01-01'', ''2040-01-01'')', '42501',
                 'permission denied for function event_add_partitions',
                 'admin cannot make a partition by hand (only the owner can)');
SELECT throws_ok('CREATE TABLE cobro.t_x (i int)', '42501', 'permission denied for schema cobro',
                 'admin cannot create a table in schema cobro');
SELECT throws_ok('ALTER TABLE cobro.account DISABLE ROW LEVEL SECURITY', '42501', 'must be owner of table account',
                 'admin cannot switch row-level security off');
SELECT throws_ok('SET ROLE cobro_owner', '42501', 'permission denied to set role "cobro_owner"',
                 'admin cannot become the table owner');

-- ------------------------------------------------------------ imports
SELECT lives_ok('INSERT INTO debtor (name, first_name, national_id, jurisdiction, time_zone) '
                'VALUES (''Importado Nuevo'', ''Importado'', ''TFX-import'', ''ES'', ''Europe/Madrid'')',
                'admin imports a new debtor (before any of their accounts exist)');

-- ------------------------------------------------------------ people
SELECT lives_ok('SELECT cobro.agent_add(''t_tmp'', ''Temporary Collector'', ''collector'', ''t_a'')',
                'admin adds a collector with agent_add');
SELECT ok((SELECT rolcanlogin AND NOT rolsuper AND NOT rolcreaterole AND NOT rolbypassrls FROM pg_roles WHERE rolname = 't_tmp'),
          'the new person is a plain LOGIN role');
SELECT set_eq('SELECT r.rolname::text FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid '
              'WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = ''t_tmp'')',
              ARRAY['cobro_collector'], 'the new person is a member of exactly one group, cobro_collector');
SELECT results_eq('SELECT a.role, t.code FROM agent a JOIN team t ON t.id = a.team_id WHERE a.login = ''t_tmp''',
                  $$VALUES ('collector', 't_a')$$, 'the new person has an agent row in their team');
SELECT throws_ok('SELECT cobro.agent_add(''t_x'', ''X'', ''boss'', ''t_a'')', '22023',
                 'unknown role "boss": use collector, supervisor, lead, admin or daemon',
                 'agent_add refuses an unknown role, naming the valid ones');
SELECT throws_ok('SELECT cobro.agent_add(''t_x'', ''X'', ''collector'', ''nope'')', '22023', 'no team "nope"',
                 'agent_add refuses an unknown team');
SELECT throws_ok('SELECT cobro.agent_add(''t_x'', ''X'', ''supervisor'', NULL)', '22023', 'a supervisor needs a team (--team)',
                 'agent_add refuses a supervisor with no team');
SELECT throws_ok('SELECT cobro.agent_add(''T X'', ''X'', ''collector'', ''t_a'')', '22023',
                 'login "T X" must be lower-case letters, digits, _ . -, starting with a letter',
                 'agent_add refuses a login that is not lower-case letters, digits, _ . -');
SELECT throws_ok('SELECT cobro.agent_add(''t_x"; DROP ROLE t_col1; --'', ''X'', ''collector'', ''t_a'')', '22023', NULL,
                 'agent_add refuses a login that tries SQL injection');
SELECT throws_ok('SELECT cobro.agent_add(''t_col1'', ''X'', ''collector'', ''t_a'')', '42710', 'agent "t_col1" exists already',
                 'agent_add refuses a login that is an agent already');
SELECT throws_ok('SELECT cobro.agent_add(''cobro_collector'', ''Group'', ''lead'', ''t_a'')', NULL, NULL,
                 'agent_add refuses to make a group role a person (it would make every collector a lead)');
SELECT is_empty('SELECT 1 FROM pg_auth_members WHERE member = (SELECT oid FROM pg_roles WHERE rolname = ''cobro_collector'')',
                'after that attempt cobro_collector is still in no other group (collectors did not become leads)');

SELECT * FROM finish();
ROLLBACK;
