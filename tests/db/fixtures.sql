-- Fixture data for the database security tests (tests/db/run.sh loads it as
-- the superuser, before any test file runs as a login role).
--
-- Idempotent: everything is created in one transaction, and only when team
-- t_a does not exist yet; roles are cluster-wide, and cobro.agent_add() adopts
-- a login role left over from an earlier database of the same cluster.
-- Every name starts with t_ (people, teams) or TFX- (references, national
-- ids), so nothing here collides with the demo portfolio.
--
-- People                    team   accounts (reference)
--   t_col1    collector     t_a    TFX-col1-1, TFX-col1-2, TFX-shared-a
--   t_col2    collector     t_a    TFX-col2-1, TFX-col2-2
--   t_col3    collector     t_b    TFX-col3-1, TFX-shared-b
--   t_gone    collector     t_a    TFX-gone-1            (agent deactivated)
--   (nobody)                t_a    TFX-pool-a            (team pool, unassigned)
--   t_sup     supervisor    t_a
--   t_lead    lead          t_a
--   t_lead_b  lead          t_b
--   t_admin   admin         -
--   t_daemon  daemon        -
-- TFX-shared-a (t_col1) and TFX-shared-b (t_col3) belong to one debtor, so a
-- debtor is seen from two teams while each team sees only its own account's
-- history. Debtor TFX-orphan has no account at all.
--
-- Every account has: its own debtor (but the shared one) with a mobile and an
-- email contact point, 2 installments, 1 payment, 1 promise with 1 plan
-- installment, 2 events and 1 message. Debtors of col2's first account and of
-- col3's first account also have one event and one message with no account.
\set ON_ERROR_STOP 1

-- A running cobrod that sends SMS and email, and no WhatsApp (issue 15,
-- line 5): message_queue() refuses a channel no running cobrod sends. The
-- heartbeat as daemon_heartbeat() writes it, far from expiring.
INSERT INTO cobro.daemon_presence (worker, channels, seen_at, expires_at)
VALUES ('pgtap-fixture', '{sms,email}', now(), timestamptz '2094-01-01 00:00Z')
ON CONFLICT (worker) DO UPDATE SET channels = EXCLUDED.channels, expires_at = EXCLUDED.expires_at;

BEGIN;

