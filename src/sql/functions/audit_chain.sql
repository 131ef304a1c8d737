-- The audit chain kept and checked (issue 17, line 6): the guard that keeps
-- the table append-only, the login record, and the chain recomputed.
--
-- audit_write() (functions/audit.sql) hashes, for each row,
--   sha256(previous row's hash || concat_ws('|', at, actor, action, tbl,
--          row_id, old, new))
-- with at rendered in UTC and ISO; audit_verify() recomputes exactly that,
-- under the same settings, so a chain written from any session verifies.
-- uses: functions/audit.sql functions/session.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- Refuses UPDATE, DELETE and TRUNCATE of audit to everyone, the owner and
-- its SECURITY DEFINER functions included: grants alone would leave the
-- owner's functions free to rewrite history. Only a superuser gets past it
-- (by switching the trigger off or session_replication_role), and
-- audit_verify() then names the broken link.
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = cobro, public, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP
		USING ERRCODE = '42501', HINT = 'audit rows are never changed or removed (docs/security.md, "The audit chain")';
END
$$;
REVOKE ALL ON FUNCTION audit_append_only() FROM PUBLIC;

-- A login: the workstation, cobroctl and cobrod call it once their session
-- is open. The person is session_user (audit_write's actor), which SET ROLE
-- cannot change; the row names the agent, the program and where from.
CREATE OR REPLACE FUNCTION audit_login(p_program text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, public, pg_temp AS $$
BEGIN
	IF p_program IS NULL OR p_program NOT IN ('cobro', 'cobroctl', 'cobrod') THEN
		RAISE EXCEPTION 'audit_login: "%" is not a cobro program', p_program USING ERRCODE = '22023';
	END IF;
	PERFORM audit_write('LOGIN', 'session', my_agent_id(), NULL,
	                    jsonb_build_object('program', p_program,
	                                       'client', coalesce(host(inet_client_addr()), 'local'),
	                                       'pid', pg_backend_pid()));
END
$$;
REVOKE ALL ON FUNCTION audit_login(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_login(text)
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;

-- The head's hash, for cobroctl audit verify, which recomputes the chain
-- itself (src/core/audit.c) with the checks of audit_verify() below.
CREATE OR REPLACE FUNCTION audit_head_hash() RETURNS bytea
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS
$$ SELECT hash FROM cobro.audit_head $$;
REVOKE ALL ON FUNCTION audit_head_hash() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_head_hash() TO cobro_admin;

-- The chain recomputed, in one ordered pass (a window over the primary key):
-- how many rows, and the first broken link, if any, as
--   changed   the row's content or hash is not what its hash covers
--   removed   the row's link names a hash no row holds: rows before it were
--             removed (or its predecessor's hash rewritten)
--   inserted  the row links to an older row: rows between were inserted
--   relinked  the row links to a later row
--   head      the chain's head names a hash no row holds: rows at the end
--             were removed (or the table emptied)
-- and the head's hash, for an operator to keep elsewhere (docs/security.md).
CREATE OR REPLACE FUNCTION audit_verify(OUT n_rows bigint, OUT broken_id bigint, OUT problem text,
                                        OUT detail text, OUT head bytea)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, public, pg_temp
SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres' SET enable_sort = off AS $$
DECLARE
	b record;
	other bigint;
BEGIN
	SELECT x.hash INTO head FROM audit_head x;
	SELECT count(*) INTO n_rows FROM audit;
	SELECT c.id, c.prev_hash, c.before, c.before_id, c.calc <> c.hash AS changed INTO b
	FROM (SELECT a.id, a.prev_hash, a.hash,
	             lag(a.hash) OVER w AS before, lag(a.id) OVER w AS before_id,
	             sha256(coalesce(a.prev_hash, '\x'::bytea) || convert_to(
	                 concat_ws('|', a.at, a.actor, a.action, a.tbl, a.row_id, a.old, a.new), 'UTF8')) AS calc
	      FROM audit a WINDOW w AS (ORDER BY a.id)) c
	WHERE c.calc <> c.hash OR c.prev_hash IS DISTINCT FROM c.before
	ORDER BY c.id LIMIT 1;
	IF FOUND THEN
		broken_id := b.id;
		IF b.changed THEN
			problem := 'changed';
			detail := format('row %s does not match its hash: its content or hash was changed', b.id);
		ELSIF b.prev_hash IS NULL THEN
			problem := 'relinked';
			detail := format('row %s starts a chain of its own after row %s', b.id, b.before_id);
		ELSE
			SELECT a.id INTO other FROM audit a WHERE a.hash = b.prev_hash ORDER BY a.id LIMIT 1;
			IF other IS NULL THEN
				problem := 'removed';
				detail := CASE WHEN b.before_id IS NULL
				               THEN format('row %s links to a row that is gone: the rows before it were removed', b.id)
				               ELSE format('row %s links to a row that is gone: rows between %s and %s were removed, '
				                           'or row %s''s hash was rewritten', b.id, b.before_id, b.id, b.before_id) END;
			ELSIF other < b.before_id THEN
				problem := 'inserted';
				detail := format('row %s links to row %s: the rows after %s up to %s were inserted',
				                 b.id, other, other, b.before_id);
			ELSE
				problem := 'relinked';
				detail := format('row %s links to row %s, not to row %s before it', b.id, other, b.before_id);
			END IF;
		END IF;
		RETURN;
	END IF;
	-- Intact row by row; the head must name a row that is there (it names a
	-- transaction's first row, functions/audit.sql), or no rows at all.
	IF head IS NULL AND n_rows > 0
	   OR head IS NOT NULL AND NOT EXISTS (SELECT 1 FROM audit a WHERE a.hash = head) THEN
		problem := 'head';
		broken_id := (SELECT max(a.id) FROM audit a);
		detail := CASE WHEN n_rows = 0 THEN 'the audit trail is empty but its head names a row: every row was removed'
		               ELSE format('the chain''s head names a row that is gone: rows after %s were removed', broken_id) END;
	END IF;
END
$$;
REVOKE ALL ON FUNCTION audit_verify() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_verify() TO cobro_admin;
