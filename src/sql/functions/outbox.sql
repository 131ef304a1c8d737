-- The outbox's life (docs/operations.md says what each status means): queued
-- by a workstation, claimed and settled by cobrod, updated by delivery
-- reports. 009_outbox.sql made the columns these write.
-- uses: functions/session.sql functions/send_facts.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- Why a contact point cannot take a message of a channel, or NULL when it
-- can: 'channel' (the point's kind does not fit it), 'recipient' (not one
-- E.164 number or one plain address: what cobrod will accept, src/core/
-- outbox.c, outbox_recipient_ok), 'proposed' (a number a reply proposed, not
-- confirmed: functions/cleaning.sql), 'bad' (marked wrong), 'opted_out' (of
-- this channel). message_queue() raises on it; a strategy's run
-- (functions/strategy.sql) records the step refused with it, for many
-- points at once.
CREATE OR REPLACE FUNCTION message_point_refusal(p contact_point, p_channel text)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN NOT (p.kind = 'email' AND p_channel = 'email'
		          OR p.kind = 'mobile' AND p_channel IN ('sms', 'whatsapp')
		          OR p.kind = 'whatsapp' AND p_channel = 'whatsapp') THEN 'channel'
		WHEN NOT (p.kind <> 'email' AND p.value ~ '^\+[1-9][0-9]{6,14}$'
		          OR p.kind = 'email' AND p.value ~ ('^[A-Za-z0-9!#$%&''*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&''*+/=?^_`{|}~-]+)*'
		                                             '@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$')
		             AND length(p.value) <= 254) THEN 'recipient'
		WHEN p.proposal IS NOT NULL THEN 'proposed'
		WHEN p.bad_since IS NOT NULL THEN 'bad'
		WHEN p_channel = ANY (p.opted_out) THEN 'opted_out'
	END
$$;
REVOKE ALL ON FUNCTION message_point_refusal(contact_point, text) FROM PUBLIC;
-- Pure: strategy_facts() (functions/strategy.sql) runs it as its caller.
GRANT EXECUTE ON FUNCTION message_point_refusal(contact_point, text) TO cobro_admin, cobro_daemon;

-- Queues one message and its history event in one transaction: the only
-- way a message is made (nobody, the daemon and admins included, may write
-- the message table: 015_messages_through_queue.sql). SECURITY DEFINER, so
-- it decides itself who may queue on which account, by the rules the
-- account's policies apply (003_security.sql): a collector on their own
-- accounts in their team, a supervisor or lead on their team's, an admin on
-- any. It takes a contact point, never a free recipient: the message goes to
-- the point's value as stored (normalised when the point was written), and
-- the point must be the debtor's, usable for the channel, one E.164 number
-- or one address, not marked bad and not opted out of it. The `sms out`
-- (`email out`, ...) event it writes is what the history and the contact
-- policy's caps count. A retry with the same key (the connection was lost
-- before the answer came) returns the message already queued, when it is
-- the caller's own on that account, instead of queueing it twice.
-- Its errors name the contact point by its id, never the number or the
-- address: they end up in PostgreSQL's log.
CREATE OR REPLACE FUNCTION message_queue(p_key uuid, p_account bigint, p_point bigint, p_channel text,
                              p_template bigint, p_subject text, p_body text, p_params jsonb,
                              p_segments integer, p_encoding text)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	me bigint := my_agent_id();
	my_team bigint := my_team_id();
	a record;
	c contact_point;
	old record;
	t_code text;
	t_language text;
	m bigint;