CREATE FUNCTION pg_temp.fx_debtor(p_key text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	d bigint;
	n int := (SELECT count(*) FROM cobro.debtor WHERE national_id LIKE 'TFX-%');
BEGIN
	INSERT INTO cobro.debtor (name, first_name, national_id, jurisdiction, time_zone)
	VALUES ('Fixture ' || p_key, 'Fixture', 'TFX-' || p_key, 'ES', 'Europe/Madrid')
	RETURNING id INTO d;
	INSERT INTO cobro.contact_point (debtor_id, kind, value, consent, is_primary)
	VALUES (d, 'mobile', '+3460990' || lpad(n::text, 4, '0'), '{call,sms,whatsapp}', true),
	       (d, 'email', 'tfx-' || lower(p_key) || '@example.test', '{email}', false);
	RETURN d;
END
$$;

CREATE FUNCTION pg_temp.fx_account(p_ref text, p_debtor bigint, p_team text, p_agent text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	a bigint;
	p bigint;
	ag bigint := (SELECT id FROM cobro.agent WHERE login = p_agent);
	cp bigint := (SELECT id FROM cobro.contact_point WHERE debtor_id = p_debtor AND kind = 'mobile');
BEGIN
	INSERT INTO cobro.account (debtor_id, creditor_id, product, reference, currency, balance,
	                           past_due, oldest_due, team_id, agent_id)
	VALUES (p_debtor, (SELECT id FROM cobro.creditor WHERE code = 'TFX-CRED'), 'card', 'TFX-' || p_ref,
	        'EUR', 100000, 20000, current_date - 30, (SELECT id FROM cobro.team WHERE code = p_team), ag)
	RETURNING id INTO a;
	INSERT INTO cobro.installment (account_id, seq, due_date, amount, paid)
	VALUES (a, 1, current_date - 30, 10000, 0), (a, 2, current_date + 1, 10000, 0);
	INSERT INTO cobro.payment (account_id, amount, currency, paid_at)
	VALUES (a, 5000, 'EUR', now() - interval '40 days');
	INSERT INTO cobro.promise (account_id, agent_id, amount, currency, due_date)
	VALUES (a, ag, 20000, 'EUR', current_date + 7) RETURNING id INTO p;
	INSERT INTO cobro.promise_installment (promise_id, seq, due_date, amount)
	VALUES (p, 1, current_date + 7, 20000);
	INSERT INTO cobro.event (account_id, debtor_id, agent_id, kind, direction, outcome, body)
	VALUES (a, p_debtor, ag, 'call', 'out', 'no_answer', 'fixture call ' || p_ref),
	       (a, p_debtor, ag, 'note', NULL, NULL, 'fixture note ' || p_ref);
	INSERT INTO cobro.message (account_id, debtor_id, contact_point_id, channel, recipient, body, agent_id)
	VALUES (a, p_debtor, cp, 'sms', (SELECT value FROM cobro.contact_point WHERE id = cp),
	        'fixture sms ' || p_ref, ag);
	RETURN a;
END
$$;

DO $$
DECLARE
	shared bigint;
	d bigint;
BEGIN
	IF EXISTS (SELECT 1 FROM cobro.team WHERE code = 't_a') THEN
		RAISE NOTICE 'fixtures present already';
		RETURN;
	END IF;
	INSERT INTO cobro.team (code, name) VALUES ('t_a', 'Test team A'), ('t_b', 'Test team B');
	PERFORM cobro.agent_add('t_col1', 'Test Collector One', 'collector', 't_a');
	PERFORM cobro.agent_add('t_col2', 'Test Collector Two', 'collector', 't_a');
	PERFORM cobro.agent_add('t_col3', 'Test Collector Three', 'collector', 't_b');
	PERFORM cobro.agent_add('t_gone', 'Test Collector Gone', 'collector', 't_a');
	PERFORM cobro.agent_add('t_sup', 'Test Supervisor A', 'supervisor', 't_a');
	PERFORM cobro.agent_add('t_lead', 'Test Lead A', 'lead', 't_a');
	PERFORM cobro.agent_add('t_lead_b', 'Test Lead B', 'lead', 't_b');
	PERFORM cobro.agent_add('t_admin', 'Test Admin', 'admin', NULL);
	PERFORM cobro.agent_add('t_daemon', 'Test Daemon', 'daemon', NULL);
	INSERT INTO cobro.creditor (code, name) VALUES ('TFX-CRED', 'Fixture Creditor');

	PERFORM pg_temp.fx_account('col1-1', pg_temp.fx_debtor('col1-1'), 't_a', 't_col1');
	PERFORM pg_temp.fx_account('col1-2', pg_temp.fx_debtor('col1-2'), 't_a', 't_col1');
	shared := pg_temp.fx_debtor('shared');
	PERFORM pg_temp.fx_account('shared-a', shared, 't_a', 't_col1');
	d := pg_temp.fx_debtor('col2-1');
	PERFORM pg_temp.fx_account('col2-1', d, 't_a', 't_col2');
	INSERT INTO cobro.event (debtor_id, kind, direction, body) VALUES (d, 'sms', 'in', 'fixture reply col2');
	INSERT INTO cobro.message (debtor_id, channel, recipient, body)
	VALUES (d, 'email', 'tfx-col2-1@example.test', 'fixture mail col2');
	PERFORM pg_temp.fx_account('col2-2', pg_temp.fx_debtor('col2-2'), 't_a', 't_col2');
	d := pg_temp.fx_debtor('col3-1');
	PERFORM pg_temp.fx_account('col3-1', d, 't_b', 't_col3');
	INSERT INTO cobro.event (debtor_id, kind, direction, body) VALUES (d, 'sms', 'in', 'fixture reply col3');
	INSERT INTO cobro.message (debtor_id, channel, recipient, body)
	VALUES (d, 'email', 'tfx-col3-1@example.test', 'fixture mail col3');
	PERFORM pg_temp.fx_account('shared-b', shared, 't_b', 't_col3');
	PERFORM pg_temp.fx_account('gone-1', pg_temp.fx_debtor('gone-1'), 't_a', 't_gone');
	PERFORM pg_temp.fx_account('pool-a', pg_temp.fx_debtor('pool-a'), 't_a', NULL);
	PERFORM pg_temp.fx_debtor('orphan');

	UPDATE cobro.agent SET active = false WHERE login = 't_gone';
END
$$;

COMMIT;

-- A login role given cobro's people groups by hand, with no agent row
-- (test_state_noagent.sql). Roles are cluster-wide: made once.
DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 't_noagent') THEN
		CREATE ROLE t_noagent LOGIN;
	END IF;
END
$$;
GRANT cobro_collector, cobro_supervisor TO t_noagent;

-- Issue 14, lines 4 and 5 (test_h14_*.sql). Another application's login role
-- in the same cluster, which cobro must leave alone; and two leases, renewed
-- at every load: one t_col1 holds for as long as a lease may last now, and
-- one t_col2 took before leases were bounded, until 2094.
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 't_other_app') THEN
		CREATE ROLE t_other_app LOGIN;
	END IF;
