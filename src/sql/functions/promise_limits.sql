-- A new version of the promise limits (`cobroctl limits load FILE`,
-- src/cobroctl/cmd_limits.c, which checks the file first and names the line
-- of anything wrong). The administrator's only; nobody writes promise_limit
-- or promise_limit_set directly (024_promises.sql). The version in force is
-- the newest: a promise saved from now on is checked against it, and keeps
-- the number of the version it was checked against (promise.limits_version).
-- uses: functions/session.sql functions/audit.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- p_rows: a JSON array of objects with jurisdiction, segment, horizon_days,
-- min_share_permille, max_installments, max_discount_permille, grace_days.
-- It must hold a `*` `*` row (every account has limits); each pair once.
-- Returns the new version.
CREATE OR REPLACE FUNCTION promise_limits_load(p_source text, p_text text, p_diff text, p_rows jsonb)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	v integer;
BEGIN
	IF NOT i_am('cobro_admin') THEN
		RAISE EXCEPTION 'only an administrator loads promise limits' USING ERRCODE = '42501';
	END IF;
	IF p_text IS NULL OR p_rows IS NULL OR jsonb_typeof(p_rows) <> 'array' THEN
		RAISE EXCEPTION 'the limits need their text and their rows' USING ERRCODE = '22004';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(p_rows) r
	               WHERE r->>'jurisdiction' = '*' AND r->>'segment' = '*') THEN
		RAISE EXCEPTION 'the limits have no row for jurisdiction "*" and segment "*"' USING ERRCODE = '22023';
	END IF;
	-- One load at a time: the diff is against the version before.
	PERFORM pg_advisory_xact_lock(hashtext('cobro.promise_limit'));
	INSERT INTO promise_limit_set (source, text, diff)
	VALUES (coalesce(nullif(p_source, ''), '-'), p_text, p_diff)
	RETURNING version INTO v;
	INSERT INTO promise_limit (version, jurisdiction, segment, horizon_days, min_share_permille, max_installments,
	                           max_discount_permille, grace_days)
	SELECT v, r.jurisdiction, r.segment, r.horizon_days, r.min_share_permille, r.max_installments,
	       r.max_discount_permille, r.grace_days
	FROM jsonb_to_recordset(p_rows) AS r(jurisdiction text, segment text, horizon_days integer,
	                                     min_share_permille integer, max_installments integer,
	                                     max_discount_permille integer, grace_days integer);
	RETURN v;
END
$$;

REVOKE ALL ON FUNCTION promise_limits_load(text, text, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION promise_limits_load(text, text, text, jsonb) TO cobro_admin;
