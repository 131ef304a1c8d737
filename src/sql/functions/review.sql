-- The review queues (issue 17, line 4; 028_review_queues.sql): the disputes
-- and the contact points marked wrong of a team that wait for its supervisor,
-- and the four decisions on them.
--
-- Reading: review_disputes() and review_wrong_points() run as the caller
-- (SECURITY INVOKER), so row security decides what they return: a
-- supervisor's or a lead's team, everything for an administrator. Only those
-- three may run them; a collector, the daemon, anyone else is refused
-- (the grants, and the check inside for a role granted them by mistake).
--
-- Deciding: clearing a dispute and restoring a point are the existing lifts
-- (functions/account_actions.sql), called here after the check that the item
-- still waits; keeping a dispute and confirming a point leave the mark and
-- take the item off the queue. Each decision is an event in the account's
-- history under the decider's name, an audit row, and (the event's trigger)
-- a NOTIFY cobro_account, so the collector's worklist and the other
-- supervisors' queues refresh. Two supervisors deciding the same item: the
-- account (or point) is locked, the second waits, then finds it decided and
-- is refused with SQLSTATE 55000 and "decided already: WHAT by LOGIN", which
-- the workstation reads (src/core/review.c).
-- uses: functions/session.sql functions/audit.sql functions/account_actions.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- A new dispute or a new bad mark waits for a new decision (028's triggers).
CREATE OR REPLACE FUNCTION review_mark_reset() RETURNS trigger
LANGUAGE plpgsql SET search_path = cobro, pg_temp AS $$
BEGIN
	IF TG_TABLE_NAME = 'account' THEN
		NEW.dispute_kept_at := NULL;
		NEW.dispute_kept_by := NULL;
	ELSE
		NEW.bad_confirmed_at := NULL;
		NEW.bad_confirmed_by := NULL;
	END IF;
	RETURN NEW;
END
$$;

-- Who may read the queues and decide: a supervisor or lead (of a team), an
-- administrator.
CREATE OR REPLACE FUNCTION review_allowed() RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	IF NOT (i_am('cobro_admin') OR (i_am('cobro_supervisor') AND my_team_id() IS NOT NULL)) THEN
		RAISE EXCEPTION 'the review queues are for supervisors, leads and administrators' USING ERRCODE = '42501';
	END IF;
END
$$;

-- The accounts in dispute that wait for a decision, oldest first: who
-- raised it, when, and why (the call's note, or the note written with it).
CREATE OR REPLACE FUNCTION review_disputes()
RETURNS TABLE (account_id bigint, reference text, debtor text, agent_login text, currency text, balance bigint,
               raised_by text, raised_at timestamptz, reason text)
LANGUAGE plpgsql STABLE SET search_path = cobro, pg_temp AS $$
BEGIN
	PERFORM review_allowed();
	RETURN QUERY
	SELECT a.id, a.reference, d.name, coalesce(g.login, ''), a.currency::text, a.balance,
	       coalesce(rb.login, ''), coalesce(r.at, a.updated_at), coalesce(why.body, '')
	FROM account a
	JOIN debtor d ON d.id = a.debtor_id
	LEFT JOIN agent g ON g.id = a.agent_id
	LEFT JOIN LATERAL (SELECT e.at, e.agent_id, e.data FROM event e
	                   WHERE e.account_id = a.id AND e.kind = 'status' AND e.outcome = 'dispute'
	                   ORDER BY e.at DESC, e.id DESC LIMIT 1) r ON true
	LEFT JOIN agent rb ON rb.id = r.agent_id
	-- The note came in the same transaction, with the same key.
	LEFT JOIN LATERAL (SELECT e.body FROM event e
	                   WHERE e.account_id = a.id AND e.at = r.at AND e.kind IN ('call', 'note')
	                     AND e.body IS NOT NULL AND e.data->>'key' = r.data->>'key'
	                   ORDER BY e.id LIMIT 1) why ON true
	WHERE a.status = 'dispute' AND a.dispute_kept_at IS NULL
	ORDER BY 8, 1;
END
$$;

-- The contact points marked wrong that wait for a decision, oldest first:
-- the point, an account of its debtor the reader may see (the one the mark
-- was made on when it is), who marked it, when, and the call that did
-- (call_id 0: marked by hand or by cobrod, a bounce).
CREATE OR REPLACE FUNCTION review_wrong_points()
RETURNS TABLE (contact_point_id bigint, kind text, value text, account_id bigint, reference text, debtor text,
               agent_login text, marked_by text, marked_at timestamptz, call_id bigint)
LANGUAGE plpgsql STABLE SET search_path = cobro, pg_temp AS $$
BEGIN
	PERFORM review_allowed();
	RETURN QUERY
	SELECT c.id, c.kind, c.value, a.id, a.reference, d.name, coalesce(g.login, ''), coalesce(mb.login, ''),
	       c.bad_since, coalesce(call.id, 0)
	FROM contact_point c
	JOIN debtor d ON d.id = c.debtor_id
	LEFT JOIN LATERAL (SELECT e.account_id, e.agent_id, e.at, e.data FROM event e
	                   WHERE e.debtor_id = c.debtor_id AND e.at = c.bad_since AND e.kind = 'contact_point'
	                     AND e.outcome = 'bad' AND e.data->>'contact_point' = c.id::text
	                   ORDER BY e.id DESC LIMIT 1) m ON true
	JOIN LATERAL (SELECT x.id, x.reference, x.agent_id FROM account x WHERE x.debtor_id = c.debtor_id
	              ORDER BY x.id = m.account_id DESC NULLS LAST, x.id LIMIT 1) a ON true
	LEFT JOIN agent g ON g.id = a.agent_id
	LEFT JOIN agent mb ON mb.id = m.agent_id
	LEFT JOIN LATERAL (SELECT e.id FROM event e
	                   WHERE e.account_id = m.account_id AND e.at = m.at AND e.kind = 'call'
	                     AND e.data->>'key' = m.data->>'key'
	                   ORDER BY e.id LIMIT 1) call ON true
	WHERE c.bad_since IS NOT NULL AND c.bad_confirmed_at IS NULL
	ORDER BY 9, 1;
END
$$;

-- The account of a dispute decision, locked, when its dispute still waits;
-- otherwise "decided already: cleared|kept by LOGIN".
CREATE OR REPLACE FUNCTION review_dispute_waiting(p_account bigint) RETURNS account
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a  account;
	who text;
BEGIN
	PERFORM review_allowed();
	a := account_for_lifting(p_account);
	IF a.status = 'dispute' AND a.dispute_kept_at IS NULL THEN
		RETURN a;
	END IF;
	IF a.status = 'dispute' THEN
		SELECT login INTO who FROM agent WHERE id = a.dispute_kept_by;
		RAISE EXCEPTION 'decided already: kept by %', coalesce(who, '?') USING ERRCODE = '55000';
	END IF;
	SELECT g.login INTO who FROM event e LEFT JOIN agent g ON g.id = e.agent_id
	WHERE e.account_id = a.id AND e.kind = 'status' AND e.data->>'from' = 'dispute'
	ORDER BY e.at DESC, e.id DESC LIMIT 1;
	RAISE EXCEPTION 'decided already: cleared by %', coalesce(who, '?') USING ERRCODE = '55000';
END
$$;

-- The point of a point decision, locked, when its bad mark still waits.
CREATE OR REPLACE FUNCTION review_point_waiting(a account, p_point bigint) RETURNS contact_point
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	c  contact_point := account_point(a, p_point);
	who text;
BEGIN
	IF c.bad_since IS NOT NULL AND c.bad_confirmed_at IS NULL THEN
		RETURN c;
	END IF;
	IF c.bad_since IS NOT NULL THEN
		SELECT login INTO who FROM agent WHERE id = c.bad_confirmed_by;
		RAISE EXCEPTION 'decided already: confirmed by %', coalesce(who, '?') USING ERRCODE = '55000';
	END IF;
	SELECT g.login INTO who FROM event e LEFT JOIN agent g ON g.id = e.agent_id
	WHERE e.debtor_id = a.debtor_id AND e.kind = 'contact_point' AND e.outcome = 'good'
	  AND e.data->>'contact_point' = c.id::text
	ORDER BY e.at DESC, e.id DESC LIMIT 1;
	RAISE EXCEPTION 'decided already: restored by %', coalesce(who, '?') USING ERRCODE = '55000';
END
$$;

-- Clears the dispute: the account is active again, back on its collector's
-- worklist. Returns the event.
CREATE OR REPLACE FUNCTION review_dispute_clear(p_account bigint, p_reason text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a account := review_dispute_waiting(p_account);
BEGIN
	RETURN account_lift_dispute(a.id, p_reason);
END
$$;

-- Keeps the dispute: the account stays in dispute (off the worklist) and
-- leaves the queue. The reason is required. Returns the event.
CREATE OR REPLACE FUNCTION review_dispute_keep(p_account bigint, p_reason text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a   account := review_dispute_waiting(p_account);
	why text := note_checked(p_reason, true);
	ev  bigint;
BEGIN
	UPDATE account SET dispute_kept_at = now(), dispute_kept_by = my_agent_id(), updated_at = now()
	WHERE id = a.id;
	INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, body, data)
	VALUES (a.id, a.debtor_id, my_agent_id(), 'status', 'dispute_kept', why, jsonb_build_object('from', 'dispute'))
	RETURNING id INTO ev;
	PERFORM audit_write('DISPUTE KEPT', 'account', a.id, jsonb_build_object('status', 'dispute'),
	                    jsonb_build_object('status', 'dispute', 'reason', why, 'event', ev));
	RETURN ev;
END
$$;

-- Restores the point: it is good again. Returns the event. The lift writes
-- no audit line of its own (the point's audit trigger records the row);
-- the review's names the decision.
CREATE OR REPLACE FUNCTION review_point_restore(p_account bigint, p_point bigint, p_reason text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a  account;
	c  contact_point;
	ev bigint;
BEGIN
	PERFORM review_allowed();
	a := account_for_lifting(p_account);
	c := review_point_waiting(a, p_point);
	ev := contact_point_lift_bad(a.id, c.id, p_reason);
	PERFORM audit_write('CONTACT POINT RESTORED', 'contact_point', c.id, jsonb_build_object('bad_since', c.bad_since),
	                    jsonb_build_object('bad_since', NULL, 'account', a.id, 'event', ev));
	RETURN ev;
END
$$;

-- Confirms the point is wrong: it stays bad and leaves the queue. The
-- reason is required. Returns the event.
CREATE OR REPLACE FUNCTION review_point_confirm(p_account bigint, p_point bigint, p_reason text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a   account;
	c   contact_point;
	why text := note_checked(p_reason, true);
	ev  bigint;
BEGIN
	PERFORM review_allowed();
	a := account_for_lifting(p_account);
	c := review_point_waiting(a, p_point);
	UPDATE contact_point SET bad_confirmed_at = now(), bad_confirmed_by = my_agent_id() WHERE id = c.id;
	INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, body, data)
	VALUES (a.id, a.debtor_id, my_agent_id(), 'contact_point', 'bad_confirmed', why,
	        jsonb_build_object('contact_point', c.id, 'bad_since', c.bad_since))
	RETURNING id INTO ev;
	PERFORM audit_write('CONTACT POINT CONFIRMED BAD', 'contact_point', c.id,
	                    jsonb_build_object('bad_since', c.bad_since),
	                    jsonb_build_object('bad_since', c.bad_since, 'account', a.id, 'reason', why, 'event', ev));
	RETURN ev;
END
$$;

-- The decisions on the caller's own accounts made by someone else since
-- p_since, oldest first, for the collector's workstation to say them as
-- they come (it hears the account's change, and asks here). The owner's
-- rights read the decider's login (an administrator has no team a collector
-- may read); nothing but the caller's own accounts is read. decision:
-- cleared, kept, restored, confirmed.
CREATE OR REPLACE FUNCTION review_decisions(p_since timestamptz)
RETURNS TABLE (event_id bigint, account_id bigint, reference text, decision text, decided_by text, reason text,
               point text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	RETURN QUERY
	SELECT e.id, a.id, a.reference, CASE e.outcome WHEN 'active' THEN 'cleared' WHEN 'dispute_kept' THEN 'kept'
	                                              WHEN 'good' THEN 'restored' ELSE 'confirmed' END,
	       coalesce(g.login, ''), coalesce(e.body, ''), coalesce(c.value, '')
	FROM account a
	JOIN event e ON e.account_id = a.id AND e.at >= p_since
	LEFT JOIN agent g ON g.id = e.agent_id
	LEFT JOIN contact_point c ON c.id = (e.data->>'contact_point')::bigint
	WHERE a.agent_id = my_agent_id() AND e.agent_id IS DISTINCT FROM my_agent_id()
	  AND ((e.kind = 'status' AND e.outcome = 'active' AND e.data->>'from' = 'dispute')
	       OR (e.kind = 'status' AND e.outcome = 'dispute_kept')
	       OR (e.kind = 'contact_point' AND e.outcome = 'good' AND NOT e.data ? 'undoes')
	       OR (e.kind = 'contact_point' AND e.outcome = 'bad_confirmed'))
	ORDER BY e.at, e.id;
END
$$;

REVOKE ALL ON FUNCTION review_decisions(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION review_decisions(timestamptz) TO cobro_collector, cobro_supervisor, cobro_admin;

REVOKE ALL ON FUNCTION review_mark_reset(), review_allowed(), review_disputes(), review_wrong_points(),
	review_dispute_waiting(bigint), review_point_waiting(account, bigint), review_dispute_clear(bigint, text),
	review_dispute_keep(bigint, text), review_point_restore(bigint, bigint, text),
	review_point_confirm(bigint, bigint, text) FROM PUBLIC;
-- review_disputes() and review_wrong_points() call review_allowed() as the
-- caller: it is granted with them.
GRANT EXECUTE ON FUNCTION review_allowed(), review_disputes(), review_wrong_points(),
	review_dispute_clear(bigint, text), review_dispute_keep(bigint, text),
	review_point_restore(bigint, bigint, text), review_point_confirm(bigint, bigint, text)
	TO cobro_supervisor, cobro_admin;
