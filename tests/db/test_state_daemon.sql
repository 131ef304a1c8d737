-- as: t_daemon
-- Issue 14, line 2, as cobrod's role: it keeps what STOP handling and
-- replies need, promise outcomes only through promise_evaluate() (issue 16),
-- and nothing a person's function does. Fixtures: fixtures.sql.
BEGIN;
\ir lib.sql
SELECT plan(7);

SELECT is(session_user::text, 't_daemon', 'runs as the login role t_daemon');
SELECT throws_ok(format('UPDATE account SET status = ''active'' WHERE id = %s', :acc_col1_1),
                 '42501', 'permission denied for table account', 'daemon cannot set an account''s status');
SELECT throws_ok(format('SELECT cobro.account_log_call(''00000000-0000-4000-8000-000000000f01'', %s, ''right_party'', NULL, NULL)',
                        :acc_col1_1),
                 '42501', 'permission denied for function account_log_call', 'daemon cannot log a person''s call');
SELECT throws_ok(format('SELECT cobro.account_lift_dispute(%s, ''x'')', :acc_col1_1),
                 '42501', 'permission denied for function account_lift_dispute', 'daemon cannot lift a dispute');
SELECT throws_ok(format('SELECT cobro.contact_point_lift_optout(%s, %s, ''sms'', ''x'')', :acc_col1_1, :cp_col1_1_mobile),
                 '42501', 'permission denied for function contact_point_lift_optout', 'daemon cannot lift an opt-out through the admin''s function');
SELECT is(pg_temp.affected(format('UPDATE contact_point SET opted_out = ''{sms}'', opted_out_at = now() WHERE id = %s',
                                  :cp_col1_1_mobile)), 1::bigint, 'daemon still records a STOP');
SELECT throws_ok(format('UPDATE promise SET status = ''broken'', resolved_at = now() WHERE id = %s', :prom_col1_1),
                 '42501', 'permission denied for table promise',
                 'daemon settles a promise only through promise_evaluate() (024_promises.sql)');

SELECT * FROM finish();
ROLLBACK;
