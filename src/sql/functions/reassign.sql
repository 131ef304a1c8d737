-- Reassignment (issue 17, line 5; the tables are 029_reassign.sql's): a
-- lead moves their team's accounts, an administrator any team's, by a
-- filter, to target agents in a mode; an agent marked absent has their
-- accounts moved to the team's pool and back on return; the last batch may
-- be undone while none of its accounts was worked since.
--
-- Who may: leads (their own team only) and administrators; the daemon ends
-- absences and applies the moves that waited for a lease (reassign_sweep());
-- supervisors read the batches of their team; collectors reach nothing.
-- SECURITY DEFINER, so every rule is checked here, in the database.
--
-- An account open on another person's workstation (a lease that has not
-- expired, functions/lease.sql) is not moved under their hands: its move is
-- written "pending" and happens when the lease ends: released (the trigger
-- lease_ended of 029 calls reassign_lease_ended()), or expired (cobrod's
-- sweep, every 30 s). Each account moved gets an 'assignment' event (agent:
-- who moved it; body "luis → ana", "(norte)" for the team's pool; data:
-- from, to, by, batch) and its audit row (account_assignment_audit, 003);
-- the account's UPDATE writes change_log and NOTIFYs cobro_account
-- (functions/notify.sql), so the workstations of both agents refresh.
--
-- Every function is PL/pgSQL: the file is applied before 029 makes the
-- tables on a new database (029 uses reassign_lease_ended()), and PL/pgSQL
-- bodies are resolved when they run. A plan travels as parallel arrays.
-- uses: functions/session.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- The team a reassignment may touch, or an error: only leads and
-- administrators; a lead only their own team. p_team a team's code ("" or
-- NULL: the caller's own, or the team of p_agent when it names one).
CREATE OR REPLACE FUNCTION reassign_team(p_team text, p_agent text) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	t bigint;
	admin boolean := i_am('cobro_admin');
BEGIN
	IF NOT (admin OR i_am('cobro_lead')) OR (NOT admin AND my_agent_id() IS NULL) THEN
		RAISE EXCEPTION 'only a lead or an administrator may reassign accounts' USING ERRCODE = '42501';
	END IF;
	IF coalesce(p_team, '') <> '' THEN
		SELECT id INTO t FROM team WHERE code = p_team;
		IF t IS NULL THEN
			RAISE EXCEPTION 'no team "%"', p_team USING ERRCODE = CASE WHEN admin THEN '22023' ELSE '42501' END;
		END IF;
	ELSIF coalesce(p_agent, '') NOT IN ('', '-') THEN
		SELECT team_id INTO t FROM agent WHERE login = p_agent AND active;
		IF t IS NULL THEN
			RAISE EXCEPTION 'no active agent "%" with a team', p_agent
				USING ERRCODE = CASE WHEN admin THEN '22023' ELSE '42501' END;
		END IF;
	ELSE
		t := my_team_id();
		IF t IS NULL THEN
			RAISE EXCEPTION 'name a team' USING ERRCODE = '22023';
		END IF;
	END IF;
	IF NOT admin AND t IS DISTINCT FROM my_team_id() THEN
		RAISE EXCEPTION 'a lead reassigns only within their own team' USING ERRCODE = '42501';
	END IF;
	IF coalesce(p_agent, '') NOT IN ('', '-')
	   AND NOT EXISTS (SELECT 1 FROM agent WHERE login = p_agent AND team_id = t) THEN
		RAISE EXCEPTION '"%" is not an agent of team %', p_agent, (SELECT code FROM team WHERE id = t)
			USING ERRCODE = CASE WHEN admin THEN '22023' ELSE '42501' END;
	END IF;
	RETURN t;
END
$$;

-- The filter's keys, checked: an unknown one is a mistake, not "no filter".
CREATE OR REPLACE FUNCTION reassign_filter_check(p_filter jsonb) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = cobro, pg_temp AS $$
DECLARE
	k text;
BEGIN
	IF p_filter IS NULL OR jsonb_typeof(p_filter) <> 'object' THEN
		RAISE EXCEPTION 'a filter is a JSON object' USING ERRCODE = '22023';
	END IF;
	FOR k IN SELECT jsonb_object_keys(p_filter) LOOP
		IF k NOT IN ('team', 'agent', 'segment', 'dpd_from', 'dpd_to', 'balance_min', 'balance_max', 'status',
		             'promise', 'no_contact_days', 'jurisdiction') THEN
			RAISE EXCEPTION 'unknown filter "%"', k USING ERRCODE = '22023';
		END IF;
	END LOOP;
END
$$;

