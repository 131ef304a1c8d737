-- as: t_admin
-- Templates are printable text in the database too (issue 14, line 9): an
-- administrator writing the table in psql is refused what `cobroctl template
-- add` refuses in a file, a bare CR in an email subject, ESC and BEL in an
-- SMS body, DEL, C1; a body keeps its tabs and line feeds.
BEGIN;
\ir lib.sql
SELECT plan(9);

SELECT is(session_user::text, 't_admin', 'runs as the login role t_admin');
SELECT lives_ok($$INSERT INTO template (code, channel, language, subject, body)
                  VALUES ('t_inputs_ok', 'email', 'es', 'Su cuenta {account.reference}', E'Hola\tsu saldo\nGracias')$$,
                'admin adds a template whose body holds a tab and a line feed');
SELECT throws_ok($$INSERT INTO template (code, channel, language, subject, body)
                   VALUES ('t_inputs_cr', 'email', 'en', E'Hello\rBcc: x@evil.example', 'Body')$$,
                 '23514', NULL, 'a bare CR in an email subject is refused');
SELECT throws_ok($$INSERT INTO template (code, channel, language, subject, body)
                   VALUES ('t_inputs_tab', 'email', 'en', E'Hello\tthere', 'Body')$$,
                 '23514', NULL, 'a tab in a subject is refused');
SELECT throws_ok($$INSERT INTO template (code, channel, language, body)
                   VALUES ('t_inputs_esc', 'sms', 'es', E'Hola \x1b[31mrojo')$$,
                 '23514', NULL, 'ESC in an SMS body is refused');
SELECT throws_ok($$INSERT INTO template (code, channel, language, body)
                   VALUES ('t_inputs_bel', 'sms', 'es', E'Hola\x07')$$,
                 '23514', NULL, 'BEL in an SMS body is refused');
SELECT throws_ok($$INSERT INTO template (code, channel, language, body)
                   VALUES ('t_inputs_c1', 'sms', 'es', E'Hola \u009b31m')$$,
                 '23514', NULL, 'a C1 control (U+009B) in a body is refused');
SELECT throws_ok($$INSERT INTO template (code, channel, language, body)
                   VALUES ('t_inputs_del', 'whatsapp', 'es', E'Hola\x7f')$$,
                 '23514', NULL, 'DEL in a body is refused');
SELECT throws_ok($$UPDATE template SET body = E'Hola\rmundo' WHERE code = 't_inputs_ok'$$,
                 '23514', NULL, 'an update is checked as an insert is');

SELECT * FROM finish();
ROLLBACK;
