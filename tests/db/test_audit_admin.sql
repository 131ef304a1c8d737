-- as: admin
-- The audit chain as the administrator (issue 17, lines 6 and 7): reads
-- every row and verifies the chain, but changes, removes and forges none,
-- nor switches the guard off; the guard refuses UPDATE, DELETE and TRUNCATE
-- to every role, the owner's functions included (a trigger, not only
-- grants); what issue 17 lists is audited: an account's status, teams,
-- contact points added, templates, logins.
BEGIN;
\ir lib.sql
SELECT plan(20);

SELECT is(session_user::text, 'admin', 'runs as the login role admin');
SELECT throws_ok('UPDATE audit SET actor = ''nobody''', '42501', NULL, 'admin cannot update audit rows');
SELECT throws_ok('DELETE FROM audit', '42501', NULL, 'admin cannot delete audit rows');
SELECT throws_ok('TRUNCATE audit', '42501', NULL, 'admin cannot truncate audit');
SELECT throws_ok('INSERT INTO audit (action, tbl, hash) VALUES (''FORGED'', ''x'', ''\x00'')', '42501', NULL,
                 'admin cannot insert an audit row by hand');
SELECT throws_ok('UPDATE audit_head SET hash = NULL', '42501', NULL, 'admin cannot move the chain''s head');
SELECT throws_ok('SELECT audit_write(''FORGED'', ''x'', NULL, NULL, NULL)', '42501', NULL,
                 'admin cannot call audit_write');
SELECT throws_ok('ALTER TABLE audit DISABLE TRIGGER audit_append_only', '42501', NULL,
                 'admin cannot switch the append-only guard off');
SELECT throws_ok('SET session_replication_role = replica', '42501', NULL,
                 'admin cannot skip triggers (session_replication_role)');
SELECT ok((SELECT count(*) FROM audit) > 0, 'admin reads the audit trail');
SELECT is((SELECT problem FROM audit_verify()), NULL, 'the test database''s chain verifies (no broken link)');
SELECT ok((SELECT n_rows FROM audit_verify()) = (SELECT count(*) FROM audit), 'verify checked every row');
SELECT bag_eq($$SELECT tgname::text, tgenabled::text FROM pg_trigger
                WHERE tgrelid = 'cobro.audit'::regclass AND tgfoid = 'cobro.audit_append_only'::regproc$$,
              $$VALUES ('audit_append_only', 'O'), ('audit_append_only_truncate', 'O')$$,
              'the guard is a trigger on audit for every role (UPDATE, DELETE; TRUNCATE), switched on');

-- What is audited.
SELECT coalesce(max(id), 0) AS before FROM audit \gset
SELECT lives_ok('SELECT audit_login(''cobroctl'')', 'admin''s login is recorded');
SELECT is((SELECT count(*)::int FROM audit WHERE id > :before AND action = 'LOGIN' AND actor = 'admin'
             AND new->>'program' = 'cobroctl'), 1, '  as a LOGIN row in admin''s name');
SELECT throws_ok('SELECT audit_login(''psql'')', '22023', NULL, 'a login names a cobro program');
-- An account's status changes only through the functions (016), which
-- write their own line; the trigger records the row however it changes, a
-- superuser's hand included (cli-test_audit shows it firing).
SELECT is((SELECT count(*)::int FROM pg_trigger t
           WHERE t.tgrelid = 'cobro.account'::regclass AND t.tgname = 'account_status_audit'
             AND t.tgfoid = 'cobro.audit_trigger'::regproc AND t.tgenabled = 'O'
             AND (SELECT array_agg(attname::text) FROM pg_attribute
                  WHERE attrelid = t.tgrelid AND attnum = ANY (t.tgattr)) = '{status}'),
          1, 'an account''s status change is audited by a trigger on status');
INSERT INTO team (code, name) VALUES ('t_audit', 'Audit');
SELECT is((SELECT count(*)::int FROM audit WHERE id > :before AND tbl = 'team' AND new->>'code' = 't_audit'), 1,
          'a team added is audited');
INSERT INTO contact_point (debtor_id, kind, value) SELECT min(id), 'email', 'audit@example.com' FROM debtor;
SELECT is((SELECT count(*)::int FROM audit WHERE id > :before AND tbl = 'contact_point' AND action = 'INSERT'
             AND new->>'value' = 'audit@example.com'), 1, 'a contact point added is audited');
SELECT is((SELECT problem FROM audit_verify()), NULL, 'the chain still verifies after these writes');

SELECT * FROM finish();
ROLLBACK;