-- The open accounts of team p_team the filter picks (every key optional):
-- agent (a login, "-" the pool), segment, dpd_from/dpd_to (days past due,
-- inclusive), balance_min/balance_max (minor units, inclusive), status,
-- promise (as the worklist shows it, "none": never one), no_contact_days
-- (last contact older than that, or never), jurisdiction ("US" takes in
-- "US-MA"). leased: open on the workstation of someone else than the caller.
CREATE OR REPLACE FUNCTION reassign_pick(p_team bigint, p_filter jsonb)
RETURNS TABLE (account_id bigint, debtor_id bigint, agent_id bigint, balance bigint, currency text, leased boolean)
LANGUAGE plpgsql STABLE SET search_path = cobro, pg_temp AS $$
DECLARE
	f_agent text := p_filter->>'agent';
	ag bigint := (SELECT g.id FROM agent g WHERE g.login = p_filter->>'agent');
	me bigint := my_agent_id();
BEGIN
	RETURN QUERY
	SELECT a.id, a.debtor_id, a.agent_id, a.balance, a.currency::text,
	       EXISTS (SELECT 1 FROM lease l WHERE l.account_id = a.id AND l.expires_at > now()
	                                       AND l.agent_id IS DISTINCT FROM me)
	FROM account a JOIN debtor d ON d.id = a.debtor_id
	WHERE a.team_id = p_team AND a.status NOT IN ('paid', 'closed')
	  AND (f_agent IS NULL OR (f_agent = '-' AND a.agent_id IS NULL) OR a.agent_id = ag)
	  AND (p_filter->>'segment' IS NULL OR a.segment = p_filter->>'segment')
	  AND (p_filter->>'status' IS NULL OR a.status = p_filter->>'status')
	  AND (p_filter->>'dpd_from' IS NULL
	       OR coalesce(greatest(0, current_date - a.oldest_due), 0) >= (p_filter->>'dpd_from')::int)
	  AND (p_filter->>'dpd_to' IS NULL
	       OR coalesce(greatest(0, current_date - a.oldest_due), 0) <= (p_filter->>'dpd_to')::int)
	  AND (p_filter->>'balance_min' IS NULL OR a.balance >= (p_filter->>'balance_min')::bigint)
	  AND (p_filter->>'balance_max' IS NULL OR a.balance <= (p_filter->>'balance_max')::bigint)
	  AND (p_filter->>'promise' IS NULL OR coalesce(a.promise_status, 'none') = p_filter->>'promise')
	  AND (p_filter->>'no_contact_days' IS NULL OR a.last_contact_at IS NULL
	       OR a.last_contact_at < now() - make_interval(days => (p_filter->>'no_contact_days')::int))
	  AND (p_filter->>'jurisdiction' IS NULL
	       OR p_filter->>'jurisdiction' IN (d.jurisdiction, split_part(d.jurisdiction, '-', 1)));
END
$$;

-- Moves the accounts of a plan (parallel arrays, one entry per account)
-- now, or marks them pending when leased; records them under p_batch;
-- writes each account's event. Accounts that changed hands since the plan
-- was made (their agent is no longer p_from) are left alone. Returns how
-- many moved now. Internal.
CREATE OR REPLACE FUNCTION reassign_move_now(p_batch bigint, p_outcome text, p_acc bigint[], p_from bigint[],
                                             p_to bigint[], p_leased boolean[]) RETURNS bigint
LANGUAGE plpgsql SET search_path = cobro, pg_temp AS $$
DECLARE
	b record;
	m_acc bigint[];
	m_deb bigint[];
	m_from bigint[];
	m_to bigint[];
BEGIN
	SELECT * INTO b FROM reassign_batch WHERE id = p_batch;
	-- A newer move of an account replaces one that still waits.
	UPDATE reassign_move m SET state = 'dropped'
	FROM unnest(p_acc) s(account_id)
	WHERE m.account_id = s.account_id AND m.state = 'pending';
	INSERT INTO reassign_move (batch_id, account_id, from_agent, to_agent, state)
	SELECT p_batch, s.a, s.f, s.t, 'pending'
	FROM unnest(p_acc, p_from, p_to, p_leased) s(a, f, t, l)
	WHERE s.l AND s.f IS DISTINCT FROM s.t;
	-- The accounts first, then their moves and events from what the UPDATE
	-- returned: three statements, each planned on its own (one statement
	-- of data-modifying CTEs took half as long again).
	WITH s AS (
		SELECT x.a, x.f, x.t FROM unnest(p_acc, p_from, p_to, p_leased) x(a, f, t, l)
		WHERE NOT x.l AND x.f IS DISTINCT FROM x.t
	), up AS (
		UPDATE account a SET agent_id = s.t, updated_at = now()
		FROM s
		WHERE a.id = s.a AND a.agent_id IS NOT DISTINCT FROM s.f
		RETURNING a.id, a.debtor_id, s.f, s.t
	)
	SELECT array_agg(up.id), array_agg(up.debtor_id), array_agg(up.f), array_agg(up.t)
	  INTO m_acc, m_deb, m_from, m_to FROM up;
	IF m_acc IS NULL THEN
		RETURN 0;
	END IF;
	INSERT INTO reassign_move (batch_id, account_id, from_agent, to_agent, state, done_at)
	SELECT p_batch, x.a, x.f, x.t, 'done', now() FROM unnest(m_acc, m_from, m_to) x(a, f, t);
	INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, body, data)
	SELECT x.a, x.d, b.by_agent, 'assignment', p_outcome,
	       coalesce(gf.login, '(' || tm.code || ')') || ' → ' || coalesce(gt.login, '(' || tm.code || ')'),
	       jsonb_build_object('batch', p_batch, 'from', gf.login, 'to', gt.login, 'by', b.by_login, 'team', tm.code)
	FROM unnest(m_acc, m_deb, m_from, m_to) x(a, d, f, t)
	JOIN team tm ON tm.id = b.team_id
	LEFT JOIN agent gf ON gf.id = x.f
	LEFT JOIN agent gt ON gt.id = x.t;
	RETURN array_length(m_acc, 1);
