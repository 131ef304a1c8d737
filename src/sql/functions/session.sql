-- Who is asking: the helpers row-level security's policies call
-- (docs/architecture.md, "The session_user helpers"). They are SECURITY
-- DEFINER so that a policy can read the agent table without granting it, and
-- key on session_user, the role that logged in, which SET ROLE cannot change.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE OR REPLACE FUNCTION my_agent_id() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS
$$ SELECT id FROM cobro.agent WHERE login = session_user AND active $$;

CREATE OR REPLACE FUNCTION my_team_id() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS
$$ SELECT team_id FROM cobro.agent WHERE login = session_user AND active $$;

CREATE OR REPLACE FUNCTION agent_team(p_agent bigint) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS
$$ SELECT team_id FROM cobro.agent WHERE id = p_agent AND active $$;

-- Membership of the logged-in person in a group role (admins, the daemon).
CREATE OR REPLACE FUNCTION i_am(grp name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS
$$ SELECT pg_has_role(session_user, grp, 'MEMBER') $$;

REVOKE ALL ON FUNCTION my_agent_id(), my_team_id(), agent_team(bigint), i_am(name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION my_agent_id(), my_team_id(), agent_team(bigint), i_am(name)
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;
