-- The decisions on the caller's own promises (approved or rejected by a
-- supervisor or a lead, 024_promises.sql), for the collector's
-- workstation to say them as they come: it hears the change on the
-- account (cobro_account) and asks here what was decided.
-- uses: functions/session.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- Every decision since p_since on a promise the caller made, oldest first,
-- with the login of who decided and a rejection's reason. The owner's
-- rights read the decider's login, which a collector may not read in the
-- agent table; nothing but the caller's own promises is read.
CREATE OR REPLACE FUNCTION promise_decisions(p_since timestamptz)
RETURNS TABLE (promise_id bigint, account_id bigint, reference text, approved boolean, decided_by text,
               reason text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	RETURN QUERY
	SELECT p.id, p.account_id, a.reference::text, p.status <> 'rejected', coalesce(g.login, '')::text,
	       coalesce(p.decision_reason, '')::text
	FROM promise p JOIN account a ON a.id = p.account_id LEFT JOIN agent g ON g.id = p.decided_by
	WHERE p.agent_id = my_agent_id() AND p.decided_by IS NOT NULL AND p.decided_at >= p_since
	ORDER BY p.decided_at, p.id;
END
$$;
REVOKE ALL ON FUNCTION promise_decisions(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION promise_decisions(timestamptz)
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin;
