-- Strategies that run themselves (issue 18; the tables are 031_strategies.sql's):
-- versions of etc/strategy.conf loaded by an administrator, the facts of
-- every account for a day (what src/core/strategy_decide.c decides from),
-- and a day's decisions applied in one transaction.
--
-- Who may: administrators load versions; administrators, supervisors (and
-- leads) and cobrod read the version in force; only cobrod and
-- administrators read the facts and apply a day. src/core/strategy_store.c
-- is the C side: it streams the facts with COPY (strategy_facts() below is
-- a plain SQL function, so the planner inlines it into the COPY's query and
-- the rows stream as they are made, never gathered first) and COPYs the
-- decisions into the staging tables strategy_stage() makes.
-- uses: functions/session.sql functions/outbox.sql functions/reassign.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- ------------------------------------------------------------------ versions

-- Stores a version of the strategy file as cobroctl read and checked it
-- (src/core/strategy.c parses it against the database's templates; the
-- database cannot parse libconfig, so it keeps what it can check: a text,
-- its SHA-256). p_diff: against the version in force, made by cobroctl
-- (src/core/diff.c). The insert is on the audit chain (031's trigger); the
-- runs read the newest version at their next start: a day's run reads the
-- version once, so nobody needs telling. Returns the version.
CREATE OR REPLACE FUNCTION strategy_load(p_file text, p_text text, p_digest text, p_diff text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	v integer;
BEGIN
	IF NOT i_am('cobro_admin') THEN
		RAISE EXCEPTION 'only an administrator loads a strategy' USING ERRCODE = '42501';
	END IF;
	IF coalesce(btrim(p_text, E' \t\r\n'), '') = '' THEN
		RAISE EXCEPTION 'a strategy file is never empty' USING ERRCODE = '22023';
	END IF;
	IF coalesce(p_file, '') = '' THEN
		RAISE EXCEPTION 'name the file the strategy was read from' USING ERRCODE = '22023';
	END IF;
	IF p_digest IS DISTINCT FROM encode(sha256(convert_to(p_text, 'UTF8')), 'hex') THEN
		RAISE EXCEPTION 'the digest is not the SHA-256 of the text' USING ERRCODE = '22023';
	END IF;
	-- One loader at a time: each diff is against the version just before it.
	PERFORM pg_advisory_xact_lock(hashtext('cobro.strategy_version'));
	INSERT INTO strategy_version (file, text, digest, diff) VALUES (p_file, p_text, p_digest, p_diff)
	RETURNING version INTO v;
	RETURN v;
END
$$;
REVOKE ALL ON FUNCTION strategy_load(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION strategy_load(text, text, text, text) TO cobro_admin;

-- The version in force: the newest loaded. No row when none was.
CREATE OR REPLACE FUNCTION strategy_in_force()
RETURNS TABLE (version integer, file text, text text, digest text, loaded_at timestamptz, loaded_by text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	IF NOT (i_am('cobro_admin') OR i_am('cobro_supervisor') OR i_am('cobro_daemon')) THEN
		RAISE EXCEPTION 'only supervisors, administrators and cobrod read the strategy' USING ERRCODE = '42501';
	END IF;
	RETURN QUERY
	SELECT s.version, s.file, s.text, s.digest, s.loaded_at, s.loaded_by
	FROM strategy_version s ORDER BY s.version DESC LIMIT 1;
END
$$;
REVOKE ALL ON FUNCTION strategy_in_force() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION strategy_in_force() TO cobro_supervisor, cobro_admin, cobro_daemon;

-- ------------------------------------------------------------------ facts

-- The facts of every account the strategy looks at on day p_day, as
-- struct strategy_facts (src/core/strategy_decide.h) holds them: the open
-- accounts, and those with a ladder not yet marked done (so that a paid or
-- closed account is marked done once, then left alone). One set-based
-- query: each history is aggregated once for all accounts, never looked up
-- account by account.
--
-- It is plain SQL, neither SECURITY DEFINER nor SET: so the planner inlines
-- it into the caller's query, and `COPY (SELECT * FROM
-- cobro.strategy_facts('2027-03-01')) TO STDOUT` streams the rows as they
-- are made, never gathered first. It reads as the caller, and only
-- administrators and cobrod may call it (the grant); both read every row of
-- the tables it reads.
--
-- Days are counts of days since 1970-01-01; a moment becomes a day in the
-- debtor's time zone (a promise broken at 23:30 in Lima is broken that day
-- in Lima). History looked back: replies and right-party contacts (with
-- the debtor, on any of their accounts) of the last 400 days, read from
-- what debtor_heard keeps of them (036_debtor_heard.sql).
--   next_due: the first installment not paid in full due on p_day or later.
--   broken_promises: promises broken on p_day-179 .. p_day.
--   promise_active: a promise pending or awaiting approval;
--   promise_next_due its first installment not paid in full.
--   cur_*: account_strategy as it stands before this run.
--   point_sms, point_email, point_whatsapp: the contact point of the
--   debtor the channel may use now (message_point_refusal() says nothing
--   against it: it fits, is one valid recipient, is not marked bad nor
--   opted out of the channel), the primary one first; point_letter: an
--   address not marked bad nor opted out of letters.
--   done: the steps gone through (strategy_step_done) whose anchor is not
--   older than 60 days before the account's oldest due date (those before
--   are history), "ladder:step:anchor" joined by commas (names are
--   [a-z0-9_-], strategy.h), anchor a day number, in no particular order.
--
-- p_from, p_to: only the accounts whose id is in [p_from, p_to) (NULL: no
-- bound), so that several connections, each with one share of the ids,
-- read the facts at once (one server process computes a share: on a
-- machine of two cores two shares take about half the time;
-- strategy_store.c gives them one snapshot). Ranges, not id % n: the
-- planner estimates a range of ids from its statistics, and took a share
-- by id % n for a few thousand accounts (nested loops over a million).
-- Every history aggregated is cut to the share too, before it is
-- aggregated: those by account by their account's id, the contact points
-- to the debtors of the share's accounts; else each share would aggregate
-- every history whole (heard is not aggregated: joined row by row).
-- Without bounds the conditions fold away when the function is inlined
-- (its arguments are constants), and the query is what it was. Rows come
-- in no order. strategy_facts(p_day), below, is every account.
CREATE OR REPLACE FUNCTION strategy_facts(p_day date, p_from bigint, p_to bigint)
RETURNS TABLE (account_id bigint, reference text, debtor_id bigint, jurisdiction text, time_zone text,
               language text, status text, debtor_state text, currency text, balance bigint, past_due bigint,
               score integer, product text, oldest_due integer, next_due integer, broken_promises integer,
               last_reply integer, last_rpc integer, last_payment integer, promise_active boolean,
               promise_next_due integer, last_broken integer,
               cur_version integer, cur_segment text, cur_ladder text, cur_variant text, cur_state text,
               cur_reason text, cur_last_step text, cur_next_step text, cur_next_step_on integer,
               point_sms bigint, point_email bigint, point_whatsapp bigint, point_letter bigint,
               team_id bigint, team text, agent_id bigint, agent text, done text)
LANGUAGE sql STABLE AS $$
	WITH acc AS (
		SELECT a.* FROM cobro.account a
		WHERE a.status NOT IN ('paid', 'closed')
		   OR EXISTS (SELECT 1 FROM cobro.account_strategy s WHERE s.account_id = a.id AND s.state <> 'done')
	), share AS (
		-- The share's accounts (all of them without bounds).
		SELECT a.* FROM acc a WHERE (p_from IS NULL OR a.id >= p_from) AND (p_to IS NULL OR a.id < p_to)
	), nxt AS (
		SELECT i.account_id, min(i.due_date) AS due FROM cobro.installment i
		WHERE i.paid < i.amount AND i.due_date >= p_day
		  AND (p_from IS NULL OR i.account_id >= p_from) AND (p_to IS NULL OR i.account_id < p_to)
		GROUP BY i.account_id
	), heard AS (
		-- A reply (any channel) and a right-party contact (a call or visit
		-- that reached the debtor), per debtor: the person, whichever of
		-- their accounts it was about, in the window from p_day - 400 to
		-- p_day + 2 (the day's end in every zone). The last of each is kept
		-- per debtor (debtor_heard, functions/debtor_heard.sql): the kept
		-- moment is the day's when it falls in the window, none when it is
		-- older; a later one (a run of a past day) has that debtor's
		-- history looked up in the window instead.
		SELECT h.debtor_id,
		       CASE WHEN h.last_reply < p_day + 2 THEN CASE WHEN h.last_reply >= p_day - 400 THEN h.last_reply END
		            WHEN h.last_reply IS NOT NULL THEN
		                (SELECT max(e.at) FROM cobro.event e
		                 WHERE e.debtor_id = h.debtor_id AND e.at >= p_day - 400 AND e.at < p_day + 2
		                   AND e.direction = 'in' AND e.kind IN ('sms', 'email', 'whatsapp')) END AS reply,
		       CASE WHEN h.last_rpc < p_day + 2 THEN CASE WHEN h.last_rpc >= p_day - 400 THEN h.last_rpc END
		            WHEN h.last_rpc IS NOT NULL THEN
		                (SELECT max(e.at) FROM cobro.event e
		                 WHERE e.debtor_id = h.debtor_id AND e.at >= p_day - 400 AND e.at < p_day + 2
		                   AND e.kind IN ('call', 'visit') AND e.outcome = 'right_party') END AS rpc
		FROM cobro.debtor_heard h
	), paid AS (
		SELECT p.account_id, max(p.paid_at) AS at FROM cobro.payment p
		WHERE (p_from IS NULL OR p.account_id >= p_from) AND (p_to IS NULL OR p.account_id < p_to)
		GROUP BY p.account_id
	), broken AS (
		SELECT p.account_id, max(p.resolved_at) AS last_at, array_agg(p.resolved_at) AS ats
		FROM cobro.promise p WHERE p.status = 'broken' AND p.resolved_at IS NOT NULL
		  AND (p_from IS NULL OR p.account_id >= p_from) AND (p_to IS NULL OR p.account_id < p_to)
		GROUP BY p.account_id
	), active AS (
		SELECT DISTINCT ON (p.account_id) p.account_id, p.id,
		       (SELECT min(pi.due_date) FROM cobro.promise_installment pi
		        WHERE pi.promise_id = p.id AND pi.paid < pi.amount) AS next_due
		FROM cobro.promise p WHERE p.status IN ('pending', 'awaiting_approval')
		  AND (p_from IS NULL OR p.account_id >= p_from) AND (p_to IS NULL OR p.account_id < p_to)
		ORDER BY p.account_id, p.created_at DESC, p.id DESC
	), points AS (
		-- Per debtor, the first point each channel may use: the primary one
		-- first, then the lowest id (whatsapp: a whatsapp point before a
		-- mobile). The least of [rank, id] keys instead of an ordered
		-- array_agg (a sort per debtor); each point judged once per channel
		-- (a FILTER written twice would judge it twice). A phone is usable
		-- on no channel.
		SELECT c.debtor_id,
		       (min(ARRAY[(NOT c.is_primary)::integer, c.id])
		          FILTER (WHERE cobro.message_point_refusal(c, 'sms') IS NULL))[2] AS sms,
		       (min(ARRAY[(NOT c.is_primary)::integer, c.id])
		          FILTER (WHERE cobro.message_point_refusal(c, 'email') IS NULL))[2] AS email,
		       (min(ARRAY[(c.kind <> 'whatsapp')::integer, (NOT c.is_primary)::integer, c.id])
		          FILTER (WHERE cobro.message_point_refusal(c, 'whatsapp') IS NULL))[3] AS whatsapp,
		       (min(ARRAY[(NOT c.is_primary)::integer, c.id])
		          FILTER (WHERE c.kind = 'address' AND c.bad_since IS NULL AND NOT 'letter' = ANY (c.opted_out)))[2] AS letter
		FROM cobro.contact_point c
		WHERE c.kind IN ('mobile', 'email', 'whatsapp', 'address')
		  -- The debtors of the share's accounts, open or not (a superset
		  -- of those it needs, cheaper to find than the exact set). No OR
		  -- around it: a semi-join only so (a sub-select under an OR is
		  -- looked up row by row).
		  AND EXISTS (SELECT 1 FROM cobro.account x WHERE x.debtor_id = c.debtor_id
		              AND (p_from IS NULL OR x.id >= p_from) AND (p_to IS NULL OR x.id < p_to))
		GROUP BY c.debtor_id
	), done AS (
		-- In no order (strategy_decide.c looks a step up in the whole
		-- list): an ordered aggregate would sort each account's steps. An
		-- array joined at the end, not string_agg(), whose state starts at
		-- 1 kB per account: half a million of those spilled to disk.
		SELECT d.account_id,
		       array_to_string(array_agg(d.ladder || ':' || d.step || ':' || (d.anchor - date '1970-01-01')::text),
		                       ',') AS steps
		FROM cobro.strategy_step_done d JOIN cobro.account x ON x.id = d.account_id
		WHERE d.anchor >= least(coalesce(x.oldest_due, p_day), p_day) - 60
		  AND (p_from IS NULL OR d.account_id >= p_from) AND (p_to IS NULL OR d.account_id < p_to)
		GROUP BY d.account_id
	)
	SELECT a.id, a.reference, a.debtor_id, d.jurisdiction, d.time_zone, d.language, a.status, d.state,
	       a.currency::text, a.balance, a.past_due, a.score::integer, a.product,
	       a.oldest_due - date '1970-01-01', nxt.due - date '1970-01-01',
	       (SELECT count(*) FROM unnest(broken.ats) b(at)
	        WHERE (b.at AT TIME ZONE d.time_zone)::date BETWEEN p_day - 179 AND p_day)::integer,
	       (heard.reply AT TIME ZONE d.time_zone)::date - date '1970-01-01',
	       (heard.rpc AT TIME ZONE d.time_zone)::date - date '1970-01-01',
	       (paid.at AT TIME ZONE d.time_zone)::date - date '1970-01-01',
	       active.id IS NOT NULL, active.next_due - date '1970-01-01',
	       (broken.last_at AT TIME ZONE d.time_zone)::date - date '1970-01-01',
	       s.version, s.segment, s.ladder, s.variant, s.state, s.state_reason, s.last_step, s.next_step,
	       s.next_step_on - date '1970-01-01',
	       points.sms, points.email, points.whatsapp, points.letter,
	       a.team_id, t.code, a.agent_id, g.login, coalesce(done.steps, '')
	FROM share a
	JOIN cobro.debtor d ON d.id = a.debtor_id
	JOIN cobro.team t ON t.id = a.team_id
	LEFT JOIN cobro.agent g ON g.id = a.agent_id
	LEFT JOIN nxt ON nxt.account_id = a.id
	LEFT JOIN heard ON heard.debtor_id = a.debtor_id
	LEFT JOIN paid ON paid.account_id = a.id
	LEFT JOIN broken ON broken.account_id = a.id
	LEFT JOIN active ON active.account_id = a.id
	LEFT JOIN points ON points.debtor_id = a.debtor_id
	LEFT JOIN cobro.account_strategy s ON s.account_id = a.id
	LEFT JOIN done ON done.account_id = a.id
$$;
REVOKE ALL ON FUNCTION strategy_facts(date, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION strategy_facts(date, bigint, bigint) TO cobro_admin, cobro_daemon;

-- Every account's facts (no bounds): inlined, as the query above is
-- in its turn, so it streams the same.
CREATE OR REPLACE FUNCTION strategy_facts(p_day date)
RETURNS TABLE (account_id bigint, reference text, debtor_id bigint, jurisdiction text, time_zone text,
               language text, status text, debtor_state text, currency text, balance bigint, past_due bigint,
               score integer, product text, oldest_due integer, next_due integer, broken_promises integer,
               last_reply integer, last_rpc integer, last_payment integer, promise_active boolean,
               promise_next_due integer, last_broken integer,
               cur_version integer, cur_segment text, cur_ladder text, cur_variant text, cur_state text,
               cur_reason text, cur_last_step text, cur_next_step text, cur_next_step_on integer,
               point_sms bigint, point_email bigint, point_whatsapp bigint, point_letter bigint,
               team_id bigint, team text, agent_id bigint, agent text, done text)
LANGUAGE sql STABLE AS $$
	SELECT * FROM cobro.strategy_facts(p_day, NULL::bigint, NULL::bigint)
$$;
REVOKE ALL ON FUNCTION strategy_facts(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION strategy_facts(date) TO cobro_admin, cobro_daemon;

-- ------------------------------------------------------------------ applying a day

CREATE OR REPLACE FUNCTION strategy_runner_only(p_what text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	IF NOT (i_am('cobro_daemon') OR i_am('cobro_admin')) THEN
		RAISE EXCEPTION '%: only cobrod or an administrator runs the strategy', p_what USING ERRCODE = '42501';
	END IF;
END
$$;
REVOKE ALL ON FUNCTION strategy_runner_only(text) FROM PUBLIC;

-- The staging table of a day's decisions, for this transaction only: made
-- by the owner, so that only strategy_apply() reads it, and open to the
-- caller's COPY (src/core/strategy_store.c). One table, so that one COPY
-- takes a whole day while the facts still stream in on another connection.
-- Each row is one of:
--   kind 'segment': where an account stands after the day's run (segment,
--   ladder, variant, state and why, last and next step).
--   kind 'action': one step decided (ladder, step, anchor): outcome 'send'
--   (a message on channel sms, email or whatsapp, rendered, to the contact
--   point given, at scheduled_at; or a letter), 'assign' (the worklist, by
--   the rule in assign), 'place' (agency, into agency_file), 'skip' or
--   'refuse' (the reason given).
CREATE OR REPLACE FUNCTION strategy_stage() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	PERFORM strategy_runner_only('strategy_stage');
	DROP TABLE IF EXISTS pg_temp.strategy_in;
	CREATE TEMP TABLE strategy_in (
		kind         text NOT NULL CHECK (kind IN ('segment', 'action')),
		account_id   bigint NOT NULL,
		segment      text,
		ladder       text,
		variant      text,
		state        text,
		state_reason text,
		last_step    text,
		next_step    text,
		next_step_on date,
		step         text,
		anchor       date,
		outcome      text,
		reason       text,
		channel      text,
		template     text,
		point_id     bigint,
		scheduled_at timestamptz,
		subject      text,
		body         text,
		params       jsonb,
		segments     integer,
		encoding     text,
		assign       text,
		agency       text,
		agency_file  text,
		CHECK (kind <> 'segment' OR segment IS NOT NULL AND state IS NOT NULL),
		CHECK (kind <> 'action' OR ladder IS NOT NULL AND step IS NOT NULL AND anchor IS NOT NULL
		                          AND outcome IS NOT NULL AND channel IS NOT NULL)
	) ON COMMIT DROP;
	GRANT INSERT ON pg_temp.strategy_in TO cobro_daemon, cobro_admin;
END
$$;
REVOKE ALL ON FUNCTION strategy_stage() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION strategy_stage() TO cobro_daemon, cobro_admin;

-- Applies what was staged, as run p_kind ('segment' or 'ladder') of day
-- p_day with version p_version, in the caller's transaction:
--
-- 1. claims the run: one row of strategy_run per kind and day (its unique
--    index). A second cobrod that races this one waits at the insert for
--    this transaction, then finds the day done and changes nothing; so does
--    a restart. Returns {"already": true, "run": id, "counts": ...} then.
-- 2. account_strategy takes each account's segment, ladder, variant, state
--    and steps; a row that changed segment, ladder or variant gets an event
--    (kind 'strategy', outcome 'segment', data old and new). A row only
--    written when something in it changed.
-- 3. each step goes into strategy_step_done, ON CONFLICT DO NOTHING: only
--    the rows inserted here do anything. So a step is never queued twice,
--    whatever ran before or runs beside.
-- 4. for those rows: a message queued (agent NULL, the strategy's names,
--    next_attempt_at the planned moment) with its `out` event at that
--    moment (the contact policy counts it on the day it goes out), when the
--    contact point is still usable (message_point_refusal(), as
--    message_queue() asks) and a template of the code and channel exists
--    (the debtor's language first); else the step is recorded refused with
--    why. A letter is its `letter out` event. A worklist step moves the
--    account through reassign_move_now() (a batch of kind 'strategy' per
--    team; a leased account moves when its lease ends); an agency step
--    places the account once per agency (placement), status 'agency'.
--    Skipped and refused steps each get an event, but for a step skipped
--    as stale (recorded in strategy_step_done only).
-- Returns the counts, also kept in strategy_run.counts.
CREATE OR REPLACE FUNCTION strategy_apply(p_kind text, p_day date, p_version integer, p_worker text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp
SET work_mem = '256MB' SET jit = off AS $$
DECLARE
	run bigint;
	owner oid := (SELECT oid FROM pg_roles WHERE rolname = 'cobro_owner');
	v_counts jsonb;
	n_accounts bigint := 0;
	n_written bigint := 0;
	n_changed bigint := 0;
	n_steps bigint := 0;
	n_claimed bigint := 0;
	n_moved bigint := 0;
	tm record;
	acc bigint[];
	frm bigint[];
	dst bigint[];
	lsd boolean[];
	b bigint;
	me bigint := my_agent_id();
	seq regclass := pg_get_serial_sequence('cobro.message', 'id');  -- once, not a catalog look-up a row
BEGIN
	PERFORM strategy_runner_only('strategy_apply');
	IF p_kind IS NULL OR p_kind NOT IN ('segment', 'ladder') THEN
		RAISE EXCEPTION 'strategy_apply: a run is segment or ladder' USING ERRCODE = '22023';
	END IF;
	IF p_day IS NULL OR coalesce(p_worker, '') = '' THEN
		RAISE EXCEPTION 'strategy_apply: the day and the worker are required' USING ERRCODE = '22023';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM strategy_version WHERE version = p_version) THEN
		RAISE EXCEPTION 'strategy_apply: no strategy version %', p_version USING ERRCODE = '22023';
	END IF;
	IF to_regclass('pg_temp.strategy_in') IS NULL
	   OR (SELECT relowner FROM pg_class WHERE oid = to_regclass('pg_temp.strategy_in')) <> owner THEN
		RAISE EXCEPTION 'strategy_apply: nothing staged (strategy_stage() first)' USING ERRCODE = '55000';
	END IF;

	-- 1. The day's run, once.
	INSERT INTO strategy_run (kind, day, version, worker) VALUES (p_kind, p_day, p_version, p_worker)
	ON CONFLICT (kind, day) DO NOTHING
	RETURNING id INTO run;
	IF run IS NULL THEN
		SELECT jsonb_build_object('already', true, 'run', r.id, 'worker', r.worker, 'counts', r.counts)
		  INTO v_counts FROM strategy_run r WHERE r.kind = p_kind AND r.day = p_day;
		DROP TABLE pg_temp.strategy_in;
		RETURN v_counts;
	END IF;
	ANALYZE pg_temp.strategy_in;

	-- 2. Where each account stands. Rows of accounts that are gone (or
	-- named twice: the last one) are dropped.
	DROP TABLE IF EXISTS pg_temp.strategy_seg;
	CREATE TEMP TABLE strategy_seg ON COMMIT DROP AS
	SELECT DISTINCT ON (i.account_id) i.account_id, i.segment, i.ladder, i.variant, i.state, i.state_reason,
	       i.last_step, i.next_step, i.next_step_on, a.debtor_id,
	       o.account_id IS NOT NULL AS had, o.segment AS old_segment, o.ladder AS old_ladder,
	       o.variant AS old_variant, o.last_step AS old_last_step,
	       -- Whether the row changes: most accounts stand where they stood,
	       -- and the upsert below then only takes those that move (the
	       -- same test as its WHERE, which still guards a row written
	       -- meanwhile).
	       (o.version, o.segment, o.ladder, o.variant, o.state, o.state_reason, o.last_step, o.next_step,
	        o.next_step_on)
	       IS DISTINCT FROM (p_version, i.segment, i.ladder, i.variant, i.state, i.state_reason, i.last_step,
	                         i.next_step, i.next_step_on) AS moves
	FROM pg_temp.strategy_in i
	JOIN account a ON a.id = i.account_id AND i.kind = 'segment'
	LEFT JOIN account_strategy o ON o.account_id = i.account_id
	ORDER BY i.account_id;
	SELECT count(*) INTO n_accounts FROM pg_temp.strategy_seg;
	IF EXISTS (SELECT 1 FROM pg_temp.strategy_seg
	           WHERE state NOT IN ('running', 'paused', 'stopped', 'done')) THEN
		RAISE EXCEPTION 'strategy_apply: a state is running, paused, stopped or done' USING ERRCODE = '22023';
	END IF;
	INSERT INTO account_strategy AS s (account_id, version, segment, ladder, variant, state, state_reason,
	                                   last_step, last_step_at, next_step, next_step_on, segmented_at)
	SELECT i.account_id, p_version, i.segment, i.ladder, i.variant, i.state, i.state_reason,
	       i.last_step, CASE WHEN i.last_step IS NOT NULL THEN now() END, i.next_step, i.next_step_on, now()
	FROM pg_temp.strategy_seg i
	WHERE i.moves
	ON CONFLICT (account_id) DO UPDATE SET
		version = EXCLUDED.version, segment = EXCLUDED.segment, ladder = EXCLUDED.ladder,
		variant = EXCLUDED.variant, state = EXCLUDED.state, state_reason = EXCLUDED.state_reason,
		last_step = EXCLUDED.last_step,
		last_step_at = CASE WHEN EXCLUDED.last_step IS NOT DISTINCT FROM s.last_step THEN s.last_step_at
		                    ELSE EXCLUDED.last_step_at END,
		next_step = EXCLUDED.next_step, next_step_on = EXCLUDED.next_step_on,
		segmented_at = CASE WHEN (EXCLUDED.segment, EXCLUDED.ladder, EXCLUDED.variant)
		                         IS NOT DISTINCT FROM (s.segment, s.ladder, s.variant)
		                    THEN s.segmented_at ELSE now() END
	WHERE (s.version, s.segment, s.ladder, s.variant, s.state, s.state_reason, s.last_step, s.next_step,
	       s.next_step_on)
	      IS DISTINCT FROM (EXCLUDED.version, EXCLUDED.segment, EXCLUDED.ladder, EXCLUDED.variant,
	                        EXCLUDED.state, EXCLUDED.state_reason, EXCLUDED.last_step, EXCLUDED.next_step,
	                        EXCLUDED.next_step_on);
	GET DIAGNOSTICS n_written = ROW_COUNT;
	INSERT INTO event (account_id, debtor_id, kind, outcome, body, data)
	SELECT i.account_id, i.debtor_id, 'strategy', 'segment',
	       concat_ws('/', i.old_segment, i.old_variant) || ' → ' || concat_ws('/', i.segment, i.variant),
	       jsonb_build_object('run', run, 'version', p_version,
	                          'old', jsonb_build_object('segment', i.old_segment, 'ladder', i.old_ladder,
	                                                    'variant', i.old_variant),
	                          'new', jsonb_build_object('segment', i.segment, 'ladder', i.ladder,
	                                                    'variant', i.variant))
	FROM pg_temp.strategy_seg i
	WHERE i.had AND (i.segment, i.ladder, i.variant) IS DISTINCT FROM (i.old_segment, i.old_ladder, i.old_variant);
	GET DIAGNOSTICS n_changed = ROW_COUNT;

	-- 3. The steps: what each would do, checked against the database now.
	DROP TABLE IF EXISTS pg_temp.strategy_act;
	CREATE TEMP TABLE strategy_act ON COMMIT DROP AS
	SELECT x.*,
	       CASE WHEN x.final IN ('skipped', 'refused') THEN x.final
	            WHEN x.why IS NOT NULL THEN 'refused'
	            ELSE x.final END AS done_outcome
	FROM (
		SELECT i.account_id, i.ladder, i.step, i.anchor, i.outcome, i.reason, i.channel, i.template, i.point_id,
		       i.scheduled_at, i.subject, i.body, i.params, i.segments, i.encoding, i.assign, i.agency,
		       i.agency_file, i.segment, i.variant, a.debtor_id, a.team_id, a.agent_id AS from_agent, d.language AS debtor_language,
		       tp.id AS template_id, tp.language AS template_language, c.value AS recipient,
		       gt.id AS to_agent,
		       CASE i.outcome WHEN 'send' THEN 'queued' WHEN 'assign' THEN 'assigned' WHEN 'place' THEN 'placed'
		                      WHEN 'skip' THEN 'skipped' WHEN 'refuse' THEN 'refused' END AS final,
		       CASE
		           WHEN i.outcome IN ('skip', 'refuse') THEN coalesce(i.reason, i.outcome)
		           WHEN i.outcome = 'send' AND i.channel IN ('sms', 'email', 'whatsapp') THEN
		               CASE WHEN c.id IS NULL THEN 'no_contact'
		                    WHEN tp.id IS NULL THEN 'no_template'
		                    WHEN coalesce(i.body, '') = '' THEN 'no_body'
		                    ELSE message_point_refusal(c, i.channel) END
		           WHEN i.outcome = 'send' AND i.channel = 'letter' THEN
		               CASE WHEN coalesce(i.body, '') = '' THEN 'no_body' END
		           WHEN i.outcome = 'send' THEN 'channel'
		           WHEN i.outcome = 'assign' THEN
		               CASE WHEN i.assign IS NULL OR i.assign NOT IN ('pool', 'least_loaded') AND i.assign NOT LIKE 'agent:%'
		                    THEN 'assign_rule'
		                    WHEN i.assign LIKE 'agent:%' AND gt.id IS NULL THEN 'no_agent' END
		           WHEN i.outcome = 'place' THEN CASE WHEN coalesce(i.agency, '') = '' THEN 'no_agency' END
		           ELSE 'outcome'
		       END AS why
		FROM (SELECT DISTINCT ON (account_id, ladder, step, anchor) * FROM pg_temp.strategy_in
		      WHERE kind = 'action' ORDER BY account_id, ladder, step, anchor) i
		JOIN account a ON a.id = i.account_id
		JOIN debtor d ON d.id = a.debtor_id
		LEFT JOIN contact_point c ON c.id = i.point_id AND c.debtor_id = a.debtor_id
		LEFT JOIN LATERAL (SELECT t.id, t.language FROM template t
		                   WHERE t.code = i.template AND t.channel = i.channel
		                   ORDER BY t.language = d.language DESC, t.id LIMIT 1) tp ON true
		LEFT JOIN agent gt ON i.assign LIKE 'agent:%' AND gt.login = substr(i.assign, 7) AND gt.active
		                      AND gt.team_id = a.team_id
	) x;
	SELECT count(*) INTO n_steps FROM pg_temp.strategy_act;
	-- The least loaded: in turn over the team's active collectors, fewest
	-- open accounts first (as reassign's mode "count" shares them out).
	WITH load AS (
		SELECT g.team_id, g.id AS agent,
		       row_number() OVER (PARTITION BY g.team_id ORDER BY count(x.id), g.id) AS k,
		       count(*) OVER (PARTITION BY g.team_id) AS n
		FROM agent g LEFT JOIN account x ON x.agent_id = g.id AND x.status NOT IN ('paid', 'closed')
		WHERE g.active AND g.role = 'collector'
		  AND g.team_id IN (SELECT a.team_id FROM pg_temp.strategy_act a WHERE a.assign = 'least_loaded')
		GROUP BY g.team_id, g.id
	), q AS (
		SELECT a.account_id, a.ladder, a.step, a.anchor, a.team_id,
		       row_number() OVER (PARTITION BY a.team_id ORDER BY a.account_id) AS o
		FROM pg_temp.strategy_act a WHERE a.assign = 'least_loaded' AND a.why IS NULL
	)
	UPDATE pg_temp.strategy_act s SET to_agent = l.agent
	FROM q JOIN load l ON l.team_id = q.team_id AND l.k = (q.o - 1) % l.n + 1
	WHERE s.account_id = q.account_id AND s.ladder = q.ladder AND s.step = q.step AND s.anchor = q.anchor;
	UPDATE pg_temp.strategy_act SET why = 'no_agent', done_outcome = 'refused'
	WHERE assign = 'least_loaded' AND why IS NULL AND to_agent IS NULL;

	-- The messages' ids drawn up front from message's identity, so that
	-- each step's row names its message as it is written (an id drawn for a
	-- step done before is never used: a gap in the numbers, nothing more).
	ALTER TABLE pg_temp.strategy_act ADD COLUMN msg_id bigint;
	UPDATE pg_temp.strategy_act SET msg_id = nextval(seq)
	WHERE done_outcome = 'queued' AND channel IN ('sms', 'email', 'whatsapp');

	-- Claimed here, or done before: only the claimed do anything.
	DROP TABLE IF EXISTS pg_temp.strategy_claimed;
	CREATE TEMP TABLE strategy_claimed (account_id bigint, ladder text, step text, anchor date) ON COMMIT DROP;
	WITH ins AS (
		INSERT INTO strategy_step_done (account_id, ladder, step, anchor, run_id, outcome, reason, message_id, channel)
		SELECT s.account_id, s.ladder, s.step, s.anchor, run, s.done_outcome, s.why, s.msg_id, s.channel
		FROM pg_temp.strategy_act s
		ON CONFLICT DO NOTHING
		RETURNING account_id, ladder, step, anchor
	)
	INSERT INTO pg_temp.strategy_claimed SELECT * FROM ins;
	GET DIAGNOSTICS n_claimed = ROW_COUNT;
	IF n_claimed < n_steps THEN
		DELETE FROM pg_temp.strategy_act s
		WHERE NOT EXISTS (SELECT 1 FROM pg_temp.strategy_claimed c
		                  WHERE c.account_id = s.account_id AND c.ladder = s.ladder AND c.step = s.step
		                    AND c.anchor = s.anchor);
	END IF;

	-- 4. Messages, as message_queue() makes them, and their `out` events.
	INSERT INTO message (id, account_id, debtor_id, contact_point_id, channel, recipient, subject, body,
	                     template_id, template_code, language, params, segments, encoding, agent_id,
	                     next_attempt_at, ladder, step, segment, variant)
	OVERRIDING SYSTEM VALUE
	SELECT s.msg_id, s.account_id, s.debtor_id, s.point_id, s.channel, s.recipient, s.subject, s.body,
	       s.template_id, s.template, coalesce(s.template_language, s.debtor_language), s.params, s.segments, s.encoding,
	       NULL, coalesce(s.scheduled_at, now()), s.ladder, s.step, s.segment, s.variant
	FROM pg_temp.strategy_act s
	WHERE s.msg_id IS NOT NULL;
	INSERT INTO event (at, account_id, debtor_id, kind, direction, message_id, body, data)
	SELECT greatest(coalesce(s.scheduled_at, now()), now()), s.account_id, s.debtor_id, s.channel, 'out', s.msg_id,
	       CASE WHEN s.subject IS NULL THEN s.body ELSE s.subject || E'\n\n' || s.body END,
	       jsonb_build_object('run', run, 'ladder', s.ladder, 'step', s.step, 'segment', s.segment,
	                          'variant', s.variant)
	FROM pg_temp.strategy_act s
	WHERE s.msg_id IS NOT NULL;
	-- A letter: its history event is the letter (printed from there).
	INSERT INTO event (at, account_id, debtor_id, kind, direction, body, data)
	SELECT greatest(coalesce(s.scheduled_at, now()), now()), s.account_id, s.debtor_id, 'letter', 'out',
	       CASE WHEN s.subject IS NULL THEN s.body ELSE s.subject || E'\n\n' || s.body END,
	       jsonb_build_object('run', run, 'ladder', s.ladder, 'step', s.step, 'segment', s.segment,
	                          'variant', s.variant, 'template', s.template, 'contact_point', s.point_id)
	FROM pg_temp.strategy_act s
	WHERE s.done_outcome = 'queued' AND s.channel = 'letter';
	UPDATE account a SET last_contact_at = greatest(a.last_contact_at, q.at), updated_at = now()
	FROM (SELECT s.account_id, max(greatest(coalesce(s.scheduled_at, now()), now())) AS at
	      FROM pg_temp.strategy_act s WHERE s.done_outcome = 'queued' GROUP BY s.account_id) q
	WHERE a.id = q.account_id;

	-- The worklist: one batch of kind 'strategy' per team, through the
	-- reassignment's own moves (events, audit rows, leases respected).
	FOR tm IN SELECT DISTINCT s.team_id FROM pg_temp.strategy_act s WHERE s.done_outcome = 'assigned' ORDER BY 1 LOOP
		SELECT array_agg(s.account_id ORDER BY s.account_id), array_agg(s.from_agent ORDER BY s.account_id),
		       array_agg(s.to_agent ORDER BY s.account_id),
		       array_agg(EXISTS (SELECT 1 FROM lease l WHERE l.account_id = s.account_id AND l.expires_at > now())
		                 ORDER BY s.account_id)
		  INTO acc, frm, dst, lsd
		  FROM (SELECT DISTINCT ON (x.account_id) x.* FROM pg_temp.strategy_act x
		        WHERE x.done_outcome = 'assigned' AND x.team_id = tm.team_id
		          AND x.from_agent IS DISTINCT FROM x.to_agent
		        ORDER BY x.account_id, x.ladder, x.step) s;
		IF acc IS NULL THEN
			CONTINUE;
		END IF;
		INSERT INTO reassign_batch (by_agent, team_id, kind, filter, targets)
		VALUES (me, tm.team_id, 'strategy', jsonb_build_object('run', run, 'day', p_day),
		        (SELECT array_agg(DISTINCT coalesce(g.login, '-')) FROM unnest(dst) u(x) LEFT JOIN agent g ON g.id = u.x))
		RETURNING id INTO b;
		n_moved := n_moved + reassign_move_now(b, 'strategy', acc, frm, dst, lsd);
	END LOOP;

	-- Agencies: once per agency and account.
	WITH placed AS (
		INSERT INTO placement (agency, account_id, run_id, file)
		SELECT DISTINCT ON (s.agency, s.account_id) s.agency, s.account_id, run, s.agency_file
		FROM pg_temp.strategy_act s WHERE s.done_outcome = 'placed'
		ORDER BY s.agency, s.account_id
		ON CONFLICT (agency, account_id) DO NOTHING
		RETURNING account_id, agency, file
	), st AS (
		UPDATE account a SET status = 'agency', updated_at = now()
		FROM placed p WHERE a.id = p.account_id AND a.status <> 'agency'
		RETURNING a.id
	)
	INSERT INTO event (account_id, debtor_id, kind, outcome, body, data)
	SELECT p.account_id, a.debtor_id, 'strategy', 'placed', p.agency,
	       jsonb_build_object('run', run, 'agency', p.agency, 'file', p.file,
	                          'status_changed', EXISTS (SELECT 1 FROM st WHERE st.id = p.account_id))
	FROM placed p JOIN account a ON a.id = p.account_id;

	-- Skipped and refused steps: the history says which and why. A step
	-- skipped as stale (too late to send: an outage caught up, an account
	-- that entered its ladder past the step) is only recorded in
	-- strategy_step_done: nothing happened to the debtor, and an account's
	-- first run would fill its history with every step it came too late for.
	INSERT INTO event (account_id, debtor_id, kind, outcome, body, data)
	SELECT s.account_id, s.debtor_id, 'strategy', s.done_outcome, s.ladder || '/' || s.step || ': ' || s.why,
	       jsonb_build_object('run', run, 'ladder', s.ladder, 'step', s.step, 'anchor', s.anchor,
	                          'channel', s.channel, 'reason', s.why)
	FROM pg_temp.strategy_act s
	WHERE s.done_outcome = 'refused' OR s.done_outcome = 'skipped' AND s.why IS DISTINCT FROM 'stale';

	SELECT jsonb_build_object(
		'run', run, 'kind', p_kind, 'day', p_day, 'version', p_version,
		'accounts', n_accounts, 'written', n_written, 'segment_changes', n_changed,
		'segments', coalesce((SELECT jsonb_object_agg(k, n) FROM (
			SELECT concat_ws('/', segment, variant) AS k, count(*) AS n FROM pg_temp.strategy_seg GROUP BY 1) x), '{}'),
		'steps', n_steps, 'already_done', n_steps - n_claimed, 'moved', n_moved,
		'outcomes', coalesce((SELECT jsonb_object_agg(done_outcome, n) FROM (
			SELECT done_outcome, count(*) AS n FROM pg_temp.strategy_act GROUP BY 1) x), '{}'),
		'channels', coalesce((SELECT jsonb_object_agg(channel, n) FROM (
			SELECT channel, count(*) AS n FROM pg_temp.strategy_act
			WHERE done_outcome IN ('queued', 'assigned', 'placed') GROUP BY 1) x), '{}'),
		'reasons', coalesce((SELECT jsonb_object_agg(why, n) FROM (
			SELECT why, count(*) AS n FROM pg_temp.strategy_act WHERE why IS NOT NULL GROUP BY 1) x), '{}'))
	  INTO v_counts;
	UPDATE strategy_run SET counts = v_counts, finished_at = now() WHERE id = run;
	-- What was staged is applied once.
	DROP TABLE pg_temp.strategy_in;
	RETURN v_counts;
END
$$;
REVOKE ALL ON FUNCTION strategy_apply(text, date, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION strategy_apply(text, date, integer, text) TO cobro_daemon, cobro_admin;