BEGIN
	IF p_key IS NULL OR p_account IS NULL OR p_point IS NULL OR p_channel IS NULL OR p_body IS NULL THEN
		RAISE EXCEPTION 'message_queue: key, account, contact point, channel and body are required'
			USING ERRCODE = '22004';
	END IF;
	SELECT x.id, x.debtor_id, d.language INTO a
	FROM account x JOIN debtor d ON d.id = x.debtor_id
	WHERE x.id = p_account
	  AND (i_am('cobro_admin')
	       OR me IS NOT NULL AND x.team_id = my_team
	          AND (i_am('cobro_supervisor') OR i_am('cobro_collector') AND x.agent_id = me));
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no such account' USING ERRCODE = '42501';
	END IF;
	SELECT id, account_id, agent_id INTO old FROM message WHERE idempotency_key = p_key;
	IF FOUND THEN
		IF old.account_id IS DISTINCT FROM a.id OR old.agent_id IS DISTINCT FROM me THEN
			RAISE EXCEPTION 'this idempotency key belongs to another message' USING ERRCODE = '23505';
		END IF;
		RETURN old.id;
	END IF;
	-- A channel no running cobrod can send would wait in the queue for ever
	-- (issue 15, line 5): refused now, with the reason, instead.
	IF channel_senders(p_channel) = 0 THEN
		RAISE EXCEPTION 'no running cobrod can send % messages now', p_channel
			USING ERRCODE = '55000',
			      HINT = 'start cobrod with a transport for the channel (cobrod.conf), or choose another channel';
	END IF;
	SELECT * INTO c FROM contact_point WHERE id = p_point AND debtor_id = a.debtor_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no contact point % for this debtor', p_point USING ERRCODE = '23503';
	END IF;
	CASE message_point_refusal(c, p_channel)
	WHEN 'channel' THEN
		RAISE EXCEPTION '% cannot be sent to contact point % (%)', p_channel, c.id, c.kind USING ERRCODE = '23514';
	WHEN 'recipient' THEN
		RAISE EXCEPTION 'contact point % is not one valid % recipient', c.id, c.kind USING ERRCODE = '23514';
	WHEN 'bad' THEN
		RAISE EXCEPTION 'contact point % is marked bad', c.id USING ERRCODE = '23514';
	WHEN 'proposed' THEN
		-- A number a reply proposed is no one's to write to until a collector
		-- confirms it (functions/cleaning.sql).
		RAISE EXCEPTION 'contact point % is a proposed number, not confirmed', c.id USING ERRCODE = '23514';
	WHEN 'opted_out' THEN
		RAISE EXCEPTION 'contact point % opted out of %', c.id, p_channel USING ERRCODE = '23514';
	ELSE
	END CASE;
	IF p_template IS NOT NULL THEN
		SELECT code, language INTO t_code, t_language FROM template WHERE id = p_template AND channel = p_channel;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'no % template %', p_channel, p_template USING ERRCODE = '23503';
		END IF;
	END IF;
	INSERT INTO message (account_id, debtor_id, contact_point_id, channel, recipient, subject, body,
	                     template_id, template_code, language, params, segments, encoding,
	                     idempotency_key, agent_id)
	VALUES (a.id, a.debtor_id, c.id, p_channel, c.value, p_subject, p_body,
	        p_template, t_code, coalesce(t_language, a.language), p_params, p_segments, p_encoding,
	        p_key, me)
	RETURNING id INTO m;
	INSERT INTO event (account_id, debtor_id, agent_id, kind, direction, message_id, body)
	VALUES (a.id, a.debtor_id, me, p_channel, 'out', m,
	        CASE WHEN p_subject IS NULL THEN p_body ELSE p_subject || E'\n\n' || p_body END);
	UPDATE account SET last_contact_at = now(), replied_at = NULL, updated_at = now() WHERE id = a.id;
	RETURN m;
END
$$;
REVOKE ALL ON FUNCTION message_queue(uuid, bigint, bigint, text, bigint, text, text, jsonb, integer, text)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION message_queue(uuid, bigint, bigint, text, bigint, text, text, jsonb, integer, text)
	TO cobro_collector, cobro_supervisor, cobro_admin;

