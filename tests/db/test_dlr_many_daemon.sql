-- as: t_daemon
-- Delivery reports many at once (issue 18, line 11): message_dlr_many()
-- answers each report as message_dlr() called once per report, in the same
-- order, would have, and leaves the messages and the history as those calls
-- would. The same batch is run both ways (the sequential one rolled back to
-- a savepoint) and compared, besides the answers spelled out.
BEGIN;
\ir lib.sql
SELECT plan(12);

SELECT is(session_user::text, 't_daemon', 'runs as the login role t_daemon');

-- The fixtures' SMS, claimed; most settled as sent, col2_2 still sending (a
-- report may beat cobrod's own record of the send), col3_1 refused by the
-- policy (never handed to the gateway).
SELECT count(*) > 0 AS claimed FROM cobro.message_claim('t-dlr', 'sms', 100000, 60) \gset
SELECT ok(:'claimed', 'the daemon claims the fixtures'' SMS');
SELECT is(cobro.message_settle('t-dlr', ARRAY[:msg_col1_1, :msg_col1_2, :msg_shared_a, :msg_col2_1, :msg_gone_1,
                                              :msg_col3_1]::bigint[],
                               '{sent,sent,sent,sent,sent,refused}', '{p1,p2,p3,p4,p5,""}', '{"","","","","","X: no"}',
                               '{"","","","","",X}', '{0,0,0,0,0,0}'),
          6, 'five settled as sent, one refused');

-- One batch: reports for several messages interleaved, repeats, a late
-- "submitted" after "delivered", a message that does not exist, one not
-- handed over, one from the wrong channel's gateway and one from a gateway
-- that sends nothing now.
CREATE TEMP TABLE batch (ord int, id bigint, channel text, status int, at timestamptz);
INSERT INTO batch VALUES
	(1, :msg_col1_1, 'sms', 8, '2026-11-24 15:00:01Z'),
	(2, :msg_col2_1, 'sms', 4, '2026-11-24 15:00:02Z'),
	(3, :msg_col1_1, 'sms', 1, '2026-11-24 15:00:03Z'),
	(4, :msg_col1_2, 'sms', 8, '2026-11-24 15:00:04Z'),
	(5, :msg_col1_1, 'sms', 8, '2026-11-24 15:00:05Z'),
	(6, :msg_shared_a, 'sms', 2, '2026-11-24 15:00:06Z'),
	(7, :msg_col2_1, 'sms', 16, '2026-11-24 15:00:07Z'),
	(8, :msg_col1_1, 'sms', 2, '2026-11-24 15:00:08Z'),
	(9, :msg_col2_2, 'sms', 1, '2026-11-24 15:00:09Z'),
	(10, :msg_col3_1, 'sms', 1, '2026-11-24 15:00:10Z'),
	(11, 0, 'sms', 1, '2026-11-24 15:00:11Z'),
	(12, :msg_gone_1, 'whatsapp', 1, '2026-11-24 15:00:12Z'),
	(13, :msg_gone_1, NULL, 1, '2026-11-24 15:00:13Z'),
	(14, :msg_gone_1, 'sms', 4, '2026-11-24 15:00:14Z'),
	(15, :msg_col1_2, 'sms', 4, '2026-11-24 15:00:15Z');

-- What the batch leaves: each message's status, report code, times, error,
-- and its delivery events.
CREATE FUNCTION pg_temp.outcome() RETURNS text LANGUAGE sql AS $$
	SELECT string_agg(concat_ws(' ', m.id, m.status, m.dlr_status, m.sent_at IS NOT NULL, m.delivered_at,
	                            m.failed_at, m.error, m.claimed_until IS NULL,
	                            (SELECT string_agg(e.outcome || '/' || (e.data->>'dlr'), ',' ORDER BY e.id)
	                             FROM cobro.event e WHERE e.message_id = m.id AND e.kind = 'delivery')),
	                  '; ' ORDER BY m.id)
	FROM cobro.message m WHERE m.id IN (SELECT id FROM batch)
$$;
CREATE FUNCTION pg_temp.one_by_one() RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
	b record;
	v text[] := '{}';
BEGIN
	FOR b IN SELECT * FROM batch ORDER BY ord LOOP
		v := v || cobro.message_dlr(b.id, b.channel, b.status, b.at);
	END LOOP;
	RETURN v;
END
$$;

SAVEPOINT before;
SELECT pg_temp.one_by_one() AS seq_verdicts \gset
SELECT pg_temp.outcome() AS seq_outcome \gset
ROLLBACK TO SAVEPOINT before;

SELECT cobro.message_dlr_many(array_agg(id ORDER BY ord), array_agg(channel ORDER BY ord),
                              array_agg(status ORDER BY ord), array_agg(at ORDER BY ord)) AS many_verdicts
FROM batch \gset

SELECT is(:'many_verdicts'::text[],
          '{ignored,ignored,delivered,ignored,ignored,failed,failed,ignored,delivered,refused,unknown,refused,refused,ignored,ignored}'::text[],
          'message_dlr_many() answers each report in order: the first final word counts, the rest are ignored');
SELECT is(:'many_verdicts'::text[], :'seq_verdicts'::text[], '  the same answers as message_dlr() one by one');
SELECT is(pg_temp.outcome(), :'seq_outcome', '  and leaves the messages and their history as message_dlr() one by one');
SELECT is((SELECT status || ' ' || dlr_status || ' ' || (delivered_at = timestamptz '2026-11-24 15:00:03Z')
           FROM message WHERE id = :msg_col1_1),
          'delivered 1 true', '  delivered at its report''s time, a later "submitted" and "failed" ignored');
SELECT is((SELECT status || ' ' || dlr_status FROM message WHERE id = :msg_col1_2), 'sent 4',
          '  an intermediate report leaves the last code and the status sent');
SELECT is((SELECT status || ' ' || dlr_status || ' ' || error FROM message WHERE id = :msg_col2_1),
          'failed 16 the operator reported status 16', '  a failure says the operator''s code');
SELECT is((SELECT status || ' ' || (sent_at IS NOT NULL) FROM message WHERE id = :msg_col2_2), 'delivered true',
          '  a report that beats the settling delivers the message and dates its sending');
SELECT is((SELECT count(*) FROM event WHERE message_id = ANY (ARRAY[:msg_col1_1, :msg_col1_2, :msg_shared_a, :msg_col2_1,
                                                                  :msg_col2_2, :msg_col3_1, :msg_gone_1]::bigint[])
                                        AND kind = 'delivery'),
          4::bigint, '  one delivery event per message given its final word');
SELECT is(cobro.message_dlr_many(ARRAY[:msg_col1_1]::bigint[], '{sms}', '{1}', ARRAY[timestamptz '2026-11-24 16:00Z']),
          '{ignored}'::text[], 'a repeat in a later batch is ignored');

SELECT * FROM finish();
ROLLBACK;
