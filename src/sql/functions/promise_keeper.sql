-- Keeping score of promises (issue 16, line 7; docs/promises.md, "Kept and
-- broken"): the payments made since a promise was given are allocated to
-- its installments, oldest first, and each installment is decided against
-- its deadline, the end of its date plus the promise's grace days in the
-- debtor's time zone:
--
--   kept     covered in full by payments made before its deadline
--   partial  past its deadline, part of it paid before the deadline
--   broken   past its deadline, nothing of it paid before the deadline
--   late     covered in full, but only after its deadline (not kept)
--
-- A promise whose installments are all kept is kept; one with any installment
-- partial, broken or late is broken: an event in the name of the promise's
-- agent (it counts against them), and the account goes to the top of its
-- collector's worklist (account.promise_due = -infinity, kept by
-- account_promise(), functions/account_derived.sql). A broken promise is
-- looked at again for 60 days, so that a payment arriving later records its
-- installment as late.
--
-- Everything is computed from the payments themselves (payment.paid_at), so
-- an evaluation repeated, or run late, decides the same: the moment asked
-- (p_at) only bounds which payments have happened and which deadlines have
-- passed. Set-based, one pass over the promises in question: the keeper runs
-- over a whole portfolio (docs/promises.md, "Performance").
-- uses: functions/session.sql functions/audit.sql functions/promise_plan.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- The work of both entry points below: the promises of p_accounts (NULL:
-- every account) that are pending, awaiting approval (their payments are
-- allocated, nothing is decided until a supervisor approves), or broken in
-- the 60 days before p_at. Returns the promises newly kept and broken, and
-- the installments newly partial and late.
CREATE OR REPLACE FUNCTION promise_keep(p_at timestamptz, p_accounts bigint[])
RETURNS TABLE (kept integer, partial integer, broken integer, late integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	v_kept    integer;
	v_partial integer;
	v_broken  integer;
	v_late    integer;
BEGIN
	IF p_at IS NULL THEN
		RAISE EXCEPTION 'an evaluation needs its moment' USING ERRCODE = '22004';
	END IF;

	-- The promises with something to decide: a pending one with an
	-- installment whose deadline may have passed (every zone's date is within
	-- a day of UTC's), or any of them with a payment since the day it was
	-- given (to allocate, to find kept ahead of the date, or late). The rest
	-- are left alone: cobrod asks every few minutes, and most days most
	-- promises have neither.
	CREATE TEMP TABLE keep_cand ON COMMIT DROP AS
	SELECT p.id, p.account_id FROM promise p
	WHERE (p.status IN ('pending', 'awaiting_approval')
	       OR (p.status = 'broken' AND p.resolved_at > p_at - interval '60 days'))
	  AND p.created_at <= p_at
	  AND (p_accounts IS NULL OR p.account_id = ANY (p_accounts))
	  AND ((p.status = 'pending'
	        AND EXISTS (SELECT 1 FROM promise_installment i
	                    WHERE i.promise_id = p.id AND i.status = 'pending'
	                      AND i.due_date + p.grace_days <= (p_at AT TIME ZONE 'UTC')::date))
	       OR EXISTS (SELECT 1 FROM payment y
	                  WHERE y.account_id = p.account_id AND y.paid_at >= p.created_at - interval '1 day'
	                    AND y.paid_at <= p_at));

	-- Their accounts first, in order, as promise_save() locks an account
	-- before its promises: a save waits for the keeper or the keeper for it,
	-- never both (a deadlock), and what is read below is what the saves
	-- committed.
	PERFORM 1 FROM account a WHERE a.id IN (SELECT account_id FROM keep_cand)
	ORDER BY a.id FOR NO KEY UPDATE OF a;

	-- The promises, read again now that their accounts are held, with the
	-- debtor's zone (UTC when PostgreSQL does not know it, looked up once per
	-- zone) and the start of the promise's day there: a payment file often
	-- dates a payment without its hour, so a payment of the day the promise
	-- was given counts towards it.
	CREATE TEMP TABLE keep_promise ON COMMIT DROP AS
	WITH c AS (
		SELECT p.id, p.account_id, a.debtor_id, p.agent_id, p.status, p.amount, p.grace_days, p.created_at,
		       d.time_zone
		FROM promise p JOIN account a ON a.id = p.account_id JOIN debtor d ON d.id = a.debtor_id
		WHERE p.id IN (SELECT id FROM keep_cand)
		  AND (p.status IN ('pending', 'awaiting_approval')
		       OR (p.status = 'broken' AND p.resolved_at > p_at - interval '60 days'))),
	z AS (
		SELECT t.time_zone, coalesce(n.name, 'UTC') AS zone
		FROM (SELECT DISTINCT time_zone FROM c) t LEFT JOIN pg_timezone_names n ON n.name = t.time_zone)
	SELECT c.id, c.account_id, c.debtor_id, c.agent_id, c.status, c.amount, c.grace_days, z.zone,
	       (c.created_at AT TIME ZONE z.zone)::date::timestamp AT TIME ZONE z.zone AS since
	FROM c JOIN z ON z.time_zone IS NOT DISTINCT FROM c.time_zone;
	ANALYZE keep_promise;

	-- Each installment: what the ones before it take first, and its deadline.
	CREATE TEMP TABLE keep_inst ON COMMIT DROP AS
	SELECT i.promise_id, i.seq, i.amount, i.paid, i.status,
	       sum(i.amount) OVER (PARTITION BY i.promise_id ORDER BY i.seq) - i.amount AS before,
	       (i.due_date + c.grace_days + 1)::timestamp AT TIME ZONE c.zone AS deadline
	FROM promise_installment i JOIN keep_promise c ON c.id = i.promise_id;
	ANALYZE keep_inst;

	-- The payments that count: on the account, from the promise's day, made by p_at.
	CREATE TEMP TABLE keep_pay ON COMMIT DROP AS
	SELECT c.id AS promise_id, y.paid_at, y.amount
	FROM keep_promise c JOIN payment y ON y.account_id = c.account_id AND y.paid_at >= c.since AND y.paid_at <= p_at;
	ANALYZE keep_pay;

	-- Each installment decided: covered (all payments so far), covered by
	-- its deadline; an installment kept or late stays so.
	CREATE TEMP TABLE keep_dec ON COMMIT DROP AS
	SELECT n.promise_id, n.seq, n.amount, n.status AS old_status, n.paid AS old_paid, n.covered,
	       CASE WHEN c.status = 'awaiting_approval' OR n.status IN ('kept', 'late') THEN n.status
	            WHEN n.on_time = n.amount THEN 'kept'
	            WHEN p_at >= n.deadline THEN
	                CASE WHEN n.covered = n.amount THEN 'late' WHEN n.on_time > 0 THEN 'partial' ELSE 'broken' END
	            ELSE n.status END AS new_status
	FROM (SELECT i.promise_id, i.seq, i.amount, i.paid, i.status, i.deadline,
	             least(i.amount, greatest(0, coalesce(sum(y.amount), 0) - i.before)) AS covered,
	             least(i.amount, greatest(0, coalesce(sum(y.amount) FILTER (WHERE y.paid_at < i.deadline), 0)
	                                          - i.before)) AS on_time
	      FROM keep_inst i LEFT JOIN keep_pay y ON y.promise_id = i.promise_id
	      GROUP BY i.promise_id, i.seq, i.amount, i.paid, i.status, i.deadline, i.before) n
	JOIN keep_promise c ON c.id = n.promise_id;

	UPDATE promise_installment i
	SET paid = d.covered, status = d.new_status,
	    decided_at = CASE WHEN d.new_status <> d.old_status THEN p_at ELSE i.decided_at END
	FROM keep_dec d
	WHERE i.promise_id = d.promise_id AND i.seq = d.seq AND (i.paid <> d.covered OR i.status <> d.new_status);

	-- Each promise decided: all kept is kept; any partial, broken or late is
	-- broken; a broken one stays broken.
	CREATE TEMP TABLE keep_prom ON COMMIT DROP AS
	SELECT c.id, c.account_id, c.debtor_id, c.agent_id, c.amount, c.status AS old_status,
	       CASE WHEN c.status <> 'pending' THEN c.status
	            WHEN bool_and(d.new_status = 'kept') THEN 'kept'
	            WHEN bool_or(d.new_status IN ('partial', 'broken', 'late')) THEN 'broken'
	            ELSE 'pending' END AS new_status,
	       sum(d.covered) AS paid,
	       count(*) FILTER (WHERE d.new_status = 'partial' AND d.old_status <> 'partial')::integer AS n_partial,
	       count(*) FILTER (WHERE d.new_status = 'late' AND d.old_status <> 'late')::integer AS n_late,
	       jsonb_agg(jsonb_build_object('seq', d.seq, 'status', d.new_status, 'paid', d.covered, 'amount', d.amount)
	                 ORDER BY d.seq) FILTER (WHERE d.new_status <> d.old_status) AS decided
	FROM keep_promise c JOIN keep_dec d ON d.promise_id = c.id
	GROUP BY c.id, c.account_id, c.debtor_id, c.agent_id, c.amount, c.status;

	-- Installments first, then the promise: account_promise() reads the
	-- installments when the promise row changes.
	-- Only a promise still as it was read (a save that replaced it since
	-- leaves it alone).
	UPDATE promise p
	SET status = k.new_status, paid = k.paid,
	    resolved_at = CASE WHEN k.new_status <> k.old_status THEN p_at ELSE p.resolved_at END
	FROM keep_prom k
	WHERE p.id = k.id AND p.status = k.old_status AND (p.status <> k.new_status OR p.paid <> k.paid);

	-- The history: a promise kept or broken, and installments paid late,
	-- in the name of the promise's agent.
	INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, amount, data)
	SELECT k.account_id, k.debtor_id, k.agent_id, 'promise', k.new_status,
	       CASE k.new_status WHEN 'kept' THEN k.paid ELSE k.amount - k.paid END,
	       jsonb_build_object('promise', k.id, 'at', p_at, 'installments', k.decided, 'by', 'keeper')
	FROM keep_prom k WHERE k.new_status <> k.old_status;
	INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, amount, data)
	SELECT k.account_id, k.debtor_id, k.agent_id, 'promise', 'late', k.paid,
	       jsonb_build_object('promise', k.id, 'at', p_at, 'installments', k.decided, 'by', 'keeper')
	FROM keep_prom k WHERE k.new_status = k.old_status AND k.n_late > 0;

	SELECT count(*) FILTER (WHERE new_status = 'kept' AND old_status <> 'kept'),
	       coalesce(sum(n_partial), 0),
	       count(*) FILTER (WHERE new_status = 'broken' AND old_status <> 'broken'),
	       coalesce(sum(n_late), 0)
	INTO v_kept, v_partial, v_broken, v_late FROM keep_prom;
	-- Dropped here, so a second call in the same transaction makes them anew
	-- (a call that fails takes them with its rollback).
	DROP TABLE keep_cand, keep_promise, keep_inst, keep_pay, keep_dec, keep_prom;
	RETURN QUERY SELECT v_kept, v_partial, v_broken, v_late;
