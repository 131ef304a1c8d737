-- as: t_admin
-- Issue 17, lines 4 and 7, as an administrator: every team's queues; each
-- decision writes its event under the administrator's name and an audit row
-- naming the decision, the reason and the event.
BEGIN;
\ir lib.sql
SELECT plan(10);

SELECT is(session_user::text, 't_admin', 'runs as the login role t_admin');

SELECT is((SELECT count(DISTINCT a.team_id)::int FROM review_disputes() r JOIN account a ON a.id = r.account_id),
          (SELECT count(DISTINCT team_id)::int FROM account WHERE status = 'dispute' AND dispute_kept_at IS NULL),
          'every team''s disputes');
SELECT is((SELECT count(*)::int FROM review_disputes()),
          (SELECT count(*)::int FROM account WHERE status = 'dispute' AND dispute_kept_at IS NULL),
          '  all of them');
SELECT is((SELECT count(*)::int FROM review_wrong_points()),
          (SELECT count(*)::int FROM contact_point c WHERE bad_since IS NOT NULL AND bad_confirmed_at IS NULL
           AND EXISTS (SELECT 1 FROM account a WHERE a.debtor_id = c.debtor_id)),
          'every wrong contact point of a debtor with an account');

SELECT account_id AS acc1 FROM review_disputes() ORDER BY raised_at, account_id LIMIT 1 \gset
SELECT account_id AS acc2 FROM review_disputes() ORDER BY raised_at, account_id OFFSET 1 LIMIT 1 \gset
SELECT contact_point_id AS cp1, account_id AS cp1_acc FROM review_wrong_points() ORDER BY marked_at LIMIT 1 \gset
SELECT contact_point_id AS cp2, account_id AS cp2_acc FROM review_wrong_points() ORDER BY marked_at OFFSET 1 LIMIT 1 \gset
SELECT review_dispute_clear(:acc1, 'revisado por administración') AS ev1 \gset
SELECT review_dispute_keep(:acc2, 'el acreedor lo revisa') AS ev2 \gset
SELECT review_point_restore(:cp1_acc, :cp1, 'el deudor lo dio de nuevo') AS ev3 \gset
SELECT review_point_confirm(:cp2_acc, :cp2, 'número de un tercero') AS ev4 \gset

SELECT is((SELECT count(*)::int FROM event WHERE id IN (:ev1, :ev2, :ev3, :ev4) AND agent_id = my_agent_id()), 4,
          'four decisions, four events under the administrator''s name');
SELECT is((SELECT string_agg(outcome, ',' ORDER BY id) FROM event WHERE id IN (:ev1, :ev2, :ev3, :ev4)),
          'active,dispute_kept,good,bad_confirmed', '  cleared, kept, restored, confirmed');
SELECT is((SELECT count(*)::int FROM audit WHERE action = 'DISPUTE LIFTED' AND row_id = :acc1
           AND new->>'event' = :'ev1' AND new->>'reason' = 'revisado por administración'), 1,
          'an audit row of the dispute cleared, with its reason and event');
SELECT is((SELECT count(*)::int FROM audit WHERE action = 'DISPUTE KEPT' AND row_id = :acc2
           AND new->>'event' = :'ev2' AND actor = 't_admin'), 1, 'an audit row of the dispute kept');
SELECT is((SELECT count(*)::int FROM audit WHERE action = 'CONTACT POINT RESTORED' AND row_id = :cp1
           AND new->>'event' = :'ev3'), 1, 'an audit row of the point restored');
SELECT is((SELECT count(*)::int FROM audit WHERE action = 'CONTACT POINT CONFIRMED BAD' AND row_id = :cp2
           AND new->>'event' = :'ev4' AND new->>'reason' = 'número de un tercero'), 1,
          'an audit row of the point confirmed');

SELECT * FROM finish();
ROLLBACK;