END
$$;
INSERT INTO cobro.lease AS l (account_id, agent_id, session, expires_at)
SELECT a.id, g.id, v.session, v.expires_at
FROM (VALUES ('TFX-col1-2', 't_col1', 'tfx-col1-session',
              now() + make_interval(secs => (SELECT max_seconds - 5 FROM cobro.lease_setting))),
             ('TFX-col2-2', 't_col2', 'tfx-col2-session', timestamptz '2094-01-01 00:00Z')) v(ref, login, session, expires_at)
JOIN cobro.account a ON a.reference = v.ref JOIN cobro.agent g ON g.login = v.login
ON CONFLICT (account_id) DO UPDATE
	SET agent_id = EXCLUDED.agent_id, session = EXCLUDED.session, expires_at = EXCLUDED.expires_at, taken_at = now();

-- Issue 15, line 7 (test_inbound_daemon.sql): a number that is both a
-- debtor's mobile and their WhatsApp (TFX-orphan's), and that a second
-- debtor gives as their mobile too (TFX-kin, a relative; no account either,
-- so no collector sees these). Made once, beside the fixtures above.
DO $$
DECLARE
	o bigint := (SELECT id FROM cobro.debtor WHERE national_id = 'TFX-orphan');
	num text := (SELECT c.value FROM cobro.contact_point c JOIN cobro.debtor d ON d.id = c.debtor_id
	             WHERE d.national_id = 'TFX-orphan' AND c.kind = 'mobile');
	k bigint;
BEGIN
	IF EXISTS (SELECT 1 FROM cobro.debtor WHERE national_id = 'TFX-kin') THEN
		RETURN;
	END IF;
	INSERT INTO cobro.contact_point (debtor_id, kind, value, consent) VALUES (o, 'whatsapp', num, '{whatsapp}');
	INSERT INTO cobro.debtor (name, first_name, national_id, jurisdiction, time_zone)
	VALUES ('Fixture kin', 'Fixture', 'TFX-kin', 'ES', 'Europe/Madrid') RETURNING id INTO k;
	INSERT INTO cobro.contact_point (debtor_id, kind, value, consent, is_primary)
	VALUES (k, 'mobile', num, '{call,sms}', true);
END
$$;

-- Issue 16, line 7 (test_promise_keeper.sql): promises for the keeper to
-- decide, on accounts of a team of their own (t_k, one collector, t_kcol),
-- so that no other file's counts see them. Their dates are fixed in 2030,
-- far from any clock the tests run at: the keeper is asked about moments
-- given (promise_evaluate(at)), and the payments are the test's own. The
-- debtors are in Europe/Madrid (UTC+1 in January), so a deadline at the
-- end of a day there falls at 23:00 UTC the day before it ends in UTC.
-- One more (TFX-k-apply) is dated from the load's clock, for the payment
-- import's promise_apply_payments(), which decides as of now().
--   TFX-k-kept     10000 once, 2030-01-10, grace 2
--   TFX-k-partial  10000 once, 2030-01-10, grace 2
--   TFX-k-broken   10000 once, 2030-01-10, grace 2 (and a payment from before the promise)
--   TFX-k-late     10000 once, 2030-01-10, grace 2
--   TFX-k-plan     30000 monthly x3 from 2030-01-31 (01-31, 02-28, 03-31), grace 2
--   TFX-k-apply    10000 weekly x2 from tomorrow, grace 0, given yesterday
--   TFX-k-await    10000 once, 2030-03-01, awaiting approval (horizon): no
--                  supervisor or lead of another team may decide on it
DO $$
DECLARE
	team bigint;
	ag   bigint;
	r    record;
	d    bigint;
	a    bigint;
	p    bigint;
