-- What people change on an account, and only this way (016_state_through_functions.sql
-- took their direct grants; docs/security.md, "State changes").
--
-- The workstation's actions (a call and its outcome, a note, a callback, a
-- dispute raised, a number marked bad) are functions a collector calls on an
-- account they work, a supervisor on an account of their team. Lifting a
-- dispute or a bad mark is a supervisor's (their team) or an administrator's;
-- lifting an opt-out, the administrator's alone, on the debtor's word. Each
-- function checks who asks (my_agent_id(), my_team_id(), i_am(): session_user,
-- which SET ROLE cannot change), refuses what the workstation would not send,
-- sets every time from now(), and records an event and an audit row (the
-- contact point's own audit trigger records its changes).
--
-- The actions of the workstation carry a key made there (a UUID), claimed
-- once (saved_key, 021_saved_keys.sql): a save repeated after a lost
-- connection, or days later from the workstation's file, changes nothing more.
-- uses: functions/session.sql functions/audit.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- The longest note, in characters (src/core/contact.h, CONTACT_NOTE_MAX).
CREATE OR REPLACE FUNCTION note_max() RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT 2000 $$;

-- A note as it may be stored: NULL when blank and not required; refused
-- when longer than note_max(), not text (control characters other than
-- newline and tab), or blank but required.
CREATE OR REPLACE FUNCTION note_checked(p_text text, p_required boolean) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = cobro, pg_temp AS $$
BEGIN
	IF p_text IS NULL OR p_text ~ '^[ \t\n]*$' THEN
		IF p_required THEN
			RAISE EXCEPTION 'the note is empty' USING ERRCODE = '22023';
		END IF;
		RETURN NULL;
	END IF;
	IF length(p_text) > note_max() THEN
		RAISE EXCEPTION 'the note is longer than % characters', note_max() USING ERRCODE = '22001';
	END IF;
	IF p_text ~ '[\x01-\x08\x0b-\x1f\x7f-\x9f]' THEN
		RAISE EXCEPTION 'the note holds control characters' USING ERRCODE = '22023';
	END IF;
	RETURN p_text;
END
$$;

-- The account the caller works, locked for the change: a collector's own
-- (in their own team), any of a supervisor's (or lead's) team. Anything
-- else, an account that does not exist included, is "no such account".
CREATE OR REPLACE FUNCTION account_for_work(p_account bigint) RETURNS account
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	me   bigint := my_agent_id();
	team bigint := my_team_id();
	a    account;
BEGIN
	IF me IS NOT NULL AND team IS NOT NULL THEN
		SELECT * INTO a FROM account x WHERE x.id = p_account AND x.team_id = team
		    AND ((x.agent_id = me AND i_am('cobro_collector')) OR i_am('cobro_supervisor'))
		FOR UPDATE;
	END IF;
	IF a.id IS NULL THEN
		RAISE EXCEPTION 'no such account' USING ERRCODE = '42501';
	END IF;
	RETURN a;
END
$$;

