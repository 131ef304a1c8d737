-- One item of an account's history, whole (the workstation's detail view,
-- Enter on a history row): its text without the account screen's cut at 512
-- characters, the amount in its account's currency, a callback's moment and
-- zone, and for a message its recipient and the steps of its delivery
-- (queued, sent, delivered, failed or refused, each with its time).
--
-- SECURITY DEFINER, applying account_screen()'s rules itself (that file says
-- why): an event is visible when its account is (admins and the daemon all;
-- a supervisor the team's; a collector their own in their team), or, filed
-- under no account, when one of its debtor's accounts is; its message by
-- the same rule; an agent's login as agent's own_team policy says. What the
-- caller may not see is the same error as what is not there, so nobody
-- learns which: "no such item" (42501).
-- uses: functions/session.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE OR REPLACE FUNCTION event_detail(p_event bigint)
RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = cobro, pg_temp AS $$
DECLARE
	me       bigint := my_agent_id();
	my_team  bigint := my_team_id();
	all_rows boolean := i_am('cobro_admin') OR i_am('cobro_daemon');
	team     boolean := i_am('cobro_supervisor');
	own      boolean := i_am('cobro_collector');
	e        event;
	m        message;
	currency text;
	login    text;
BEGIN
	-- History is never in the future (account_screen() says why that helps
	-- the plan); ids are an identity, so one row at most.
	SELECT * INTO e FROM event WHERE id = p_event AND at < now() + interval '1 day';
	IF NOT FOUND OR NOT EXISTS (
	    SELECT 1 FROM account y
	    WHERE (y.id = e.account_id OR (e.account_id IS NULL AND y.debtor_id = e.debtor_id))
	      AND (all_rows OR (team AND y.team_id = my_team)
	           OR (own AND y.agent_id = me AND y.team_id = my_team))) THEN
		RAISE EXCEPTION 'no such item' USING ERRCODE = '42501';
	END IF;
	SELECT x.* INTO m FROM message x
	WHERE x.id = e.message_id
	  AND EXISTS (SELECT 1 FROM account y
	              WHERE (y.id = x.account_id OR (x.account_id IS NULL AND y.debtor_id = x.debtor_id))
	                AND (all_rows OR (team AND y.team_id = my_team)
	                     OR (own AND y.agent_id = me AND y.team_id = my_team)));
	SELECT a.currency INTO currency FROM account a WHERE a.id = e.account_id;
	SELECT g.login INTO login FROM agent g
	WHERE g.id = e.agent_id AND (all_rows OR ((own OR team) AND g.team_id = my_team));
	-- Times as the history shows them (the session's zone), with seconds:
	-- a message's steps are often within the same minute.
	RETURN json_build_object(
	 'id', e.id,
	 'at', to_char(e.at, 'YYYY-MM-DD HH24:MI:SS'),
	 'kind', e.kind,
	 'direction', coalesce(e.direction, ''),
	 'outcome', coalesce(e.outcome, ''),
	 'agent', coalesce(login, ''),
	 'body', coalesce(CASE WHEN m.id IS NOT NULL AND m.subject IS NOT NULL
	                       THEN m.subject || E'\n\n' || m.body ELSE m.body END, e.body, ''),
	 'amount', e.amount,
	 'currency', coalesce(currency, ''),
	 -- A callback's moment (UTC seconds) and the zone to read it in: "due" and
	 -- the zone it was typed in, as the workstation writes it; "at", on the
	 -- debtor's clock, as imports do.
	 'due', CASE WHEN e.kind = 'callback'
	             THEN extract(epoch FROM coalesce(e.data->>'due', e.data->>'at')::timestamptz)::bigint END,
	 'zone', CASE WHEN e.kind = 'callback'
	              THEN coalesce(e.data->>'zone', (SELECT d.time_zone FROM debtor d WHERE d.id = e.debtor_id)) END,
	 'message', CASE WHEN m.id IS NULL THEN NULL ELSE json_build_object(
	   'channel', m.channel,
	   'recipient', m.recipient,
	   'status', m.status,
	   'attempts', m.attempts,
	   'error', coalesce(m.error, ''),
	   'rule', coalesce(m.refused_rule, ''),
	   'steps', (SELECT coalesce(json_agg(json_build_object('step', s.step,
	                                        'at', to_char(s.at, 'YYYY-MM-DD HH24:MI:SS'))
	                             ORDER BY s.at, s.ord), '[]')
	             FROM (VALUES (1, 'queued', m.created_at),
	                          (2, 'sent', m.sent_at),
	                          (3, 'delivered', m.delivered_at),
	                          (3, CASE WHEN m.status = 'refused' THEN 'refused' ELSE 'failed' END, m.failed_at))
	                  AS s(ord, step, at)
	             WHERE s.at IS NOT NULL)) END);
END
$$;
REVOKE ALL ON FUNCTION event_detail(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION event_detail(bigint)
	TO cobro_collector, cobro_supervisor, cobro_admin, cobro_daemon;