BEGIN
	IF EXISTS (SELECT 1 FROM cobro.team WHERE code = 't_k') THEN
		RETURN;
	END IF;
	INSERT INTO cobro.team (code, name) VALUES ('t_k', 'Test team K (the keeper)') RETURNING id INTO team;
	PERFORM cobro.agent_add('t_kcol', 'Test Collector K', 'collector', 't_k');
	ag := (SELECT id FROM cobro.agent WHERE login = 't_kcol');
	FOR r IN SELECT * FROM (VALUES
		('k-kept', 10000::bigint, 'once', 1, date '2030-01-10', 2, timestamptz '2030-01-01 10:00+01', 'pending'),
		('k-partial', 10000, 'once', 1, date '2030-01-10', 2, timestamptz '2030-01-01 10:00+01', 'pending'),
		('k-broken', 10000, 'once', 1, date '2030-01-10', 2, timestamptz '2030-01-01 10:00+01', 'pending'),
		('k-late', 10000, 'once', 1, date '2030-01-10', 2, timestamptz '2030-01-01 10:00+01', 'pending'),
		('k-plan', 30000, 'monthly', 3, date '2030-01-31', 2, timestamptz '2030-01-01 10:00+01', 'pending'),
		('k-apply', 10000, 'weekly', 2, current_date + 1, 0, now() - interval '1 day', 'pending'),
		('k-await', 10000, 'once', 1, date '2030-03-01', 2, timestamptz '2030-01-01 10:00+01', 'awaiting_approval'))
		v(ref, amount, freq, n, first, grace, made, st)
	LOOP
		INSERT INTO cobro.debtor (name, first_name, national_id, jurisdiction, time_zone)
		VALUES ('Fixture ' || r.ref, 'Fixture', 'TFX-' || r.ref, 'ES', 'Europe/Madrid') RETURNING id INTO d;
		INSERT INTO cobro.account (debtor_id, creditor_id, product, reference, currency, balance, past_due,
		                           oldest_due, team_id, agent_id)
		VALUES (d, (SELECT id FROM cobro.creditor WHERE code = 'TFX-CRED'), 'loan', 'TFX-' || r.ref, 'EUR',
		        100000, 30000, date '2029-12-01', team, ag)
		RETURNING id INTO a;
		INSERT INTO cobro.promise (account_id, agent_id, amount, currency, due_date, frequency, installments,
		                           grace_days, created_at, status, reasons)
		VALUES (a, ag, r.amount, 'EUR', r.first, r.freq, r.n, r.grace, r.made, r.st,
		        CASE r.st WHEN 'pending' THEN '{}' ELSE '{horizon}' END::text[])
		RETURNING id INTO p;
		INSERT INTO cobro.promise_installment (promise_id, seq, due_date, amount)
		SELECT p, s.seq, s.due_date, s.amount FROM cobro.promise_schedule(r.first, r.n, r.freq, r.amount) s;
	END LOOP;
	-- Paid the day before the promise was given: it does not count towards it.
	INSERT INTO cobro.payment (account_id, amount, currency, paid_at)
	SELECT id, 10000, 'EUR', timestamptz '2029-12-31 12:00+01' FROM cobro.account WHERE reference = 'TFX-k-broken';
END
$$;

