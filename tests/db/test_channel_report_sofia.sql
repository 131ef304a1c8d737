-- as: sofia
-- Issue 18, line 6, as a supervisor (sofia, team norte): the channel and
-- variant reports of her team's accounts only (tests/db/fixtures_reports.sql:
-- N1, N2, N3 are norte's, S1 sur's): m6 and y5 on S1 are not hers.
BEGIN;
\ir lib.sql
SELECT plan(6);

SELECT is(session_user::text, 'sofia', 'runs as the login role sofia');
SELECT is((SELECT string_agg(concat_ws('|', channel, messages, sent, delivered, failed, refused, replies, optouts,
                                       promises, promised, payments, recovered), E'\n' ORDER BY channel)
           FROM channel_report('2020-03-01 00:00Z', '2020-04-01 00:00Z', NULL, 7)),
          'email|1|1|1|0|0|0|0|0|{}|1|{"USD": 1500}' || E'\n' ||
          'sms|3|2|1|1|1|1|0|1|{"PEN": 5000}|0|{}' || E'\n' ||
          'whatsapp|1|1|0|0|0|1|1|0|{}|1|{"PEN": 2000}',
          'her team''s messages and what they are credited with; never sur''s m6 nor y5');
SELECT is((SELECT count(*)::int FROM channel_report('2020-03-01 00:00Z', '2020-04-01 00:00Z', 'segment', 7)
           WHERE group1 = 'late'), 0, '  by segment: no late segment (m6 is sur''s)');
SELECT is((SELECT string_agg(variant || ':' || accounts || ':' || paid, ',' ORDER BY variant)
           FROM strategy_report('2020-03-01 00:00Z', '2020-04-01 00:00Z')),
          'A:2:{"PEN": 2800},B:1:{"USD": 2400}', 'the variants of her team''s accounts: S1 is not counted in B');
SELECT is((SELECT version FROM report_strategy()), (SELECT max(version) FROM strategy_version),
          'she reads the strategy in force, the newest version (its window and costs)');
SELECT is(pg_temp.refused_code($$SELECT * FROM message_attribution('2020-03-01', '2020-04-01', 7, NULL)$$), '42501',
          'the attribution of every team (message_attribution) is not hers to call');

SELECT * FROM finish();
ROLLBACK;
