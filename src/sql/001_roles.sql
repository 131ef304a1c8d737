-- Roles and extensions: the only migration that needs a superuser.
--
-- Every table belongs to cobro_owner, a NOLOGIN role, so that no person ever
-- owns a table (owners bypass row-level security). People log in as their own
-- LOGIN roles, each a member of exactly one group role below.

DO $$
DECLARE
	r text;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cobro_owner') THEN
		-- CREATEROLE: cobro.agent_add(), run as the owner, creates login roles.
		CREATE ROLE cobro_owner NOLOGIN CREATEROLE;
	END IF;
	FOREACH r IN ARRAY ARRAY['cobro_collector', 'cobro_supervisor', 'cobro_lead',
	                         'cobro_admin', 'cobro_daemon']
	LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN', r);
		END IF;
	END LOOP;
END
$$;

-- A lead may do everything a supervisor may.
GRANT cobro_supervisor TO cobro_lead;

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE SCHEMA IF NOT EXISTS cobro AUTHORIZATION cobro_owner;
REVOKE ALL ON SCHEMA cobro FROM PUBLIC;
GRANT USAGE ON SCHEMA cobro TO cobro_collector, cobro_supervisor, cobro_lead,
	cobro_admin, cobro_daemon;

DO $$
BEGIN
	EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO cobro_collector, '
	               'cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon',
	               current_database());
	EXECUTE format('REVOKE CREATE ON DATABASE %I FROM PUBLIC', current_database());
END
$$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- The migration ledger. The runner (cobroctl migrate) records each file here.
CREATE TABLE IF NOT EXISTS cobro.schema_migration (
	version    integer PRIMARY KEY,
	name       text NOT NULL,
	checksum   text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now(),
	applied_by text NOT NULL DEFAULT session_user
);
ALTER TABLE cobro.schema_migration OWNER TO cobro_owner;
