-- Data cleaning (issue 18, line 3; 033_cleaning.sql): who to ask for a
-- current number, the asking itself (a message in the outbox, as
-- message_queue() makes one, for the daemon), the numbers a reply brings
-- (proposed points) and a collector's decision on each.
-- uses: functions/session.sql functions/audit.sql functions/account_actions.sql functions/message_inbound.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- Whether a number keeps failing: its last p_n messages (on any channel)
-- all failed. Fewer than p_n messages is not "keeps failing".
CREATE OR REPLACE FUNCTION cleaning_point_failing(p_point bigint, p_n integer) RETURNS boolean
LANGUAGE sql STABLE SET search_path = cobro, pg_temp AS $$
	SELECT p_n >= 1 AND count(*) = p_n AND bool_and(x.status = 'failed')
	FROM (SELECT m.status FROM message m WHERE m.contact_point_id = p_point
	      ORDER BY m.created_at DESC, m.id DESC LIMIT greatest(p_n, 0)) x
$$;
REVOKE ALL ON FUNCTION cleaning_point_failing(bigint, integer) FROM PUBLIC;

-- The asks a cleaning run makes at p_at: for every debtor with an active
-- account (with a balance, in an active state) whose every number (phone,
-- mobile, whatsapp; proposed ones do not count) is marked bad or keeps
-- failing (p_after_failures), who has no proposed number waiting for a
-- collector, one row per channel of p_channels (in that order) on which a
-- point is left: an email, or a WhatsApp number not marked bad, neither
-- opted out of the channel, the primary first; none when that channel
-- asked them less than p_every_days before p_at. The account is the
-- debtor's oldest active one (the message is filed under it). p_team (a
-- team's code; NULL: every team) keeps to the debtors of that team's
-- accounts: an operator trying the cleaning on one team first; p_segments
-- (NULL: all) to the accounts a run placed in one of those segments
-- (account_strategy), as the strategy's cleaning.segments says. Read by the
-- daemon and administrators (cobroctl strategy clean).
CREATE OR REPLACE FUNCTION cleaning_due(p_after_failures integer, p_every_days integer, p_channels text[],
                                        p_at timestamptz, p_team text, p_segments text[])
