-- as: t_col1
-- A collector cannot speak for a gateway: message_receipt() is the daemon's.
BEGIN;
\ir lib.sql
SELECT plan(2);
SELECT is(session_user::text, 't_col1', 'runs as the login role t_col1');
SELECT throws_ok('SELECT cobro.message_receipt(''sms'', ''x'', ''delivered'', now())', '42501',
                 'permission denied for function message_receipt', 'a collector cannot record a receipt');
SELECT * FROM finish();
ROLLBACK;
