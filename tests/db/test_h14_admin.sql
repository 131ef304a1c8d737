-- as: t_admin
-- Issue 14, lines 3 to 5, as an administrator in psql: the database refuses a
-- contact-policy version that does not parse or loosens a locked rule, and
-- any change to a stored version; agent_add() leaves another application's
-- login role alone; the longest lease is the admin's to set, within bounds.
BEGIN;
\ir lib.sql
SELECT plan(15);

SELECT is(session_user::text, 't_admin', 'runs as the login role t_admin');

-- ------------------------------------------------- contact policy versions
-- The newest accepted version, or one made here when the cluster has none.
CREATE TEMP TABLE cur AS
SELECT text, holidays FROM contact_policy WHERE accepted ORDER BY version DESC LIMIT 1;
SELECT lives_ok($$INSERT INTO contact_policy (text, holidays) SELECT
'jurisdictions = ({ id = "*"; name = "Every jurisdiction"; rules = ({ id = "ZZ-CAP"; type = "cap"; locked = true; channels = ["sms"]; max = 2; window = "rolling"; days = 7; per = "debt"; counts = ["sent"]; }); });', ''
WHERE NOT EXISTS (SELECT 1 FROM cur)$$, 'a valid first version is stored (when the cluster has none)');
DELETE FROM cur;
INSERT INTO cur SELECT text, holidays FROM contact_policy WHERE accepted ORDER BY version DESC LIMIT 1;
SELECT count(*) AS versions_before FROM contact_policy \gset

-- The first locked cap of the version in force, raised to 1000.
CREATE TEMP TABLE loose AS
SELECT regexp_replace(text, '(locked = true;[^}]*?max = )[0-9]+', '\11000') AS text, holidays FROM cur;
SELECT isnt((SELECT text FROM loose), (SELECT text FROM cur), 'the loosened text differs (a locked cap raised to 1000)');
SELECT throws_like('INSERT INTO contact_policy (text, holidays) SELECT text, holidays FROM loose',
                   '%is locked and may only be tightened: max 1000 is more than%',
                   'admin cannot insert a version that raises a locked cap');
SELECT throws_like($$INSERT INTO contact_policy (text, holidays) VALUES ('jurisdictions = ( {', '')$$,
                   'contact policy refused: contact_policy:1:%', 'admin cannot insert a version that does not parse');
SELECT throws_ok('UPDATE contact_policy SET text = text', '42501', 'permission denied for table contact_policy',
                 'admin cannot change a stored version');
SELECT throws_ok('DELETE FROM contact_policy', '42501', 'permission denied for table contact_policy',
                 'admin cannot remove a stored version');
SELECT is((SELECT count(*) FROM contact_policy), :versions_before::bigint, 'nothing was stored');
-- The same text again keeps every lock: stored, accepted, in the server's name.
INSERT INTO contact_policy (text, holidays, loaded_by, loaded_at)
SELECT text, holidays, 'someone_else', '1999-01-01' FROM cur
RETURNING loaded_by AS ins_by, accepted AS ins_accepted, loaded_at > now() - interval '1 minute' AS ins_now \gset
SELECT is(:'ins_by' || ' ' || :'ins_accepted' || ' ' || :'ins_now', 't_admin t t',
          'a version keeping every lock is stored, accepted, under the writer''s own name and time');

-- ------------------------------------------------------------- login roles
SELECT throws_like($$SELECT agent_add('t_other_app', 'Other App', 'collector', 't_a', 'new-password')$$,
                   'role "t_other_app" exists and was not created by cobro%',
                   'agent_add refuses another application''s login role');
SELECT ok(NOT pg_has_role('t_other_app', 'cobro_collector', 'MEMBER')
          AND shobj_description('t_other_app'::regrole, 'pg_authid') IS NULL,
          'and it is in no cobro group, and unmarked');
SELECT is(shobj_description('t_col1'::regrole, 'pg_authid'), 'cobro: a person''s login, made by cobro.agent_add()',
          'a login agent_add made carries cobro''s mark');

-- ------------------------------------------------------------------ leases
SELECT lives_ok('UPDATE lease_setting SET max_seconds = 600', 'admin sets the longest lease');
SELECT throws_ok('UPDATE lease_setting SET max_seconds = 86400 * 365', '23514', NULL,
                 'but not beyond an hour');
SELECT throws_ok('UPDATE lease_setting SET max_seconds = 5', '23514', NULL, 'nor under a minute');

SELECT * FROM finish();
ROLLBACK;
