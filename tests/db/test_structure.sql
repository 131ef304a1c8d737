-- as: t_admin
-- Structural facts of the security model, read from the catalogs (readable by
-- any role) as a non-superuser: who owns what, which tables have row-level
-- security, which group may do what, and that nobody can step around it.
BEGIN;
\ir lib.sql
SELECT plan(28);

SELECT is(current_setting('is_superuser'), 'off', 'runs as a non-superuser');

-- ------------------------------------------------------------ roles
SELECT results_eq('SELECT rolcanlogin, rolsuper, rolbypassrls, rolinherit FROM pg_roles WHERE rolname = ''cobro_owner''',
                  $$VALUES (false, false, false, true)$$,
                  'cobro_owner exists, NOLOGIN, neither superuser nor BYPASSRLS');
SELECT is_empty('SELECT 1 FROM pg_auth_members WHERE roleid = (SELECT oid FROM pg_roles WHERE rolname = ''cobro_owner'')',
                'nobody is a member of cobro_owner (nobody can SET ROLE to the owner)');
SELECT set_eq('SELECT rolname::text FROM pg_roles WHERE rolname LIKE ''cobro\_%'' AND NOT rolcanlogin AND NOT rolsuper '
              'AND NOT rolbypassrls AND NOT rolcreaterole AND NOT rolcreatedb',
              ARRAY['cobro_collector', 'cobro_supervisor', 'cobro_lead', 'cobro_admin', 'cobro_daemon'],
              'the five groups exist, NOLOGIN, with no special attribute');
SELECT is_empty('SELECT rolname FROM pg_roles WHERE rolcanlogin AND rolbypassrls AND NOT rolsuper',
                'no login role but a superuser bypasses row-level security');
SELECT is_empty('SELECT a.login FROM agent a WHERE (SELECT array_agg(g.rolname::text ORDER BY g.rolname) '
                'FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles p ON p.oid = m.member '
                'WHERE p.rolname = a.login AND g.rolname LIKE ''cobro\_%'') IS DISTINCT FROM ARRAY[''cobro_'' || a.role]',
                'every person is a member of exactly one group, the one of their agent role');
SELECT is_empty('SELECT p.rolname FROM pg_auth_members m JOIN pg_roles p ON p.oid = m.member '
                'WHERE m.admin_option AND p.rolcanlogin AND NOT p.rolsuper',
                'no person may grant their group to others (no ADMIN OPTION)');
SELECT set_eq('SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid '
              'JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = ''cobro_lead''',
              ARRAY['cobro_supervisor'], 'a lead is a supervisor, and nothing more');

-- ------------------------------------------------------------ ownership
SELECT is((SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'cobro'), 'cobro_owner',
          'schema cobro belongs to cobro_owner');
SELECT is_empty('SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace '
                'WHERE n.nspname = ''cobro'' AND c.relowner <> ''cobro_owner''::regrole',
                'every table, partition, sequence and index in cobro belongs to cobro_owner');
SELECT is_empty('SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace '
                'WHERE n.nspname = ''cobro'' AND p.proowner <> ''cobro_owner''::regrole',
                'every function in cobro belongs to cobro_owner');

-- ------------------------------------------------------------ row-level security
SELECT is_empty('SELECT t FROM unnest(ARRAY[''agent'', ''account'', ''debtor'', ''contact_point'', ''installment'', '
                '''payment'', ''promise'', ''promise_installment'', ''message'', ''event'', ''audit'']) t '
                'WHERE NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = (''cobro.'' || t)::regclass AND c.relrowsecurity)',
                'row-level security is on for every table with people''s or debtors'' rows');
SELECT set_eq('SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace '
              'WHERE n.nspname = ''cobro'' AND c.relkind IN (''r'', ''p'') AND NOT c.relispartition AND NOT c.relrowsecurity',
              ARRAY['team', 'creditor', 'template', 'contact_policy', 'priority_setting', 'schema_migration',
                    'schema_function'],
              'the only tables without row-level security are reference tables and the migration ledgers');
SELECT is_empty('SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, '
                'unnest(ARRAY[''cobro_collector'', ''cobro_supervisor'', ''cobro_lead'']) g '
                'WHERE n.nspname = ''cobro'' AND c.relispartition AND '
                '(has_table_privilege(g, c.oid, ''SELECT'') OR has_table_privilege(g, c.oid, ''INSERT'') '
                ' OR has_table_privilege(g, c.oid, ''UPDATE'') OR has_table_privilege(g, c.oid, ''DELETE''))',
                'collectors, supervisors and leads have no privilege on a partition (partitions have no RLS of their own)');
SELECT is_empty('SELECT polname FROM pg_policy WHERE polrelid IN (''cobro.account''::regclass, ''cobro.agent''::regclass, '
                '''cobro.audit''::regclass) AND 0 = ANY (polroles)',
                'no policy on account, agent or audit applies to PUBLIC');
