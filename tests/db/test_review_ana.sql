-- as: ana
-- Issue 17, lines 4 and 7, as a collector (ana, team norte): the database
-- refuses her the review queues and every decision on them, even on her
-- own account in dispute and her own wrong number; she may still raise a
-- dispute and mark a number wrong, which then wait for her supervisor.
BEGIN;
\ir lib.sql
SELECT plan(13);

SELECT is(session_user::text, 'ana', 'runs as the login role ana');

SELECT a.id AS acc1 FROM account a WHERE a.agent_id = my_agent_id() AND a.status = 'active' ORDER BY a.id LIMIT 1 \gset
SELECT a.id AS acc2, c.id AS cp2 FROM account a
JOIN contact_point c ON c.debtor_id = a.debtor_id AND c.kind IN ('mobile', 'phone') AND c.bad_since IS NULL
WHERE a.agent_id = my_agent_id() AND a.status = 'active' AND a.id <> :acc1 ORDER BY a.id LIMIT 1 \gset
SELECT isnt(account_raise_dispute('00000000-0000-4000-8000-000000017c01', :acc1, 'no reconoce la deuda'), NULL,
            'she raises a dispute on her account');
SELECT isnt(account_log_call('00000000-0000-4000-8000-000000017c02', :acc2, 'wrong_number', :cp2, NULL), NULL,
            'she marks a number wrong on a call');

SELECT is(pg_temp.refused_code('SELECT * FROM review_disputes()'), '42501', 'the disputes'' queue: refused');
SELECT is(pg_temp.refused_code('SELECT * FROM review_wrong_points()'), '42501', 'the wrong points'' queue: refused');
SELECT is(pg_temp.refused_code('SELECT review_allowed()'), '42501', '  the check itself: refused');
SELECT is(pg_temp.refused_code(format('SELECT review_dispute_clear(%s, %L)', :acc1, 'yo misma')), '42501',
          'clearing her own dispute: refused');
SELECT is(pg_temp.refused_code(format('SELECT review_dispute_keep(%s, %L)', :acc1, 'x')), '42501',
          'keeping it: refused');
SELECT is(pg_temp.refused_code(format('SELECT review_point_restore(%s, %s, %L)', :acc2, :cp2, 'x')), '42501',
          'restoring her wrong number: refused');
SELECT is(pg_temp.refused_code(format('SELECT review_point_confirm(%s, %s, %L)', :acc2, :cp2, 'x')), '42501',
          'confirming it: refused');
SELECT is(pg_temp.refused_code($$UPDATE account SET dispute_kept_at = now() WHERE agent_id = my_agent_id()$$), '42501',
          'marking a dispute kept by hand: refused');
-- The news of decisions on her accounts: hers only, never her own doing.
SELECT is((SELECT count(*)::int FROM review_decisions(now() - interval '400 days') r
           JOIN account a ON a.id = r.account_id WHERE a.agent_id IS DISTINCT FROM my_agent_id()), 0,
          'the decisions she hears of are on her own accounts only');
SELECT is((SELECT count(*)::int FROM review_decisions(now() - interval '1 minute')), 0,
          '  and not her own dispute and mark just made');

SELECT * FROM finish();
ROLLBACK;