-- The dispatcher takes up to p_limit due messages of one channel. Claiming
-- moves next_attempt_at to the end of the lease, so a message whose daemon
-- died is due again when its lease runs out, and the one index serves both.
-- SKIP LOCKED: several daemons claim side by side, never the same row.
-- recipient is the contact point's value now, not what the row says, with
-- the point's state now (marked bad, opted out of the channel): cobrod
-- sends to nothing else, and refuses the message (src/cobrod/dispatch.c)
-- when the row's recipient differs from it, when there is no point, when
-- the point does not fit the channel, or when the message has no `out`
-- event of its channel (it was not made by message_queue(), so the history
-- and the caps never saw it). SECURITY DEFINER: the daemon cannot write the
-- message table itself. Every join is of a few hundred claimed rows by
-- primary key: nested loops over the indexes, whatever the tables' size. The
-- SQL function is planned without knowing p_limit (a tenth of the due rows,
-- the planner guesses), and hashed the whole of message, debtor, account and
-- contact_point on every claim: 70 ms each on a bench of 30,000 debtors, and
-- seconds on a portfolio of a million (issue 18, line 11). Whether the
-- message has its `out` event is a scalar subquery, not EXISTS: the planner
-- may run an EXISTS as one hashed scan of every event (every partition),
-- and did, 180 ms a claim once a day's 50,000 SMS had their events; a
-- scalar subquery is always looked up row by row in event_message_idx.
CREATE OR REPLACE FUNCTION message_claim(p_worker text, p_channel text, p_limit integer, p_lease_seconds integer)
RETURNS TABLE (id bigint, idempotency_key uuid, recipient text, subject text, body text, params jsonb,
               template_code text, language text, encoding text, attempts integer, account_id bigint,
               debtor_id bigint, debtor_name text, reference text, creditor_code text,
               email_from text, reply_to text, reclaimed boolean,
               queued_recipient text, contact_point_id bigint, point_kind text, queued_with_event boolean,
               point_bad boolean, point_opted_out boolean)
LANGUAGE sql SECURITY DEFINER SET search_path = cobro, pg_temp
SET enable_hashjoin = off SET enable_mergejoin = off AS $$
	WITH picked AS (
		SELECT m.id, m.status = 'sending' AS reclaimed FROM message m
		WHERE m.channel = p_channel AND m.status IN ('queued', 'sending') AND m.next_attempt_at <= now()
		ORDER BY m.next_attempt_at
		LIMIT p_limit
		FOR UPDATE SKIP LOCKED
	), claimed AS (
		UPDATE message m
		SET status = 'sending', claimed_by = p_worker,
		    claimed_until = now() + make_interval(secs => p_lease_seconds),
		    next_attempt_at = now() + make_interval(secs => p_lease_seconds),
		    attempts = m.attempts + 1
		FROM picked WHERE m.id = picked.id
		RETURNING m.*, picked.reclaimed
	)
	SELECT c.id, c.idempotency_key, cp.value, c.subject, c.body, c.params, c.template_code,
	       coalesce(c.language, d.language), c.encoding, c.attempts, c.account_id, c.debtor_id, d.name,
	       a.reference, cr.code, cr.email_from, cr.reply_to, c.reclaimed,
	       c.recipient, cp.id, cp.kind,
	       coalesce((SELECT true FROM event e
	                 WHERE e.message_id = c.id AND e.debtor_id = c.debtor_id
	                   AND e.kind = c.channel AND e.direction = 'out'
	                 LIMIT 1), false),
	       cp.bad_since IS NOT NULL OR cp.proposal IS NOT NULL, coalesce(c.channel = ANY (cp.opted_out), false)
	FROM claimed c
	JOIN debtor d ON d.id = c.debtor_id
	LEFT JOIN contact_point cp ON cp.id = c.contact_point_id AND cp.debtor_id = c.debtor_id
	LEFT JOIN account a ON a.id = c.account_id
	LEFT JOIN creditor cr ON cr.id = a.creditor_id
	ORDER BY c.id
