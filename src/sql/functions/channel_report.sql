-- How each channel performs, and how a split segment's variants compare
-- (issue 18, line 6): `cobroctl report channels` and `cobroctl strategy
-- report`. Every figure is defined in docs/metrics.md ("The channels'
-- figures", "The variants' figures") and computed here only. The
-- attribution rule (which message a reply, an opt-out, a promise or a
-- payment counts for) is message_attribution(), applied once: both the
-- report and the tests read it from there.
--
-- Who may: administrators every account; supervisors and leads their own
-- team's accounts; collectors (and anyone without an active agent row)
-- nobody's (42501). The functions are SECURITY DEFINER and filter by the
-- team report_team() returns, so a supervisor never reads another team's
-- messages, events, promises or payments through them.
-- uses: functions/session.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- The team whose accounts the caller may report on: NULL for an
-- administrator (every account), the caller's own team for a supervisor or
-- a lead; 42501 for anyone else.
CREATE OR REPLACE FUNCTION report_team()
RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	IF i_am('cobro_admin') THEN
		RETURN NULL;
	END IF;
	IF NOT i_am('cobro_supervisor') OR my_team_id() IS NULL THEN
		RAISE EXCEPTION 'the channel and strategy reports are for supervisors, leads and administrators'
			USING ERRCODE = '42501';
	END IF;
	RETURN my_team_id();
END
$$;
REVOKE ALL ON FUNCTION report_team() FROM PUBLIC;

-- The strategy in force (the newest version): its number and text, for
-- the window and the channels' costs the reports take from it; nothing when
-- none was loaded. For whoever may read the reports.
CREATE OR REPLACE FUNCTION report_strategy()
RETURNS TABLE (version integer, text text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	PERFORM report_team();
	RETURN QUERY SELECT v.version, v.text FROM strategy_version v ORDER BY v.version DESC LIMIT 1;
END
$$;
REVOKE ALL ON FUNCTION report_strategy() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION report_strategy() TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin;

-- The attribution rule, once (docs/metrics.md, "Attribution"). Every
-- outcome at a moment t is credited to at most one message: the latest
-- message that went out (sent_at) at or before t and less than p_days days
-- before it, among the messages that could have caused it:
--   reply    an inbound text of a channel from a debtor: that channel's
--            messages to that debtor;
--   optout   an opt-out (STOP, BAJA) of a channel by a debtor: the same;
--   promise  a promise made on an account (its created_at; rejected ones
--            are not promises): any message to that account;
--   payment  a payment on an account (paid_at): any message to that account.
-- Ties of sent_at go to the higher message id. Outcomes from p_from to
-- p_to + p_days are looked at, so that a message of the last day keeps its
-- whole window; the caller keeps the messages it reports on. p_team NULL:
-- every account; else only that team's accounts' outcomes (and so
-- messages). Not granted: the reports call it.
CREATE OR REPLACE FUNCTION message_attribution(p_from timestamptz, p_to timestamptz, p_days integer, p_team bigint)
RETURNS TABLE (message_id bigint, what text, outcome_id bigint, amount bigint, currency text)
LANGUAGE sql STABLE SET search_path = cobro, pg_temp AS $$
	WITH o AS (
		SELECT 'reply'::text AS what, e.id AS outcome_id, e.at, e.debtor_id, NULL::bigint AS account_id,
		       e.kind AS channel, NULL::bigint AS amount, NULL::text AS currency
		FROM event e
		WHERE e.kind IN ('sms', 'email', 'whatsapp') AND e.direction = 'in'
		  AND e.at >= p_from AND e.at < p_to + make_interval(days => p_days)
		UNION ALL
		SELECT 'optout', e.id, e.at, e.debtor_id, NULL, e.outcome, NULL, NULL
		FROM event e
		WHERE e.kind = 'optout' AND e.direction = 'in' AND e.outcome IN ('sms', 'email', 'whatsapp')
		  AND e.at >= p_from AND e.at < p_to + make_interval(days => p_days)
		UNION ALL
		SELECT 'promise', p.id, p.created_at, NULL, p.account_id, NULL, p.amount, p.currency::text
		FROM promise p
		WHERE p.status <> 'rejected'
		  AND p.created_at >= p_from AND p.created_at < p_to + make_interval(days => p_days)
		UNION ALL
		SELECT 'payment', y.id, y.paid_at, NULL, y.account_id, NULL, y.amount, y.currency::text
		FROM payment y
		WHERE y.paid_at >= p_from AND y.paid_at < p_to + make_interval(days => p_days)
	)
	SELECT m.id, o.what, o.outcome_id, o.amount, o.currency
	FROM o
	CROSS JOIN LATERAL (
		SELECT x.id FROM message x
		WHERE x.sent_at IS NOT NULL AND x.status <> 'failed' AND x.sent_at <= o.at AND x.sent_at > o.at - make_interval(days => p_days)
		  AND CASE WHEN o.account_id IS NOT NULL THEN x.account_id = o.account_id
		           ELSE x.debtor_id = o.debtor_id AND x.channel = o.channel END
		ORDER BY x.sent_at DESC, x.id DESC
		LIMIT 1) m
	JOIN message mm ON mm.id = m.id
	WHERE p_team IS NULL OR EXISTS (SELECT 1 FROM account a WHERE a.id = mm.account_id AND a.team_id = p_team)
$$;
REVOKE ALL ON FUNCTION message_attribution(timestamptz, timestamptz, integer, bigint) FROM PUBLIC;

-- The channels' figures over the messages queued in [p_from, p_to), per
-- channel and, with p_by, per segment ('segment'), ladder and step
-- ('step') or segment and variant ('variant'); a message a person sent has
-- no strategy's names and falls in the group with manual true. p_days: the
-- attribution window. p_channels/p_costs: the cost of one message of each
-- channel (in the strategy's cost currency, which the caller knows); a
-- channel not named has an unknown cost (cost NULL). Amounts are per
-- currency, never added across currencies: promised and recovered by the
-- outcome's currency, cost_by_currency by the currency of the account each
-- message went to (what cost per amount recovered divides).
CREATE OR REPLACE FUNCTION channel_report(p_from timestamptz, p_to timestamptz, p_by text, p_days integer,
                                          p_channels text[] DEFAULT '{}', p_costs numeric[] DEFAULT '{}')
RETURNS TABLE (channel text, manual boolean, group1 text, group2 text, messages bigint, sent bigint,
               delivered bigint, failed bigint, refused bigint, replies bigint, optouts bigint, promises bigint,
               promised jsonb, payments bigint, recovered jsonb, unit_cost numeric, cost numeric,
               cost_by_currency jsonb)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	t bigint := report_team();
BEGIN
	IF p_from IS NULL OR p_to IS NULL OR p_to <= p_from THEN
		RAISE EXCEPTION 'a range is a start before its end' USING ERRCODE = '22023';
	END IF;
	IF p_by IS NOT NULL AND p_by NOT IN ('segment', 'step', 'variant') THEN
		RAISE EXCEPTION 'a report is by segment, step or variant, not "%"', left(p_by, 40) USING ERRCODE = '22023';
	END IF;
	IF p_days IS NULL OR p_days < 0 OR p_days > 365 THEN
		RAISE EXCEPTION 'the attribution window is 0 to 365 days' USING ERRCODE = '22023';
	END IF;
	IF coalesce(array_length(p_channels, 1), 0) <> coalesce(array_length(p_costs, 1), 0)
	   OR EXISTS (SELECT 1 FROM unnest(p_costs) c WHERE c IS NULL OR c < 0) THEN
		RAISE EXCEPTION 'one cost, not negative, for each channel named' USING ERRCODE = '22023';
	END IF;
	RETURN QUERY
	WITH m AS (
		SELECT x.id, x.channel, CASE WHEN p_by IS NOT NULL THEN x.ladder IS NULL END AS manual,
		       CASE p_by WHEN 'segment' THEN x.segment WHEN 'variant' THEN x.segment WHEN 'step' THEN x.ladder END AS g1,
		       CASE p_by WHEN 'variant' THEN x.variant WHEN 'step' THEN x.step END AS g2,
		       x.status, x.sent_at, x.delivered_at, a.currency::text AS account_currency
		FROM message x
		LEFT JOIN account a ON a.id = x.account_id
		WHERE x.created_at >= p_from AND x.created_at < p_to
		  AND (t IS NULL OR a.team_id = t)
	), att AS (
		SELECT r.message_id, r.what, r.amount, r.currency
		FROM message_attribution(p_from, p_to, p_days, t) r
	), per_msg AS (
		SELECT m.id,
		       count(*) FILTER (WHERE att.what = 'reply') AS replies,
		       count(*) FILTER (WHERE att.what = 'optout') AS optouts,
		       count(*) FILTER (WHERE att.what = 'promise') AS promises,
		       count(*) FILTER (WHERE att.what = 'payment') AS payments
		FROM m JOIN att ON att.message_id = m.id
		GROUP BY m.id
	), money AS (
		SELECT m.channel, m.manual, m.g1, m.g2, att.what, att.currency, sum(att.amount) AS amount
		FROM m JOIN att ON att.message_id = m.id
		WHERE att.what IN ('promise', 'payment')
		GROUP BY 1, 2, 3, 4, 5, 6
	), costs AS (
		SELECT c.channel, c.cost FROM unnest(p_channels, p_costs) AS c (channel, cost)
	), by_cur AS (
		SELECT m.channel, m.manual, m.g1, m.g2, m.account_currency, count(*) AS n
		FROM m WHERE m.sent_at IS NOT NULL AND m.account_currency IS NOT NULL
		GROUP BY 1, 2, 3, 4, 5
	), g AS (
		SELECT m.channel, m.manual, m.g1, m.g2,
		       count(*) AS messages,
		       count(*) FILTER (WHERE m.sent_at IS NOT NULL) AS sent,
		       count(*) FILTER (WHERE m.delivered_at IS NOT NULL OR m.status = 'delivered') AS delivered,
		       count(*) FILTER (WHERE m.status = 'failed') AS failed,
		       count(*) FILTER (WHERE m.status = 'refused') AS refused,
		       coalesce(sum(pm.replies), 0) AS replies,
		       coalesce(sum(pm.optouts), 0) AS optouts,
		       coalesce(sum(pm.promises), 0) AS promises,
		       coalesce(sum(pm.payments), 0) AS payments
		FROM m LEFT JOIN per_msg pm ON pm.id = m.id
		GROUP BY 1, 2, 3, 4
	)
	SELECT g.channel, g.manual, g.g1, g.g2, g.messages, g.sent, g.delivered, g.failed, g.refused,
	       g.replies::bigint, g.optouts::bigint, g.promises::bigint,
	       coalesce((SELECT jsonb_object_agg(y.currency, y.amount ORDER BY y.currency) FROM money y
	                 WHERE y.what = 'promise' AND y.channel = g.channel AND y.manual IS NOT DISTINCT FROM g.manual
	                   AND y.g1 IS NOT DISTINCT FROM g.g1 AND y.g2 IS NOT DISTINCT FROM g.g2), '{}'),
	       g.payments::bigint,
	       coalesce((SELECT jsonb_object_agg(y.currency, y.amount ORDER BY y.currency) FROM money y
	                 WHERE y.what = 'payment' AND y.channel = g.channel AND y.manual IS NOT DISTINCT FROM g.manual
	                   AND y.g1 IS NOT DISTINCT FROM g.g1 AND y.g2 IS NOT DISTINCT FROM g.g2), '{}'),
	       c.cost,
	       c.cost * g.sent,
	       CASE WHEN c.cost IS NOT NULL THEN
	            coalesce((SELECT jsonb_object_agg(b.account_currency, c.cost * b.n ORDER BY b.account_currency)
	                      FROM by_cur b
	                      WHERE b.channel = g.channel AND b.manual IS NOT DISTINCT FROM g.manual
	                        AND b.g1 IS NOT DISTINCT FROM g.g1 AND b.g2 IS NOT DISTINCT FROM g.g2), '{}') END
	FROM g LEFT JOIN costs c ON c.channel = g.channel
	ORDER BY g.channel, g.manual, g.g1 NULLS LAST, g.g2 NULLS LAST;
END
$$;
REVOKE ALL ON FUNCTION channel_report(timestamptz, timestamptz, text, integer, text[], numeric[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION channel_report(timestamptz, timestamptz, text, integer, text[], numeric[])
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin;

-- The variants of every split segment side by side (docs/metrics.md, "The
-- variants' figures"): the accounts account_strategy puts in each variant
-- of a segment that has variants, and over [p_from, p_to) how many of them
-- were contacted (a right-party call, or a reply from their debtor), made a
-- promise, kept or broke the promises made, and what they paid against the
-- balance they had at p_from (per currency).
CREATE OR REPLACE FUNCTION strategy_report(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (segment text, variant text, ladder text, accounts bigint, contacted bigint, contact_rate numeric,
               promising bigint, promise_rate numeric, promises bigint, kept bigint, broken bigint,
               kept_rate numeric, paid jsonb, balance_start jsonb, recovery_rate jsonb)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	t bigint := report_team();
BEGIN
	IF p_from IS NULL OR p_to IS NULL OR p_to <= p_from THEN
		RAISE EXCEPTION 'a range is a start before its end' USING ERRCODE = '22023';
	END IF;
	RETURN QUERY
	WITH s AS (
		SELECT st.account_id, st.segment, st.variant, st.ladder, a.debtor_id, a.balance, a.currency::text AS currency
		FROM account_strategy st
		JOIN account a ON a.id = st.account_id
		WHERE st.variant IS NOT NULL AND (t IS NULL OR a.team_id = t)
	), pay AS (
		SELECT s.account_id,
		       coalesce(sum(y.amount) FILTER (WHERE y.paid_at < p_to), 0) AS paid,
		       coalesce(sum(y.amount), 0) AS since_from
		FROM s JOIN payment y ON y.account_id = s.account_id AND y.paid_at >= p_from
		GROUP BY 1
	), reached AS (
		-- Set-based, not a probe per account: a split segment may hold
		-- hundreds of thousands of accounts.
		SELECT s.account_id FROM s JOIN event e ON e.account_id = s.account_id
		WHERE e.at >= p_from AND e.at < p_to
		  AND (e.kind = 'call' AND e.outcome = 'right_party'
		       OR e.kind IN ('sms', 'email', 'whatsapp') AND e.direction = 'in')
		UNION
		SELECT s.account_id FROM s JOIN event e ON e.debtor_id = s.debtor_id AND e.account_id IS NULL
		WHERE e.at >= p_from AND e.at < p_to AND e.kind IN ('sms', 'email', 'whatsapp') AND e.direction = 'in'
	), prom AS (
		SELECT p.account_id, count(*) AS promises, count(*) FILTER (WHERE p.status = 'kept') AS kept,
		       count(*) FILTER (WHERE p.status = 'broken') AS broken
		FROM s JOIN promise p ON p.account_id = s.account_id
		WHERE p.status <> 'rejected' AND p.created_at >= p_from AND p.created_at < p_to
		GROUP BY 1
	), acc AS (
		SELECT s.*, c.account_id IS NOT NULL AS contacted,
		       coalesce(pr.promises, 0) AS promises, coalesce(pr.kept, 0) AS kept,
		       coalesce(pr.broken, 0) AS broken,
		       coalesce(pay.paid, 0) AS paid,
		       s.balance + coalesce(pay.since_from, 0) AS balance_start
		FROM s
		LEFT JOIN pay ON pay.account_id = s.account_id
		LEFT JOIN reached c ON c.account_id = s.account_id
		LEFT JOIN prom pr ON pr.account_id = s.account_id
	), cur AS (
		SELECT acc.segment, acc.variant, acc.currency, sum(acc.paid) AS paid, sum(acc.balance_start) AS balance_start
		FROM acc GROUP BY 1, 2, 3
	)
	SELECT acc.segment, acc.variant, min(acc.ladder),
	       count(*), count(*) FILTER (WHERE acc.contacted),
	       round(count(*) FILTER (WHERE acc.contacted)::numeric / count(*), 4),
	       count(*) FILTER (WHERE acc.promises > 0),
	       round(count(*) FILTER (WHERE acc.promises > 0)::numeric / count(*), 4),
	       sum(acc.promises)::bigint, sum(acc.kept)::bigint, sum(acc.broken)::bigint,
	       round(sum(acc.kept) / nullif(sum(acc.kept) + sum(acc.broken), 0), 4),
	       (SELECT jsonb_object_agg(c.currency, c.paid ORDER BY c.currency) FROM cur c
	        WHERE c.segment = acc.segment AND c.variant = acc.variant),
	       (SELECT jsonb_object_agg(c.currency, c.balance_start ORDER BY c.currency) FROM cur c
	        WHERE c.segment = acc.segment AND c.variant = acc.variant),
	       (SELECT jsonb_object_agg(c.currency, round(c.paid / nullif(c.balance_start, 0), 4) ORDER BY c.currency)
	        FROM cur c WHERE c.segment = acc.segment AND c.variant = acc.variant)
	FROM acc
	GROUP BY acc.segment, acc.variant
	ORDER BY acc.segment, acc.variant;
END
$$;
REVOKE ALL ON FUNCTION strategy_report(timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION strategy_report(timestamptz, timestamptz)
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin;
