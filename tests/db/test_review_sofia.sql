-- as: sofia
-- Issue 17, lines 4 and 7, as a supervisor (sofia, team norte): the review
-- queues hold her team's disputes and wrong contact points only, never team
-- sur's; each of the four decisions takes the item off the queue, writes an
-- event under her name and announces the account; a decision on an item
-- decided already is refused, naming who decided it; a new mark after a
-- decision waits again; sur's items are not hers to decide.
BEGIN;
\ir lib.sql
SELECT plan(36);

SELECT is(session_user::text, 'sofia', 'runs as the login role sofia');

-- Her queues, as they are, are the demo's norte items.
SELECT cmp_ok((SELECT count(*)::int FROM review_disputes()), '>', 0, 'she sees disputes waiting');
SELECT is((SELECT count(*)::int FROM review_disputes() r JOIN account a ON a.id = r.account_id
           JOIN team t ON t.id = a.team_id WHERE t.code <> 'norte'), 0, '  all of team norte');
SELECT cmp_ok((SELECT count(*)::int FROM review_wrong_points()), '>', 0, 'she sees wrong contact points waiting');
SELECT is((SELECT count(*)::int FROM review_wrong_points() r JOIN account a ON a.id = r.account_id
           JOIN team t ON t.id = a.team_id WHERE t.code <> 'norte'), 0, '  all of team norte');

-- A dispute raised now on ana's account, with its reason, and a number of
-- luis's debtor marked wrong on a call.
SELECT a.id AS acc1, a.reference AS ref1 FROM account a JOIN agent g ON g.id = a.agent_id
WHERE g.login = 'ana' AND a.status = 'active' ORDER BY a.id LIMIT 1 \gset
SELECT a.id AS acc2 FROM account a JOIN agent g ON g.id = a.agent_id
WHERE g.login = 'ana' AND a.status = 'active' ORDER BY a.id OFFSET 1 LIMIT 1 \gset
SELECT a.id AS acc3, c.id AS cp3 FROM account a JOIN agent g ON g.id = a.agent_id
JOIN contact_point c ON c.debtor_id = a.debtor_id AND c.kind IN ('mobile', 'phone') AND c.bad_since IS NULL
WHERE g.login = 'luis' AND a.status = 'active' ORDER BY a.id LIMIT 1 \gset
SELECT a.id AS acc4, c.id AS cp4 FROM account a JOIN agent g ON g.id = a.agent_id
JOIN contact_point c ON c.debtor_id = a.debtor_id AND c.kind IN ('mobile', 'phone') AND c.bad_since IS NULL
WHERE g.login = 'luis' AND a.status = 'active' AND a.debtor_id <> (SELECT debtor_id FROM account WHERE id = :acc3)
ORDER BY a.id LIMIT 1 \gset
SELECT isnt(account_log_call('00000000-0000-4000-8000-000000017b01', :acc1, 'dispute', NULL,
                             'dice que ya pagó en octubre'), NULL, 'a dispute raised on a call, with its reason');
SELECT isnt(account_raise_dispute('00000000-0000-4000-8000-000000017b02', :acc2, 'no reconoce la deuda'), NULL,
            'another raised with a note');
SELECT isnt(account_log_call('00000000-0000-4000-8000-000000017b03', :acc3, 'wrong_number', :cp3, NULL), NULL,
            'a number marked wrong on a call');
SELECT isnt(contact_point_mark_bad('00000000-0000-4000-8000-000000017b04', :acc4, :cp4), NULL::bigint,
            'another marked wrong by hand');

SELECT is((SELECT raised_by || ' | ' || reason FROM review_disputes() WHERE account_id = :acc1),
          'sofia | dice que ya pagó en octubre', 'the dispute waits: who raised it, and why (the call''s note)');
SELECT is((SELECT reason FROM review_disputes() WHERE account_id = :acc2), 'no reconoce la deuda',
          '  the other: the note written with it');
SELECT is((SELECT agent_login || ' ' || (balance = (SELECT balance FROM account WHERE id = :acc1))::text
           FROM review_disputes() WHERE account_id = :acc1), 'ana true', '  its collector and balance');
SELECT is((SELECT marked_by || ' ' || account_id::text || ' ' || (call_id > 0)::text
           FROM review_wrong_points() WHERE contact_point_id = :cp3), 'sofia ' || :acc3 || ' true',
          'the wrong number waits: who marked it, on which account, the call that did');
