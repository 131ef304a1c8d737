-- as: admin
-- Issue 16, lines 2 and 9, as the administrator: the approval list of every
-- team; approving any team's promise; the promise limits loaded as a new
-- version through promise_limits_load() only (a `* *` row required, the
-- table's checks), the most specific row applying, and the version in force
-- the newest (promise_limits_for()).
BEGIN;
\ir lib.sql
SELECT plan(13);

SELECT is(session_user::text, 'admin', 'runs as the login role admin');

-- ------------------------------------------------------------ approvals
SELECT is((SELECT reference || ' ' || agent_login FROM promise_awaiting() WHERE promise_id = :prom_k_await),
          'TFX-k-await t_kcol', 'the approval list holds every team''s promises awaiting approval');
SELECT ok(promise_approve(:prom_k_await) > 0, 'admin approves one');
SELECT is((SELECT status FROM promise WHERE id = :prom_k_await), 'pending', '  it is pending');
SELECT is((SELECT count(*) FROM audit WHERE action = 'PROMISE APPROVED' AND row_id = :prom_k_await
                                        AND actor = 'admin'), 1::bigint, '  and the audit chain records who');

-- ------------------------------------------------------------ limits
SELECT is(pg_temp.refusal('INSERT INTO promise_limit_set (source, text) VALUES (''x'', ''x'')'),
          '42501 permission denied for table promise_limit_set', 'admin writes no limits table directly');
SELECT is(pg_temp.refusal('UPDATE promise_limit SET grace_days = 30'),
          '42501 permission denied for table promise_limit', '  nor changes a version in force');
SELECT is(pg_temp.refusal($$SELECT promise_limits_load('t', 'limits = ();', NULL,
          '[{"jurisdiction": "PE", "segment": "*", "horizon_days": 30, "min_share_permille": 100, "max_installments": 2, "max_discount_permille": 0, "grace_days": 1}]')$$),
          '22023 the limits have no row for jurisdiction "*" and segment "*"', 'limits without a `* *` row are refused');
SELECT is(pg_temp.refusal($$SELECT promise_limits_load('t', 'limits = ();', NULL,
          '[{"jurisdiction": "*", "segment": "*", "horizon_days": 30, "min_share_permille": 2000, "max_installments": 2, "max_discount_permille": 0, "grace_days": 1}]')$$),
          '23514 new row for relation "promise_limit" violates check constraint "promise_limit_min_share_permille_check"',
          '  and a share above 1000 per mille');
SELECT promise_limits_load('test', 'limits = (...);', '+limits', jsonb_build_array(
	jsonb_build_object('jurisdiction', '*', 'segment', '*', 'horizon_days', 10, 'min_share_permille', 100,
	                   'max_installments', 2, 'max_discount_permille', 0, 'grace_days', 1),
	jsonb_build_object('jurisdiction', 'ES', 'segment', '*', 'horizon_days', 20, 'min_share_permille', 100,
	                   'max_installments', 3, 'max_discount_permille', 0, 'grace_days', 2),
	jsonb_build_object('jurisdiction', '*', 'segment', 'early', 'horizon_days', 30, 'min_share_permille', 100,
	                   'max_installments', 4, 'max_discount_permille', 0, 'grace_days', 3),
	jsonb_build_object('jurisdiction', 'ES', 'segment', 'early', 'horizon_days', 40, 'min_share_permille', 100,
	                   'max_installments', 5, 'max_discount_permille', 0, 'grace_days', 4),
	jsonb_build_object('jurisdiction', 'US', 'segment', '*', 'horizon_days', 50, 'min_share_permille', 100,
	                   'max_installments', 6, 'max_discount_permille', 0, 'grace_days', 5))) AS v \gset
SELECT is((SELECT max(version) FROM promise_limit_set), :v, 'a good set is stored as the newest version');
SELECT is((SELECT string_agg(x.j || ' ' || x.s || ': ' || l.horizon_days, ', ' ORDER BY x.j, x.s)
           FROM (VALUES ('ES', 'early'), ('ES', 'late'), ('PE', 'early'), ('PE', 'late'), ('US-MA', 'late')) AS x(j, s),
                LATERAL promise_limit_pick(x.j, x.s) l),
          'ES early: 40, ES late: 20, PE early: 30, PE late: 10, US-MA late: 50',
          'the most specific row applies: jurisdiction and segment, jurisdiction, segment, any; a subdivision takes its country''s');
SELECT is((SELECT version || ' ' || grace_days FROM promise_limits_for(:acc_k_kept)), :v || ' 2',
          'promise_limits_for() reads the version in force (an ES account of segment standard: ES *)');
SELECT is((SELECT count(*) FROM audit WHERE tbl = 'promise_limit_set' AND row_id = :v), 1::bigint,
          'the new version is in the audit chain');

SELECT * FROM finish();
ROLLBACK;
