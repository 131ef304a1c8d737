-- Fixtures of the channel and strategy reports (issue 18, line 6), loaded by
-- tests/db/run.sh as the superuser after fixtures.sql. Hand-built, on fixed
-- dates in March 2020, where the demo has nothing: the tests ask for that
-- month and every figure they expect is worked out below by hand.
-- Idempotent: once per database (the marker is message m1's provider id).
--
-- Accounts of the demo:  N1, N3 ana's (norte, PEN), N2 luis's (norte, USD),
--                        S1 diego's (sur, PEN), each the last of its kind
--                        (fixtures.sql takes each agent's first account for
--                        the strategies' own tests)
-- Messages (provider_id rptfx-mN; sent at their created_at):
--   m7 N1 sms       retail/dpd1  early/A   2020-02-28 10:00 delivered  (before the month)
--   m1 N1 sms       retail/dpd1  early/A   2020-03-02 10:00 delivered
--   m4 N2 email     retail/due0  preventive 2020-03-03 08:00 delivered
--   m6 S1 sms       late/dpd31   late      2020-03-04 09:00 delivered
--   m2 N1 whatsapp  retail_whatsapp/dpd5 early/B 2020-03-05 10:00 sent
--   m5 N2 sms       retail/dpd1  early/A   2020-03-10 12:00 refused (never sent)
--   m3 N1 sms       (ana: manual)          2020-03-20 09:00 failed (sent, then failed)
-- Outcomes, and the message the attribution rule (7 days) credits:
--   r1 reply sms N1's debtor       03-02 15:00 -> m1
--   r2 reply whatsapp N1's debtor  03-06 10:00 -> m2
--   r3 reply sms N1's debtor       03-12 10:00 -> none (m1 10 days before)
--   o1 opt-out whatsapp N1's       03-07 10:00 -> m2
--   p1 promise N1 PEN 5000 kept    03-03 12:00 -> m1
--   p2 promise N1 PEN 3000 rejected 03-06     -> not a promise
--   p3 promise N3 PEN 1000 broken  03-15 12:00 -> none (no message to N3)
--   y2 payment N1 PEN 700          03-01 12:00 -> m7 (outside the month)
--   y5 payment S1 PEN 4000         03-05 12:00 -> m6
--   y1 payment N1 PEN 2000         03-08 12:00 -> m2
--   y3 payment N2 USD 1500         03-09 12:00 -> m4 (6 days)
--   y4 payment N2 USD 900          03-11 12:00 -> none (m4 8 days before, m5 never sent)
--   y6 payment N1 PEN 100          03-21 12:00 -> none (m3 failed; m2 16 days before)
--   c1 right-party call on N3      03-16 10:00 (the variants' contact rate)
-- Where they stand (account_strategy, strategy version "rptfx"): N1, N3
-- early/A, N2 and S1 early/B.
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL search_path = cobro, public;
DO $$
DECLARE
	n1 bigint; n2 bigint; n3 bigint; s1 bigint;
	d1 bigint; d2 bigint; d3 bigint; ds bigint;
	ana bigint := (SELECT id FROM agent WHERE login = 'ana');
BEGIN
	IF EXISTS (SELECT 1 FROM message WHERE provider_id = 'rptfx-m1') THEN
		RETURN;
	END IF;
	SELECT a.id INTO n1 FROM account a JOIN agent g ON g.id = a.agent_id
	WHERE g.login = 'ana' AND a.currency = 'PEN' ORDER BY a.id DESC LIMIT 1;
	SELECT a.id INTO n3 FROM account a JOIN agent g ON g.id = a.agent_id
	WHERE g.login = 'ana' AND a.currency = 'PEN' AND a.debtor_id <> (SELECT debtor_id FROM account WHERE id = n1)
	ORDER BY a.id DESC LIMIT 1;
	SELECT a.id INTO n2 FROM account a JOIN agent g ON g.id = a.agent_id
	WHERE g.login = 'luis' AND a.currency = 'USD' ORDER BY a.id DESC LIMIT 1;
	SELECT a.id INTO s1 FROM account a JOIN agent g ON g.id = a.agent_id
	WHERE g.login = 'diego' AND a.currency = 'PEN' ORDER BY a.id DESC LIMIT 1;
	IF n1 IS NULL OR n2 IS NULL OR n3 IS NULL OR s1 IS NULL THEN
		RAISE EXCEPTION 'fixtures_reports.sql: the demo has not the accounts it needs';
	END IF;
	SELECT debtor_id INTO d1 FROM account WHERE id = n1;
	SELECT debtor_id INTO d2 FROM account WHERE id = n2;
	SELECT debtor_id INTO d3 FROM account WHERE id = n3;
	SELECT debtor_id INTO ds FROM account WHERE id = s1;

	INSERT INTO message (account_id, debtor_id, channel, recipient, body, status, provider_id, agent_id,
	                     ladder, step, segment, variant, created_at, next_attempt_at, sent_at, delivered_at)
	VALUES (n1, d1, 'sms', '+51900000001', 'm7', 'delivered', 'rptfx-m7', NULL, 'retail', 'dpd1', 'early', 'A',
	        '2020-02-28 10:00Z', '2020-02-28 10:00Z', '2020-02-28 10:00Z', '2020-02-28 10:01Z'),
	       (n1, d1, 'sms', '+51900000001', 'm1', 'delivered', 'rptfx-m1', NULL, 'retail', 'dpd1', 'early', 'A',
	        '2020-03-02 10:00Z', '2020-03-02 10:00Z', '2020-03-02 10:00Z', '2020-03-02 10:01Z'),
	       (n2, d2, 'email', 'n2@example.com', 'm4', 'delivered', 'rptfx-m4', NULL, 'retail', 'due0', 'preventive', NULL,
	        '2020-03-03 08:00Z', '2020-03-03 08:00Z', '2020-03-03 08:00Z', '2020-03-03 08:01Z'),
	       (s1, ds, 'sms', '+51900000002', 'm6', 'delivered', 'rptfx-m6', NULL, 'late', 'dpd31', 'late', NULL,
	        '2020-03-04 09:00Z', '2020-03-04 09:00Z', '2020-03-04 09:00Z', '2020-03-04 09:01Z'),
	       (n1, d1, 'whatsapp', '+51900000001', 'm2', 'sent', 'rptfx-m2', NULL, 'retail_whatsapp', 'dpd5', 'early', 'B',
	        '2020-03-05 10:00Z', '2020-03-05 10:00Z', '2020-03-05 10:00Z', NULL),
	       (n2, d2, 'sms', '+1200000001', 'm5', 'refused', 'rptfx-m5', NULL, 'retail', 'dpd1', 'early', 'A',
	        '2020-03-10 12:00Z', '2020-03-10 12:00Z', NULL, NULL),
	       (n1, d1, 'sms', '+51900000001', 'm3', 'failed', 'rptfx-m3', ana, NULL, NULL, NULL, NULL,
	        '2020-03-20 09:00Z', '2020-03-20 09:00Z', '2020-03-20 09:00Z', NULL);

	INSERT INTO event (at, account_id, debtor_id, kind, direction, outcome, body, data) VALUES
		('2020-03-02 15:00Z', n1, d1, 'sms', 'in', NULL, 'r1', '{"fixture": "reports"}'),
		('2020-03-06 10:00Z', n1, d1, 'whatsapp', 'in', NULL, 'r2', '{"fixture": "reports"}'),
		('2020-03-12 10:00Z', NULL, d1, 'sms', 'in', NULL, 'r3', '{"fixture": "reports"}'),
		('2020-03-07 10:00Z', n1, d1, 'optout', 'in', 'whatsapp', 'o1', '{"fixture": "reports"}');
	INSERT INTO event (at, account_id, debtor_id, agent_id, kind, direction, outcome, body, data) VALUES
		('2020-03-16 10:00Z', n3, d3, ana, 'call', 'out', 'right_party', 'c1', '{"fixture": "reports"}');

	INSERT INTO promise (account_id, agent_id, amount, currency, due_date, status, note, created_at) VALUES
		(n1, ana, 5000, 'PEN', '2020-03-10', 'kept', 'rptfx-p1', '2020-03-03 12:00Z'),
		(n1, ana, 3000, 'PEN', '2020-03-12', 'rejected', 'rptfx-p2', '2020-03-06 12:00Z'),
		(n3, ana, 1000, 'PEN', '2020-03-20', 'broken', 'rptfx-p3', '2020-03-15 12:00Z');

	INSERT INTO payment (account_id, amount, currency, paid_at, reference) VALUES
		(n1, 700, 'PEN', '2020-03-01 12:00Z', 'rptfx-y2'),
		(s1, 4000, 'PEN', '2020-03-05 12:00Z', 'rptfx-y5'),
		(n1, 2000, 'PEN', '2020-03-08 12:00Z', 'rptfx-y1'),
		(n2, 1500, 'USD', '2020-03-09 12:00Z', 'rptfx-y3'),
		(n2, 900, 'USD', '2020-03-11 12:00Z', 'rptfx-y4'),
		(n1, 100, 'PEN', '2020-03-21 12:00Z', 'rptfx-y6');

END
$$;
-- Where the accounts stand is written afresh on every run, and taken away
-- again when the files have run (teardown_reports.sql): the suites after
-- this one find no version of these tests'.
DO $$
DECLARE
	v integer;
BEGIN
	DELETE FROM account_strategy WHERE version IN (SELECT version FROM strategy_version WHERE digest = 'rptfx');
	DELETE FROM strategy_version WHERE digest = 'rptfx';
	-- A version number below any loaded one: never the version in force
	-- (the newest), which other suites' fixtures and tests read.
	INSERT INTO strategy_version (version, file, text, digest, loaded_at) OVERRIDING SYSTEM VALUE
	VALUES (-18, 'tests/db/fixtures_reports.sql', 'settings = { attribution_days = 7; };', 'rptfx', '2020-01-01 00:00Z')
	RETURNING version INTO v;
	INSERT INTO account_strategy (account_id, version, segment, ladder, variant)
	SELECT m.account_id, v, 'early', x.ladder, x.variant
	FROM (VALUES ('rptfx-m1', 'retail', 'A'), ('rptfx-m4', 'retail_whatsapp', 'B'), ('rptfx-m6', 'retail_whatsapp', 'B'))
	     x (msg, ladder, variant)
	JOIN message m ON m.provider_id = x.msg
	UNION ALL
	SELECT p.account_id, v, 'early', 'retail', 'A' FROM promise p WHERE p.note = 'rptfx-p3'
	-- Never another fixture's row: a clash fails these tests, not theirs.
	ON CONFLICT (account_id) DO NOTHING;
END
$$;
COMMIT;
