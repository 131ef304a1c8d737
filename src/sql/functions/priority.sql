-- The worklist's priority (docs/priority.md), written once: the stored rank
-- and the terms added to it by the minute. worklist_page() orders by these,
-- and so do the workstation's filtered worklist and the account screen's
-- explanation (src/core/worklist.c), so every figure agrees to the bit.
--
--   priority = callback bonus + promise bonus + balance x p(pay) - contact cost
--
-- The weights of the bonuses and the cost are each person's cobro.conf's,
-- passed in; the decay of p(pay) is the database's (priority_setting).
-- uses: functions/audit.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- balance x p(pay) on a given day: the expected value before the contact cost.
-- p(pay) falls by p_decay per 30 days past due.
CREATE OR REPLACE FUNCTION rank_value(p_balance bigint, p_score smallint, p_oldest_due date, p_day date,
                                      p_decay float8)
RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN p_balance::float8 * (p_score / 1000.0)::float8
       * greatest(0.0, 1.0 - p_decay * greatest(0, p_day - p_oldest_due) / 30.0);

-- A callback the collector scheduled is due now.
CREATE OR REPLACE FUNCTION priority_callback_due(p_next_action_at timestamptz)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN p_next_action_at <= now();

-- The newest promise is broken (promise_due is -infinity), or pending and
-- due today or earlier.
CREATE OR REPLACE FUNCTION priority_promise_due(p_promise_due date)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN p_promise_due <= current_date;

-- The two bonuses, p_weight when they apply, else 0.
CREATE OR REPLACE FUNCTION priority_callback(p_next_action_at timestamptz, p_weight float8)
RETURNS float8
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN priority_callback_due(p_next_action_at) THEN p_weight ELSE 0 END;

CREATE OR REPLACE FUNCTION priority_promise(p_promise_due date, p_weight float8)
RETURNS float8
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN priority_promise_due(p_promise_due) THEN p_weight ELSE 0 END;

-- The whole priority of an account from its stored columns (next_action_at,
-- promise_due, rank_value). Within each combination of bonuses the order is
-- rank_value's, which is what lets worklist_page() read a page from indexes.
-- These are plain SQL expressions that PostgreSQL inlines into the queries
-- that call them, so an index or a sort sees the expression itself.
CREATE OR REPLACE FUNCTION priority_total(p_next_action_at timestamptz, p_promise_due date, p_rank_value float8,
                                          p_callback float8, p_promise float8, p_cost float8)
RETURNS float8
LANGUAGE sql STABLE PARALLEL SAFE
RETURN priority_callback(p_next_action_at, p_callback) + priority_promise(p_promise_due, p_promise)
       + p_rank_value - p_cost;

-- Days past due grow overnight: brings the ranks of up to p_limit accounts
-- after id p_after up to today. Returns the last id it looked at, NULL past
-- the end: cobrod walks the table with it once a day in short transactions
-- (cobroctl priority refresh does the same), so no long lock is held.
CREATE OR REPLACE FUNCTION priority_refresh(p_after bigint, p_limit integer DEFAULT 5000) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	decay float8 := (SELECT dpd_decay FROM priority_setting);
	last bigint;
BEGIN
	SELECT max(id) INTO last FROM (SELECT id FROM account WHERE id > p_after ORDER BY id LIMIT p_limit) s;
	IF last IS NULL THEN
		RETURN NULL;
	END IF;
	UPDATE account a SET rank_day = current_date,
	                     rank_value = rank_value(a.balance, a.score, a.oldest_due, current_date, decay)
	WHERE a.id > p_after AND a.id <= last AND a.rank_day IS DISTINCT FROM current_date;
	RETURN last;
END
$$;

-- Sets the decay and ranks every account anew with it, in one statement: a
-- rare change, made by an administrator out of hours.
CREATE OR REPLACE FUNCTION priority_set_decay(p_decay float8) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	n bigint;
BEGIN
	UPDATE priority_setting SET dpd_decay = p_decay, updated_at = now(), updated_by = session_user;
	UPDATE account SET rank_day = NULL;  -- account_derive() ranks each anew
	GET DIAGNOSTICS n = ROW_COUNT;
	PERFORM audit_write('UPDATE', 'priority_setting', NULL, NULL, jsonb_build_object('dpd_decay', p_decay));
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION priority_refresh(bigint, integer), priority_set_decay(float8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION priority_refresh(bigint, integer) TO cobro_admin, cobro_daemon;
GRANT EXECUTE ON FUNCTION priority_set_decay(float8) TO cobro_admin;
