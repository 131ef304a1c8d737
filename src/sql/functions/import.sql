-- cobroctl import (025_imports.sql): the rows cobroctl checked are COPYed
-- into a staging table import_stage() made, then applied set-based by
-- import_payments() or import_accounts(), all in the caller's one
-- transaction: killed half-way, nothing stays. For administrators only.
--
-- A million rows go in as a few statements, not a million: above
-- import_bulk() rows, the per-row audit and NOTIFY triggers of the tables
-- written are switched off for the transaction (ALTER TABLE is
-- transactional; it holds other writers of those tables, a workstation
-- saving a call among them, until the commit), and what they would have
-- written is written once for all: one change_log row per account touched,
-- one NOTIFY, and the import_run row, whose audit line carries the digest
-- of the payments written. The audit chain's head is one row, updated by
-- each audited row: a million of them in one transaction would each walk
-- the versions the others left. A small file (the day's few hundred
-- payments) keeps the row triggers, and locks nothing but its rows.
-- uses: functions/audit.sql functions/notify.sql functions/session.sql functions/promise_keeper.sql functions/priority.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE OR REPLACE FUNCTION import_admin_only(p_what text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	IF NOT i_am('cobro_admin') THEN
		RAISE EXCEPTION '%: imports are for administrators', p_what USING ERRCODE = '42501';
	END IF;
END
$$;
REVOKE ALL ON FUNCTION import_admin_only(text) FROM PUBLIC;

-- The staging table of an import, for this transaction only: made by the
-- owner, so that only import_*() read it, and open to the caller's COPY.
CREATE OR REPLACE FUNCTION import_stage(p_kind text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	PERFORM import_admin_only('import_stage');
	IF p_kind = 'payments' THEN
		DROP TABLE IF EXISTS pg_temp.import_payment;
		CREATE TEMP TABLE import_payment (
			line        bigint NOT NULL,
			reference   text NOT NULL,
			amount      bigint NOT NULL CHECK (amount > 0),
			paid_at     text NOT NULL,
			method      text NOT NULL,
			external_id text NOT NULL
		) ON COMMIT DROP;
		GRANT INSERT ON pg_temp.import_payment TO cobro_admin;
		RETURN 'pg_temp.import_payment';
	ELSIF p_kind = 'accounts' THEN
		DROP TABLE IF EXISTS pg_temp.import_account;
		-- ok false: a rejected row, staged only for its reference, which
		-- --full must not close.
		CREATE TEMP TABLE import_account (
			line         bigint NOT NULL,
			ok           boolean NOT NULL,
			reference    text NOT NULL,
			debtor_name  text,
			national_id  text,
			mobile       text,
			mobile_kind  text,
			email        text,
			jurisdiction text,
			time_zone    text,
			language     text,
			creditor     text,
			product      text,
			currency     text,
			balance      bigint CHECK (balance >= 0),
			past_due     bigint CHECK (past_due >= 0),
			due_date     date,
			segment      text,
			score        smallint,
			agent        text
		) ON COMMIT DROP;
		GRANT INSERT ON pg_temp.import_account TO cobro_admin;
		RETURN 'pg_temp.import_account';
	END IF;
	RAISE EXCEPTION 'import_stage: the kinds are payments and accounts' USING ERRCODE = '22023';
END
$$;
REVOKE ALL ON FUNCTION import_stage(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION import_stage(text) TO cobro_admin;

-- How many rows make an import a bulk one.
CREATE OR REPLACE FUNCTION import_bulk() RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$ SELECT 1000::bigint $$;
REVOKE ALL ON FUNCTION import_bulk() FROM PUBLIC;

-- The row triggers a bulk import stands in for, off (false) or on again:
-- audit and NOTIFY, and account_derive() (functions/account_derived.sql),
-- whose columns import_payments() and import_accounts() write themselves,
-- by its rules, in the statements that write the accounts: a PL/pgSQL call
-- per row was a third of the time of a million new accounts.
CREATE OR REPLACE FUNCTION import_triggers(p_on boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT tgrelid::regclass AS rel, tgname FROM pg_trigger
	         WHERE tgfoid IN ('cobro.audit_trigger'::regproc, 'cobro.notify_account'::regproc,
	                          'cobro.account_derive'::regproc)
	           AND NOT tgisinternal AND tgenabled = CASE WHEN p_on THEN 'D' ELSE 'O' END
	           AND (tgrelid IN ('cobro.payment'::regclass, 'cobro.account'::regclass,
	                            'cobro.installment'::regclass, 'cobro.contact_point'::regclass,
	                            'cobro.debtor'::regclass)
	                OR tgrelid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'cobro.event'::regclass)
	                -- the statement's triggers of the history stay on its parent (029)
	                OR (tgrelid = 'cobro.event'::regclass AND tgtype & 1 = 0))
	         ORDER BY tgrelid, tgname
	LOOP
		EXECUTE format('ALTER TABLE %s %s TRIGGER %I', t.rel, CASE WHEN p_on THEN 'ENABLE' ELSE 'DISABLE' END,
		               t.tgname);
	END LOOP;
END
$$;
REVOKE ALL ON FUNCTION import_triggers(boolean) FROM PUBLIC;

-- What the NOTIFY triggers would have written, once: each account touched
-- in change_log, or past 10,000 of them (or NULL: more than that, not
-- named) one row for every account (as cobroctl demo writes: each
-- workstation reads its screens again), and one announcement at commit.
CREATE OR REPLACE FUNCTION import_announce(p_accounts bigint[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	IF p_accounts IS NULL OR cardinality(p_accounts) > 10000 THEN
		INSERT INTO change_log (kind, account_id) VALUES ('account', NULL) ON CONFLICT DO NOTHING;
	ELSE
		INSERT INTO change_log (kind, account_id)
		SELECT 'account', x FROM unnest(p_accounts) x
		ON CONFLICT DO NOTHING;
	END IF;
	PERFORM pg_notify('cobro_account', '');
END
$$;
REVOKE ALL ON FUNCTION import_announce(bigint[]) FROM PUBLIC;

-- Queued messages of the accounts whose template's facts no longer hold
-- (src/core/template.c, fact_holds(), the same test): refused, with a
-- `status refused` event, so that an overdue notice queued before the
-- payment is never sent after it. Returns how many.
CREATE OR REPLACE FUNCTION import_refuse_untrue(p_accounts bigint[]) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	n bigint;
BEGIN
	WITH f AS (
		SELECT m.id, m.account_id, m.debtor_id, m.channel, t.requires,
		       a.past_due > 0 AND a.oldest_due IS NOT NULL
		           AND a.oldest_due < (now() AT TIME ZONE d.time_zone)::date AS late,
		       EXISTS (SELECT 1 FROM installment i WHERE i.account_id = a.id AND i.paid < i.amount) AS unpaid,
		       pr.status AS pstatus,
		       pr.status = 'pending' AND pr.due_date < (now() AT TIME ZONE d.time_zone)::date AS passed,
		       EXISTS (SELECT 1 FROM payment y WHERE y.account_id = a.id) AS has_payment
		FROM message m
		JOIN template t ON t.id = m.template_id
		JOIN account a ON a.id = m.account_id
		JOIN debtor d ON d.id = m.debtor_id
		LEFT JOIN LATERAL (SELECT r.status, r.due_date FROM promise r WHERE r.account_id = a.id
		                   ORDER BY r.status = 'pending' DESC, r.created_at DESC, r.id DESC LIMIT 1) pr ON true
		WHERE m.account_id = ANY (p_accounts) AND m.status = 'queued' AND t.requires <> '{}'
	), untrue AS (
		SELECT f.*, (SELECT min(x) FROM unnest(f.requires) x
		             WHERE NOT CASE x
		                 WHEN 'past_due' THEN f.late
		                 WHEN 'not_due' THEN NOT f.late AND f.unpaid
		                 WHEN 'promise_pending' THEN coalesce(f.pstatus = 'pending' AND NOT f.passed, false)
		                 WHEN 'promise_broken' THEN coalesce(f.passed OR f.pstatus = 'broken', false)
		                 WHEN 'promise_kept' THEN coalesce(f.pstatus = 'kept', false)
		                 WHEN 'payment' THEN f.has_payment
		                 ELSE false END) AS fact
		FROM f
	), done AS (
		UPDATE message m SET status = 'refused', failed_at = now(), refused_rule = 'payment',
		                     error = format('a payment made the template''s fact "%s" untrue', u.fact)
		FROM untrue u
		WHERE m.id = u.id AND u.fact IS NOT NULL AND m.status = 'queued'
		RETURNING m.id, m.account_id, m.debtor_id, m.channel, m.error
	), ev AS (
		INSERT INTO event (account_id, debtor_id, kind, outcome, message_id, body, data)
		SELECT d.account_id, d.debtor_id, 'status', 'refused', d.id, d.error,
		       jsonb_build_object('channel', d.channel, 'rule', 'payment')
		FROM done d
		RETURNING 1
	)
	SELECT count(*) INTO n FROM done;
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION import_refuse_untrue(bigint[]) FROM PUBLIC;

-- The payments staged in pg_temp.import_payment, applied: each written once
-- (a known external_id is a duplicate and changes nothing), its `payment`
-- event, its account's installments paid oldest first, then the balance,
-- the amount past due and the oldest unpaid date (so days past due)
-- worked out again; an account paid off becomes `paid`. Then the promises
-- (promise_apply_payments(), functions/promise_keeper.sql) and the queued messages whose
-- facts the payments made untrue. p_read and p_rejected: what cobroctl
-- read and refused, for the record.
CREATE OR REPLACE FUNCTION import_payments(p_file text, p_read bigint, p_rejected bigint)
RETURNS TABLE (run_id bigint, applied bigint, duplicates bigint, unknown bigint, accounts bigint,
               refused_messages bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp
-- Sorts and hashes of a million rows in memory, not in batches on disk;
-- no JIT, which compiled for longer than the statements it was for ran.
SET work_mem = '256MB' SET jit = off AS $$
DECLARE
	r bigint;
	staged bigint;
	n_new bigint;
	n_known bigint;
	n_over text;
	accs bigint[];
	n_refused bigint := 0;
	bulk boolean;
	decay float8;
	seq regclass := pg_get_serial_sequence('cobro.payment', 'id');  -- once, not a catalog look-up a row
BEGIN
	PERFORM import_admin_only('import_payments');
	SELECT dpd_decay INTO decay FROM priority_setting;
	IF to_regclass('pg_temp.import_payment') IS NULL
	   OR (SELECT relowner FROM pg_class WHERE oid = to_regclass('pg_temp.import_payment'))
	      <> (SELECT oid FROM pg_roles WHERE rolname = 'cobro_owner') THEN
		RAISE EXCEPTION 'import_payments: nothing staged (import_stage(''payments'') first)' USING ERRCODE = '55000';
	END IF;
	INSERT INTO import_run (kind, file, rows_read, rejected) VALUES ('payments', p_file, p_read, p_rejected)
	RETURNING id INTO r;
	-- What was staged, for the planner (a temporary table has no
	-- statistics until asked: it guessed a third of the rows).
	ANALYZE pg_temp.import_payment;
	SELECT count(*) INTO staged FROM pg_temp.import_payment;
	bulk := staged > import_bulk();
	IF bulk THEN
		PERFORM import_triggers(false);
	END IF;

	-- The payments of a known account, in the file's order: those not
	-- known yet (dup false) numbered from payment's identity up front,
	-- with their account's debtor and its balance and state before this
	-- import, so that what follows reads them from here instead of from
	-- what an insert returns joined to account again. One join of the
	-- staged rows with account, for the counts too (known, duplicates).
	DROP TABLE IF EXISTS pg_temp.import_new;
	CREATE TEMP TABLE import_new ON COMMIT DROP AS
	SELECT CASE WHEN x.dup THEN NULL ELSE nextval(seq) END AS id, x.*
	FROM (SELECT a.id AS account_id, a.debtor_id, a.currency, a.balance, a.status, s.amount,
	             -- An offset (+HH:MM) at the end, as cobroctl writes it: a
	             -- pattern, not a regular expression, a million times; the
	             -- debtor's time zone looked up only for a time without one.
	             CASE WHEN s.paid_at LIKE '%+__:__' OR s.paid_at LIKE '%-__:__' THEN s.paid_at::timestamptz
	                  ELSE s.paid_at::timestamp AT TIME ZONE (SELECT d.time_zone FROM debtor d WHERE d.id = a.debtor_id)
	             END AS paid_at,
	             s.method, s.external_id, s.line, y.id IS NOT NULL AS dup
	      FROM pg_temp.import_payment s
	      JOIN account a ON a.reference = s.reference
	      LEFT JOIN payment y ON y.external_id = s.external_id
	      ORDER BY s.line) x;
	GET DIAGNOSTICS n_known = ROW_COUNT;
	IF bulk THEN
		-- Nobody else writes payments until this commits (the triggers'
		-- ALTER TABLE holds payment): nothing found above can appear
		-- now, and the unique key would refuse it if it did.
		INSERT INTO payment (id, account_id, amount, currency, paid_at, method, external_id, import_id)
		OVERRIDING SYSTEM VALUE
		SELECT n.id, n.account_id, n.amount, n.currency, n.paid_at, n.method, n.external_id, r
		FROM import_new n WHERE NOT n.dup ORDER BY n.id;
		GET DIAGNOSTICS n_new = ROW_COUNT;
		DELETE FROM import_new n WHERE n.dup;
	ELSE
		-- Another import may write one of them meanwhile: it is a
		-- duplicate then, and not ours.
		WITH ins AS (
			INSERT INTO payment (id, account_id, amount, currency, paid_at, method, external_id, import_id)
			OVERRIDING SYSTEM VALUE
			SELECT n.id, n.account_id, n.amount, n.currency, n.paid_at, n.method, n.external_id, r
			FROM import_new n WHERE NOT n.dup ORDER BY n.id
			ON CONFLICT (external_id) DO NOTHING
			RETURNING payment.id
		)
		DELETE FROM import_new n WHERE n.dup OR NOT EXISTS (SELECT 1 FROM ins WHERE ins.id = n.id);
		SELECT count(*) INTO n_new FROM import_new;
	END IF;

	INSERT INTO event (at, account_id, debtor_id, kind, direction, outcome, amount, data)
	SELECT n.paid_at, n.account_id, n.debtor_id, 'payment', 'in', n.method, n.amount,
	       jsonb_build_object('payment_id', n.id, 'external_id', n.external_id, 'import', r)
	FROM import_new n;

	DROP TABLE IF EXISTS pg_temp.import_paid;
	-- In the accounts' order, so that the update below walks account and
	-- its indexes from one end to the other instead of at random; with the
	-- balance and state each account had before (the same in each of its
	-- rows of import_new).
	CREATE TEMP TABLE import_paid ON COMMIT DROP AS
	SELECT n.account_id, sum(n.amount)::bigint AS total, min(n.debtor_id) AS debtor_id,
	       min(n.balance) AS balance, min(n.status) AS status
	FROM import_new n GROUP BY n.account_id
	ORDER BY n.account_id;
	CREATE UNIQUE INDEX ON import_paid (account_id);
	ANALYZE import_paid;

	-- What was paid beyond the balance (a payment on a paid or closed
	-- account is all of it): the balance stops at zero, and the excess is
	-- written on the timeline of the account, to be refunded or applied by a
	-- person, never silently dropped. For the summary of cobroctl, without
	-- a change of this result type: accounts overpaid and the excess, for
	-- this transaction, in cobro.import_overpaid.
	WITH o AS (
		INSERT INTO event (account_id, debtor_id, kind, direction, outcome, amount, data)
		SELECT p.account_id, p.debtor_id, 'payment', 'in', 'overpaid', p.total - p.balance,
		       jsonb_build_object('import', r, 'paid', p.total, 'balance', p.balance, 'status', p.status)
		FROM import_paid p
		WHERE p.total > p.balance
		RETURNING amount
	)
	SELECT set_config('cobro.import_overpaid', count(*) || ' ' || coalesce(sum(o.amount), 0), true) INTO STRICT n_over
	FROM o;

	-- The installments, oldest first: each takes what is left of the
	-- account's total after the ones before it.
	UPDATE installment i SET paid = i.paid + x.alloc
	FROM (SELECT j.account_id, j.seq,
	             least(j.amount - j.paid,
	                   greatest(0, p.total - (sum(j.amount - j.paid) OVER w - (j.amount - j.paid)))) AS alloc
	      FROM installment j JOIN import_paid p ON p.account_id = j.account_id
	      WHERE j.paid < j.amount
	      WINDOW w AS (PARTITION BY j.account_id ORDER BY j.due_date, j.seq ROWS UNBOUNDED PRECEDING)) x
	WHERE i.account_id = x.account_id AND i.seq = x.seq AND x.alloc > 0;

	-- Each account paid, once, from its total: the balance, the amount
	-- past due and the oldest unpaid date (from its installments when it
	-- has any), its state, and what account_derive() keeps (its rules:
	-- the rank anew when the balance or the oldest date moved, workable
	-- anew when the state did).
	-- (The new balance and oldest date are written out where they are
	-- used: UPDATE ... FROM cannot name the row being updated, and joining
	-- account to itself for them cost a hash of every account.)
	UPDATE account a SET
		balance = greatest(0, a.balance - b.total),
		past_due = CASE WHEN b.n > 0 THEN least(greatest(0, a.balance - b.total), coalesce(b.late, 0))
		                ELSE least(greatest(0, a.balance - b.total), greatest(0, a.past_due - b.total)) END,
		oldest_due = CASE WHEN b.n > 0 THEN b.oldest WHEN a.past_due - b.total > 0 THEN a.oldest_due END,
		status = CASE WHEN greatest(0, a.balance - b.total) = 0 AND a.status = 'active' THEN 'paid' ELSE a.status END,
		updated_at = now(),
		rank_day = CASE WHEN a.rank_day IS NULL OR greatest(0, a.balance - b.total) <> a.balance
		                     OR (CASE WHEN b.n > 0 THEN b.oldest WHEN a.past_due - b.total > 0 THEN a.oldest_due END)
		                        IS DISTINCT FROM a.oldest_due
		                THEN current_date ELSE a.rank_day END,
		rank_value = CASE WHEN a.rank_day IS NULL OR greatest(0, a.balance - b.total) <> a.balance
		                       OR (CASE WHEN b.n > 0 THEN b.oldest WHEN a.past_due - b.total > 0 THEN a.oldest_due END)
		                          IS DISTINCT FROM a.oldest_due
		                  THEN rank_value(greatest(0, a.balance - b.total), a.score,
		                                  CASE WHEN b.n > 0 THEN b.oldest WHEN a.past_due - b.total > 0 THEN a.oldest_due END,
		                                  current_date, decay)
		                  ELSE a.rank_value END,
		-- paid: no longer active, so no longer worked
		workable = CASE WHEN greatest(0, a.balance - b.total) = 0 AND a.status = 'active' THEN false ELSE a.workable END
	FROM (SELECT p.account_id, p.total, i.n, i.late, i.oldest
	      FROM import_paid p
	      LEFT JOIN (SELECT k.account_id, count(*) AS n,
	                        sum(k.amount - k.paid) FILTER (WHERE k.due_date < current_date) AS late,
	                        min(k.due_date) FILTER (WHERE k.paid < k.amount) AS oldest
	                 FROM installment k WHERE k.account_id IN (SELECT account_id FROM import_paid)
	                 GROUP BY k.account_id) i ON i.account_id = p.account_id) b
	WHERE a.id = b.account_id;

	SELECT coalesce(array_agg(p.account_id ORDER BY p.account_id), '{}') INTO accs FROM import_paid p;
	IF cardinality(accs) > 0 THEN
		PERFORM promise_apply_payments(accs);
	END IF;
	IF cardinality(accs) > 0 THEN
		n_refused := import_refuse_untrue(accs);
	END IF;

	IF bulk THEN
		PERFORM import_triggers(true);
		PERFORM import_announce(accs);
	END IF;
	UPDATE import_run SET applied = n_new, duplicates = n_known - n_new,
	       digest = (SELECT sha256(convert_to(coalesce(string_agg(concat_ws(',', n.id, n.account_id, n.amount,
	                                                                          n.paid_at, n.external_id),
	                                                                E'\n' ORDER BY n.id), ''), 'UTF8'))
	                 FROM import_new n)
	WHERE id = r;
	-- Applied once: a second call in the same transaction has nothing staged.
	DROP TABLE pg_temp.import_payment;
	RETURN QUERY SELECT r, n_new, n_known - n_new, staged - n_known, cardinality(accs)::bigint, n_refused;
END
$$;
REVOKE ALL ON FUNCTION import_payments(text, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION import_payments(text, bigint, bigint) TO cobro_admin;

-- The portfolio staged in pg_temp.import_account, applied: a new reference
-- makes an account (and its debtor, unless one has the national id
-- already), a known one has its balances, oldest due date, segment and
-- score brought up to date, and its agent only with p_reassign. Mobiles
-- and emails become the debtor's contact points. p_full closes the active
-- accounts of the file's creditors that the file does not name (rejected
-- rows name theirs too). New accounts without an agent go to p_team.
CREATE OR REPLACE FUNCTION import_accounts(p_file text, p_read bigint, p_rejected bigint, p_reassign boolean,
                                           p_full boolean, p_team text)
RETURNS TABLE (run_id bigint, created bigint, updated bigint, closed bigint, debtors bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp
-- Sorts and hashes of a million rows in memory, not in batches on disk;
-- no JIT, which compiled for longer than the statements it was for ran.
SET work_mem = '256MB' SET jit = off AS $$
DECLARE
	r bigint;
	team bigint;
	n_created bigint;
	n_updated bigint;
	n_closed bigint := 0;
	n_debtors bigint;
	accs bigint[];
	bulk boolean;
	decay float8;
	seq regclass := pg_get_serial_sequence('cobro.debtor', 'id');  -- once, not a catalog look-up a row
BEGIN
	PERFORM import_admin_only('import_accounts');
	SELECT dpd_decay INTO decay FROM priority_setting;
	IF to_regclass('pg_temp.import_account') IS NULL
	   OR (SELECT relowner FROM pg_class WHERE oid = to_regclass('pg_temp.import_account'))
	      <> (SELECT oid FROM pg_roles WHERE rolname = 'cobro_owner') THEN
		RAISE EXCEPTION 'import_accounts: nothing staged (import_stage(''accounts'') first)' USING ERRCODE = '55000';
	END IF;
	IF p_team IS NOT NULL THEN
		SELECT id INTO team FROM cobro.team WHERE code = p_team;
		IF team IS NULL THEN
			RAISE EXCEPTION 'import_accounts: no team "%"', p_team USING ERRCODE = '22023';
		END IF;
	END IF;
	INSERT INTO import_run (kind, file, rows_read, rejected) VALUES ('accounts', p_file, p_read, p_rejected)
	RETURNING id INTO r;
	ANALYZE pg_temp.import_account;
	bulk := (SELECT count(*) FROM pg_temp.import_account) > import_bulk();
	IF bulk THEN
		PERFORM import_triggers(false);
	END IF;

	-- The debtor of each national id of a new account: the one that has
	-- it, else a new one, numbered from debtor's own identity here so
	-- that every row knows its debtor from one join, without writing the
	-- staged rows again (a new debtor takes the name and the rest from
	-- the first line with its national id).
	DROP TABLE IF EXISTS pg_temp.import_debtor;
	CREATE TEMP TABLE import_debtor ON COMMIT DROP AS
	SELECT n.national_id, coalesce(d.id, nextval(seq)) AS id,
	       d.id IS NULL AS fresh, n.debtor_name, n.language, n.jurisdiction, n.time_zone
	FROM (SELECT DISTINCT ON (s.national_id) s.national_id, s.debtor_name, s.language, s.jurisdiction, s.time_zone
	      FROM pg_temp.import_account s
	      JOIN creditor c ON c.code = s.creditor
	      WHERE s.ok AND NOT EXISTS (SELECT 1 FROM account a WHERE a.reference = s.reference)
	      ORDER BY s.national_id, s.line) n
	LEFT JOIN (SELECT k.national_id, min(k.id) AS id FROM debtor k
	           WHERE k.national_id IN (SELECT s.national_id FROM pg_temp.import_account s WHERE s.ok)
	           GROUP BY k.national_id) d ON d.national_id = n.national_id
	ORDER BY n.national_id;
	-- Its size, for the join below (a guess of a tenth of it hashed the
	-- whole staged file instead).
	ANALYZE import_debtor;
	INSERT INTO debtor (id, name, first_name, national_id, language, jurisdiction, time_zone)
	OVERRIDING SYSTEM VALUE
	SELECT m.id, m.debtor_name, split_part(m.debtor_name, ' ', 1), m.national_id, m.language, m.jurisdiction,
	       m.time_zone
	FROM import_debtor m WHERE m.fresh
	ORDER BY m.id;
	GET DIAGNOSTICS n_debtors = ROW_COUNT;

	-- The rows to apply: an account's own debtor, else its national id's.
	DROP TABLE IF EXISTS pg_temp.import_acc;
	CREATE TEMP TABLE import_acc ON COMMIT DROP AS
	SELECT s.*, a.id AS account_id, c.id AS creditor_id, g.id AS agent_id, coalesce(g.team_id, team) AS team_id,
	       coalesce(a.debtor_id, m.id) AS debtor_id, coalesce(a.id IS NULL AND m.fresh, false) AS fresh_debtor
	FROM pg_temp.import_account s
	LEFT JOIN account a ON a.reference = s.reference
	JOIN creditor c ON c.code = s.creditor
	LEFT JOIN agent g ON g.login = s.agent AND g.active
	LEFT JOIN import_debtor m ON m.national_id = s.national_id AND a.id IS NULL
	WHERE s.ok;
	ANALYZE import_acc;

	-- Mobiles and emails: a new debtor has none yet, so its are written
	-- without looking (the unique key would still refuse a double); a
	-- known debtor's only when new to it. In the debtors' order, so that
	-- the keys and the debtors checked are walked in order, not at random.
	INSERT INTO contact_point (debtor_id, kind, value)
	SELECT DISTINCT x.debtor_id, x.mobile_kind, x.mobile FROM import_acc x WHERE x.mobile IS NOT NULL AND x.fresh_debtor
	ORDER BY 1;
	INSERT INTO contact_point (debtor_id, kind, value)
	SELECT DISTINCT x.debtor_id, 'email', x.email FROM import_acc x WHERE x.email IS NOT NULL AND x.fresh_debtor
	ORDER BY 1;
	INSERT INTO contact_point (debtor_id, kind, value)
	SELECT DISTINCT x.debtor_id, x.mobile_kind, x.mobile FROM import_acc x
	WHERE x.mobile IS NOT NULL AND NOT x.fresh_debtor
	ORDER BY 1
	ON CONFLICT (debtor_id, kind, value) DO NOTHING;
	INSERT INTO contact_point (debtor_id, kind, value)
	SELECT DISTINCT x.debtor_id, 'email', x.email FROM import_acc x WHERE x.email IS NOT NULL AND NOT x.fresh_debtor
	ORDER BY 1
	ON CONFLICT (debtor_id, kind, value) DO NOTHING;

	-- New accounts, in the file's order, ranked as account_derive() ranks
	-- them (workable: active, and the debtor too; a new debtor is).
	WITH na AS (
		INSERT INTO account (debtor_id, creditor_id, product, reference, currency, balance, past_due, oldest_due,
		                     segment, score, team_id, agent_id, rank_day, rank_value, workable)
		SELECT x.debtor_id, x.creditor_id, x.product, x.reference, x.currency, x.balance, x.past_due, x.due_date,
		       x.segment, x.score, x.team_id, x.agent_id, current_date,
		       rank_value(x.balance, x.score, x.due_date, current_date, decay),
		       CASE WHEN x.fresh_debtor THEN true
		            ELSE coalesce((SELECT d.state = 'active' FROM debtor d WHERE d.id = x.debtor_id), false) END
		FROM import_acc x WHERE x.account_id IS NULL
		ORDER BY x.line
		RETURNING id, debtor_id, agent_id
	), ev AS (
		INSERT INTO event (account_id, debtor_id, kind, outcome, data)
		SELECT na.id, na.debtor_id, 'assignment', 'import', jsonb_build_object('agent_id', na.agent_id, 'import', r)
		FROM na
		RETURNING account_id
	)
	SELECT count(*) INTO n_created FROM ev;

	-- Known accounts, only those the file changes; ranked anew, as
	-- account_derive() does, when the balance, score or oldest date moved.
	WITH up AS (
		UPDATE account a SET
			balance = x.balance, past_due = x.past_due, oldest_due = x.due_date, segment = x.segment,
			score = x.score, product = x.product,
			agent_id = CASE WHEN p_reassign AND x.agent_id IS NOT NULL THEN x.agent_id ELSE a.agent_id END,
			team_id = CASE WHEN p_reassign AND x.agent_id IS NOT NULL THEN x.team_id ELSE a.team_id END,
			updated_at = now(),
			rank_day = CASE WHEN a.rank_day IS NULL OR (a.balance, a.score, a.oldest_due)
			                     IS DISTINCT FROM (x.balance, x.score, x.due_date)
			                THEN current_date ELSE a.rank_day END,
			rank_value = CASE WHEN a.rank_day IS NULL OR (a.balance, a.score, a.oldest_due)
			                       IS DISTINCT FROM (x.balance, x.score, x.due_date)
			                  THEN rank_value(x.balance, x.score, x.due_date, current_date, decay)
			                  ELSE a.rank_value END
		FROM import_acc x
		WHERE a.id = x.account_id
		  AND ((a.balance, a.past_due, a.oldest_due, a.segment, a.score, a.product)
		       IS DISTINCT FROM (x.balance, x.past_due, x.due_date, x.segment, x.score, x.product)
		      OR (p_reassign AND x.agent_id IS NOT NULL AND a.agent_id IS DISTINCT FROM x.agent_id))
		RETURNING a.id, a.debtor_id
	)
	SELECT count(*), coalesce(array_agg(up.id), '{}') INTO n_updated, accs FROM up;

	IF p_full THEN
		WITH gone AS (
			UPDATE account a SET status = 'closed', updated_at = now(), workable = false,
			                     rank_day = coalesce(a.rank_day, current_date),
			                     rank_value = CASE WHEN a.rank_day IS NULL
			                                       THEN rank_value(a.balance, a.score, a.oldest_due, current_date, decay)
			                                       ELSE a.rank_value END
			WHERE a.creditor_id IN (SELECT DISTINCT creditor_id FROM import_acc)
			  AND a.status NOT IN ('closed', 'paid')
			  AND NOT EXISTS (SELECT 1 FROM pg_temp.import_account s WHERE s.reference = a.reference)
			RETURNING a.id, a.debtor_id
		), ev AS (
			INSERT INTO event (account_id, debtor_id, kind, outcome, data)
			SELECT g.id, g.debtor_id, 'status', 'closed', jsonb_build_object('import', r) FROM gone g
			RETURNING account_id
		)
		SELECT count(*), accs || coalesce(array_agg(ev.account_id), '{}') INTO n_closed, accs FROM ev;
	END IF;

	IF bulk THEN
		PERFORM import_triggers(true);
		-- The new accounts are named only when they are few enough to be
		-- (a million of them was a join of every account for nothing).
		IF n_created + cardinality(accs) > 10000 THEN
			accs := NULL;
		ELSE
			accs := accs || coalesce((SELECT array_agg(a.id) FROM account a JOIN import_acc x ON x.reference = a.reference
			                          WHERE x.account_id IS NULL), '{}');
		END IF;
		PERFORM import_announce(accs);
	END IF;
	UPDATE import_run SET applied = n_created + n_updated, created = n_created, closed = n_closed WHERE id = r;
	DROP TABLE pg_temp.import_account;
	RETURN QUERY SELECT r, n_created, n_updated, n_closed, n_debtors;
END
$$;
REVOKE ALL ON FUNCTION import_accounts(text, bigint, bigint, boolean, boolean, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION import_accounts(text, bigint, bigint, boolean, boolean, text) TO cobro_admin;
