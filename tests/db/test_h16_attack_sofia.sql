-- as: sofia
-- Issue 16, lines 1, 3 and 9, at the boundary, as a supervisor (sofia, team
-- norte), who may work any account of her team: a promise is refused on an
-- account that is not worked (in dispute, legal hold, cease-and-desist,
-- with an agency, closed, paid: DESIGN.md section 5), and on a plan whose
-- dates are no calendar dates ('infinity', a year past 9999), which no
-- approval could make payable (functions/promise.sql, promise_save()).
BEGIN;
\ir lib.sql
SELECT plan(8);

SELECT is(session_user::text, 'sofia', 'runs as the login role sofia');

-- Every account of her team that is not active, one per status; the
-- balance of each lets an amount of 1 pass the balance check, so that
-- only the status can refuse it.
SELECT count(DISTINCT a.status) AS n_status FROM account a
WHERE a.team_id = my_team_id() AND a.status NOT IN ('active', 'paid') AND a.balance > 1 \gset
SELECT ok(:n_status >= 2, 'her team has accounts in at least two states that are not worked');
SELECT is(array_agg(DISTINCT r), ARRAY['22023 account_status'],
          'a promise on each of them (dispute, legal hold, cease, agency, closed) is refused: account_status')
FROM (SELECT pg_temp.refusal(format(
              'SELECT * FROM promise_save(%s, 1, %L::date + 1, 1, ''once'', 0, ''call'', NULL, NULL, gen_random_uuid())',
              a.id, (SELECT today FROM promise_limits_for(a.id)))) AS r
      FROM account a
      WHERE a.team_id = my_team_id() AND a.status NOT IN ('active', 'paid') AND a.balance > 1) x;
SELECT is(count(*), 0::bigint, '  and none of them has a promise saved today')
FROM promise p JOIN account a ON a.id = p.account_id
WHERE a.team_id = my_team_id() AND a.status <> 'active' AND p.created_at = now();

-- An active account of her team with no active promise.
SELECT a.id AS acc, a.balance AS bal FROM account a
WHERE a.team_id = my_team_id() AND a.status = 'active' AND a.balance > 1000
  AND NOT EXISTS (SELECT 1 FROM promise p WHERE p.account_id = a.id AND p.status IN ('pending', 'awaiting_approval'))
ORDER BY a.id LIMIT 1 \gset
SELECT today FROM promise_limits_for(:acc) \gset

SELECT is(pg_temp.refusal(format(
              'SELECT * FROM promise_save(%s, 100, ''infinity'', 1, ''once'', 0, ''call'', NULL, NULL, gen_random_uuid())', :acc)),
          '22023 date_range', 'a first date of ''infinity'' is refused: date_range (not saved for approval)');
SELECT is(pg_temp.refusal(format(
              'SELECT * FROM promise_save(%s, 100, ''10000-01-01'', 1, ''once'', 0, ''call'', NULL, NULL, gen_random_uuid())', :acc)),
          '22023 date_range', 'a first date in the year 10000 is refused: date_range');
SELECT is(pg_temp.refusal(format(
              'SELECT * FROM promise_save(%s, 100, ''9999-06-01'', 12, ''monthly'', 0, ''call'', NULL, NULL, gen_random_uuid())', :acc)),
          '22023 date_range', 'a monthly plan whose last date falls past 9999-12-31 is refused: date_range');
SELECT is(pg_temp.refusal(format(
              'SELECT * FROM promise_save(%s, 100, ''9999-01-01'', 12, ''monthly'', 0, ''call'', NULL, NULL, gen_random_uuid())', :acc)),
          'done', '  one that ends on 9999-12-01 is saved (for approval: beyond the horizon)');

SELECT * FROM finish();
ROLLBACK;
