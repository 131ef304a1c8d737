-- as: admin
-- Issue 18, line 11, as an administrator: reads when every debtor was last
-- heard from (debtor_heard, 036: cobroctl strategy run reads the facts as
-- its caller), writes none of it, and does not rebuild it (the owner's and
-- the demo loader's).
BEGIN;
\ir lib.sql
SELECT plan(6);

SELECT is(session_user::text, 'admin', 'runs as the login role admin');
SELECT is((SELECT count(*) FROM debtor_heard)::int,
          (SELECT count(DISTINCT e.debtor_id) FROM event e
           WHERE e.direction = 'in' AND e.kind IN ('sms', 'email', 'whatsapp')
              OR e.kind IN ('call', 'visit') AND e.outcome = 'right_party')::int,
          'debtor_heard: read, a row per debtor heard from');
SELECT is((SELECT last_reply FROM debtor_heard WHERE debtor_id = :deb_col2_1),
          (SELECT max(at) FROM event WHERE debtor_id = :deb_col2_1 AND direction = 'in'),
          '  the fixtures'' reply filed under no account');
SELECT is(pg_temp.refused_code(format('UPDATE debtor_heard SET last_reply = NULL WHERE debtor_id = %s', :deb_col2_1)),
          '42501', 'debtor_heard: not written directly');
SELECT is(pg_temp.refused_code('SELECT debtor_heard_rebuild()'), '42501', 'rebuilding it: refused');
SELECT is(pg_temp.refused_code(format('SELECT debtor_heard_redo(ARRAY[%s]::bigint[])', :deb_col2_1)), '42501',
          '  nor a debtor''s');

SELECT * FROM finish();
ROLLBACK;