END
$$;

-- The pending moves of the accounts given (NULL: all) whose lease has
-- ended happen now: each as its batch says (event by whom moved it), or is
-- dropped when the account changed hands meanwhile. Returns how many moved.
-- Internal: the lease trigger and the sweep call it.
CREATE OR REPLACE FUNCTION reassign_pending_apply(p_accounts bigint[]) RETURNS bigint
LANGUAGE plpgsql SET search_path = cobro, pg_temp AS $$
DECLARE
	bs bigint[];
	acc bigint[];
	frm bigint[];
	dst bigint[];
	n bigint;
BEGIN
	SELECT array_agg(m.batch_id), array_agg(m.account_id), array_agg(m.from_agent), array_agg(m.to_agent)
	  INTO bs, acc, frm, dst
	  FROM (SELECT x.batch_id, x.account_id, x.from_agent, x.to_agent FROM reassign_move x
	         WHERE x.state = 'pending' AND (p_accounts IS NULL OR x.account_id = ANY (p_accounts))
	           AND NOT EXISTS (SELECT 1 FROM lease l WHERE l.account_id = x.account_id AND l.expires_at > now())
	         FOR UPDATE OF x) m;
	IF acc IS NULL THEN
		RETURN 0;
	END IF;
	WITH s AS (
		SELECT * FROM unnest(bs, acc, frm, dst) s(batch_id, account_id, f, t)
	), up AS (
		UPDATE account a SET agent_id = s.t, updated_at = now()
		FROM s
		WHERE a.id = s.account_id AND a.agent_id IS NOT DISTINCT FROM s.f
		RETURNING a.id, a.debtor_id, s.batch_id, s.f, s.t
	), done AS (
		UPDATE reassign_move m SET state = 'done', done_at = now()
		FROM up WHERE m.batch_id = up.batch_id AND m.account_id = up.id
	), ev AS (
		INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, body, data)
		SELECT up.id, up.debtor_id, b.by_agent, 'assignment',
		       CASE b.kind WHEN 'absent' THEN 'absent' WHEN 'return' THEN 'returned' ELSE 'reassigned' END,
		       coalesce(gf.login, '(' || tm.code || ')') || ' → ' || coalesce(gt.login, '(' || tm.code || ')'),
		       jsonb_build_object('batch', b.id, 'from', gf.login, 'to', gt.login, 'by', b.by_login,
		                          'team', tm.code, 'waited_for_lease', true)
		FROM up
		JOIN reassign_batch b ON b.id = up.batch_id
		JOIN team tm ON tm.id = b.team_id
		LEFT JOIN agent gf ON gf.id = up.f
		LEFT JOIN agent gt ON gt.id = up.t
	)
	SELECT count(*) INTO n FROM up;
	-- Those whose account changed hands meanwhile do not happen.
	UPDATE reassign_move m SET state = 'dropped'
	FROM unnest(bs, acc) s(batch_id, account_id)
	WHERE m.batch_id = s.batch_id AND m.account_id = s.account_id AND m.state = 'pending';
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION reassign_pending_apply(bigint[]) FROM PUBLIC;

-- AFTER DELETE ON lease (029): a released lease lets its account's waiting
-- move happen.
CREATE OR REPLACE FUNCTION reassign_lease_ended() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM reassign_move WHERE account_id = OLD.account_id AND state = 'pending') THEN
		PERFORM reassign_pending_apply(ARRAY[OLD.account_id]);
	END IF;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION reassign_lease_ended() FROM PUBLIC;

-- The plan: which account goes to which target. Targets are logins of
-- active agents of the team, or "-" for its pool, each once. Modes: one
-- (all to the one target), count (largest balance first, in turn: counts
-- differ by one at most), balance (per currency, largest balance first,
-- each to the target with the least so far). Internal.
CREATE OR REPLACE FUNCTION reassign_plan(p_filter jsonb, p_targets text[], p_mode text,
	OUT tid bigint, OUT ids bigint[], OUT names text[], OUT acc bigint[], OUT deb bigint[], OUT frm bigint[],
	OUT dst bigint[], OUT idx integer[], OUT bal bigint[], OUT cur text[], OUT lsd boolean[])