-- The event an earlier save with this key made on the account, if any;
-- NULL the first time, when the key is claimed (saved_key, 021_saved_keys.sql):
-- the claim commits with the save, so a save repeated however late (from
-- the workstation's file of saves kept on disk) is never made twice. The
-- account is locked (account_for_work()) before, so two saves with one key
-- wait for each other. A key is one save's, on one account.
-- plpgsql: 016 makes this file before 021 makes the table.
CREATE OR REPLACE FUNCTION account_action_done(p_account bigint, p_key uuid) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	k record; -- a row of saved_key
BEGIN
	IF p_key IS NULL THEN
		RETURN NULL; -- refused by the caller
	END IF;
	INSERT INTO saved_key (key, account_id, agent_id) VALUES (p_key, p_account, my_agent_id())
	ON CONFLICT (key) DO NOTHING;
	IF FOUND THEN
		RETURN NULL;
	END IF;
	SELECT * INTO k FROM saved_key WHERE key = p_key;
	IF k.account_id <> p_account THEN
		RAISE EXCEPTION 'this key was used on another account' USING ERRCODE = '23505';
	END IF;
	RETURN (SELECT e.id FROM event e
	        WHERE e.account_id = p_account AND e.at >= k.at AND e.data->>'key' = p_key::text
	        ORDER BY e.id LIMIT 1);
END
$$;

-- One of the debtor's contact points, as the caller names it.
CREATE OR REPLACE FUNCTION account_point(a account, p_point bigint) RETURNS contact_point
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	c contact_point;
BEGIN
	SELECT * INTO c FROM contact_point WHERE id = p_point AND debtor_id = a.debtor_id FOR UPDATE;
	IF c.id IS NULL THEN
		RAISE EXCEPTION 'no such contact point for this debtor' USING ERRCODE = '23503';
	END IF;
	RETURN c;
END
$$;

-- Marks a point bad once; the contact point's audit trigger records it.
CREATE OR REPLACE FUNCTION account_mark_bad(a account, p_point bigint, p_key uuid, p_why text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	c contact_point := account_point(a, p_point);
BEGIN
	IF c.kind NOT IN ('phone', 'mobile', 'whatsapp', 'email') THEN
		RAISE EXCEPTION 'contact point % is not a number or an address', c.id USING ERRCODE = '23514';
	END IF;
	IF c.bad_since IS NULL THEN
		UPDATE contact_point SET bad_since = now() WHERE id = c.id;
		INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, data)
		VALUES (a.id, a.debtor_id, my_agent_id(), 'contact_point', 'bad',
		        jsonb_build_object('contact_point', c.id, 'why', p_why, 'key', p_key));
	END IF;
END
$$;

-- Raises a dispute: the account leaves the worklist until a supervisor lifts it.
CREATE OR REPLACE FUNCTION account_set_dispute(a account, p_key uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	IF a.status = 'dispute' THEN
		RETURN;
	END IF;
	IF a.status <> 'active' THEN
		RAISE EXCEPTION 'account % is %, not active: no dispute to raise', a.id, a.status USING ERRCODE = '55000';
	END IF;
	UPDATE account SET status = 'dispute', updated_at = now() WHERE id = a.id;
	INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, data)
	VALUES (a.id, a.debtor_id, my_agent_id(), 'status', 'dispute',
	        jsonb_build_object('from', a.status, 'key', p_key));
	PERFORM audit_write('DISPUTE', 'account', a.id, jsonb_build_object('status', a.status),
	                    jsonb_build_object('status', 'dispute'));
END
$$;

-- Working an account completes its callbacks that are due (issue 15, line 3):
-- a due callback left open kept the account at the top of the worklist, and
-- `n` opened it again after a call. The account's next action becomes its
-- next callback still ahead, if any. Records a 'callback' 'done' event (with
-- p_key, p_by the event that worked it) and an audit row; NULL when nothing
-- was due.
CREATE OR REPLACE FUNCTION account_callbacks_done(a account, p_key uuid, p_by bigint, p_note text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	ids  bigint[];
	next timestamptz;
	ev   bigint;
BEGIN
	WITH d AS (UPDATE callback SET done_at = now()
	           WHERE account_id = a.id AND done_at IS NULL AND due_at <= now() RETURNING id)
	SELECT array_agg(id ORDER BY id) INTO ids FROM d;
	IF ids IS NULL AND (a.next_action_at IS NULL OR a.next_action_at > now()) THEN
		RETURN NULL;
	END IF;
	SELECT min(due_at) INTO next FROM callback WHERE account_id = a.id AND done_at IS NULL;
	UPDATE account SET next_action_at = next, updated_at = now() WHERE id = a.id;
	INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, body, data)
	VALUES (a.id, a.debtor_id, my_agent_id(), 'callback', 'done', p_note,
	        jsonb_strip_nulls(jsonb_build_object('key', p_key, 'callbacks', ids, 'by', p_by,
	                                             'due', a.next_action_at)))
	RETURNING id INTO ev;
	PERFORM audit_write('CALLBACK DONE', 'account', a.id, jsonb_build_object('next_action_at', a.next_action_at),
	                    jsonb_build_object('next_action_at', next, 'event', ev));
	RETURN ev;
END
$$;

REVOKE ALL ON FUNCTION note_checked(text, boolean), account_for_work(bigint), account_action_done(bigint, uuid),
	account_point(account, bigint), account_mark_bad(account, bigint, uuid, text),
	account_set_dispute(account, uuid), account_callbacks_done(account, uuid, bigint, text) FROM PUBLIC;

-- ------------------------------------------------------- the workstation's
-- The outcomes the workstation offers (src/core/contact.c, outcome_codes).
CREATE OR REPLACE FUNCTION call_outcomes() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['right_party', 'third_party', 'no_answer', 'busy', 'wrong_number', 'left_message',
	             'refused', 'dispute']
$$;

-- A call and its outcome on p_point, the number dialled (NULL: not said; it
-- must be one of the debtor's numbers). Sets last_contact_at; wrong_number
-- marks the point bad and must name it; dispute raises a dispute and must say
-- why (the note). The call works the account: a callback due is done (issue
-- 15, line 3). Returns the call's event.
CREATE OR REPLACE FUNCTION account_log_call(p_key uuid, p_account bigint, p_outcome text, p_point bigint,
                                            p_note text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a    account := account_for_work(p_account);
	note text := note_checked(p_note, false);
	ev   bigint := account_action_done(a.id, p_key);
BEGIN
	IF ev IS NOT NULL THEN
		RETURN ev;
	END IF;
	IF p_key IS NULL THEN
		RAISE EXCEPTION 'a call needs its key' USING ERRCODE = '22004';
	END IF;
	IF p_outcome IS NULL OR NOT (p_outcome = ANY (call_outcomes())) THEN
		RAISE EXCEPTION 'no call outcome "%"', left(p_outcome, 40) USING ERRCODE = '22023';
	END IF;
	IF p_point IS NOT NULL AND (account_point(a, p_point)).kind NOT IN ('phone', 'mobile', 'whatsapp') THEN
		RAISE EXCEPTION 'contact point % is not a number to dial', p_point USING ERRCODE = '23514';
	END IF;
	IF p_outcome = 'wrong_number' AND p_point IS NULL THEN
		RAISE EXCEPTION 'a wrong number names the number' USING ERRCODE = '22004';
	END IF;
	IF p_outcome = 'dispute' AND note IS NULL THEN
		RAISE EXCEPTION 'a dispute needs its reason' USING ERRCODE = '22004';
	END IF;
	IF p_outcome = 'wrong_number' THEN
		PERFORM account_mark_bad(a, p_point, p_key, 'wrong_number');
	ELSIF p_outcome = 'dispute' THEN
		PERFORM account_set_dispute(a, p_key);
	END IF;
	UPDATE account SET last_contact_at = now(), updated_at = now() WHERE id = a.id;
	INSERT INTO event (account_id, debtor_id, agent_id, kind, direction, outcome, body, data)
	VALUES (a.id, a.debtor_id, my_agent_id(), 'call', 'out', p_outcome, note,
	        jsonb_strip_nulls(jsonb_build_object('key', p_key, 'contact_point', p_point)))
	RETURNING id INTO ev;
	PERFORM audit_write('CALL', 'account', a.id, NULL,
	                    jsonb_build_object('event', ev, 'outcome', p_outcome, 'contact_point', p_point));
	PERFORM account_callbacks_done(a, p_key, ev, NULL);
	RETURN ev;
END
$$;

-- The collector says the account is worked without a call (they wrote, the
-- debtor called in): its due callback is done. Returns the event.
CREATE OR REPLACE FUNCTION account_complete_callback(p_key uuid, p_account bigint, p_note text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a    account := account_for_work(p_account);
	note text := note_checked(p_note, false);
	ev   bigint := account_action_done(a.id, p_key);
BEGIN
	IF ev IS NOT NULL THEN
		RETURN ev;
	END IF;
	IF p_key IS NULL THEN
		RAISE EXCEPTION 'a callback done needs its key' USING ERRCODE = '22004';
	END IF;
	ev := account_callbacks_done(a, p_key, NULL, note);
	IF ev IS NULL THEN
		RAISE EXCEPTION 'no callback is due on account %', a.id USING ERRCODE = '55000';
	END IF;
	RETURN ev;
END
$$;

-- Takes back what a call marked (issue 15, line 6): the number it marked
-- wrong is good again, the dispute it raised is lifted. Only the person who
-- logged the call, and only for undo_setting.window_seconds after it
-- (022_undo_window.sql); later, or anyone else's, is a supervisor's to lift
-- with a reason. p_call is the call's key. Returns the undo's first event.
CREATE OR REPLACE FUNCTION account_undo_call(p_key uuid, p_account bigint, p_call uuid)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a    account := account_for_work(p_account);
	ev   bigint := account_action_done(a.id, p_key);
	c    event;
	mark event;
	cp   contact_point;
	secs integer := coalesce((SELECT s.window_seconds FROM undo_setting s), 600);
	done jsonb := '{}';
BEGIN
	IF ev IS NOT NULL THEN
		RETURN ev;
	END IF;
	IF p_key IS NULL OR p_call IS NULL THEN
		RAISE EXCEPTION 'an undo needs its key and the call''s' USING ERRCODE = '22004';
	END IF;
	SELECT * INTO c FROM event e
	WHERE e.account_id = a.id AND e.kind = 'call' AND e.at > now() - interval '1 day' AND e.data->>'key' = p_call::text
	ORDER BY e.id LIMIT 1;
	IF c.id IS NULL THEN
		RAISE EXCEPTION 'no call % on account % to undo', p_call, a.id USING ERRCODE = 'P0002';
	END IF;
	IF c.agent_id IS DISTINCT FROM my_agent_id() THEN
		RAISE EXCEPTION 'only who logged a call may undo it; a supervisor lifts what it marked'
			USING ERRCODE = '42501';
	END IF;
	IF c.at < now() - make_interval(secs => secs) THEN
		RAISE EXCEPTION 'too late: a call is undone within % seconds; a supervisor lifts what it marked', secs
			USING ERRCODE = '55000';
	END IF;
	IF EXISTS (SELECT 1 FROM event e WHERE e.account_id = a.id AND e.at >= c.at AND e.data->>'undoes' = p_call::text) THEN
		RAISE EXCEPTION 'that call was undone already' USING ERRCODE = '55000';
	END IF;
	IF c.outcome = 'wrong_number' THEN
		SELECT * INTO mark FROM event e WHERE e.account_id = a.id AND e.at = c.at AND e.kind = 'contact_point'
		  AND e.outcome = 'bad' AND e.data->>'key' = p_call::text;
		IF mark.id IS NOT NULL THEN
			cp := account_point(a, (mark.data->>'contact_point')::bigint);
		END IF;
		-- Still the mark this call made: not lifted and marked again since.
		IF cp.bad_since = mark.at THEN
			UPDATE contact_point SET bad_since = NULL WHERE id = cp.id;
			INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, data)
			VALUES (a.id, a.debtor_id, my_agent_id(), 'contact_point', 'good',
			        jsonb_build_object('contact_point', cp.id, 'bad_since', cp.bad_since, 'key', p_key,
			                           'undoes', p_call));
			done := jsonb_build_object('contact_point', cp.id);
		END IF;
	ELSIF c.outcome = 'dispute' AND a.status = 'dispute'
	      AND EXISTS (SELECT 1 FROM event e WHERE e.account_id = a.id AND e.at = c.at AND e.kind = 'status'
	                    AND e.outcome = 'dispute' AND e.data->>'key' = p_call::text) THEN
		UPDATE account SET status = 'active', updated_at = now() WHERE id = a.id;
		INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, data)
		VALUES (a.id, a.debtor_id, my_agent_id(), 'status', 'active',
		        jsonb_build_object('from', 'dispute', 'key', p_key, 'undoes', p_call));
		done := jsonb_build_object('status', 'active');
	END IF;
	IF done = '{}' THEN
		RAISE EXCEPTION 'the call marked nothing that is still marked' USING ERRCODE = '55000';
	END IF;
	PERFORM audit_write('UNDO', 'account', a.id, jsonb_build_object('call', c.id, 'outcome', c.outcome),
	                    done || jsonb_build_object('undoes', p_call));
	RETURN account_action_done(a.id, p_key);
END
$$;

-- A note on the account. Returns its event.
CREATE OR REPLACE FUNCTION account_add_note(p_key uuid, p_account bigint, p_note text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a    account := account_for_work(p_account);
	note text := note_checked(p_note, true);
	ev   bigint := account_action_done(a.id, p_key);
BEGIN
	IF ev IS NOT NULL THEN
		RETURN ev;
	END IF;
	IF p_key IS NULL THEN
		RAISE EXCEPTION 'a note needs its key' USING ERRCODE = '22004';
	END IF;
	INSERT INTO event (account_id, debtor_id, agent_id, kind, body, data)
	VALUES (a.id, a.debtor_id, my_agent_id(), 'note', note, jsonb_build_object('key', p_key))
	RETURNING id INTO ev;
	PERFORM audit_write('NOTE', 'account', a.id, NULL, jsonb_build_object('event', ev));
	RETURN ev;
END
$$;

-- A callback at p_due, typed in zone p_zone (kept to show it back): not in
-- the past (a minute of slack for the clocks), at most a year ahead. Sets
-- the account's next action. Returns its event.
CREATE OR REPLACE FUNCTION account_schedule_callback(p_key uuid, p_account bigint, p_due timestamptz,
                                                     p_zone text, p_note text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a    account := account_for_work(p_account);
	note text := note_checked(p_note, false);
	ev   bigint := account_action_done(a.id, p_key);
BEGIN
	IF ev IS NOT NULL THEN
		RETURN ev;
	END IF;
	IF p_key IS NULL THEN
		RAISE EXCEPTION 'a callback needs its key' USING ERRCODE = '22004';
	END IF;
	IF p_due IS NULL OR p_due < now() - interval '1 minute' THEN
		RAISE EXCEPTION 'a callback cannot be in the past' USING ERRCODE = '22008';
	END IF;
	IF p_due > now() + interval '1 year' THEN
		RAISE EXCEPTION 'a callback is at most a year ahead' USING ERRCODE = '22008';
	END IF;
	IF p_zone IS NULL OR p_zone !~ '^[A-Za-z][A-Za-z0-9_+/-]{0,63}$' THEN
		RAISE EXCEPTION 'no time zone "%"', left(p_zone, 64) USING ERRCODE = '22023';
	END IF;
	INSERT INTO callback (account_id, agent_id, due_at, zone, note)
	VALUES (a.id, my_agent_id(), p_due, p_zone, note);
	UPDATE account SET next_action_at = p_due, updated_at = now() WHERE id = a.id;
	INSERT INTO event (account_id, debtor_id, agent_id, kind, body, data)
	VALUES (a.id, a.debtor_id, my_agent_id(), 'callback', note,
	        jsonb_build_object('key', p_key, 'due', p_due, 'zone', p_zone))
	RETURNING id INTO ev;
	PERFORM audit_write('CALLBACK', 'account', a.id, jsonb_build_object('next_action_at', a.next_action_at),
	                    jsonb_build_object('next_action_at', p_due, 'event', ev));
	RETURN ev;
END
$$;

-- A dispute raised without a call (the debtor wrote). Returns its event.
CREATE OR REPLACE FUNCTION account_raise_dispute(p_key uuid, p_account bigint, p_note text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a    account := account_for_work(p_account);
	note text := note_checked(p_note, false);
	ev   bigint := account_action_done(a.id, p_key);
BEGIN
	IF ev IS NOT NULL THEN
		RETURN ev;
	END IF;
	IF p_key IS NULL THEN
		RAISE EXCEPTION 'a dispute needs its key' USING ERRCODE = '22004';
	END IF;
	PERFORM account_set_dispute(a, p_key);
	IF note IS NOT NULL THEN
		INSERT INTO event (account_id, debtor_id, agent_id, kind, body, data)
		VALUES (a.id, a.debtor_id, my_agent_id(), 'note', note, jsonb_build_object('key', p_key));
	END IF;
	RETURN account_action_done(a.id, p_key);
END
$$;

-- One of the account's debtor's numbers or addresses is wrong. Returns the
-- event (NULL when it was marked bad already).
CREATE OR REPLACE FUNCTION contact_point_mark_bad(p_key uuid, p_account bigint, p_point bigint)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a  account := account_for_work(p_account);
	ev bigint := account_action_done(a.id, p_key);
BEGIN
	IF ev IS NOT NULL THEN
		RETURN ev;
	END IF;
	IF p_key IS NULL THEN
		RAISE EXCEPTION 'marking a point bad needs its key' USING ERRCODE = '22004';
	END IF;
	PERFORM account_mark_bad(a, p_point, p_key, 'marked');
	RETURN account_action_done(a.id, p_key);
END
$$;

REVOKE ALL ON FUNCTION account_log_call(uuid, bigint, text, bigint, text), account_add_note(uuid, bigint, text),
	account_schedule_callback(uuid, bigint, timestamptz, text, text), account_raise_dispute(uuid, bigint, text),
	contact_point_mark_bad(uuid, bigint, bigint), account_complete_callback(uuid, bigint, text),
	account_undo_call(uuid, bigint, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION account_log_call(uuid, bigint, text, bigint, text), account_add_note(uuid, bigint, text),
	account_schedule_callback(uuid, bigint, timestamptz, text, text), account_raise_dispute(uuid, bigint, text),
	contact_point_mark_bad(uuid, bigint, bigint), account_complete_callback(uuid, bigint, text),
	account_undo_call(uuid, bigint, uuid)
	TO cobro_collector, cobro_supervisor;

-- ------------------------------------------------------------- lifting
-- Who may lift on an account: a supervisor (or lead) of its team, an
-- administrator. Returns the account, locked.
CREATE OR REPLACE FUNCTION account_for_lifting(p_account bigint) RETURNS account
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a account;
BEGIN
	IF i_am('cobro_admin') THEN
		SELECT * INTO a FROM account WHERE id = p_account FOR UPDATE;
	ELSIF i_am('cobro_supervisor') AND my_team_id() IS NOT NULL THEN
		SELECT * INTO a FROM account WHERE id = p_account AND team_id = my_team_id() FOR UPDATE;
	END IF;
	IF a.id IS NULL THEN
		RAISE EXCEPTION 'no such account' USING ERRCODE = '42501';
	END IF;
	RETURN a;
END
$$;
REVOKE ALL ON FUNCTION account_for_lifting(bigint) FROM PUBLIC;

-- Lifts a dispute: the account is active again. The reason is required.
CREATE OR REPLACE FUNCTION account_lift_dispute(p_account bigint, p_reason text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a   account := account_for_lifting(p_account);
	why text := note_checked(p_reason, true);
	ev  bigint;
BEGIN
	IF a.status <> 'dispute' THEN
		RAISE EXCEPTION 'account % is %, not in dispute', a.id, a.status USING ERRCODE = '55000';
	END IF;
	UPDATE account SET status = 'active', updated_at = now() WHERE id = a.id;
	INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, body, data)
	VALUES (a.id, a.debtor_id, my_agent_id(), 'status', 'active', why, jsonb_build_object('from', 'dispute'))
	RETURNING id INTO ev;
	PERFORM audit_write('DISPUTE LIFTED', 'account', a.id, jsonb_build_object('status', 'dispute'),
	                    jsonb_build_object('status', 'active', 'reason', why, 'event', ev));
	RETURN ev;
END
$$;

-- The point of the account's debtor that is bad is good again (the debtor
-- gave the number anew). The reason is required.
CREATE OR REPLACE FUNCTION contact_point_lift_bad(p_account bigint, p_point bigint, p_reason text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a   account := account_for_lifting(p_account);
	why text := note_checked(p_reason, true);
	c   contact_point := account_point(a, p_point);
	ev  bigint;
BEGIN
	IF c.bad_since IS NULL THEN
		RAISE EXCEPTION 'contact point % is not marked bad', c.id USING ERRCODE = '55000';
	END IF;
	UPDATE contact_point SET bad_since = NULL WHERE id = c.id;
	INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, body, data)
	VALUES (a.id, a.debtor_id, my_agent_id(), 'contact_point', 'good', why,
	        jsonb_build_object('contact_point', c.id, 'bad_since', c.bad_since))
	RETURNING id INTO ev;
	RETURN ev;
END
$$;

-- Lifts an opt-out of one channel on a point: the debtor asked to be written
-- to again (the administrator records how, in the reason). The STOP itself
-- is cobrod's (functions/message_inbound.sql).
CREATE OR REPLACE FUNCTION contact_point_lift_optout(p_account bigint, p_point bigint, p_channel text,
                                                     p_reason text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a   account;
	why text := note_checked(p_reason, true);
	c   contact_point;
	ev  bigint;
BEGIN
	IF NOT i_am('cobro_admin') THEN
		RAISE EXCEPTION 'only an administrator lifts an opt-out' USING ERRCODE = '42501';
	END IF;
	a := account_for_lifting(p_account);
	c := account_point(a, p_point);
	IF p_channel IS NULL OR NOT (p_channel = ANY (c.opted_out)) THEN
		RAISE EXCEPTION 'contact point % has not opted out of %', c.id, left(p_channel, 20) USING ERRCODE = '55000';
	END IF;
	UPDATE contact_point SET opted_out = array_remove(opted_out, p_channel),
	       opted_out_at = CASE WHEN cardinality(array_remove(opted_out, p_channel)) = 0 THEN NULL ELSE opted_out_at END
	WHERE id = c.id;
	INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, body, data)
	VALUES (a.id, a.debtor_id, my_agent_id(), 'optout', 'lifted', why,
	        jsonb_build_object('contact_point', c.id, 'channel', p_channel))
	RETURNING id INTO ev;
	RETURN ev;
END
$$;

REVOKE ALL ON FUNCTION account_lift_dispute(bigint, text), contact_point_lift_bad(bigint, bigint, text),
	contact_point_lift_optout(bigint, bigint, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION account_lift_dispute(bigint, text), contact_point_lift_bad(bigint, bigint, text)
	TO cobro_supervisor, cobro_admin;
GRANT EXECUTE ON FUNCTION contact_point_lift_optout(bigint, bigint, text, text) TO cobro_admin;
