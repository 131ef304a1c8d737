-- A promise's state as the worklist shows it: as stored, except that a
-- pending promise whose next unpaid installment falls due on the debtor's
-- today reads "due_today" (shown, never stored: it turns at midnight).
-- account.promise_due is that installment's date (account_derived.sql).
-- uses: functions/promise_plan.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- p_status and p_due are the account's promise_status and promise_due,
-- p_zone the debtor's time zone, whose today is promise_save()'s and the
-- keeper's (zone_date(), which takes an unknown zone for UTC). A body of
-- SQL, inlined where it is called; the zone is read only for a pending one.
CREATE OR REPLACE FUNCTION promise_shown(p_status text, p_due date, p_zone text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN p_status = 'pending'
            THEN CASE WHEN p_due = zone_date(p_zone, now()) THEN 'due_today' ELSE 'pending' END
            ELSE coalesce(p_status, '') END;
REVOKE ALL ON FUNCTION promise_shown(text, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION promise_shown(text, date, text)
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin;