LANGUAGE plpgsql SET search_path = cobro, pg_temp AS $$
DECLARE
	n integer := coalesce(array_length(p_targets, 1), 0);
	admin boolean := i_am('cobro_admin');
	g record;
	r record;
	tot bigint[];
	c text;
	k integer;
BEGIN
	PERFORM reassign_filter_check(p_filter);
	tid := reassign_team(p_filter->>'team', p_filter->>'agent');
	IF p_mode IS NULL OR p_mode NOT IN ('one', 'count', 'balance') THEN
		RAISE EXCEPTION 'a mode is one, count or balance' USING ERRCODE = '22023';
	END IF;
	IF n = 0 OR n > 64 THEN
		RAISE EXCEPTION 'name 1 to 64 target agents' USING ERRCODE = '22023';
	END IF;
	IF p_mode = 'one' AND n <> 1 THEN
		RAISE EXCEPTION 'all to one takes one target agent' USING ERRCODE = '22023';
	END IF;
	IF (SELECT count(DISTINCT x) FROM unnest(p_targets) x) <> n THEN
		RAISE EXCEPTION 'a target agent is named twice' USING ERRCODE = '22023';
	END IF;
	ids := '{}';
	names := '{}';
	FOR i IN 1 .. n LOOP
		IF p_targets[i] = '-' THEN
			ids := ids || NULL::bigint;
			names := names || ''::text;
			CONTINUE;
		END IF;
		SELECT a.id, a.name INTO g FROM agent a WHERE a.login = p_targets[i] AND a.active AND a.team_id = tid;
		IF g.id IS NULL THEN
			RAISE EXCEPTION '"%" is not an active agent of team %', p_targets[i], (SELECT code FROM cobro.team t WHERE t.id = tid)
				USING ERRCODE = CASE WHEN admin THEN '22023' ELSE '42501' END;
		END IF;
		ids := ids || g.id;
		names := names || g.name;
	END LOOP;

	IF p_mode <> 'balance' THEN
		SELECT array_agg(p.account_id ORDER BY o), array_agg(p.debtor_id ORDER BY o),
		       array_agg(p.agent_id ORDER BY o), array_agg(ids[(o - 1) % n + 1] ORDER BY o),
		       array_agg((o - 1)::int % n + 1 ORDER BY o), array_agg(p.balance ORDER BY o),
		       array_agg(p.currency ORDER BY o), array_agg(p.leased ORDER BY o)
		  INTO acc, deb, frm, dst, idx, bal, cur, lsd
		  FROM (SELECT q.*, row_number() OVER (ORDER BY q.currency, q.balance DESC, q.account_id) AS o
		          FROM reassign_pick(tid, p_filter) q) p;
	ELSE
		acc := '{}'; deb := '{}'; frm := '{}'; dst := '{}'; idx := '{}'; bal := '{}'; cur := '{}'; lsd := '{}';
		FOR r IN SELECT * FROM reassign_pick(tid, p_filter) q ORDER BY q.currency, q.balance DESC, q.account_id LOOP
			IF c IS DISTINCT FROM r.currency THEN
				c := r.currency;
				tot := array_fill(0::bigint, ARRAY[n]);
			END IF;
			k := 1;
			FOR i IN 2 .. n LOOP
				IF tot[i] < tot[k] THEN
					k := i;
				END IF;
			END LOOP;
			tot[k] := tot[k] + r.balance;
			acc := acc || r.account_id; deb := deb || r.debtor_id; frm := frm || r.agent_id;
			dst := dst || ids[k]; idx := idx || k; bal := bal || r.balance; cur := cur || r.currency;
			lsd := lsd || r.leased;
		END LOOP;
	END IF;
	acc := coalesce(acc, '{}'); deb := coalesce(deb, '{}'); frm := coalesce(frm, '{}'); dst := coalesce(dst, '{}');
	idx := coalesce(idx, '{}'); bal := coalesce(bal, '{}'); cur := coalesce(cur, '{}'); lsd := coalesce(lsd, '{}');
END
$$;
REVOKE ALL ON FUNCTION reassign_plan(jsonb, text[], text) FROM PUBLIC;

-- What each target gets, per currency: accounts and balance, how many of
-- them wait for a lease (pending) and how many are theirs already
-- (unchanged, counted in accounts). A target that gets nothing has one row
-- with currency NULL. Internal.
CREATE OR REPLACE FUNCTION reassign_shares(p_targets text[], p_names text[], p_frm bigint[], p_dst bigint[],
                                           p_idx integer[], p_bal bigint[], p_cur text[], p_lsd boolean[])
