-- as: t_cc2
-- Issue 18, line 3, as another collector of the same team (t_cc2): the
-- account is not hers, so neither is its proposed number.
BEGIN;
\ir lib.sql
SELECT plan(4);

SELECT is(session_user::text, 't_cc2', 'runs as the login role t_cc2');
SELECT is(pg_temp.refused_code(format('SELECT contact_point_decide(%s, %s, true)', :acc_clean2, :cp_clean2_phone)),
          '42501', 'confirming another collector''s proposed number: refused');
SELECT is(pg_temp.refused_code(format('SELECT contact_point_decide(%s, %s, false)', :acc_clean2, :cp_clean2_phone)),
          '42501', 'rejecting it: refused');
SELECT is((SELECT count(*)::int FROM cleaning_request WHERE debtor_id IN (:deb_clean1, :deb_clean2)), 0,
          'she reads no cleaning request of accounts not hers');
SELECT * FROM finish();
ROLLBACK;
