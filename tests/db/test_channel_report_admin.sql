-- as: admin
-- Issue 18, line 6, as an administrator: channel_report() and
-- strategy_report() over March 2020, where only tests/db/fixtures_reports.sql
-- put anything; every figure expected here is worked out by hand in that
-- file's table (messages, outcomes, and the message each is credited to).
-- The attribution rule (docs/metrics.md) is held at its edges: the window's
-- end, a failed message, a message before the range, a rejected promise.
BEGIN;
\ir lib.sql
SELECT plan(17);

SELECT is(session_user::text, 'admin', 'runs as the login role admin');

-- One line per row: channel|manual|group1|group2|messages|sent|delivered|
-- failed|refused|replies|optouts|promises|promised|payments|recovered|cost|by currency.
CREATE FUNCTION pg_temp.rows(p_by text, p_days integer, p_ch text[] DEFAULT '{}', p_cost numeric[] DEFAULT '{}')
RETURNS text LANGUAGE sql AS $$
	SELECT string_agg(concat_ws('|', channel, coalesce(manual::text, '-'), coalesce(group1, '-'), coalesce(group2, '-'),
	                            messages, sent, delivered, failed, refused, replies, optouts, promises, promised,
	                            payments, recovered, coalesce(cost::text, '?'), coalesce(cost_by_currency::text, '?')),
	                  E'\n' ORDER BY channel, manual, group1, group2)
	FROM cobro.channel_report('2020-03-01 00:00Z', '2020-04-01 00:00Z', p_by, p_days, p_ch, p_cost)
$$;

SELECT is(pg_temp.rows(NULL, 7, '{sms,email}', '{0.05,0.005}'),
          'email|-|-|-|1|1|1|0|0|0|0|0|{}|1|{"USD": 1500}|0.005|{"USD": 0.005}' || E'\n' ||
          'sms|-|-|-|4|3|2|1|1|1|0|1|{"PEN": 5000}|1|{"PEN": 4000}|0.15|{"PEN": 0.15}' || E'\n' ||
          'whatsapp|-|-|-|1|1|0|0|0|1|1|0|{}|1|{"PEN": 2000}|?|?',
          'per channel, every account: m1..m6 and m3; r1, r2, o1, p1, y5, y1, y3 credited; costs for sms and email only');
SELECT is(pg_temp.rows('variant', 7),
          'email|false|preventive|-|1|1|1|0|0|0|0|0|{}|1|{"USD": 1500}|?|?' || E'\n' ||
          'sms|false|early|A|2|1|1|0|1|1|0|1|{"PEN": 5000}|0|{}|?|?' || E'\n' ||
          'sms|false|late|-|1|1|1|0|0|0|0|0|{}|1|{"PEN": 4000}|?|?' || E'\n' ||
          'sms|true|-|-|1|1|0|1|0|0|0|0|{}|0|{}|?|?' || E'\n' ||
          'whatsapp|false|early|B|1|1|0|0|0|1|1|0|{}|1|{"PEN": 2000}|?|?',
          'by variant: what ana sent by hand (m3) is the manual group');
SELECT is(pg_temp.rows('step', 7),
          'email|false|retail|due0|1|1|1|0|0|0|0|0|{}|1|{"USD": 1500}|?|?' || E'\n' ||
          'sms|false|late|dpd31|1|1|1|0|0|0|0|0|{}|1|{"PEN": 4000}|?|?' || E'\n' ||
          'sms|false|retail|dpd1|2|1|1|0|1|1|0|1|{"PEN": 5000}|0|{}|?|?' || E'\n' ||
          'sms|true|-|-|1|1|0|1|0|0|0|0|{}|0|{}|?|?' || E'\n' ||
          'whatsapp|false|retail_whatsapp|dpd5|1|1|0|0|0|1|1|0|{}|1|{"PEN": 2000}|?|?',
          'by step: ladder and step');
SELECT is((SELECT string_agg(channel || ':' || coalesce(group1, '-'), ',' ORDER BY channel, group1)
           FROM channel_report('2020-03-01 00:00Z', '2020-04-01 00:00Z', 'segment', 7)),
          'email:preventive,sms:early,sms:late,sms:-,whatsapp:early', 'by segment');

-- The window's edges. 0 days: nothing is credited.
SELECT is((SELECT sum(replies + optouts + promises + payments)::int
           FROM channel_report('2020-03-01 00:00Z', '2020-04-01 00:00Z', NULL, 0)), 0,
          'a window of 0 days credits nothing');
