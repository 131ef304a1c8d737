-- as: marta
-- Issue 18, line 6, as a lead (marta, team norte): her team's figures, as a
-- supervisor's (tests/db/fixtures_reports.sql).
BEGIN;
\ir lib.sql
SELECT plan(3);

SELECT is(session_user::text, 'marta', 'runs as the login role marta');
SELECT is((SELECT sum(messages)::int || ' ' || sum(payments)::int
           FROM channel_report('2020-03-01 00:00Z', '2020-04-01 00:00Z', NULL, 7)), '5 2',
          'her team''s messages (m1, m2, m3, m4, m5) and payments credited (y1, y3)');
SELECT is((SELECT sum(accounts)::int FROM strategy_report('2020-03-01 00:00Z', '2020-04-01 00:00Z')), 3,
          'the variants: N1, N3, N2');

SELECT * FROM finish();
ROLLBACK;