SELECT set_eq('SELECT polname::text || '' '' || polcmd::text || '' '' || array_to_string(ARRAY(SELECT r::regrole::text FROM unnest(polroles) r), '','') '
              'FROM pg_policy WHERE polrelid = ''cobro.audit''::regclass',
              ARRAY['all_rows r cobro_admin'], 'the only policy on audit lets admins SELECT');

-- ------------------------------------------------------------ privileges
SELECT is_empty('SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a '
                'WHERE n.nspname = ''cobro'' AND a.grantee = 0',
                'no table in cobro grants anything to PUBLIC');
SELECT is_empty('SELECT g FROM unnest(ARRAY[''cobro_collector'', ''cobro_supervisor'', ''cobro_lead'', ''cobro_admin'', '
                '''cobro_daemon'', ''public'']) g WHERE has_schema_privilege(g, ''cobro'', ''CREATE'') '
                'OR has_schema_privilege(g, ''public'', ''CREATE'') OR has_database_privilege(g, current_database(), ''CREATE'')',
                'no group may create schemas, or objects in schema cobro or public');
SELECT is_empty('SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace '
                'WHERE n.nspname = ''cobro'' AND p.prosecdef AND NOT EXISTS '
                '(SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE ''search\_path=%pg\_temp'')',
                'every SECURITY DEFINER function pins its search_path, pg_temp last');
SELECT is_empty('SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace '
                'WHERE n.nspname = ''cobro'' AND p.prosecdef AND p.prorettype <> ''trigger''::regtype '
                'AND has_function_privilege(''public'', p.oid, ''EXECUTE'')',
                'no SECURITY DEFINER function (but trigger functions) is executable by PUBLIC');
SELECT set_eq('SELECT g FROM unnest(ARRAY[''cobro_collector'', ''cobro_supervisor'', ''cobro_lead'', ''cobro_admin'', '
              '''cobro_daemon'']) g WHERE has_function_privilege(g, ''cobro.agent_add(text,text,text,text,text)'', ''EXECUTE'')',
              ARRAY['cobro_admin'], 'only admins may execute agent_add');
SELECT is_empty('SELECT g FROM unnest(ARRAY[''cobro_collector'', ''cobro_supervisor'', ''cobro_lead'', ''cobro_admin'', '
                '''cobro_daemon'']) g WHERE has_function_privilege(g, ''cobro.audit_write(text,text,bigint,jsonb,jsonb)'', ''EXECUTE'')',
                'no group may execute audit_write');
SELECT set_eq('SELECT g FROM unnest(ARRAY[''cobro_collector'', ''cobro_supervisor'', ''cobro_lead'', ''cobro_admin'', '
              '''cobro_daemon'']) g WHERE has_column_privilege(g, ''cobro.account'', ''agent_id'', ''UPDATE'')',
              ARRAY['cobro_admin'], 'only admins may UPDATE account.agent_id (a lead moves accounts through reassign_apply())');
SELECT set_eq('SELECT g FROM unnest(ARRAY[''cobro_collector'', ''cobro_supervisor'', ''cobro_lead'', ''cobro_admin'', '
              '''cobro_daemon'']) g WHERE has_column_privilege(g, ''cobro.account'', ''team_id'', ''UPDATE'')',
              ARRAY['cobro_admin'], 'only admins may UPDATE account.team_id');
SELECT is_empty('SELECT g, p FROM unnest(ARRAY[''cobro_collector'', ''cobro_supervisor'', ''cobro_lead'', ''cobro_admin'', '
                '''cobro_daemon'']) g, unnest(ARRAY[''INSERT'', ''UPDATE'', ''DELETE'', ''TRUNCATE'']) p '
                'WHERE has_table_privilege(g, ''cobro.audit'', p)',
                'no group may INSERT, UPDATE, DELETE or TRUNCATE audit');
SELECT set_eq('SELECT g FROM unnest(ARRAY[''cobro_collector'', ''cobro_supervisor'', ''cobro_lead'', ''cobro_admin'', '
              '''cobro_daemon'']) g WHERE has_table_privilege(g, ''cobro.audit'', ''SELECT'')',
              ARRAY['cobro_admin', 'cobro_daemon'],
              'SELECT on audit is held by admins and the daemon only (and RLS lets only admins see rows)');
SELECT is_empty('SELECT g, p FROM unnest(ARRAY[''cobro_collector'', ''cobro_supervisor'', ''cobro_lead'', ''cobro_admin'', '
                '''cobro_daemon'']) g, unnest(ARRAY[''INSERT'', ''UPDATE'', ''DELETE'', ''TRUNCATE'']) p '
                'WHERE has_table_privilege(g, ''cobro.schema_migration'', p)',
                'no group may write the migration ledger');
SELECT is_empty('SELECT g, p FROM unnest(ARRAY[''cobro_collector'', ''cobro_supervisor'', ''cobro_lead'', ''cobro_admin'', '
                '''cobro_daemon'']) g, unnest(ARRAY[''INSERT'', ''UPDATE'', ''DELETE'', ''TRUNCATE'']) p '
                'WHERE has_table_privilege(g, ''cobro.schema_function'', p)',
                'no group may write the function files'' ledger');

SELECT * FROM finish();
ROLLBACK;