-- 11 days: r3 (03-12 10:00) is exactly 10 days after m1 and still outside
-- a 10-day window, inside 11; y4 (03-11 12:00) is 8 days after m4.
SELECT is((SELECT replies::int FROM channel_report('2020-03-01 00:00Z', '2020-04-01 00:00Z', NULL, 10)
           WHERE channel = 'sms'), 1, 'a reply exactly 10 days after the message: outside a 10-day window');
SELECT is((SELECT replies::int FROM channel_report('2020-03-01 00:00Z', '2020-04-01 00:00Z', NULL, 11)
           WHERE channel = 'sms'), 2, '  inside an 11-day one');
SELECT is((SELECT payments || ' ' || recovered FROM channel_report('2020-03-01 00:00Z', '2020-04-01 00:00Z', NULL, 11)
           WHERE channel = 'email'), '2 {"USD": 2400}', '  and y4 then counts for m4: USD 1500 + 900');
-- y6 (03-21) follows only m3, which failed, and m2 16 days before: nobody's
-- even with 30 days? m2 is within 30: then it is m2's.
SELECT is((SELECT payments || ' ' || recovered FROM channel_report('2020-03-01 00:00Z', '2020-04-01 00:00Z', NULL, 30)
           WHERE channel = 'whatsapp'), '2 {"PEN": 2100}',
          'a failed message is never credited: with 30 days y6 goes to m2 (whatsapp), not to m3 after it');
-- Only the range's messages are reported: y2 went to m7 (before it).
SELECT is((SELECT messages || ' ' || payments FROM channel_report('2020-02-28 00:00Z', '2020-03-01 00:00Z', NULL, 7)
           WHERE channel = 'sms'), '1 1', 'm7 alone on 28 February, with y2 credited to it');

SELECT is(pg_temp.refused_code($$SELECT * FROM channel_report('2020-04-01', '2020-03-01', NULL, 7)$$), '22023',
          'a range that ends before it starts: a bad argument');
SELECT is(pg_temp.refused_code($$SELECT * FROM channel_report('2020-03-01', '2020-04-01', 'channel', 7)$$), '22023',
          'by what is not segment, step or variant: a bad argument');
SELECT is(pg_temp.refused_code($$SELECT * FROM channel_report('2020-03-01', '2020-04-01', NULL, 7, '{sms}', '{}')$$),
          '22023', 'a channel without its cost: a bad argument');

-- The variants (strategy_report): early A is N1 and N3, early B is N2 and S1.
SELECT is((SELECT string_agg(concat_ws('|', segment, variant, ladder, accounts, contacted, contact_rate, promising,
                                       promise_rate, promises, kept, broken, coalesce(kept_rate::text, '-'), paid), E'\n'
                             ORDER BY segment, variant)
           FROM strategy_report('2020-03-01 00:00Z', '2020-04-01 00:00Z')),
          'early|A|retail|2|2|1.0000|2|1.0000|2|1|1|0.5000|{"PEN": 2800}' || E'\n' ||
          'early|B|retail_whatsapp|2|0|0.0000|0|0.0000|0|0|0|-|{"PEN": 4000, "USD": 2400}',
          'the variants side by side: N1 replied and N3 took a right-party call; p1 kept, p3 broken, p2 rejected');
SELECT is((SELECT balance_start FROM strategy_report('2020-03-01 00:00Z', '2020-04-01 00:00Z') WHERE variant = 'A'),
          (SELECT jsonb_build_object('PEN', sum(a.balance) + (SELECT sum(y.amount) FROM payment y
                                                             WHERE y.account_id IN (SELECT account_id FROM account_strategy
                                                                                    WHERE variant = 'A' AND segment = 'early')
                                                               AND y.paid_at >= '2020-03-01 00:00Z'))
           FROM account a JOIN account_strategy s ON s.account_id = a.id WHERE s.segment = 'early' AND s.variant = 'A'),
          'the balance at the start: the balance now and what was paid since');
SELECT is((SELECT (recovery_rate ->> 'PEN')::numeric FROM strategy_report('2020-03-01 00:00Z', '2020-04-01 00:00Z')
           WHERE variant = 'A'),
          (SELECT round(2800 / (balance_start ->> 'PEN')::numeric, 4)
           FROM strategy_report('2020-03-01 00:00Z', '2020-04-01 00:00Z') WHERE variant = 'A'),
          '  the recovery rate: paid over it');

SELECT * FROM finish();
ROLLBACK;