RETURNS TABLE (idx integer, login text, name text, currency text, accounts bigint, balance bigint,
               pending bigint, unchanged bigint)
LANGUAGE plpgsql STABLE SET search_path = cobro, pg_temp AS $$
BEGIN
	RETURN QUERY
	SELECT t.i::int, t.login, p_names[t.i], s.c, coalesce(count(s.i), 0), coalesce(sum(s.b), 0)::bigint,
	       count(s.i) FILTER (WHERE s.l AND s.f IS DISTINCT FROM s.d),
	       count(s.i) FILTER (WHERE s.f IS NOT DISTINCT FROM s.d)
	FROM unnest(p_targets) WITH ORDINALITY t(login, i)
	LEFT JOIN unnest(p_frm, p_dst, p_idx, p_bal, p_cur, p_lsd) s(f, d, i, b, c, l) ON s.i = t.i
	GROUP BY t.i, t.login, s.c
	ORDER BY t.i, s.c;
END
$$;
REVOKE ALL ON FUNCTION reassign_shares(text[], text[], bigint[], bigint[], integer[], bigint[], text[], boolean[])
	FROM PUBLIC;

-- How many accounts the filter picks now, and their balance, per currency.
CREATE OR REPLACE FUNCTION reassign_count(p_filter jsonb)
RETURNS TABLE (currency text, accounts bigint, balance bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	t bigint;
BEGIN
	PERFORM reassign_filter_check(p_filter);
	t := reassign_team(p_filter->>'team', p_filter->>'agent');
	RETURN QUERY
	SELECT p.currency, count(*), sum(p.balance)::bigint FROM reassign_pick(t, p_filter) p
	GROUP BY p.currency ORDER BY p.currency;
END
$$;

-- What applying would do now, changing nothing (reassign_shares()).
CREATE OR REPLACE FUNCTION reassign_preview(p_filter jsonb, p_targets text[], p_mode text)
RETURNS TABLE (idx integer, login text, name text, currency text, accounts bigint, balance bigint,
               pending bigint, unchanged bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	p record;
BEGIN
	SELECT * INTO p FROM reassign_plan(p_filter, p_targets, p_mode);
	RETURN QUERY SELECT * FROM reassign_shares(p_targets, p.names, p.frm, p.dst, p.idx, p.bal, p.cur, p.lsd);
END
$$;

-- Applies it, in the caller's transaction (one statement: one
-- transaction): a batch, its moves, each account's event and audit row.
-- Returns the shares as the preview does, each with the batch's id (NULL
-- when nothing was to move).
CREATE OR REPLACE FUNCTION reassign_apply(p_filter jsonb, p_targets text[], p_mode text)
RETURNS TABLE (batch bigint, idx integer, login text, name text, currency text, accounts bigint, balance bigint,
               pending bigint, unchanged bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	p record;
	b bigint;
BEGIN
	SELECT * INTO p FROM reassign_plan(p_filter, p_targets, p_mode);
	IF EXISTS (SELECT 1 FROM unnest(p.frm, p.dst) s(f, d) WHERE s.f IS DISTINCT FROM s.d) THEN
		INSERT INTO reassign_batch (by_agent, team_id, kind, mode, filter, targets)
		VALUES (my_agent_id(), p.tid, 'reassign', p_mode, p_filter, p_targets)
		RETURNING id INTO b;
		PERFORM reassign_move_now(b, 'reassigned', p.acc, p.frm, p.dst, p.lsd);
	END IF;
	RETURN QUERY SELECT b, s.* FROM reassign_shares(p_targets, p.names, p.frm, p.dst, p.idx, p.bal, p.cur, p.lsd) s;
END
$$;

-- Whether batch p_batch may be undone now, and why not: accounts worked
-- since (an event by a collector on it after the batch), moved again since
-- (their agent is no longer the one the batch gave), open on someone
-- else's workstation now. The caller must be allowed the batch's team.
CREATE OR REPLACE FUNCTION reassign_undo_check(p_batch bigint,
	OUT batch bigint, OUT worked bigint, OUT moved bigint, OUT leased bigint, OUT undone boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	b record;
BEGIN
	PERFORM reassign_team(NULL, NULL) WHERE NOT i_am('cobro_admin');
	IF p_batch IS NULL OR p_batch = 0 THEN
		SELECT * INTO b FROM reassign_batch x
		WHERE x.by_login = session_user AND x.kind = 'reassign' AND x.undone_at IS NULL
		ORDER BY x.id DESC LIMIT 1;
		IF b.id IS NULL THEN
			RAISE EXCEPTION 'no batch of yours to undo' USING ERRCODE = '22023';
		END IF;
	ELSE
		SELECT * INTO b FROM reassign_batch x WHERE x.id = p_batch;
		IF b.id IS NULL OR NOT (i_am('cobro_admin') OR b.team_id = my_team_id()) THEN
			RAISE EXCEPTION 'no batch %', p_batch USING ERRCODE = '42501';
		END IF;
	END IF;
	IF b.kind <> 'reassign' THEN
		RAISE EXCEPTION 'batch % is an absence''s; cobroctl agent present ends it', b.id USING ERRCODE = '22023';
	END IF;
	PERFORM reassign_team((SELECT code FROM team WHERE id = b.team_id), NULL);
	batch := b.id;
	undone := b.undone_at IS NOT NULL;
	SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM event e JOIN agent g ON g.id = e.agent_id
	                                       WHERE e.account_id = m.account_id AND e.at >= b.at
	                                         AND g.role = 'collector')),
	       count(*) FILTER (WHERE a.agent_id IS DISTINCT FROM m.to_agent),
	       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM lease l WHERE l.account_id = m.account_id
	                                       AND l.expires_at > now() AND l.agent_id IS DISTINCT FROM my_agent_id()))
	  INTO worked, moved, leased
	  FROM reassign_move m JOIN account a ON a.id = m.account_id
	 WHERE m.batch_id = b.id AND m.state = 'done';
