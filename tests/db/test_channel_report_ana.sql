-- as: ana
-- Issue 18, line 6, as a collector (ana, team norte): the database refuses
-- her the channel and variant reports and the strategy's costs, whatever
-- the arguments; the attribution function is nobody's to call.
BEGIN;
\ir lib.sql
SELECT plan(6);

SELECT is(session_user::text, 'ana', 'runs as the login role ana');
SELECT is(pg_temp.refused_code($$SELECT * FROM channel_report('2020-03-01', '2020-04-01', NULL, 7)$$), '42501',
          'the channels'' figures: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM channel_report('2020-03-01', '2020-04-01', 'variant', 7)$$), '42501',
          '  by variant: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM strategy_report('-infinity', 'infinity')$$), '42501',
          'the variants'' figures: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM report_strategy()$$), '42501', 'the strategy in force: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM message_attribution('2020-03-01', '2020-04-01', 7, NULL)$$), '42501',
          'the attribution: refused');

SELECT * FROM finish();
ROLLBACK;