SELECT is((SELECT call_id FROM review_wrong_points() WHERE contact_point_id = :cp4), 0::bigint,
          '  the one marked by hand: no call');

-- The four decisions.
SELECT is(pg_temp.refusal_whole(format('SELECT review_dispute_keep(%s, %L)', :acc1, '  ')),
          '22023 the note is empty', 'keeping a dispute needs a reason');
SELECT isnt(review_dispute_clear(:acc1, 'justificante de pago revisado'), NULL, 'she clears the first dispute');
SELECT is((SELECT status FROM account WHERE id = :acc1), 'active', '  the account is active again');
SELECT is((SELECT count(*)::int FROM event e WHERE e.account_id = :acc1 AND e.kind = 'status' AND e.outcome = 'active'
           AND e.agent_id = my_agent_id() AND e.body = 'justificante de pago revisado'), 1,
          '  an event under her name, with the reason');
SELECT is((SELECT count(*)::int FROM change_log WHERE account_id = :acc1 AND xid = pg_current_xact_id()), 1,
          '  the account is announced (its collector''s worklist reloads)');
SELECT isnt(review_dispute_keep(:acc2, 'pendiente de la respuesta del acreedor'), NULL, 'she keeps the second');
SELECT is((SELECT status FROM account WHERE id = :acc2), 'dispute', '  it stays in dispute');
SELECT is((SELECT count(*)::int FROM review_disputes() WHERE account_id IN (:acc1, :acc2)), 0,
          '  both left the queue');
SELECT isnt(review_point_confirm(:acc3, :cp3, 'el titular no existe'), NULL, 'she confirms the wrong number');
SELECT isnt(review_point_restore(:acc4, :cp4, 'el deudor lo confirmó por email'), NULL, 'she restores the other');
SELECT is((SELECT (c3.bad_since IS NOT NULL)::text || ' ' || (c4.bad_since IS NULL)::text FROM contact_point c3,
           contact_point c4 WHERE c3.id = :cp3 AND c4.id = :cp4), 'true true',
          '  the first stays bad, the second is good');
SELECT is((SELECT count(*)::int FROM review_wrong_points() WHERE contact_point_id IN (:cp3, :cp4)), 0,
          '  both left the queue');
SELECT is((SELECT count(*)::int FROM event e WHERE e.account_id = :acc3 AND e.outcome = 'bad_confirmed'
           AND e.agent_id = my_agent_id() AND e.body = 'el titular no existe'), 1, '  an event of the confirmation');

-- Decided already: refused, naming who decided and how.
SELECT is(pg_temp.refusal_whole(format('SELECT review_dispute_keep(%s, %L)', :acc1, 'x')),
          '55000 decided already: cleared by sofia', 'keeping a dispute cleared already: refused, who and how');
SELECT is(pg_temp.refusal_whole(format('SELECT review_dispute_clear(%s, %L)', :acc2, 'x')),
          '55000 decided already: kept by sofia', 'clearing a dispute kept already: refused');
SELECT is(pg_temp.refusal_whole(format('SELECT review_point_restore(%s, %s, %L)', :acc3, :cp3, 'x')),
          '55000 decided already: confirmed by sofia', 'restoring a point confirmed already: refused');

-- A new mark after the decision waits again.
SELECT isnt(account_raise_dispute('00000000-0000-4000-8000-000000017b05', :acc1, 'otra vez'), NULL,
            'a new dispute on the cleared account');
SELECT is((SELECT reason FROM review_disputes() WHERE account_id = :acc1), 'otra vez', '  waits in the queue again');
SELECT isnt(contact_point_mark_bad('00000000-0000-4000-8000-000000017b06', :acc4, :cp4), NULL::bigint,
            'the restored number marked wrong again');
SELECT is((SELECT count(*)::int FROM review_wrong_points() WHERE contact_point_id = :cp4), 1,
          '  waits in the queue again');

-- Team sur's are not hers.
SELECT is(pg_temp.refusal_whole(format('SELECT review_dispute_keep(%s, %L)', :acc_diego, 'x')),
          '42501 no such account', 'deciding on an account of team sur (diego''s): refused');
SELECT is(pg_temp.refusal_whole(format('SELECT review_point_confirm(%s, (SELECT min(id) FROM contact_point), %L)',
                                 :acc_diego, 'x')),
          '42501 no such account', '  a point of it too');

SELECT * FROM finish();
ROLLBACK;
