-- as: t_daemon
-- Issue 18, line 11, as cobrod's role: when each debtor was last heard from
-- (debtor_heard, 036) is kept by event's triggers as the history says it:
-- cobrod reads it and cannot write it; a reply and a right-party contact
-- it records move the kept moments, an older one does not move them back;
-- the facts of a day before the kept moment read the history as it was
-- that day.
BEGIN;
\ir lib.sql
SELECT plan(14);

-- Every debtor's last reply and right-party contact as the history says,
-- beside what is kept: the rows that differ (none when kept exactly).
CREATE FUNCTION pg_temp.heard_mismatch() RETURNS bigint LANGUAGE sql AS $$
	WITH h AS (
		SELECT e.debtor_id,
		       max(e.at) FILTER (WHERE e.direction = 'in' AND e.kind IN ('sms', 'email', 'whatsapp')) AS last_reply,
		       max(e.at) FILTER (WHERE e.kind IN ('call', 'visit') AND e.outcome = 'right_party') AS last_rpc
		FROM cobro.event e
		WHERE e.direction = 'in' AND e.kind IN ('sms', 'email', 'whatsapp')
		   OR e.kind IN ('call', 'visit') AND e.outcome = 'right_party'
		GROUP BY e.debtor_id
	)
	SELECT count(*) FROM (
		(SELECT * FROM h EXCEPT ALL SELECT debtor_id, last_reply, last_rpc FROM cobro.debtor_heard)
		UNION ALL
		(SELECT debtor_id, last_reply, last_rpc FROM cobro.debtor_heard EXCEPT ALL SELECT * FROM h)) x
$$;

SELECT is(session_user::text, 't_daemon', 'runs as the login role t_daemon');
SELECT ok((SELECT count(*) FROM debtor_heard) > 0, 'debtor_heard: read, every row');
SELECT is(pg_temp.heard_mismatch(), 0::bigint, '  kept as the history says (the demo''s and the fixtures'' events)');
SELECT is(pg_temp.refused_code(format('INSERT INTO debtor_heard (debtor_id, last_reply) VALUES (%s, now())', :deb_orphan)),
          '42501', 'debtor_heard: not written directly');
SELECT is(pg_temp.refused_code('UPDATE debtor_heard SET last_reply = now()'), '42501', '  nor updated');
SELECT is(pg_temp.refused_code('DELETE FROM debtor_heard'), '42501', '  nor emptied');

-- col1-1's debtor: never replied in the fixtures.
SELECT is((SELECT count(*) FROM debtor_heard WHERE debtor_id = :deb_col1_1)::int, 0,
          'a debtor never heard from has no row');
INSERT INTO event (at, account_id, debtor_id, kind, direction, body) VALUES
	(now() - interval '30 days', :acc_col1_1, :deb_col1_1, 'sms', 'in', 'reply a month ago'),
	(now() - interval '2 days', :acc_col1_1, :deb_col1_1, 'whatsapp', 'in', 'reply two days ago'),
	(now() - interval '1 day', :acc_col1_1, :deb_col1_1, 'sms', 'out', 'a reminder: not heard from');
SELECT is((SELECT last_reply FROM debtor_heard WHERE debtor_id = :deb_col1_1), now() - interval '2 days',
          '  two replies in one statement: the later kept');
SELECT is((SELECT last_rpc FROM debtor_heard WHERE debtor_id = :deb_col1_1), NULL,
          '  no right-party contact');
INSERT INTO event (at, account_id, debtor_id, kind, direction, outcome, body) VALUES
	(now() - interval '5 days', :acc_col1_1, :deb_col1_1, 'call', 'out', 'right_party', 'reached'),
	(now() - interval '10 days', :acc_col1_1, :deb_col1_1, 'email', 'in', NULL, 'an older reply');
SELECT is((SELECT row(last_reply, last_rpc)::text FROM debtor_heard WHERE debtor_id = :deb_col1_1),
          row(now() - interval '2 days', now() - interval '5 days')::text,
          'a right-party call kept; an older reply leaves the later one');
INSERT INTO event (at, account_id, debtor_id, kind, direction, outcome, body) VALUES
	(now() - interval '1 day', :acc_col1_1, :deb_col1_1, 'call', 'out', 'no_answer', 'not reached'),
	(now() - interval '1 day', :acc_col1_1, :deb_col1_1, 'visit', 'out', 'right_party', 'met at home');
SELECT is((SELECT last_rpc FROM debtor_heard WHERE debtor_id = :deb_col1_1), now() - interval '1 day',
          '  a visit that reached the debtor is a right-party contact; a call not answered is not');
SELECT is(pg_temp.heard_mismatch(), 0::bigint, '  still as the history says, for every debtor');

-- The facts of a day before the kept reply (a run of a past day): the
-- reply of that day, from the history.
SELECT is((SELECT last_reply FROM strategy_facts(current_date - 7) WHERE account_id = :acc_col1_1),
          ((now() - interval '10 days') AT TIME ZONE 'Europe/Madrid')::date - date '1970-01-01',
          'the facts of a day a week ago: the reply before it');
SELECT is((SELECT last_reply FROM strategy_facts(current_date) WHERE account_id = :acc_col1_1),
          ((now() - interval '2 days') AT TIME ZONE 'Europe/Madrid')::date - date '1970-01-01',
          '  of today: the last');

SELECT * FROM finish();
ROLLBACK;
