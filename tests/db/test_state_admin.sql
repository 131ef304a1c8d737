-- as: t_admin
-- Issue 14, line 2, as the administrator: the state the issue names (an
-- account's status and contact times, a point's opt-outs and bad mark, the
-- history) changes only through audited functions; assignment and payments
-- stay theirs, promise outcomes go through promise_evaluate() (024). Fixtures: fixtures.sql.
BEGIN;
\ir lib.sql
SELECT plan(16);

SELECT is(session_user::text, 't_admin', 'runs as the login role t_admin');
SELECT throws_ok(format('UPDATE account SET status = ''active'' WHERE id = %s', :acc_col1_1),
                 '42501', 'permission denied for table account', 'admin cannot set a status directly');
SELECT throws_ok(format('UPDATE account SET last_contact_at = ''1999-01-01'' WHERE id = %s', :acc_col1_1),
                 '42501', 'permission denied for table account', 'admin cannot backdate last_contact_at');
SELECT throws_ok(format('UPDATE contact_point SET opted_out = ''{}'' WHERE id = %s', :cp_col1_1_mobile),
                 '42501', 'permission denied for table contact_point', 'admin cannot clear an opt-out directly');
SELECT is(pg_temp.affected(format('UPDATE contact_point SET consent = ''{call,sms}'', is_primary = true WHERE id = %s',
                                  :cp_col1_1_mobile)), 1::bigint, 'admin still corrects a point''s consent');
SELECT throws_ok(format('DELETE FROM contact_point WHERE id = %s', :cp_col1_1_mobile),
                 '42501', 'permission denied for table contact_point',
                 'admin cannot delete a point (and so forget its opt-out)');
SELECT throws_ok(format('INSERT INTO event (account_id, debtor_id, kind, amount, body) '
                        'VALUES (%s, %s, ''payment'', 99999900, repeat(''x'', 20000000))', :acc_col1_1, :deb_col1_1),
                 '42501', 'permission denied for table event', 'admin cannot insert an event directly');
SELECT throws_ok(format('SELECT cobro.account_add_note(''00000000-0000-4000-8000-000000000e01'', %s, ''x'')', :acc_col1_1),
                 '42501', 'permission denied for function account_add_note',
                 'admin does not work accounts through the workstation''s functions');
SELECT throws_ok(format('SELECT cobro.account_lift_dispute(%s, ''why'')', :acc_col1_1),
                 '55000', NULL, 'admin may lift a dispute, but there must be one');
SELECT throws_ok(format('SELECT cobro.contact_point_lift_optout(%s, %s, ''sms'', ''why'')', :acc_col1_1, :cp_col1_1_mobile),
                 '55000', NULL, 'admin may lift an opt-out, but there must be one');
SELECT throws_ok(format('SELECT cobro.contact_point_lift_optout(%s, %s, ''sms'', ''why'')', :acc_col1_1, :cp_col3_1_mobile),
                 '23503', NULL, 'admin lifts an opt-out only of the account''s own debtor');
SELECT is(pg_temp.affected(format('UPDATE account SET agent_id = %s, team_id = %s, updated_at = now() WHERE id = %s',
                                  :ag_col3, :team_b, :acc_col1_2)),
          1::bigint, 'admin still moves an account between teams');
SELECT throws_ok(format('UPDATE promise SET status = ''kept'', resolved_at = now() WHERE id = %s', :prom_col1_1),
                 '42501', 'permission denied for table promise',
                 'promise outcomes are the keeper''s (promise_evaluate(), 024_promises.sql), not a direct write');
SELECT lives_ok(format('INSERT INTO payment (account_id, amount, currency, paid_at) VALUES (%s, 100, ''EUR'', now())',
                       :acc_col1_1), 'payments stay the administrator''s');
SELECT is((SELECT count(*) FROM audit WHERE tbl = 'payment' AND action = 'INSERT' AND actor = 't_admin'
           AND (new->>'account_id')::bigint = :acc_col1_1), 1::bigint, '... and each is audited');
SELECT throws_ok(format('INSERT INTO callback (account_id, agent_id, due_at, zone) VALUES (%s, %s, now() + interval ''1 day'', ''UTC'')',
                        :acc_col1_1, :ag_admin),
                 '42501', 'permission denied for table callback', 'admin cannot insert a callback directly');

SELECT * FROM finish();
ROLLBACK;
