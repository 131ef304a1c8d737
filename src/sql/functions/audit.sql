-- The audit chain: each row's hash covers the previous row's hash.
--
-- Writers are serialised by the one row of audit_head, locked FOR UPDATE: a
-- READ COMMITTED writer waits and then reads the newest link; a REPEATABLE
-- READ one gets a serialization failure (40001) to retry, never a fork. The
-- newest link is the audit row with the highest id (ids are taken inside the
-- lock). Each transaction moves audit_head once, at its first row: updating
-- that one row again for every row a transaction writes left a version of it
-- per row, each read walking all the ones before (the promise keeper's
-- 100,000 decisions in one statement took hours; issue 16, line 11). The
-- text hashed is rendered in UTC and ISO so that it verifies from any session.
-- A transaction's first row finds the row the head names (by its hash,
-- indexed by 027_audit.sql), or the chain was cut by a superuser (rows deleted at
-- its end, or all of them), and then links to the head's hash rather than
-- to what is left, so that audit_verify() still finds the cut
-- (functions/audit_chain.sql) instead of a new chain hiding it.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE OR REPLACE FUNCTION audit_write(p_action text, p_tbl text, p_row bigint, p_old jsonb, p_new jsonb)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, public, pg_temp
SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' AS $$
DECLARE
	prev bytea;
	h bytea;
	moved boolean;   -- this transaction moved audit_head already
	hd record;
	t timestamptz := clock_timestamp();
BEGIN
	SELECT x.xmin = pg_current_xact_id()::xid AS moved, x.hash INTO hd FROM cobro.audit_head x FOR UPDATE;
	moved := hd.moved;
	SELECT a.hash INTO prev FROM cobro.audit a ORDER BY a.id DESC LIMIT 1;
	IF NOT moved AND hd.hash IS NOT NULL
	   AND NOT EXISTS (SELECT 1 FROM cobro.audit a WHERE a.hash = hd.hash) THEN
		prev := hd.hash;
	END IF;
	h := sha256(coalesce(prev, '\x'::bytea) || convert_to(
	         concat_ws('|', t, session_user, p_action, p_tbl, p_row, p_old, p_new), 'UTF8'));
	INSERT INTO cobro.audit (at, action, tbl, row_id, old, new, prev_hash, hash)
	VALUES (t, p_action, p_tbl, p_row, p_old, p_new, prev, h);
	IF NOT moved THEN
		UPDATE cobro.audit_head SET hash = h;
	END IF;
END
$$;
REVOKE ALL ON FUNCTION audit_write(text, text, bigint, jsonb, jsonb) FROM PUBLIC;

-- The trigger that audits a table's rows. The row's key is its id, or its
-- version for contact_policy.
CREATE OR REPLACE FUNCTION audit_trigger() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, public, pg_temp AS $$
DECLARE
	r jsonb := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
	k bigint := coalesce(r->>'id', r->>'version')::bigint;
BEGIN
	IF TG_OP = 'DELETE' THEN
		PERFORM cobro.audit_write(TG_OP, TG_TABLE_NAME, k, to_jsonb(OLD), NULL);
		RETURN OLD;
	ELSIF TG_OP = 'UPDATE' THEN
		PERFORM cobro.audit_write(TG_OP, TG_TABLE_NAME, k, to_jsonb(OLD), to_jsonb(NEW));
	ELSE
		PERFORM cobro.audit_write(TG_OP, TG_TABLE_NAME, k, NULL, to_jsonb(NEW));
	END IF;
	RETURN NEW;
END
$$;