RETURNS TABLE (account_id bigint, debtor_id bigint, point_id bigint, channel text, language text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	IF NOT (i_am('cobro_admin') OR i_am('cobro_daemon')) THEN
		RAISE EXCEPTION 'only cobrod and administrators run the cleaning' USING ERRCODE = '42501';
	END IF;
	IF p_after_failures IS NULL OR p_after_failures < 1 OR p_every_days IS NULL OR p_every_days < 1
	   OR p_at IS NULL THEN
		RAISE EXCEPTION 'cleaning_due: after_failures and every_days must be at least 1, and the moment given'
			USING ERRCODE = '22023';
	END IF;
	RETURN QUERY
	WITH maybe AS (
		-- Only a debtor with a number marked bad or a message that failed
		-- can have every number gone: the rest of the portfolio is never
		-- looked at number by number.
		SELECT c.debtor_id FROM contact_point c
		WHERE c.kind IN ('phone', 'mobile', 'whatsapp') AND c.proposal IS NULL AND c.bad_since IS NOT NULL
		UNION
		SELECT m.debtor_id FROM message m WHERE m.status = 'failed' AND m.contact_point_id IS NOT NULL
	), gone AS (
		-- Debtors whose every number is gone: only those that have one.
		SELECT c.debtor_id
		FROM maybe y JOIN contact_point c ON c.debtor_id = y.debtor_id
		WHERE c.kind IN ('phone', 'mobile', 'whatsapp') AND c.proposal IS NULL
		GROUP BY c.debtor_id
		HAVING bool_and(c.bad_since IS NOT NULL OR cleaning_point_failing(c.id, p_after_failures))
	), asked AS (
		SELECT g.debtor_id, d.language,
		       (SELECT min(a.id) FROM account a
		        WHERE a.debtor_id = g.debtor_id AND a.status = 'active' AND a.balance > 0
		          AND (p_team IS NULL OR a.team_id = (SELECT t.id FROM team t WHERE t.code = p_team))
		          AND (p_segments IS NULL OR EXISTS (SELECT 1 FROM account_strategy s
		                                             WHERE s.account_id = a.id AND s.segment = ANY (p_segments))))
		       AS account_id
		FROM gone g JOIN debtor d ON d.id = g.debtor_id
		WHERE d.state = 'active'
		  AND NOT EXISTS (SELECT 1 FROM contact_point p
		                  WHERE p.debtor_id = g.debtor_id AND p.proposal = 'proposed')
	)
	SELECT k.account_id, k.debtor_id, pt.id, ch.channel, k.language
	FROM asked k
	CROSS JOIN LATERAL unnest(p_channels) WITH ORDINALITY AS ch(channel, ord)
	CROSS JOIN LATERAL (
		SELECT c.id FROM contact_point c
		WHERE c.debtor_id = k.debtor_id AND c.proposal IS NULL AND c.bad_since IS NULL
		  AND NOT (ch.channel = ANY (c.opted_out))
		  AND (ch.channel = 'email' AND c.kind = 'email' OR ch.channel = 'whatsapp' AND c.kind = 'whatsapp')
		ORDER BY c.is_primary DESC, c.id LIMIT 1) pt
	WHERE k.account_id IS NOT NULL
	  AND NOT EXISTS (SELECT 1 FROM cleaning_request r
	                  WHERE r.debtor_id = k.debtor_id AND r.channel = ch.channel
	                    AND r.asked_at > p_at - make_interval(days => p_every_days))
	ORDER BY k.debtor_id, ch.ord;
END
$$;
REVOKE ALL ON FUNCTION cleaning_due(integer, integer, text[], timestamptz, text, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cleaning_due(integer, integer, text[], timestamptz, text, text[]) TO cobro_daemon, cobro_admin;

-- Queues one ask rendered by the caller (src/core/cleaning.c) with its
-- history event, as message_queue() does for a person, but for the
-- daemon's (or an administrator's) run: agent NULL, ladder 'cleaning',
-- step the template's code. Everything cleaning_due() said is checked
-- again under the debtor's lock, so two cobrods (or cobrod and cobroctl) at
-- once ask once: the account active, the point the debtor's, usable for
-- the channel (not bad, not opted out, not proposed), every number still
-- gone, and no ask on this channel less than p_every_days before p_at
-- (then NULL is returned: nothing queued). The contact policy is cobrod's
-- to judge when it sends, as for every message. A retry with the same key
-- returns the message already queued.
CREATE OR REPLACE FUNCTION cleaning_queue(p_key uuid, p_account bigint, p_point bigint, p_channel text,
                                          p_template bigint, p_subject text, p_body text, p_params jsonb,
                                          p_after_failures integer, p_every_days integer, p_at timestamptz)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a record;
	c contact_point;
	t record;
	m bigint;
BEGIN
	IF NOT (i_am('cobro_admin') OR i_am('cobro_daemon')) THEN
		RAISE EXCEPTION 'only cobrod and administrators run the cleaning' USING ERRCODE = '42501';
	END IF;
	IF p_key IS NULL OR p_account IS NULL OR p_point IS NULL OR p_channel IS NULL OR p_body IS NULL
	   OR p_template IS NULL OR p_at IS NULL OR p_every_days IS NULL OR p_after_failures IS NULL THEN
		RAISE EXCEPTION 'cleaning_queue: every argument but the subject and params is required'
			USING ERRCODE = '22004';
	END IF;
	SELECT x.id, x.debtor_id, d.language, x.status, x.balance, d.state INTO a
	FROM account x JOIN debtor d ON d.id = x.debtor_id WHERE x.id = p_account;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no such account' USING ERRCODE = '42501';
	END IF;
	-- One run at a time per debtor: the second waits here, then finds the ask.
	PERFORM 1 FROM debtor WHERE id = a.debtor_id FOR UPDATE;
	SELECT m2.id INTO m FROM message m2 WHERE m2.idempotency_key = p_key;
	IF FOUND THEN
		IF NOT EXISTS (SELECT 1 FROM message m3 WHERE m3.id = m AND m3.account_id = a.id AND m3.ladder = 'cleaning') THEN
			RAISE EXCEPTION 'this idempotency key belongs to another message' USING ERRCODE = '23505';
		END IF;
		RETURN m;
	END IF;
	IF a.status <> 'active' OR a.balance <= 0 OR a.state <> 'active' THEN
		RAISE EXCEPTION 'account % is not active', a.id USING ERRCODE = '55000';
	END IF;
	IF p_channel NOT IN ('email', 'whatsapp') THEN
		RAISE EXCEPTION 'the cleaning asks by email or WhatsApp, not %', left(p_channel, 20) USING ERRCODE = '22023';
	END IF;
	SELECT * INTO c FROM contact_point WHERE id = p_point AND debtor_id = a.debtor_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no contact point % for this debtor', p_point USING ERRCODE = '23503';
	END IF;
	IF c.kind <> p_channel OR c.bad_since IS NOT NULL OR c.proposal IS NOT NULL OR p_channel = ANY (c.opted_out) THEN
		RAISE EXCEPTION 'contact point % cannot carry % now', c.id, p_channel USING ERRCODE = '23514';
	END IF;
	IF EXISTS (SELECT 1 FROM contact_point x
	           WHERE x.debtor_id = a.debtor_id AND x.kind IN ('phone', 'mobile', 'whatsapp') AND x.proposal IS NULL
	             AND x.bad_since IS NULL AND NOT cleaning_point_failing(x.id, p_after_failures))
	   OR NOT EXISTS (SELECT 1 FROM contact_point x
	                  WHERE x.debtor_id = a.debtor_id AND x.kind IN ('phone', 'mobile', 'whatsapp')
	                    AND x.proposal IS NULL) THEN
		RAISE EXCEPTION 'the debtor of account % has a usable number', a.id USING ERRCODE = '55000';
	END IF;
	IF EXISTS (SELECT 1 FROM cleaning_request r WHERE r.debtor_id = a.debtor_id AND r.channel = p_channel
	           AND r.asked_at > p_at - make_interval(days => p_every_days)) THEN
		RETURN NULL;
	END IF;
	SELECT code, language INTO t FROM template WHERE id = p_template AND channel = p_channel;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no % template %', p_channel, p_template USING ERRCODE = '23503';
	END IF;
	INSERT INTO message (account_id, debtor_id, contact_point_id, channel, recipient, subject, body,
	                     template_id, template_code, language, params, idempotency_key, agent_id,
	                     ladder, step)
	VALUES (a.id, a.debtor_id, c.id, p_channel, c.value, p_subject, p_body,
	        p_template, t.code, t.language, p_params, p_key, NULL, 'cleaning', t.code)
	RETURNING id INTO m;
	INSERT INTO event (account_id, debtor_id, agent_id, kind, direction, message_id, body, data)
	VALUES (a.id, a.debtor_id, NULL, p_channel, 'out', m,
	        CASE WHEN p_subject IS NULL THEN p_body ELSE p_subject || E'\n\n' || p_body END,
	        jsonb_build_object('ladder', 'cleaning'));
	INSERT INTO cleaning_request (debtor_id, account_id, channel, contact_point_id, message_id, asked_at)
	VALUES (a.debtor_id, a.id, p_channel, c.id, m, p_at);
	RETURN m;
END
$$;
REVOKE ALL ON FUNCTION cleaning_queue(uuid, bigint, bigint, text, bigint, text, text, jsonb, integer, integer,
                                      timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cleaning_queue(uuid, bigint, bigint, text, bigint, text, text, jsonb, integer, integer,
                                         timestamptz) TO cobro_daemon, cobro_admin;

-- The numbers a reply from p_from brought, as cobrod read them from its
-- text (src/core/cleaning.c, cleaning_numbers()): {"PE": {"+51987654321":
-- "mobile"}, "US": {...}}, each read as a person of that country writes
-- it. For every debtor the number belongs to who was asked for a number
-- and has none confirmed since, the numbers read for the debtor's country
-- (their jurisdiction's) that are not one of their points already become
-- points proposed, on the channel the reply came by, with an event
-- (contact_point proposed) on the account the ask was for. Called by
-- message_inbound_numbers() only, in the inbound's transaction.
CREATE OR REPLACE FUNCTION cleaning_propose(p_channel text, p_from text, p_numbers jsonb, p_at timestamptz)
RETURNS integer
LANGUAGE plpgsql SET search_path = cobro, pg_temp AS $$
DECLARE
	d record;
	n record;
	cp bigint;
	made integer := 0;
BEGIN
	IF p_numbers IS NULL OR jsonb_typeof(p_numbers) <> 'object' THEN
		RETURN 0;
	END IF;
	FOR d IN SELECT DISTINCT x.debtor_id, left(db.jurisdiction, 2) AS country,
	                (SELECT r.account_id FROM cleaning_request r
	                 WHERE r.debtor_id = x.debtor_id AND r.closed_at IS NULL
	                 ORDER BY r.asked_at DESC, r.id DESC LIMIT 1) AS account_id
	         FROM contact_point x JOIN debtor db ON db.id = x.debtor_id
	         WHERE x.value = p_from AND x.kind IN ('mobile', 'phone', 'whatsapp') LOOP
		CONTINUE WHEN d.account_id IS NULL; -- never asked, or answered already
		CONTINUE WHEN jsonb_typeof(p_numbers -> d.country) IS DISTINCT FROM 'object';
		FOR n IN SELECT k AS value, v AS kind FROM jsonb_each_text(p_numbers -> d.country) AS e(k, v) ORDER BY k LOOP
			CONTINUE WHEN n.value !~ '^\+[1-9][0-9]{6,14}$' OR n.kind NOT IN ('mobile', 'phone');
			CONTINUE WHEN EXISTS (SELECT 1 FROM contact_point y WHERE y.debtor_id = d.debtor_id AND y.value = n.value);
			INSERT INTO contact_point (debtor_id, kind, value, proposal, proposed_via, proposed_at)
			VALUES (d.debtor_id, n.kind, n.value, 'proposed', p_channel, p_at)
			RETURNING id INTO cp;
			INSERT INTO event (account_id, debtor_id, kind, direction, outcome, body, data)
			VALUES (d.account_id, d.debtor_id, 'contact_point', 'in', 'proposed', n.value,
			        jsonb_build_object('contact_point', cp, 'value', n.value, 'via', p_channel));
			made := made + 1;
		END LOOP;
	END LOOP;
	RETURN made;
END
$$;
REVOKE ALL ON FUNCTION cleaning_propose(text, text, jsonb, timestamptz) FROM PUBLIC;

-- An inbound text (message_inbound(), with the provider's id) and the
-- numbers its words hold: one transaction, so a retried delivery (-1)
-- proposes nothing twice and a refusal leaves nothing half done. An
-- opt-out proposes nothing. SECURITY DEFINER: a proposed point is written
-- by this function only (the daemon may not insert contact points).
CREATE OR REPLACE FUNCTION message_inbound_numbers(p_channel text, p_from text, p_to text, p_text text,
                                                   p_at timestamptz, p_stop boolean, p_provider_id text,
                                                   p_numbers jsonb)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	n integer := message_inbound(p_channel, p_from, p_to, p_text, p_at, p_stop, p_provider_id);
BEGIN
	IF n > 0 AND NOT p_stop THEN
		PERFORM cleaning_propose(p_channel, p_from, p_numbers, p_at);
	END IF;
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION message_inbound_numbers(text, text, text, text, timestamptz, boolean, text, jsonb)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION message_inbound_numbers(text, text, text, text, timestamptz, boolean, text, jsonb)
	TO cobro_daemon;

-- A collector's decision on a proposed number of the account's debtor: the
-- account's own collector, or a supervisor (or lead) of its team
-- (account_for_work()); nobody else, administrators and the daemon
-- included. Confirmed: the point is usable, with consent for the channel
-- the number came by, nothing else lifted (a bad mark, an opt-out of
-- another point stay), and the debtor's asks are closed. Rejected: kept as
-- rejected, never usable. Either way an event on the account and a row on
-- the audit chain. Returns the event.
CREATE OR REPLACE FUNCTION contact_point_decide(p_account bigint, p_point bigint, p_confirm boolean)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	a  account := account_for_work(p_account);
	c  contact_point := account_point(a, p_point);
	ev bigint;
BEGIN
	IF p_confirm IS NULL THEN
		RAISE EXCEPTION 'contact_point_decide: confirm or reject' USING ERRCODE = '22004';
	END IF;
	IF c.proposal IS DISTINCT FROM 'proposed' THEN
		RAISE EXCEPTION 'contact point % is not a proposed number', c.id USING ERRCODE = '55000';
	END IF;
	IF p_confirm THEN
		UPDATE contact_point
		SET proposal = NULL,
		    consent = CASE WHEN c.proposed_via IS NULL OR c.proposed_via = ANY (consent) THEN consent
		                   ELSE array_append(consent, c.proposed_via) END
		WHERE id = c.id;
		UPDATE cleaning_request SET closed_at = now() WHERE debtor_id = a.debtor_id AND closed_at IS NULL;
	ELSE
		UPDATE contact_point SET proposal = 'rejected' WHERE id = c.id;
	END IF;
	INSERT INTO event (account_id, debtor_id, agent_id, kind, outcome, body, data)
	VALUES (a.id, a.debtor_id, my_agent_id(), 'contact_point', CASE WHEN p_confirm THEN 'confirmed' ELSE 'rejected' END,
	        c.value,
	        jsonb_build_object('contact_point', c.id, 'value', c.value, 'via', c.proposed_via))
	RETURNING id INTO ev;
	PERFORM audit_write(CASE WHEN p_confirm THEN 'NUMBER CONFIRMED' ELSE 'NUMBER REJECTED' END, 'contact_point', c.id,
	                    jsonb_build_object('proposal', 'proposed', 'consent', c.consent),
	                    jsonb_build_object('proposal', CASE WHEN p_confirm THEN NULL ELSE 'rejected' END,
	                                       'via', c.proposed_via, 'event', ev));
	RETURN ev;
END
$$;
REVOKE ALL ON FUNCTION contact_point_decide(bigint, bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contact_point_decide(bigint, bigint, boolean) TO cobro_collector, cobro_supervisor;