$$;
REVOKE ALL ON FUNCTION message_claim(text, text, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION message_claim(text, text, integer, integer) TO cobro_daemon;

-- What became of claimed messages, many at once (one statement per batch
-- keeps 500 messages a second to a few commits). outcome per message:
--   sent     the gateway took it: status sent, unless a delivery report
--            already said more;
--   retry    transient failure: queued again retry_in seconds from now, with
--            the reason;
--   defer    the gateway itself failed (down, refusing our login): queued
--            again like retry, but the attempt is not spent on this message;
--   failed   given up (a permanent refusal or the last attempt);
--   refused  the contact policy said no at send time (reason holds the rule).
-- Only the claimant's claim is settled: a message reclaimed by another daemon
-- after this one's lease ran out is that one's, except that "sent" is always
-- recorded, being a fact about the world. SECURITY DEFINER, as message_claim,
-- and joined as it is: by primary key, a batch's rows at a time.
CREATE OR REPLACE FUNCTION message_settle(p_worker text, p_ids bigint[], p_outcomes text[], p_provider_ids text[],
                               p_reasons text[], p_rules text[], p_retry_in float8[])
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp
SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
	n integer;
BEGIN
	WITH r AS (
		SELECT * FROM unnest(p_ids, p_outcomes, p_provider_ids, p_reasons, p_rules, p_retry_in)
		         AS r(id, outcome, provider_id, reason, rule, retry_in)
	), done AS (
		UPDATE message m SET
			status = CASE WHEN r.outcome = 'sent' AND m.status <> 'sending' THEN m.status
			              WHEN r.outcome = 'sent' THEN 'sent'
			              WHEN r.outcome IN ('retry', 'defer') THEN 'queued'
			              ELSE r.outcome END,
			provider_id = coalesce(nullif(r.provider_id, ''), m.provider_id),
			sent_at = CASE WHEN r.outcome = 'sent' THEN coalesce(m.sent_at, now()) ELSE m.sent_at END,
			failed_at = CASE WHEN r.outcome IN ('failed', 'refused') THEN now() ELSE m.failed_at END,
			error = CASE WHEN r.outcome = 'sent' THEN NULL ELSE coalesce(nullif(r.reason, ''), m.error) END,
			refused_rule = CASE WHEN r.outcome = 'refused' THEN r.rule ELSE m.refused_rule END,
			next_attempt_at = CASE WHEN r.outcome IN ('retry', 'defer')
			                       THEN now() + make_interval(secs => r.retry_in) ELSE m.next_attempt_at END,
			attempts = CASE WHEN r.outcome = 'defer' THEN greatest(m.attempts - 1, 0) ELSE m.attempts END,
			-- claimed_by stays: which daemon sent it.
			claimed_until = NULL
		FROM r
		WHERE m.id = r.id AND r.outcome IN ('sent', 'retry', 'defer', 'failed', 'refused')
		  AND (r.outcome = 'sent' AND m.status IN ('sending', 'queued', 'sent', 'delivered', 'failed')
		       OR m.status = 'sending' AND m.claimed_by = p_worker)
		RETURNING m.id, m.account_id, m.debtor_id, m.channel, m.status, m.error, m.refused_rule, r.outcome
	), ev AS (
		-- A refusal or a failure is news in the history; sending is not
		-- (the message's own event shows its status).
		INSERT INTO event (account_id, debtor_id, kind, outcome, message_id, body, data)
		SELECT d.account_id, d.debtor_id, 'status', d.outcome, d.id, d.error,
		       jsonb_build_object('channel', d.channel, 'rule', d.refused_rule)
		FROM done d WHERE d.outcome IN ('failed', 'refused')
		RETURNING 1
	)
	SELECT count(*) INTO n FROM done;
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION message_settle(text, bigint[], text[], text[], text[], text[], float8[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION message_settle(text, bigint[], text[], text[], text[], text[], float8[])
	TO cobro_daemon;