END
$$;

-- cobrod (promises.evaluate_every, cobrod.conf) and `cobroctl promises
-- evaluate [--at TIME]`: every promise in question, as of p_at.
CREATE OR REPLACE FUNCTION promise_evaluate(p_at timestamptz)
RETURNS TABLE (kept integer, partial integer, broken integer, late integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	IF NOT (i_am('cobro_daemon') OR i_am('cobro_admin')) THEN
		RAISE EXCEPTION 'only cobrod and administrators evaluate promises' USING ERRCODE = '42501';
	END IF;
	-- One evaluation at a time: two would decide the same promises twice.
	PERFORM pg_advisory_xact_lock(hashtext('cobro.promise_evaluate'));
	RETURN QUERY SELECT * FROM promise_keep(p_at, NULL);
END
$$;

-- The payment import, in its transaction, after inserting the payments: the
-- accounts' promises take them at once (and are decided as of now).
CREATE OR REPLACE FUNCTION promise_apply_payments(p_accounts bigint[])
RETURNS TABLE (kept integer, partial integer, broken integer, late integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	IF NOT (i_am('cobro_daemon') OR i_am('cobro_admin')) THEN
		RAISE EXCEPTION 'only cobrod and administrators apply payments to promises' USING ERRCODE = '42501';
	END IF;
	PERFORM pg_advisory_xact_lock(hashtext('cobro.promise_evaluate'));
	RETURN QUERY SELECT * FROM promise_keep(now(), coalesce(p_accounts, '{}'));
END
$$;

REVOKE ALL ON FUNCTION promise_keep(timestamptz, bigint[]), promise_evaluate(timestamptz),
	promise_apply_payments(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION promise_evaluate(timestamptz), promise_apply_payments(bigint[])
	TO cobro_admin, cobro_daemon;