END
$$;

-- Undoes a batch (0 or NULL: the caller's last one not undone): each
-- account back to whom it came from, with its event and audit row; moves
-- still waiting for a lease are dropped. Refused, naming how many, when any
-- account was worked since, moved again since, or is open on someone
-- else's workstation. Returns the batch and how many accounts went back.
CREATE OR REPLACE FUNCTION reassign_undo(p_batch bigint, OUT batch bigint, OUT restored bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	c record;
	b record;
BEGIN
	SELECT * INTO c FROM reassign_undo_check(p_batch);
	batch := c.batch;
	SELECT * INTO b FROM reassign_batch WHERE id = c.batch FOR UPDATE;
	IF b.undone_at IS NOT NULL THEN
		RAISE EXCEPTION 'batch % was undone already', b.id USING ERRCODE = '55000';
	END IF;
	IF c.worked > 0 THEN
		RAISE EXCEPTION 'batch % cannot be undone: % of its accounts were worked since', b.id, c.worked
			USING ERRCODE = '55000';
	END IF;
	IF c.moved > 0 THEN
		RAISE EXCEPTION 'batch % cannot be undone: % of its accounts changed hands since', b.id, c.moved
			USING ERRCODE = '55000';
	END IF;
	IF c.leased > 0 THEN
		RAISE EXCEPTION 'batch % cannot be undone now: % of its accounts are open on a workstation', b.id, c.leased
			USING ERRCODE = '55000';
	END IF;
	UPDATE reassign_move SET state = 'dropped' WHERE batch_id = b.id AND state = 'pending';
	WITH s AS (
		SELECT m.account_id, m.from_agent, m.to_agent FROM reassign_move m
		WHERE m.batch_id = b.id AND m.state = 'done'
	), up AS (
		UPDATE account a SET agent_id = s.from_agent, updated_at = now()
		FROM s WHERE a.id = s.account_id AND a.agent_id IS NOT DISTINCT FROM s.to_agent
		RETURNING a.id, a.debtor_id, s.from_agent AS t, s.to_agent AS f
	), mv AS (
		UPDATE reassign_move m SET state = 'undone' FROM up WHERE m.batch_id = b.id AND m.account_id = up.id
	), ev AS (
		INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, body, data)
		SELECT up.id, up.debtor_id, my_agent_id(), 'assignment', 'undone',
		       coalesce(gf.login, '(' || tm.code || ')') || ' → ' || coalesce(gt.login, '(' || tm.code || ')'),
		       jsonb_build_object('batch', b.id, 'from', gf.login, 'to', gt.login, 'by', session_user::text,
		                          'team', tm.code, 'undo', true)
		FROM up
		JOIN team tm ON tm.id = b.team_id
		LEFT JOIN agent gf ON gf.id = up.f
		LEFT JOIN agent gt ON gt.id = up.t
	)
	SELECT count(*) INTO restored FROM up;
	UPDATE reassign_batch SET undone_at = now(), undone_by = session_user WHERE id = b.id;
END
$$;

-- The active agents of a team a lead may choose as targets, with how many
-- open accounts each has and the day an absent one returns.
CREATE OR REPLACE FUNCTION reassign_agents(p_team text)
RETURNS TABLE (login text, name text, role text, accounts bigint, absent_until date)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	t bigint := reassign_team(p_team, NULL);
BEGIN
	RETURN QUERY
	SELECT g.login, g.name, g.role,
	       (SELECT count(*) FROM account a WHERE a.agent_id = g.id AND a.team_id = t
	                                        AND a.status NOT IN ('paid', 'closed')),
	       x.until
	FROM agent g LEFT JOIN agent_absence x ON x.agent_id = g.id
	WHERE g.team_id = t AND g.active AND g.role IN ('collector', 'supervisor', 'lead')
	ORDER BY g.login;
END
$$;

-- A team's batches, newest first: supervisors read their team's too.
CREATE OR REPLACE FUNCTION reassign_batches(p_team text, p_limit integer)
RETURNS TABLE (id bigint, at timestamptz, by_login text, team text, kind text, moved bigint, pending bigint,
               undone boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	t bigint;
BEGIN
	IF i_am('cobro_admin') THEN
		t := CASE WHEN coalesce(p_team, '') = '' THEN NULL ELSE (SELECT x.id FROM cobro.team x WHERE x.code = p_team) END;
	ELSIF i_am('cobro_supervisor') AND my_agent_id() IS NOT NULL THEN
		t := my_team_id();
		IF coalesce(p_team, '') <> '' AND p_team IS DISTINCT FROM (SELECT x.code FROM cobro.team x WHERE x.id = t) THEN
			RAISE EXCEPTION 'only your own team''s batches' USING ERRCODE = '42501';
		END IF;
	ELSE
		RAISE EXCEPTION 'only supervisors, leads and administrators read the batches' USING ERRCODE = '42501';
	END IF;
	RETURN QUERY
	SELECT b.id, b.at, b.by_login, tm.code, b.kind,
	       (SELECT count(*) FROM reassign_move m WHERE m.batch_id = b.id AND m.state IN ('done', 'undone')),
	       (SELECT count(*) FROM reassign_move m WHERE m.batch_id = b.id AND m.state = 'pending'),
	       b.undone_at IS NOT NULL
	FROM reassign_batch b JOIN cobro.team tm ON tm.id = b.team_id
	WHERE t IS NULL OR b.team_id = t
	ORDER BY b.id DESC
	LIMIT greatest(coalesce(p_limit, 20), 0);
END
$$;

-- An agent absent until p_until (the day they are back): their open
-- accounts go to the team's pool as one batch ('absent'); leased ones when
-- the lease ends. Marked absent already: the day changes, nothing moves.
CREATE OR REPLACE FUNCTION reassign_absent(p_login text, p_until date,
	OUT batch bigint, OUT moved bigint, OUT pending bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	t bigint;
	g agent%ROWTYPE;
	acc bigint[];
	frm bigint[];
	dst bigint[];
	lsd boolean[];
BEGIN
	IF coalesce(p_login, '') IN ('', '-') THEN
		RAISE EXCEPTION 'name the agent who is absent' USING ERRCODE = '22023';
	END IF;
	t := reassign_team(NULL, p_login);
	SELECT * INTO g FROM agent WHERE login = p_login;
	IF p_until IS NULL OR p_until <= current_date THEN
		RAISE EXCEPTION 'the day % is back must come after today (%)', p_login, current_date USING ERRCODE = '22023';
	END IF;
	SELECT x.batch_id INTO batch FROM agent_absence x WHERE x.agent_id = g.id;
	moved := 0;
	pending := 0;
	IF batch IS NOT NULL THEN
		UPDATE agent_absence SET until = p_until WHERE agent_id = g.id;
		RETURN;
	END IF;
	SELECT array_agg(p.account_id), array_agg(p.agent_id), array_agg(NULL::bigint), array_agg(p.leased)
	  INTO acc, frm, dst, lsd
	  FROM reassign_pick(t, jsonb_build_object('agent', p_login)) p;
	INSERT INTO reassign_batch (by_agent, team_id, kind, filter, targets)
	VALUES (my_agent_id(), t, 'absent', jsonb_build_object('agent', p_login, 'until', p_until), ARRAY['-'])
	RETURNING id INTO batch;
	INSERT INTO agent_absence (agent_id, team_id, until, batch_id) VALUES (g.id, t, p_until, batch);
	IF acc IS NOT NULL THEN
		moved := reassign_move_now(batch, 'absent', acc, frm, dst, lsd);
		pending := (SELECT count(*) FROM reassign_move m WHERE m.batch_id = batch AND m.state = 'pending');
	END IF;
END
$$;

-- The absent agent is back: the accounts their absence put in the pool
-- that are still there and untouched since (no collector's event on them)
-- go back to them as one batch ('return'); the others stay (kept). Moves
-- that still waited for a lease are dropped: those accounts never left.
-- Internal: reassign_present() and the sweep call it.
CREATE OR REPLACE FUNCTION reassign_return(p_agent bigint, OUT returned bigint, OUT kept bigint)
LANGUAGE plpgsql SET search_path = cobro, pg_temp AS $$
DECLARE
	x record;
	ab record;
	b bigint;
	acc bigint[];
	frm bigint[];
	dst bigint[];
	lsd boolean[];
	total bigint;
BEGIN
	SELECT * INTO x FROM agent_absence WHERE agent_id = p_agent FOR UPDATE;
	returned := 0;
	kept := 0;
	IF x.agent_id IS NULL THEN
		RETURN;
	END IF;
	SELECT * INTO ab FROM reassign_batch WHERE id = x.batch_id;
	UPDATE reassign_move SET state = 'dropped' WHERE batch_id = ab.id AND state = 'pending';
	SELECT count(*) INTO total FROM reassign_move m WHERE m.batch_id = ab.id AND m.state = 'done';
	SELECT array_agg(m.account_id), array_agg(NULL::bigint), array_agg(p_agent),
	       array_agg(EXISTS (SELECT 1 FROM lease l WHERE l.account_id = m.account_id AND l.expires_at > now()))
	  INTO acc, frm, dst, lsd
	  FROM reassign_move m JOIN account a ON a.id = m.account_id
	 WHERE m.batch_id = ab.id AND m.state = 'done' AND a.agent_id IS NULL AND a.team_id = x.team_id
	   AND a.status NOT IN ('paid', 'closed')
	   AND NOT EXISTS (SELECT 1 FROM event e JOIN agent g ON g.id = e.agent_id
	                   WHERE e.account_id = m.account_id AND e.at >= ab.at AND g.role = 'collector');
	IF acc IS NOT NULL AND EXISTS (SELECT 1 FROM agent WHERE id = p_agent AND active AND team_id = x.team_id) THEN
		INSERT INTO reassign_batch (by_agent, team_id, kind, filter, targets)
		VALUES (my_agent_id(), x.team_id, 'return', jsonb_build_object('absence', ab.id),
		        ARRAY[(SELECT login FROM agent WHERE id = p_agent)])
		RETURNING id INTO b;
		PERFORM reassign_move_now(b, 'returned', acc, frm, dst, lsd);
		returned := (SELECT count(*) FROM reassign_move m WHERE m.batch_id = b);
	END IF;
	kept := total - returned;
	DELETE FROM agent_absence WHERE agent_id = p_agent;
END
$$;
REVOKE ALL ON FUNCTION reassign_return(bigint) FROM PUBLIC;

-- cobroctl agent present: the absence ends before its day.
CREATE OR REPLACE FUNCTION reassign_present(p_login text, OUT returned bigint, OUT kept bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	g bigint;
	r record;
BEGIN
	PERFORM reassign_team(NULL, p_login);
	SELECT id INTO g FROM agent WHERE login = p_login;
	IF NOT EXISTS (SELECT 1 FROM agent_absence WHERE agent_id = g) THEN
		RAISE EXCEPTION '% is not marked absent', p_login USING ERRCODE = '22023';
	END IF;
	SELECT * INTO r FROM reassign_return(g);
	returned := r.returned;
	kept := r.kept;
END
$$;

-- cobrod's sweep: the absences whose day has come end, and the moves that
-- waited for a lease now expired happen. Returns how many accounts moved.
CREATE OR REPLACE FUNCTION reassign_sweep() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	n bigint := 0;
	a bigint;
BEGIN
	IF NOT (i_am('cobro_daemon') OR i_am('cobro_admin')) THEN
		RAISE EXCEPTION 'only cobrod or an administrator sweeps the reassignments' USING ERRCODE = '42501';
	END IF;
	FOR a IN SELECT agent_id FROM agent_absence WHERE until <= current_date ORDER BY agent_id LOOP
		n := n + (reassign_return(a)).returned;
	END LOOP;
	IF EXISTS (SELECT 1 FROM reassign_move WHERE state = 'pending') THEN
		n := n + reassign_pending_apply(NULL);
	END IF;
	RETURN n;
END
$$;

REVOKE ALL ON FUNCTION reassign_team(text, text), reassign_filter_check(jsonb), reassign_pick(bigint, jsonb),
	reassign_move_now(bigint, text, bigint[], bigint[], bigint[], boolean[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION reassign_count(jsonb), reassign_preview(jsonb, text[], text),
	reassign_apply(jsonb, text[], text), reassign_undo_check(bigint), reassign_undo(bigint),
	reassign_agents(text), reassign_batches(text, integer), reassign_absent(text, date),
	reassign_present(text), reassign_sweep() FROM PUBLIC;
-- Supervisors and collectors may call none but reassign_batches (which
-- reads a supervisor's team): the bodies refuse them anyway, and a
-- collector is refused at the door.
GRANT EXECUTE ON FUNCTION reassign_count(jsonb), reassign_preview(jsonb, text[], text),
	reassign_apply(jsonb, text[], text), reassign_undo_check(bigint), reassign_undo(bigint),
	reassign_agents(text), reassign_absent(text, date), reassign_present(text)
	TO cobro_supervisor, cobro_admin;
GRANT EXECUTE ON FUNCTION reassign_batches(text, integer) TO cobro_supervisor, cobro_admin;
GRANT EXECUTE ON FUNCTION reassign_sweep() TO cobro_daemon, cobro_admin;
