-- When each debtor was last heard from (036_debtor_heard.sql): their last
-- reply (an sms, email or whatsapp that came in) and their last right-party
-- contact (a call or visit that reached them), over the whole history, kept
-- in debtor_heard by statement triggers on event, so that a strategy run
-- reads one row per debtor instead of aggregating every debtor's 400 days
-- of history (strategy_facts(), functions/strategy.sql).
--
-- What counts is said in three places written the same way: the insert
-- trigger below (a transition table has no name a function could take),
-- debtor_heard_of() (the history of some debtors: the update and delete
-- triggers, the rebuild) and strategy_facts()' look-up for a day before the
-- kept moment; tests/db/test_debtor_heard_admin.sql holds the kept rows to
-- what the history says.
--
-- Kept exact: an insert can only move a moment later (greatest()); an
-- update or a delete of history rows (never done by the application, but a
-- superuser may) recomputes the debtors it touched from the history. A load
-- that bypasses event's triggers (the demo COPYs into the partitions) calls
-- debtor_heard_rebuild() afterwards, as it calls metric_rebuild().
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- The debtors' last reply and right-party contact in the history, for the
-- debtors in p_debtors (NULL: all of them). One row per debtor heard from.
CREATE OR REPLACE FUNCTION debtor_heard_of(p_debtors bigint[])
RETURNS TABLE (debtor_id bigint, last_reply timestamptz, last_rpc timestamptz)
LANGUAGE plpgsql STABLE SET search_path = cobro, pg_temp SET plan_cache_mode = force_custom_plan AS $$
BEGIN
	RETURN QUERY
	SELECT e.debtor_id,
	       max(e.at) FILTER (WHERE e.direction = 'in' AND e.kind IN ('sms', 'email', 'whatsapp')),
	       max(e.at) FILTER (WHERE e.kind IN ('call', 'visit') AND e.outcome = 'right_party')
	FROM event e
	WHERE (e.direction = 'in' AND e.kind IN ('sms', 'email', 'whatsapp')
	       OR e.kind IN ('call', 'visit') AND e.outcome = 'right_party')
	  AND (p_debtors IS NULL OR e.debtor_id = ANY (p_debtors))
	GROUP BY e.debtor_id;
END
$$;
REVOKE ALL ON FUNCTION debtor_heard_of(bigint[]) FROM PUBLIC;

-- After an INSERT into event: the statement's replies and right-party
-- contacts, per debtor, moved into the kept row when later. In debtor
-- order, so that two writers of the same debtors never deadlock.
CREATE OR REPLACE FUNCTION debtor_heard_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	INSERT INTO debtor_heard AS h (debtor_id, last_reply, last_rpc)
	SELECT e.debtor_id,
	       max(e.at) FILTER (WHERE e.direction = 'in' AND e.kind IN ('sms', 'email', 'whatsapp')),
	       max(e.at) FILTER (WHERE e.kind IN ('call', 'visit') AND e.outcome = 'right_party')
	FROM new_rows e
	WHERE e.direction = 'in' AND e.kind IN ('sms', 'email', 'whatsapp')
	   OR e.kind IN ('call', 'visit') AND e.outcome = 'right_party'
	GROUP BY e.debtor_id
	ORDER BY e.debtor_id
	ON CONFLICT (debtor_id) DO UPDATE
	SET last_reply = greatest(h.last_reply, EXCLUDED.last_reply),
	    last_rpc = greatest(h.last_rpc, EXCLUDED.last_rpc)
	WHERE EXCLUDED.last_reply > h.last_reply OR h.last_reply IS NULL AND EXCLUDED.last_reply IS NOT NULL
	   OR EXCLUDED.last_rpc > h.last_rpc OR h.last_rpc IS NULL AND EXCLUDED.last_rpc IS NOT NULL;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION debtor_heard_event() FROM PUBLIC;

-- The debtors p_debtors' rows made again from the history (a row whose
-- debtor is no longer heard from at all goes).
CREATE OR REPLACE FUNCTION debtor_heard_redo(p_debtors bigint[]) RETURNS void
LANGUAGE plpgsql SET search_path = cobro, pg_temp AS $$
BEGIN
	IF p_debtors IS NULL OR cardinality(p_debtors) = 0 THEN
		RETURN;
	END IF;
	-- One lock order with the insert trigger's.
	PERFORM 1 FROM debtor_heard h WHERE h.debtor_id = ANY (p_debtors) ORDER BY h.debtor_id FOR UPDATE;
	DELETE FROM debtor_heard h WHERE h.debtor_id = ANY (p_debtors);
	INSERT INTO debtor_heard (debtor_id, last_reply, last_rpc)
	SELECT x.debtor_id, x.last_reply, x.last_rpc FROM debtor_heard_of(p_debtors) x ORDER BY x.debtor_id
	ON CONFLICT (debtor_id) DO UPDATE
	SET last_reply = greatest(debtor_heard.last_reply, EXCLUDED.last_reply),
	    last_rpc = greatest(debtor_heard.last_rpc, EXCLUDED.last_rpc);
END
$$;
REVOKE ALL ON FUNCTION debtor_heard_redo(bigint[]) FROM PUBLIC;

-- After an UPDATE of event: the debtors of the rows before and after.
CREATE OR REPLACE FUNCTION debtor_heard_event_update() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	PERFORM debtor_heard_redo(ARRAY(SELECT o.debtor_id FROM old_rows o UNION SELECT n.debtor_id FROM new_rows n));
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION debtor_heard_event_update() FROM PUBLIC;

-- After a DELETE from event: the debtors of the rows deleted.
CREATE OR REPLACE FUNCTION debtor_heard_event_delete() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	PERFORM debtor_heard_redo(ARRAY(SELECT DISTINCT o.debtor_id FROM old_rows o));
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION debtor_heard_event_delete() FROM PUBLIC;

-- Every row made again from the history (after a load that bypassed the
-- triggers, after history was detached or dropped, or to reconcile).
-- Returns the debtors kept. Owner and superuser only.
CREATE OR REPLACE FUNCTION debtor_heard_rebuild() RETURNS bigint
LANGUAGE plpgsql SET search_path = cobro, pg_temp AS $$
DECLARE
	n bigint;
BEGIN
	LOCK TABLE debtor_heard IN EXCLUSIVE MODE;
	TRUNCATE debtor_heard;
	INSERT INTO debtor_heard (debtor_id, last_reply, last_rpc)
	SELECT x.debtor_id, x.last_reply, x.last_rpc FROM debtor_heard_of(NULL) x;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION debtor_heard_rebuild() FROM PUBLIC;
