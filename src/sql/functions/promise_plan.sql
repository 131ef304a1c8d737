-- A promise's plan and limits, pure or read-only: the schedule of its
-- installments (the workstation's form computes the same one in C,
-- src/core/promise.c, and the tests hold both to the same cases), the debtor's
-- today, and the limits that apply to an account (docs/promises.md).
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- Installment k (seq k + 1, k < p_count) falls on p_first + 7k days (weekly),
-- + 14k days (biweekly) or + k months (monthly: the first date's day, clamped
-- to the month's end, as date + interval '1 month' does: 01-31, 02-28, 03-31).
-- `once` is one installment. Each is p_amount / p_count (integer division) in
-- minor units and the last takes the remainder. Nothing for what cannot be a
-- plan (no first date, a count below 1, an unknown frequency, `once` with a
-- count other than 1).
CREATE OR REPLACE FUNCTION promise_schedule(p_first date, p_count integer, p_frequency text, p_amount bigint)
RETURNS TABLE (seq integer, due_date date, amount bigint)
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = cobro, pg_temp AS $$
	SELECT k + 1,
	       CASE p_frequency
	       WHEN 'weekly' THEN p_first + 7 * k
	       WHEN 'biweekly' THEN p_first + 14 * k
	       WHEN 'monthly' THEN (p_first + k * interval '1 month')::date
	       ELSE p_first END,
	       p_amount / p_count + CASE WHEN k = p_count - 1 THEN p_amount % p_count ELSE 0 END
	FROM generate_series(0, p_count - 1) AS k
	WHERE p_first IS NOT NULL AND p_amount IS NOT NULL AND p_count >= 1
	  AND (p_frequency IN ('weekly', 'biweekly', 'monthly') OR (p_frequency = 'once' AND p_count = 1))
	ORDER BY k
$$;

-- The debtor's date at p_at in their time zone; an unknown zone (the
-- database does not check debtor.time_zone) reads as UTC rather than fail.
CREATE OR REPLACE FUNCTION zone_date(p_zone text, p_at timestamptz) RETURNS date
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = cobro, pg_temp AS $$
BEGIN
	RETURN (p_at AT TIME ZONE coalesce(p_zone, 'UTC'))::date;
EXCEPTION WHEN invalid_parameter_value THEN
	RETURN (p_at AT TIME ZONE 'UTC')::date;
END
$$;

-- The zone to compute in: the debtor's, or UTC when PostgreSQL does not know
-- it. Asked of AT TIME ZONE itself: pg_timezone_names computes every zone's
-- offsets each time it is read (30 ms, most of a promise's save).
CREATE OR REPLACE FUNCTION zone_or_utc(p_zone text) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = cobro, pg_temp AS $$
BEGIN
	PERFORM now() AT TIME ZONE p_zone;
	RETURN coalesce(p_zone, 'UTC');
EXCEPTION WHEN invalid_parameter_value THEN
	RETURN 'UTC';
END
$$;

-- The limits row of the version in force (the newest) for a jurisdiction and
-- a segment: the most specific wins (jurisdiction and segment, jurisdiction
-- and *, then for a subdivision its country likewise, * and segment, * and *).
CREATE OR REPLACE FUNCTION promise_limit_pick(p_jurisdiction text, p_segment text) RETURNS promise_limit
LANGUAGE sql STABLE SET search_path = cobro, pg_temp AS $$
	SELECT l.* FROM promise_limit l
	WHERE l.version = (SELECT max(s.version) FROM promise_limit_set s)
	  AND l.jurisdiction IN (p_jurisdiction, left(p_jurisdiction, 2), '*')
	  AND l.segment IN (p_segment, '*')
	ORDER BY CASE l.jurisdiction WHEN p_jurisdiction THEN 0 WHEN '*' THEN 2 ELSE 1 END,
	         l.segment = '*'
	LIMIT 1
$$;
REVOKE ALL ON FUNCTION promise_limit_pick(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION promise_limit_pick(text, text)
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;

-- The limits a promise on the account is checked against, and the account's
-- today (its debtor's date) that the date is checked against. The caller's
-- rights: an account they cannot see is "no such account".
CREATE OR REPLACE FUNCTION promise_limits_for(p_account bigint)
RETURNS TABLE (version integer, horizon_days integer, min_share_permille integer, max_installments integer,
               max_discount_permille integer, grace_days integer, today date)
LANGUAGE plpgsql STABLE SET search_path = cobro, pg_temp AS $$
DECLARE
	jur  text;
	seg  text;
	zone text;
BEGIN
	SELECT d.jurisdiction, a.segment, d.time_zone INTO jur, seg, zone
	FROM account a JOIN debtor d ON d.id = a.debtor_id WHERE a.id = p_account;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no such account' USING ERRCODE = '42501';
	END IF;
	RETURN QUERY
	SELECT l.version, l.horizon_days, l.min_share_permille, l.max_installments, l.max_discount_permille,
	       l.grace_days, zone_date(zone, now())
	FROM promise_limit_pick(jur, seg) l;
END
$$;

GRANT EXECUTE ON FUNCTION promise_schedule(date, integer, text, bigint), zone_date(text, timestamptz),
	zone_or_utc(text), promise_limits_for(bigint)
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;
