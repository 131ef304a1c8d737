-- as: ana
-- A history item whole (issue 15, line 9): cobro.event_detail() as a collector
-- (ana, team norte). Her own items come back whole (a note past the account
-- screen's cut at 512 characters; a message's recipient and delivery steps
-- with their times; a payment's amount and currency; a callback's moment and
-- zone); another team's items, on an account or filed under a debtor alone,
-- and an id that is not there are one and the same refusal.
-- functions/event_detail.sql.
BEGIN;
\ir lib.sql
SELECT plan(19);

SELECT is(session_user::text, 'ana', 'runs as the login role ana');

-- An account of hers, with a number of its debtor that takes SMS.
SELECT a.id AS my_acc, p.id AS my_pt, p.value AS my_value
FROM account a JOIN contact_point p ON p.debtor_id = a.debtor_id
WHERE a.agent_id = my_agent_id() AND p.kind = 'mobile' AND p.bad_since IS NULL AND NOT 'sms' = ANY (p.opted_out)
ORDER BY a.id, p.id LIMIT 1 \gset

-- ------------------------------------------------------------ her own, whole
SELECT account_add_note('00000000-0000-4000-8000-0000000015a9'::uuid, :my_acc,
                        repeat('Nota larga de ana. ', 100) || 'FIN') AS note_ev \gset
SELECT is(length(event_detail(:note_ev)->>'body'), 19 * 100 + 3,
          'a note of 1903 characters comes back whole');
SELECT is(length((SELECT e->>'body' FROM json_array_elements(account_screen(:my_acc, 200, now())->'events') e
                  WHERE (e->>'id')::bigint = :note_ev)), 512,
          '... where the account screen''s row has its first 512');
SELECT is(event_detail(:note_ev)->>'kind', 'note', '... as a note');
SELECT is(event_detail(:note_ev)->>'agent', 'ana', '... written by ana');
SELECT ok(event_detail(:note_ev)->'message' IS NULL OR json_typeof(event_detail(:note_ev)->'message') = 'null',
          '... with no message');

SELECT message_queue('00000000-0000-4000-8000-0000000015ab'::uuid, :my_acc, :my_pt, 'sms', NULL, NULL,
                     'Hola, un mensaje de ana', NULL, NULL, NULL) AS msg_id \gset
SELECT id AS msg_ev FROM event WHERE message_id = :msg_id AND kind = 'sms' \gset
SELECT is(event_detail(:msg_ev)->>'body', 'Hola, un mensaje de ana', 'a message comes back with its text');
SELECT is(event_detail(:msg_ev)->'message'->>'recipient', :'my_value', '... whom it went to');
SELECT is(event_detail(:msg_ev)->'message'->>'status', 'queued', '... how far it got');
SELECT is((SELECT string_agg(s->>'step', ' ') FROM json_array_elements(event_detail(:msg_ev)->'message'->'steps') s),
          'queued', '... its steps so far: queued');
SELECT is(event_detail(:msg_ev)->'message'->'steps'->0->>'at',
          (SELECT to_char(created_at, 'YYYY-MM-DD HH24:MI:SS') FROM message WHERE id = :msg_id),
          '... at the time it was queued');

SELECT account_schedule_callback('00000000-0000-4000-8000-0000000015aa'::uuid, :my_acc,
                                 date_trunc('minute', now()) + interval '1 day', 'America/Lima', NULL) AS cb_ev \gset
SELECT is((event_detail(:cb_ev)->>'due')::bigint, extract(epoch FROM date_trunc('minute', now()) + interval '1 day')::bigint,
          'a callback says its moment');
SELECT is(event_detail(:cb_ev)->>'zone', 'America/Lima', '... and the zone it was typed in');

-- The demo's callbacks (as an import writes them: "at", no zone) are read
-- on the debtor's clock.
SELECT ok(EXISTS (SELECT 1 FROM event e JOIN account a ON a.id = e.account_id
                  WHERE a.agent_id = my_agent_id() AND e.kind = 'callback' AND e.data ? 'at'),
          'ana has callbacks as the demo writes them');
SELECT is((SELECT count(*)::int FROM event e JOIN account a ON a.id = e.account_id JOIN debtor d ON d.id = e.debtor_id
           WHERE a.agent_id = my_agent_id() AND e.kind = 'callback' AND e.data ? 'at'
             AND ((event_detail(e.id)->>'due')::bigint IS DISTINCT FROM extract(epoch FROM (e.data->>'at')::timestamptz)::bigint
                  OR event_detail(e.id)->>'zone' IS DISTINCT FROM d.time_zone)),
          0, '... each says its moment, in the debtor''s zone');

-- A payment on her account (the history as cobrod's import would write it;
-- ana may not write one, so it is read from what the demo has, if any).
SELECT is((SELECT count(*)::int FROM event e JOIN account a ON a.id = e.account_id
           WHERE a.agent_id = my_agent_id() AND e.kind = 'payment' AND e.amount IS NOT NULL
             AND ((event_detail(e.id)->>'amount')::bigint IS DISTINCT FROM e.amount
                  OR event_detail(e.id)->>'currency' IS DISTINCT FROM a.currency)),
          0, 'every payment of hers says its amount and its account''s currency');

-- ------------------------------------------------------------ not hers
SELECT throws_ok(format('SELECT cobro.event_detail(%s)', :ev_note_col1_1), '42501', 'no such item',
                 'another team''s note (t_a''s) is refused');
SELECT throws_ok(format('SELECT cobro.event_detail(%s)', :evd_sms_col2_1), '42501', 'no such item',
                 'another team''s debtor''s message filed under no account is refused');
SELECT throws_ok('SELECT cobro.event_detail(-1)', '42501', 'no such item',
                 'an item that is not there is the same refusal');

SELECT * FROM finish();
ROLLBACK;
