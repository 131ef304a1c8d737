-- as: t_sup
-- Issue 14, line 2, as a supervisor (team t_a): no direct write on the state
-- a screen shows; the workstation's actions on the team's accounts go through
-- the functions, and lifting a dispute or a bad mark is the supervisor's,
-- through functions that record it. Fixtures: fixtures.sql.
BEGIN;
\ir lib.sql
SELECT plan(22);

SELECT is(session_user::text, 't_sup', 'runs as the login role t_sup');

SELECT throws_ok(format('UPDATE account SET status = ''active'' WHERE id = %s', :acc_col1_1),
                 '42501', 'permission denied for table account', 'supervisor cannot set a status directly');
SELECT throws_ok(format('UPDATE contact_point SET opted_out = ''{}'' WHERE id = %s', :cp_col1_1_mobile),
                 '42501', 'permission denied for table contact_point', 'supervisor cannot clear an opt-out directly');
SELECT throws_ok(format('INSERT INTO event (account_id, debtor_id, agent_id, kind, amount) '
                        'VALUES (%s, %s, %s, ''payment'', 99999900)', :acc_col1_1, :deb_col1_1, :ag_sup),
                 '42501', 'permission denied for table event', 'supervisor cannot file a payment event');
SELECT throws_ok(format('INSERT INTO event (account_id, debtor_id, agent_id, kind, body) '
                        'VALUES (%s, %s, %s, ''note'', ''sup'')', :acc_col1_1, :deb_col1_1, :ag_sup),
                 '42501', 'permission denied for table event', 'supervisor cannot insert a note event directly');
SELECT throws_ok(format('INSERT INTO promise (account_id, agent_id, amount, currency, due_date) '
                        'VALUES (%s, %s, 5000, ''EUR'', current_date + 3)', :acc_col1_2, :ag_sup),
                 '42501', 'permission denied for table promise', 'supervisor cannot insert a promise directly');
SELECT throws_ok(format('INSERT INTO callback (account_id, agent_id, due_at, zone) '
                        'VALUES (%s, %s, now() + interval ''70 years'', ''UTC'')', :acc_col1_1, :ag_sup),
                 '42501', 'permission denied for table callback', 'supervisor cannot insert a callback directly');
SELECT throws_ok(format('SELECT cobro.contact_point_lift_optout(%s, %s, ''sms'', ''ok'')', :acc_col1_1, :cp_col1_1_mobile),
                 '42501', 'permission denied for function contact_point_lift_optout',
                 'supervisor cannot lift an opt-out (the administrator''s)');

-- The workstation's actions on the team's accounts.
SELECT ok(cobro.account_add_note('00000000-0000-4000-8000-000000000c01', :acc_col1_1, 'Revisado por supervisión') > 0,
          'supervisor adds a note to a team account through the function');
SELECT is((SELECT agent_id FROM event WHERE data->>'key' = '00000000-0000-4000-8000-000000000c01'), :ag_sup::bigint,
          '... in their own name');
SELECT throws_ok(format('SELECT cobro.account_add_note(''00000000-0000-4000-8000-000000000c02'', %s, ''x'')', :acc_col3_1),
                 '42501', 'no such account', 'supervisor cannot note another team''s account');

-- Lifting a dispute: the supervisor's, with a reason, recorded.
SELECT ok(cobro.account_raise_dispute('00000000-0000-4000-8000-000000000c03', :acc_col1_1, NULL) > 0,
          'a dispute is raised on a team account');
SELECT throws_ok(format('SELECT cobro.account_lift_dispute(%s, '''')', :acc_col1_1),
                 '22023', NULL, 'lifting a dispute needs a reason');
SELECT ok(cobro.account_lift_dispute(:acc_col1_1, 'El cliente aportó el justificante; sigue la gestión') > 0,
          'supervisor lifts the dispute through the function');
SELECT is((SELECT status FROM account WHERE id = :acc_col1_1), 'active', '... and the account is active again');
SELECT is((SELECT count(*) FROM event WHERE account_id = :acc_col1_1 AND kind = 'status' AND outcome = 'active'
           AND agent_id = :ag_sup AND at = now()), 1::bigint, '... with a status event in the supervisor''s name');
SELECT throws_ok(format('SELECT cobro.account_lift_dispute(%s, ''again'')', :acc_col1_1),
                 '55000', NULL, 'an account not in dispute has no dispute to lift');
SELECT throws_ok(format('SELECT cobro.account_lift_dispute(%s, ''not mine'')', :acc_col3_1),
                 '42501', 'no such account', 'supervisor cannot lift on another team''s account');

-- Lifting a bad mark.
SELECT ok(cobro.contact_point_mark_bad('00000000-0000-4000-8000-000000000c04', :acc_col2_1, :cp_col2_1_mobile) > 0,
          'a team number is marked bad');
SELECT ok(cobro.contact_point_lift_bad(:acc_col2_1, :cp_col2_1_mobile, 'El deudor confirmó el número') > 0,
          'supervisor lifts the bad mark through the function');
SELECT is((SELECT bad_since FROM contact_point WHERE id = :cp_col2_1_mobile), NULL, '... and the number is good again');
SELECT throws_ok(format('SELECT cobro.contact_point_lift_bad(%s, %s, ''x'')', :acc_col3_1, :cp_col3_1_mobile),
                 '42501', 'no such account', 'supervisor cannot lift a bad mark of another team');

SELECT * FROM finish();
ROLLBACK;
