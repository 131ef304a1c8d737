-- as: marta
-- Issue 17, lines 4 and 7, as a lead (marta, team norte): the same queues as
-- her team's supervisor, never team sur's; a dispute another decided is
-- refused to her, naming who; she decides her team's.
BEGIN;
\ir lib.sql
SELECT plan(9);

SELECT is(session_user::text, 'marta', 'runs as the login role marta');

SELECT cmp_ok((SELECT count(*)::int FROM review_disputes()), '>', 0, 'she sees disputes waiting');
SELECT is((SELECT count(*)::int FROM review_disputes() r JOIN account a ON a.id = r.account_id
           JOIN team t ON t.id = a.team_id WHERE t.code <> 'norte'), 0, '  only team norte''s');
SELECT is((SELECT count(*)::int FROM review_wrong_points() r JOIN account a ON a.id = r.account_id
           JOIN team t ON t.id = a.team_id WHERE t.code <> 'norte'), 0, 'wrong contact points: only team norte''s');

SELECT account_id AS acc1 FROM review_disputes() ORDER BY raised_at, account_id LIMIT 1 \gset
SELECT account_id AS acc2 FROM review_disputes() ORDER BY raised_at, account_id OFFSET 1 LIMIT 1 \gset
SELECT contact_point_id AS cp, account_id AS cp_acc FROM review_wrong_points() ORDER BY marked_at LIMIT 1 \gset
SELECT isnt(review_dispute_keep(:acc1, 'a la espera del acreedor'), NULL, 'she keeps a dispute of her team');
SELECT is(pg_temp.refusal_whole(format('SELECT review_dispute_clear(%s, %L)', :acc1, 'x')),
          '55000 decided already: kept by marta', '  clearing it after: refused, naming her');
SELECT isnt(review_dispute_clear(:acc2, 'revisado'), NULL, 'she clears another');
SELECT isnt(review_point_confirm(:cp_acc, :cp, 'número de otra persona'), NULL, 'she confirms a wrong number');
SELECT is(pg_temp.refusal_whole(format('SELECT review_dispute_keep(%s, %L)', :acc_diego, 'x')),
          '42501 no such account', 'an account of team sur: refused');

SELECT * FROM finish();
ROLLBACK;
