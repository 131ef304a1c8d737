-- cobroctl agent add, in the database (docs/architecture.md, "Who may do what").
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- The mark of a login role cobro created (docs/security.md, "Login roles"):
-- its comment, kept by the cluster like the role itself.
CREATE OR REPLACE FUNCTION agent_mark() RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN 'cobro: a person''s login, made by cobro.agent_add()';

-- Creates the person's LOGIN role in their group and their agent row, in one go.
-- DDL takes no bind parameters, so the role name is quoted here with %I and the
-- callers pass everything as parameters.
CREATE OR REPLACE FUNCTION agent_add(p_login text, p_name text, p_role text, p_team text, p_password text DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, public, pg_temp AS $$
DECLARE
	team bigint;
	aid bigint;
BEGIN
	IF p_login IS NULL OR p_name IS NULL OR p_role IS NULL THEN
		RAISE EXCEPTION 'login, name and role are required' USING ERRCODE = '22023';
	END IF;
	IF p_role NOT IN ('collector', 'supervisor', 'lead', 'admin', 'daemon') THEN
		RAISE EXCEPTION 'unknown role "%": use collector, supervisor, lead, admin or daemon', p_role
			USING ERRCODE = '22023';
	END IF;
	IF p_team IS NOT NULL THEN
		SELECT id INTO team FROM cobro.team WHERE code = p_team;
		IF team IS NULL THEN
			RAISE EXCEPTION 'no team "%"', p_team USING ERRCODE = '22023';
		END IF;
	ELSIF p_role NOT IN ('admin', 'daemon') THEN
		RAISE EXCEPTION 'a % needs a team (--team)', p_role USING ERRCODE = '22023';
	END IF;
	IF p_login !~ '^[a-z][a-z0-9_.-]{0,62}$' THEN
		RAISE EXCEPTION 'login "%" must be lower-case letters, digits, _ . -, starting with a letter', p_login
			USING ERRCODE = '22023';
	END IF;
	IF p_login LIKE 'cobro\_%' OR p_login LIKE 'pg\_%' THEN
		RAISE EXCEPTION 'login "%" is reserved (cobro_ and pg_ name roles, not people)', p_login
			USING ERRCODE = '22023';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
		IF EXISTS (SELECT 1 FROM cobro.agent WHERE login = p_login) THEN
			RAISE EXCEPTION 'agent "%" exists already', p_login USING ERRCODE = '42710';
		END IF;
		-- Roles are the cluster's: another application's may have this name.
		-- cobro changes only a role it created itself (it carries the mark),
		-- left by a database that is gone, and only while it is still a plain
		-- login in no group but the one it gets.
		IF shobj_description((SELECT oid FROM pg_roles WHERE rolname = p_login), 'pg_authid')
		   IS DISTINCT FROM agent_mark() THEN
			RAISE EXCEPTION 'role "%" exists and was not created by cobro (another application''s?): cobro leaves it alone; choose another login', p_login
				USING ERRCODE = '42710';
		END IF;
		IF EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = p_login
		           AND (NOT r.rolcanlogin OR r.rolsuper OR r.rolcreaterole OR r.rolcreatedb
		                OR r.rolreplication OR r.rolbypassrls))
		   OR EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member
		              WHERE r.rolname = p_login
		                AND m.roleid <> ('cobro_' || p_role)::regrole)
		   OR EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
		              WHERE r.rolname = p_login) THEN
			RAISE EXCEPTION 'role "%" exists and is not a plain login role; choose another login', p_login
				USING ERRCODE = '42710';
		END IF;
		IF p_password IS NOT NULL THEN
			EXECUTE format('ALTER ROLE %I PASSWORD %L', p_login, p_password);
		END IF;
	ELSIF p_password IS NULL THEN
		EXECUTE format('CREATE ROLE %I LOGIN', p_login);
		EXECUTE format('COMMENT ON ROLE %I IS %L', p_login, agent_mark());
	ELSE
		EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', p_login, p_password);
		EXECUTE format('COMMENT ON ROLE %I IS %L', p_login, agent_mark());
	END IF;
	EXECUTE format('GRANT %I TO %I', 'cobro_' || p_role, p_login);
	INSERT INTO cobro.agent (login, name, role, team_id)
	VALUES (p_login, p_name, p_role, team) RETURNING id INTO aid;
	RETURN aid;
END
$$;
REVOKE ALL ON FUNCTION agent_add(text, text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION agent_mark() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION agent_add(text, text, text, text, text) TO cobro_admin;
