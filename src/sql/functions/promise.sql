-- Promises to pay: saving one, approving or rejecting one outside the
-- limits, and the approval list (issue 16, lines 2 and 3; docs/promises.md).
-- Nobody writes promise or promise_installment but these functions and the
-- keeper's (functions/promise_keeper.sql), 024_promises.sql.
--
-- Hard errors raise SQLSTATE 22023 with a stable code word, a colon, then
-- English text (`amount_above_balance: ...`): the workstation reads the word
-- and says it in the person's language beside the field.
-- uses: functions/session.sql functions/audit.sql functions/account_actions.sql functions/promise_plan.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- The channels a promise may be given on.
CREATE OR REPLACE FUNCTION promise_channels() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['call', 'sms', 'email', 'whatsapp', 'letter', 'visit', 'web']
$$;

-- The active promise: pending or awaiting approval. One per account.
CREATE OR REPLACE FUNCTION promise_is_active(p_status text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT p_status IN ('pending', 'awaiting_approval')
$$;

CREATE OR REPLACE FUNCTION promise_refuse(p_code text, p_text text) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	RAISE EXCEPTION '%: %', p_code, p_text USING ERRCODE = '22023';
END
$$;

-- Saves a promise on an account the caller may work (a collector's own, any
-- of a supervisor's or lead's team: account_for_work()). In one transaction:
-- the promise and its installments (promise_schedule()), its `promise` event,
-- the replaced promise cancelled (with its own event), and the account's next
-- action at the start of the first due date plus the grace days, in the
-- debtor's time zone. Outside the limits it is saved `awaiting_approval`, the
-- limits broken in reasons. p_key: the same key again returns what the first
-- save made and changes nothing (the workstation's saves when offline).
CREATE OR REPLACE FUNCTION promise_save(p_account bigint, p_amount bigint, p_first_due date, p_count integer,
                                        p_frequency text, p_discount bigint, p_channel text, p_note text,
                                        p_replace bigint, p_key uuid)
RETURNS TABLE (promise_id bigint, status text, reasons text[])
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a       account := account_for_work(p_account);
	d       debtor;
	lim     promise_limit;
	note    text := note_checked(p_note, false);
	prior   promise;
	old     promise;
	today   date;
	zone    text;
	disc    bigint := coalesce(p_discount, 0);
	last    date;
	why     text[] := '{}';
	st      text;
	new_id  bigint;
	me      bigint := my_agent_id();
	next_at timestamptz;
BEGIN
	IF p_key IS NULL THEN
		RAISE EXCEPTION 'a promise needs its key' USING ERRCODE = '22004';
	END IF;
	-- The account is locked (account_for_work()): a second save with the
	-- same key waits for the first and then finds it.
	SELECT * INTO prior FROM promise p WHERE p.idempotency_key = p_key;
	IF prior.id IS NOT NULL THEN
		IF prior.account_id <> a.id THEN
			RAISE EXCEPTION 'this key was used on another account' USING ERRCODE = '23505';
		END IF;
		RETURN QUERY SELECT prior.id, prior.status, prior.reasons;
		RETURN;
	END IF;

	-- Accounts in dispute, legal hold, cease-and-desist, with an agency,
	-- closed or paid, and those of a debtor who is not active (cease,
	-- attorney, deceased ...), are not worked (DESIGN.md section 5): no
	-- promise is taken on them, whoever may otherwise work the account.
	SELECT * INTO d FROM debtor WHERE debtor.id = a.debtor_id;
	IF a.status <> 'active' THEN
		PERFORM promise_refuse('account_status', format('the account is %s, and promises are taken on active accounts only',
		                                                a.status));
	END IF;
	IF d.state IS DISTINCT FROM 'active' THEN
		PERFORM promise_refuse('account_status', format('the debtor is %s, and their accounts are not worked', d.state));
	END IF;
	zone := zone_or_utc(d.time_zone);
	today := zone_date(zone, now());
	lim := promise_limit_pick(d.jurisdiction, a.segment);

	IF p_frequency IS NULL OR NOT (p_frequency IN ('once', 'weekly', 'biweekly', 'monthly')) THEN
		PERFORM promise_refuse('frequency', format('no frequency "%s"', left(p_frequency, 20)));
	END IF;
	IF p_count IS NULL OR p_count < 1 OR (p_frequency = 'once' AND p_count <> 1) OR p_count > 360 THEN
		PERFORM promise_refuse('count', 'the number of installments must be 1 for once, 1 to 360 otherwise');
	END IF;
	IF p_amount IS NULL OR p_amount <= 0 THEN
		PERFORM promise_refuse('amount', 'the amount must be above zero');
	END IF;
	IF p_amount < p_count THEN
		PERFORM promise_refuse('count', 'more installments than minor units of the amount');
	END IF;
	IF disc < 0 OR (disc > 0 AND disc >= a.balance) THEN
		PERFORM promise_refuse('discount', 'the discount must be at least zero and below the balance');
	END IF;
	IF p_amount > a.balance - disc THEN
		PERFORM promise_refuse('amount_above_balance',
		                       format('the amount is above the balance%s',
		                              CASE WHEN disc > 0 THEN ' less the discount' ELSE '' END));
	END IF;
	IF p_first_due IS NULL OR p_first_due < today THEN
		PERFORM promise_refuse('date_past', format('the first date is before the debtor''s today (%s)', today));
	END IF;
	IF p_channel IS NULL OR NOT (p_channel = ANY (promise_channels())) THEN
		PERFORM promise_refuse('channel', format('no channel "%s"', left(p_channel, 20)));
	END IF;
	FOR old IN SELECT * FROM promise p WHERE p.account_id = a.id AND promise_is_active(p.status) FOR UPDATE LOOP
		IF p_replace IS DISTINCT FROM old.id THEN
			PERFORM promise_refuse('active_promise',
			                       format('promise %s is active on the account; name it to replace it', old.id));
		END IF;
	END LOOP;
	IF p_replace IS NOT NULL AND NOT EXISTS (SELECT 1 FROM promise p WHERE p.id = p_replace AND p.account_id = a.id) THEN
		PERFORM promise_refuse('active_promise', format('promise %s is not one of this account''s', p_replace));
	END IF;

	-- The last installment's date, as promise_schedule() gives it.
	last := CASE p_frequency WHEN 'weekly' THEN p_first_due + 7 * (p_count - 1)
	                         WHEN 'biweekly' THEN p_first_due + 14 * (p_count - 1)
	                         WHEN 'monthly' THEN (p_first_due + (p_count - 1) * interval '1 month')::date
	                         ELSE p_first_due END;
	-- Infinity or a year past 9999 is no date a debtor pays on, and no
	-- approval by a supervisor makes it one: the dates of the plan are read back
	-- as YYYY-MM-DD (src/core/promise_plan.c).
	IF NOT isfinite(p_first_due) OR last > date '9999-12-31' THEN
		PERFORM promise_refuse('date_range', 'the plan''s dates must be calendar dates up to 9999-12-31');
	END IF;
	IF last > today + lim.horizon_days THEN
		why := why || 'horizon'::text;
	END IF;
	IF disc = 0 AND p_amount::numeric * 1000 < a.past_due::numeric * lim.min_share_permille THEN
		why := why || 'min_share'::text;
	END IF;
	IF p_count > lim.max_installments THEN
		why := why || 'max_installments'::text;
	END IF;
	IF disc::numeric * 1000 > a.balance::numeric * lim.max_discount_permille THEN
		why := why || 'max_discount'::text;
	END IF;
	st := CASE WHEN cardinality(why) > 0 THEN 'awaiting_approval' ELSE 'pending' END;

	-- The account first, with what account_promise() will find (the new
	-- promise is the newest: pending, due on its first date; awaiting, on
	-- none): its trigger then has nothing to write, one account update
	-- instead of two (issue 16, line 11: a save's p99).
	next_at := (p_first_due + lim.grace_days)::timestamp AT TIME ZONE zone;
	UPDATE account SET next_action_at = next_at, updated_at = now(), promise_status = st,
	                   promise_due = CASE st WHEN 'pending' THEN p_first_due END
	WHERE account.id = a.id;
	INSERT INTO promise (account_id, agent_id, amount, currency, due_date, discount, status, channel, note,
	                     frequency, installments, grace_days, limits_version, reasons, idempotency_key)
	VALUES (a.id, me, p_amount, a.currency, p_first_due, disc, st, p_channel, note,
	        p_frequency, p_count, lim.grace_days, lim.version, why, p_key)
	RETURNING promise.id INTO new_id;
	INSERT INTO promise_installment (promise_id, seq, due_date, amount)
	SELECT new_id, s.seq, s.due_date, s.amount FROM promise_schedule(p_first_due, p_count, p_frequency, p_amount) s;

	IF p_replace IS NOT NULL THEN
		SELECT * INTO old FROM promise p WHERE p.id = p_replace;
		IF promise_is_active(old.status) THEN
			UPDATE promise p SET status = 'cancelled', replaced_by = new_id, resolved_at = now() WHERE p.id = old.id;
			INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, amount, data)
			VALUES (a.id, a.debtor_id, me, 'promise', 'cancelled', old.amount,
			        jsonb_build_object('promise', old.id, 'replaced_by', new_id, 'key', p_key, 'was', old.status));
		END IF;
	END IF;

	INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, amount, body, data)
	VALUES (a.id, a.debtor_id, me, 'promise', st, p_amount, note,
	        jsonb_strip_nulls(jsonb_build_object(
	            'promise', new_id, 'key', p_key, 'first_due', p_first_due, 'installments', p_count,
	            'frequency', p_frequency, 'discount', nullif(disc, 0), 'channel', p_channel,
	            'reasons', CASE WHEN cardinality(why) > 0 THEN to_jsonb(why) END,
	            'replaces', p_replace, 'limits_version', lim.version)));
	PERFORM audit_write('PROMISE', 'account', a.id, jsonb_build_object('next_action_at', a.next_action_at),
	                    jsonb_build_object('promise', new_id, 'status', st, 'next_action_at', next_at));
	RETURN QUERY SELECT new_id, st, why;
END
$$;

-- Who decides on a promise awaiting approval: a supervisor or lead of the
-- account's team, an administrator. Returns the promise, locked.
CREATE OR REPLACE FUNCTION promise_for_decision(p_promise bigint) RETURNS promise
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	p promise;
BEGIN
	IF i_am('cobro_admin') THEN
		SELECT x.* INTO p FROM promise x WHERE x.id = p_promise FOR UPDATE;
	ELSIF i_am('cobro_supervisor') AND my_team_id() IS NOT NULL THEN
		SELECT x.* INTO p FROM promise x JOIN account a ON a.id = x.account_id
		WHERE x.id = p_promise AND a.team_id = my_team_id() FOR UPDATE OF x;
	END IF;
	IF p.id IS NULL THEN
		RAISE EXCEPTION 'no such promise' USING ERRCODE = '42501';
	END IF;
	IF p.status <> 'awaiting_approval' THEN
		RAISE EXCEPTION 'promise % is %, not awaiting approval', p.id, p.status USING ERRCODE = '55000';
	END IF;
	RETURN p;
END
$$;

-- Approves a promise outside the limits: it is pending from now on. The
-- collector's workstation hears it through the promise's own trigger
-- (notify_account(): change_log and cobro_account). Four eyes: who took the
-- promise (a supervisor or lead takes them too) never approves it; another
-- of the team's supervisors, or an administrator, does. Rejecting one's own
-- stays allowed: it only withdraws it.
CREATE OR REPLACE FUNCTION promise_approve(p_promise bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	p  promise := promise_for_decision(p_promise);
	a  account;
	ev bigint;
BEGIN
	IF p.agent_id = my_agent_id() THEN
		RAISE EXCEPTION 'who took a promise does not approve it; another supervisor does'
			USING ERRCODE = '42501';
	END IF;
	SELECT * INTO a FROM account WHERE id = p.account_id;
	UPDATE promise SET status = 'pending', decided_by = my_agent_id(), decided_at = now() WHERE id = p.id;
	INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, amount, data)
	VALUES (a.id, a.debtor_id, my_agent_id(), 'promise', 'approved', p.amount,
	        jsonb_build_object('promise', p.id, 'reasons', to_jsonb(p.reasons), 'agent', p.agent_id))
	RETURNING id INTO ev;
	PERFORM audit_write('PROMISE APPROVED', 'promise', p.id, jsonb_build_object('status', p.status),
	                    jsonb_build_object('status', 'pending', 'event', ev));
	RETURN ev;
END
$$;

-- Rejects it, with the reason the collector reads.
CREATE OR REPLACE FUNCTION promise_reject(p_promise bigint, p_reason text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	p   promise := promise_for_decision(p_promise);
	why text := note_checked(p_reason, true);
	a   account;
	ev  bigint;
BEGIN
	SELECT * INTO a FROM account WHERE id = p.account_id;
	UPDATE promise SET status = 'rejected', decided_by = my_agent_id(), decided_at = now(),
	                   decision_reason = why, resolved_at = now()
	WHERE id = p.id;
	INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, amount, body, data)
	VALUES (a.id, a.debtor_id, my_agent_id(), 'promise', 'rejected', p.amount, why,
	        jsonb_build_object('promise', p.id, 'reasons', to_jsonb(p.reasons), 'agent', p.agent_id))
	RETURNING id INTO ev;
	PERFORM audit_write('PROMISE REJECTED', 'promise', p.id, jsonb_build_object('status', p.status),
	                    jsonb_build_object('status', 'rejected', 'reason', why, 'event', ev));
	RETURN ev;
END
$$;

-- The approval list: the promises awaiting approval of the caller's team
-- (supervisors, leads), of every team (administrators), none for anyone else.
-- Oldest first.
CREATE OR REPLACE FUNCTION promise_awaiting()
RETURNS TABLE (promise_id bigint, account_id bigint, reference text, debtor text, agent_login text, amount bigint,
               currency text, first_due date, installments integer, frequency text, discount bigint,
               reasons text[], created_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
	SELECT p.id, a.id, a.reference, d.name, g.login, p.amount, p.currency::text, p.due_date,
	       p.installments::integer, p.frequency, p.discount, p.reasons, p.created_at
	FROM promise p
	JOIN account a ON a.id = p.account_id
	JOIN debtor d ON d.id = a.debtor_id
	LEFT JOIN agent g ON g.id = p.agent_id
	WHERE p.status = 'awaiting_approval'
	  AND (i_am('cobro_admin') OR (i_am('cobro_supervisor') AND a.team_id = my_team_id()))
	ORDER BY p.created_at, p.id
$$;

REVOKE ALL ON FUNCTION promise_refuse(text, text), promise_for_decision(bigint),
	promise_save(bigint, bigint, date, integer, text, bigint, text, text, bigint, uuid),
	promise_approve(bigint), promise_reject(bigint, text), promise_awaiting() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION promise_channels(), promise_is_active(text)
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;
GRANT EXECUTE ON FUNCTION promise_save(bigint, bigint, date, integer, text, bigint, text, text, bigint, uuid)
	TO cobro_collector, cobro_supervisor;
GRANT EXECUTE ON FUNCTION promise_approve(bigint), promise_reject(bigint, text)
	TO cobro_supervisor, cobro_admin;
GRANT EXECUTE ON FUNCTION promise_awaiting() TO cobro_collector, cobro_supervisor, cobro_admin;
