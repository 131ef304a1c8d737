-- The functions a workstation calls on every screen plan their query once
-- per session, not five times first: PostgreSQL tries a custom plan for the
-- first five calls of a cached statement, and on a 1,000,000-account database
-- planning the worklist's four index scans or a debtor's history over every
-- monthly partition costs more than running them. Their best plan does not
-- depend on the arguments (an agent's accounts, a debtor's events), so the
-- generic plan is the one wanted from the first call.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

ALTER FUNCTION worklist_page(integer, integer, float8, float8, float8) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION contact_history_many(bigint[], timestamptz) SET plan_cache_mode = force_generic_plan;

-- contact_history() is now contact_history_many() for one debtor: one text
-- for the rule of who may ask and for what counts as a contact of each kind.
CREATE OR REPLACE FUNCTION contact_history(p_debtor bigint, p_since timestamptz)
RETURNS TABLE (at timestamptz, channel text, kind text, debt text, creditor text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
	SELECT h.at, h.channel, h.kind, h.debt, h.creditor FROM contact_history_many(ARRAY[p_debtor], p_since) h
$$;
