-- as: t_admin
-- What only an administrator or the daemon changes: a debtor's state takes
-- all their accounts out of the worklist; the daily refresh and a new decay
-- rank accounts anew (006_priority.sql).
BEGIN;
\ir lib.sql
SELECT plan(13);

SELECT is((SELECT count(*) FROM account WHERE debtor_id = :deb_shared AND workable), 2::bigint,
          'both accounts of the shared debtor are workable');
UPDATE debtor SET state = 'cease' WHERE id = :deb_shared;
SELECT is((SELECT count(*) FROM account WHERE debtor_id = :deb_shared AND workable), 0::bigint,
          'a debtor who may not be contacted: none of their accounts is workable');
UPDATE debtor SET state = 'active' WHERE id = :deb_shared;
SELECT is((SELECT count(*) FROM account WHERE debtor_id = :deb_shared AND workable), 2::bigint,
          'back to active: workable again');

-- A payment lowers the balance: the rank follows.
UPDATE account SET balance = 50000 WHERE id = :acc_col1_1;
SELECT ok(abs((SELECT rank_value FROM account WHERE id = :acc_col1_1)
              - (SELECT balance * score / 1000.0 * greatest(0, 1 - 0.08 * greatest(0, current_date - oldest_due) / 30.0)
                 FROM account WHERE id = :acc_col1_1)) < 1e-6,
          'a new balance is ranked anew');

-- A pending promise is due on its next installment; broken (the keeper's
-- to decide, promise_evaluate(), 024_promises.sql) it puts the account on
-- top from then on.
SELECT is((SELECT promise_status || ' ' || promise_due FROM account WHERE id = :acc_col1_1),
          'pending ' || (current_date + 7), 'a pending promise is due on its installment''s date');
SELECT ok((SELECT broken FROM promise_evaluate(now() + interval '30 days')) > 0,
          'the keeper, a month later, finds it broken (nothing was paid)');
SELECT is((SELECT promise_status || ' ' || promise_due FROM account WHERE id = :acc_col1_1), 'broken -infinity',
          'a broken promise is on top from now on');

-- Yesterday's rank: the refresh brings it to today, a batch at a time.
UPDATE account SET rank_day = current_date - 1, rank_value = 1 WHERE id IN (:acc_col1_1, :acc_col3_1);
SELECT is(priority_refresh(0, 1000000), (SELECT max(id) FROM account), 'a refresh walks to the last account');
SELECT is(priority_refresh((SELECT max(id) FROM account), 1000), NULL::bigint, 'and returns NULL past the end');
SELECT is((SELECT count(*) FROM account WHERE rank_day <> current_date OR rank_value = 1), 0::bigint,
          'every rank is today''s after the refresh');

-- A new decay ranks every account anew, and is audited.
SELECT ok(priority_set_decay(0.5) >= 2, 'priority_set_decay ranks every account');
SELECT ok(abs((SELECT rank_value FROM account WHERE id = :acc_col1_1)
              - (SELECT balance * score / 1000.0 * greatest(0, 1 - 0.5 * greatest(0, current_date - oldest_due) / 30.0)
                 FROM account WHERE id = :acc_col1_1)) < 1e-6,
          'with the new decay');
SELECT throws_ok('UPDATE priority_setting SET dpd_decay = 0.1', '42501', NULL,
                 'the setting changes only through priority_set_decay()');

SELECT * FROM finish();
ROLLBACK;