-- Four eyes (promise_approve()): a promise luis (the demo's team norte) took
-- beyond the horizon, awaiting approval, for sofia and marta to approve as
-- they may not approve their own (TFX-n-await, :prom_n_await). Luis's
-- account, but made here: the demo's own accounts stay as the demo left them.
-- Taken long ago, it is the first of sofia's approval list, before whatever
-- the suites that share this cluster's demo save after it (e2e-test_approve).
DO $$
DECLARE
	d bigint;
	a bigint;
	p bigint;
	luis cobro.agent;
BEGIN
	IF EXISTS (SELECT 1 FROM cobro.account WHERE reference = 'TFX-n-await') THEN
		RETURN;
	END IF;
	SELECT * INTO luis FROM cobro.agent WHERE login = 'luis';
	INSERT INTO cobro.debtor (name, first_name, national_id, jurisdiction, time_zone)
	VALUES ('Fixture n-await', 'Fixture', 'TFX-n-await', 'ES', 'Europe/Madrid') RETURNING id INTO d;
	INSERT INTO cobro.account (debtor_id, creditor_id, product, reference, currency, balance, past_due,
	                           oldest_due, team_id, agent_id)
	VALUES (d, (SELECT id FROM cobro.creditor WHERE code = 'TFX-CRED'), 'loan', 'TFX-n-await', 'EUR',
	        100000, 30000, date '2029-12-01', luis.team_id, luis.id)
	RETURNING id INTO a;
	INSERT INTO cobro.promise (account_id, agent_id, amount, currency, due_date, frequency, installments,
	                           grace_days, created_at, status, reasons)
	VALUES (a, luis.id, 10000, 'EUR', date '2030-03-01', 'once', 1, 2, timestamptz '2020-01-01 10:00+01',
	        'awaiting_approval', '{horizon}')
	RETURNING id INTO p;
	INSERT INTO cobro.promise_installment (promise_id, seq, due_date, amount)
	SELECT p, s.seq, s.due_date, s.amount FROM cobro.promise_schedule(date '2030-03-01', 1, 'once', 10000) s;
END
$$;

-- Presence (issue 17, line 1), as presence_beat() writes it: t_col1 (team
-- t_a) on one of her accounts, t_col3 (team t_b) on the worklist, both far
-- from expiring; t_col2's workstation died (its row expired long ago).
INSERT INTO cobro.presence (agent_id, team_id, screen, account_id, since, account_since, logged_in_at, seen_at,
                            expires_at)
SELECT g.id, g.team_id, x.screen, a.id, timestamptz '2026-01-01 09:00Z', CASE WHEN a.id IS NOT NULL THEN timestamptz '2026-01-01 09:00Z' END,
       timestamptz '2026-01-01 08:00Z', timestamptz '2026-01-01 09:00Z', x.expires
FROM (VALUES ('t_col1', 'account', 'TFX-col1-1', timestamptz '2094-01-01 00:00Z'),
             ('t_col3', 'worklist', NULL, timestamptz '2094-01-01 00:00Z'),
             ('t_col2', 'account', 'TFX-col2-1', timestamptz '2026-01-01 09:01:30Z')) x (login, screen, ref, expires)
JOIN cobro.agent g ON g.login = x.login
LEFT JOIN cobro.account a ON a.reference = x.ref
ON CONFLICT (agent_id) DO UPDATE SET screen = EXCLUDED.screen, account_id = EXCLUDED.account_id,
	since = EXCLUDED.since, account_since = EXCLUDED.account_since, seen_at = EXCLUDED.seen_at,
	expires_at = EXCLUDED.expires_at;

-- Strategies (issue 18, test_strategy_*.sql): a version, a run long ago,
-- and where three demo accounts stand with a step each went through: ana's
-- and luis's (team norte) and diego's (team sur), for each role to read
-- only the rows of the accounts they may read. The version segments
-- nothing and runs no ladder. Made once.
DO $$
DECLARE
	v integer;
	r bigint;
BEGIN
	IF EXISTS (SELECT 1 FROM cobro.strategy_version WHERE file = 'tests/db/fixtures.sql') THEN
		RETURN;
	END IF;
	INSERT INTO cobro.strategy_version (file, text, digest, loaded_by)
	VALUES ('tests/db/fixtures.sql', E'# the pgTAP fixtures\' strategy: one segment, no ladder\nsegments = ( { name = "fixture"; } );\n',
	        encode(sha256(convert_to(E'# the pgTAP fixtures\' strategy: one segment, no ladder\nsegments = ( { name = "fixture"; } );\n', 'UTF8')), 'hex'),
	        'cobro_owner')
	RETURNING version INTO v;
	INSERT INTO cobro.strategy_run (kind, day, version, worker, finished_at, counts)
	VALUES ('ladder', date '2000-01-01', v, 'tests/db/fixtures.sql', now(), '{}') RETURNING id INTO r;
	INSERT INTO cobro.account_strategy (account_id, version, segment, ladder, variant, state, last_step, next_step,
	                                    next_step_on)
	SELECT x.id, v, 'fixture', 'fixture', NULL, 'running', 'tfx_step', 'tfx_next', date '2000-01-10'
	FROM (SELECT min(a.id) AS id FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id
	      WHERE g.login IN ('ana', 'luis', 'diego') GROUP BY g.login) x;
	INSERT INTO cobro.strategy_step_done (account_id, ladder, step, anchor, run_id, outcome)
	SELECT s.account_id, 'fixture', 'tfx_step', date '2000-01-01', r, 'skipped'
	FROM cobro.account_strategy s WHERE s.segment = 'fixture';
END
$$;
