-- as: t_col1
-- The stored parts of the priority (006_priority.sql) follow every change a
-- collector makes, and cobro.worklist_page() gives t_col1 their own workable
-- accounts, in the order of docs/priority.md, and nobody else's.
-- Fixtures (fixtures.sql): t_col1 has TFX-col1-1, TFX-col1-2, TFX-shared-a,
-- each 1,000.00 EUR, score 500, 30 days past due, a promise pending in 7 days.
BEGIN;
\ir lib.sql
SELECT plan(16);

-- The live formula, written out here: balance x score/1000 x max(0, 1 - 0.08 x dpd / 30).
CREATE FUNCTION pg_temp.ev(p_account bigint) RETURNS float8 LANGUAGE sql AS $$
	SELECT balance * score / 1000.0 * greatest(0, 1 - 0.08 * greatest(0, current_date - oldest_due) / 30.0)
	FROM cobro.account WHERE id = p_account
$$;
CREATE FUNCTION pg_temp.page() RETURNS bigint[] LANGUAGE sql AS $$
	SELECT array_agg(id) FROM cobro.worklist_page(0, 50, 1e9, 1e8, 150)
$$;

SELECT ok(abs((SELECT rank_value FROM account WHERE id = :acc_col1_1) - pg_temp.ev(:acc_col1_1)) < 1e-6,
          'the stored rank is balance x p(pay) decayed by days past due');
SELECT is((SELECT rank_day FROM account WHERE id = :acc_col1_1), current_date, 'ranked as of today');
SELECT is((SELECT promise_status || ' ' || promise_due FROM account WHERE id = :acc_col1_1),
          'pending ' || (current_date + 7), 'the newest promise: pending, on top from its due date');
SELECT ok((SELECT workable FROM account WHERE id = :acc_col1_1), 'an active account of an active debtor is workable');

SELECT set_eq('SELECT id FROM cobro.worklist_page(0, 50, 1e9, 1e8, 150)',
              ARRAY[:acc_col1_1, :acc_col1_2, :acc_shared_a]::bigint[],
              'worklist_page: exactly the collector''s own workable accounts');
SELECT is((SELECT DISTINCT workable FROM cobro.worklist_page(0, 1, 1e9, 1e8, 150)), 3::bigint,
          'worklist_page counts all of them beside any page');

-- The three tie on value: the lowest id first.
SELECT is(pg_temp.page(), (SELECT array_agg(x ORDER BY x) FROM unnest(ARRAY[:acc_col1_1, :acc_col1_2, :acc_shared_a]::bigint[]) x),
          'equal ranks: lower account id first');

-- A promise's outcome is cobrod's or an administrator's (a broken promise
-- on top: test_priority_admin.sql; the worklist's order with broken
-- promises: dbc-test_worklist).
SELECT throws_ok(format('UPDATE promise SET status = ''broken'', resolved_at = now() WHERE id = %s', :prom_col1_1),
                 '42501', 'permission denied for table promise', 'a collector does not break a promise');

-- A callback due now (scheduled for the current minute, through the
-- function) goes above the others.
SELECT ok(cobro.account_schedule_callback('00000000-0000-4000-8000-0000000000d1', :acc_col1_2,
                                          now() - interval '30 seconds', 'UTC', NULL) > 0,
          'a callback on col1-2 falls due');
SELECT is(pg_temp.page(), ARRAY[:acc_col1_2, :acc_col1_1, :acc_shared_a]::bigint[],
          'callback due, then value (the lower id of two equals)');
SELECT is((SELECT array_agg(id) FROM cobro.worklist_page(1, 1, 1e9, 1e8, 150)), ARRAY[:acc_col1_1]::bigint[],
          'a page further down is the same order, offset');

-- A dispute takes the account out of the worklist.
SELECT ok(cobro.account_raise_dispute('00000000-0000-4000-8000-0000000000d2', :acc_col1_2, NULL) > 0,
          'the collector raises a dispute on col1-2');
SELECT set_eq('SELECT id FROM cobro.worklist_page(0, 50, 1e9, 1e8, 150)',
              ARRAY[:acc_col1_1, :acc_shared_a]::bigint[], 'an account in dispute is not worked');

-- docs/priority.md's worked example, through the functions that order the
-- worklist (functions/priority.sql): C, A and B, in that order.
SELECT is(round(cobro.priority_total(now() - interval '5 minutes', NULL,
                cobro.rank_value(842800, 700::smallint, date '2026-06-01', date '2026-06-01' + 178, 0.08),
                1e9, 1e8, 150)), 1000309776::float8, 'the worked example: C, a callback due');
SELECT is(round(cobro.priority_total(NULL, '-infinity',
                cobro.rank_value(189300, 620::smallint, date '2026-06-01', date '2026-06-01' + 20, 0.08),
                1e9, 1e8, 150)), 100110956::float8, 'the worked example: A, a promise broken');
SELECT is(round(cobro.priority_total(now() + interval '1 hour', current_date + 1,
                cobro.rank_value(1567000000, 410::smallint, date '2026-06-01', date '2026-06-01' + 54, 0.08),
                1e9, 1e8, 150)), 549954170::float8, 'the worked example: B, no bonus yet');

SELECT * FROM finish();
ROLLBACK;
