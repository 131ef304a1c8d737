-- The database's own check of every contact-policy version (docs/security.md,
-- "Contact policy versions"): a version that does not parse, or that loosens
-- a locked rule of the version in force, is refused whoever writes it, an
-- admin in psql, cobroctl policy load, a superuser's script.
--
-- policy_verify() is the very parser and lock check of cobrod and cobroctl
-- (src/core/policy*.c), compiled into lib/cobro_policy.so (src/pgext/), which
-- the server loads: one reading of the rules, so the database cannot accept
-- what cobrod would read otherwise. LANGUAGE C is untrusted: only a
-- superuser creates it, so this file steps back to the migration's superuser
-- (ROLE NONE) for that one function, and hands it to cobro_owner.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

SET LOCAL ROLE NONE;

CREATE OR REPLACE FUNCTION cobro.policy_verify(p_text text, p_holidays text, p_prev_text text, p_prev_holidays text)
RETURNS text LANGUAGE C STABLE PARALLEL SAFE
AS 'cobro_policy', 'cobro_policy_verify';
ALTER FUNCTION cobro.policy_verify(text, text, text, text) OWNER TO cobro_owner;
REVOKE ALL ON FUNCTION cobro.policy_verify(text, text, text, text) FROM PUBLIC;

SET LOCAL ROLE cobro_owner;

-- BEFORE INSERT OR UPDATE OR DELETE ON contact_policy (017_policy_agents_leases.sql).
-- A new version is compared with the newest accepted one, under the lock
-- cobroctl policy load takes (one loader at a time); who and when are the
-- server's, not the writer's word. Versions are history: never changed.
CREATE OR REPLACE FUNCTION contact_policy_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	prev_text text;
	prev_holidays text;
	why text;
BEGIN
	IF TG_OP <> 'INSERT' THEN
		RAISE EXCEPTION 'contact policy versions are never changed nor removed: load a new one (cobroctl policy load)'
			USING ERRCODE = '42501';
	END IF;
	PERFORM pg_advisory_xact_lock(hashtext('cobro.contact_policy'));
	SELECT p.text, p.holidays INTO prev_text, prev_holidays
	FROM contact_policy p WHERE p.accepted ORDER BY p.version DESC LIMIT 1;
	why := policy_verify(NEW.text, NEW.holidays, prev_text, prev_holidays);
	IF why IS NOT NULL THEN
		RAISE EXCEPTION 'contact policy refused: %', why USING ERRCODE = '23514';
	END IF;
	NEW.accepted := true;
	NEW.loaded_at := now();
	NEW.loaded_by := session_user;
	RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION contact_policy_guard() FROM PUBLIC;
