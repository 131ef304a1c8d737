-- Who may see and do what (docs/architecture.md, "Who may do what").
-- Row-level security is the boundary: a collector in psql sees exactly what the
-- workstation shows. The helpers below are SECURITY DEFINER so that policies can
-- read the agent table without granting it; they key on session_user, the role
-- that logged in, which SET ROLE cannot change.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE FUNCTION my_agent_id() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS
$$ SELECT id FROM cobro.agent WHERE login = session_user AND active $$;

CREATE FUNCTION my_team_id() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS
$$ SELECT team_id FROM cobro.agent WHERE login = session_user AND active $$;

CREATE FUNCTION agent_team(p_agent bigint) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS
$$ SELECT team_id FROM cobro.agent WHERE id = p_agent AND active $$;

-- Membership of the logged-in person in a group role (admins, the daemon).
CREATE FUNCTION i_am(grp name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS
$$ SELECT pg_has_role(session_user, grp, 'MEMBER') $$;

REVOKE ALL ON FUNCTION my_agent_id(), my_team_id(), agent_team(bigint), i_am(name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION my_agent_id(), my_team_id(), agent_team(bigint), i_am(name)
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;

-- ---------------------------------------------------------------- audit chain
-- The head of the chain lives in a one-row table locked FOR UPDATE: a READ
-- COMMITTED writer waits and reads the newest head; a REPEATABLE READ one gets
-- a serialization failure (40001) to retry, never a fork. The text hashed is
-- rendered in UTC and ISO so that it verifies from any session.
CREATE TABLE audit_head (
	one  boolean PRIMARY KEY DEFAULT true CHECK (one),
	hash bytea
);
ALTER TABLE audit_head ENABLE ROW LEVEL SECURITY;   -- no policy, no grant: only the owner
INSERT INTO audit_head (hash) VALUES (NULL);

CREATE FUNCTION audit_write(p_action text, p_tbl text, p_row bigint, p_old jsonb, p_new jsonb)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, public, pg_temp
SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' AS $$
DECLARE
	prev bytea;
	h bytea;
	t timestamptz := clock_timestamp();
BEGIN
	SELECT hash INTO prev FROM cobro.audit_head FOR UPDATE;
	h := sha256(coalesce(prev, '\x'::bytea) || convert_to(
	         concat_ws('|', t, session_user, p_action, p_tbl, p_row, p_old, p_new), 'UTF8'));
	INSERT INTO cobro.audit (at, action, tbl, row_id, old, new, prev_hash, hash)
	VALUES (t, p_action, p_tbl, p_row, p_old, p_new, prev, h);
	UPDATE cobro.audit_head SET hash = h;
END
$$;
REVOKE ALL ON FUNCTION audit_write(text, text, bigint, jsonb, jsonb) FROM PUBLIC;

-- The row's key is its id, or its version for contact_policy.
CREATE FUNCTION audit_trigger() RETURNS trigger
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

-- Audited: assignments, promises, contact points, policy, people.
CREATE TRIGGER account_assignment_audit AFTER UPDATE OF agent_id, team_id ON account
	FOR EACH ROW WHEN (OLD.agent_id IS DISTINCT FROM NEW.agent_id OR OLD.team_id IS DISTINCT FROM NEW.team_id)
	EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER promise_audit AFTER INSERT OR UPDATE OR DELETE ON promise
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER contact_point_audit AFTER UPDATE OR DELETE ON contact_point
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER contact_policy_audit AFTER INSERT ON contact_policy
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER agent_audit AFTER INSERT OR UPDATE OR DELETE ON agent
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();

-- ------------------------------------------------------------------ people
-- Creates the person's LOGIN role in their group and their agent row, in one go.
-- DDL takes no bind parameters, so the role name is quoted here with %I and the
-- callers pass everything as parameters.
CREATE FUNCTION agent_add(p_login text, p_name text, p_role text, p_team text, p_password text DEFAULT NULL)
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
		-- Adopt a leftover login role (roles are cluster-wide; databases come and
		-- go) only when it is a plain login in no group but the one it gets.
		IF EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = p_login
		           AND (NOT r.rolcanlogin OR r.rolsuper OR r.rolcreaterole OR r.rolcreatedb
		                OR r.rolreplication OR r.rolbypassrls))
		   OR EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member
		              WHERE r.rolname = p_login AND m.roleid <> ('cobro_' || p_role)::regrole)
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
	ELSE
		EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', p_login, p_password);
	END IF;
	EXECUTE format('GRANT %I TO %I', 'cobro_' || p_role, p_login);
	INSERT INTO cobro.agent (login, name, role, team_id)
	VALUES (p_login, p_name, p_role, team) RETURNING id INTO aid;
	RETURN aid;
END
$$;
REVOKE ALL ON FUNCTION agent_add(text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION agent_add(text, text, text, text, text) TO cobro_admin;

-- ------------------------------------------------------------------ grants
GRANT SELECT ON ALL TABLES IN SCHEMA cobro TO cobro_admin, cobro_daemon;
GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA cobro TO cobro_admin;
REVOKE INSERT, UPDATE, DELETE ON audit, schema_migration FROM cobro_admin;
REVOKE ALL ON audit_head FROM cobro_admin, cobro_daemon;
GRANT INSERT ON event, message TO cobro_daemon;
-- The history is append-only, for admins too.
REVOKE UPDATE, DELETE ON event FROM cobro_admin;
-- Partitions are reached through event only (its grants and policies apply there).
DO $$
DECLARE
	p regclass;
BEGIN
	FOR p IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'cobro.event'::regclass LOOP
		EXECUTE format('REVOKE ALL ON %s FROM cobro_admin, cobro_daemon', p);
	END LOOP;
END
$$;
GRANT UPDATE ON message, promise TO cobro_daemon;
GRANT UPDATE (opted_out, opted_out_at, bad_since) ON contact_point TO cobro_daemon;
GRANT UPDATE (replied_at, last_contact_at, next_action_at, updated_at) ON account TO cobro_daemon;

GRANT SELECT ON team, agent, creditor, template, strategy, strategy_step, contact_policy,
	debtor, contact_point, account, installment, payment, promise, promise_installment,
	message, event
	TO cobro_collector, cobro_supervisor;
-- Column lists leave out the times and states the server sets: nobody backdates
-- history or files a message as already delivered.
GRANT INSERT (account_id, debtor_id, agent_id, kind, direction, outcome, message_id, amount, body, data)
	ON event TO cobro_collector, cobro_supervisor;
GRANT INSERT (account_id, debtor_id, contact_point_id, channel, recipient, subject, body, template_id,
              idempotency_key, agent_id)
	ON message TO cobro_collector, cobro_supervisor;
GRANT INSERT (account_id, agent_id, amount, currency, due_date, discount, channel, note)
	ON promise TO cobro_collector, cobro_supervisor;
GRANT INSERT ON promise_installment TO cobro_collector, cobro_supervisor;
GRANT UPDATE (status, note, resolved_at) ON promise TO cobro_collector;
GRANT UPDATE (next_action_at, last_contact_at, replied_at, status, updated_at) ON account TO cobro_collector;
GRANT UPDATE (bad_since, opted_out, opted_out_at, consent) ON contact_point TO cobro_collector;
-- Moving accounts is the lead's job.
GRANT UPDATE (agent_id, updated_at) ON account TO cobro_lead;

-- ------------------------------------------------------------- row security
ALTER TABLE agent ENABLE ROW LEVEL SECURITY;
ALTER TABLE account ENABLE ROW LEVEL SECURITY;
ALTER TABLE debtor ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact_point ENABLE ROW LEVEL SECURITY;
ALTER TABLE installment ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment ENABLE ROW LEVEL SECURITY;
ALTER TABLE promise ENABLE ROW LEVEL SECURITY;
ALTER TABLE promise_installment ENABLE ROW LEVEL SECURITY;
ALTER TABLE message ENABLE ROW LEVEL SECURITY;
ALTER TABLE event ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit ENABLE ROW LEVEL SECURITY;

-- Admins and the daemon see everything, debtors without an account yet included.
CREATE POLICY all_rows ON agent TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON account TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON debtor TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON contact_point TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON installment TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON payment TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON promise TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON promise_installment TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON message TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON event TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON audit FOR SELECT TO cobro_admin USING (true);

-- People see their own team's people.
CREATE POLICY own_team ON agent FOR SELECT TO cobro_collector, cobro_supervisor
	USING (team_id = (SELECT my_team_id()));

-- Accounts: a collector works their own; supervisors and leads read their team's;
-- a lead moves accounts only between agents of their own team.
-- The team check keeps a collector moved to another team out of the old one.
CREATE POLICY collector_own ON account TO cobro_collector
	USING (agent_id = (SELECT my_agent_id()) AND team_id = (SELECT my_team_id()))
	WITH CHECK (agent_id = (SELECT my_agent_id()) AND team_id = (SELECT my_team_id()));
CREATE POLICY supervisor_team ON account FOR SELECT TO cobro_supervisor
	USING (team_id = (SELECT my_team_id()));
CREATE POLICY lead_assign ON account FOR UPDATE TO cobro_lead
	USING (team_id = (SELECT my_team_id()))
	WITH CHECK (team_id = (SELECT my_team_id())
	            AND (agent_id IS NULL OR agent_team(agent_id) = (SELECT my_team_id())));

-- Everything hanging from an account is visible exactly when the account is:
-- the sub-select on account is itself filtered by the policies above.
CREATE POLICY via_account ON debtor
	USING (EXISTS (SELECT 1 FROM account a WHERE a.debtor_id = debtor.id));
CREATE POLICY via_account ON contact_point
	USING (EXISTS (SELECT 1 FROM account a WHERE a.debtor_id = contact_point.debtor_id));
CREATE POLICY via_account ON installment
	USING (EXISTS (SELECT 1 FROM account a WHERE a.id = installment.account_id));
CREATE POLICY via_account ON payment
	USING (EXISTS (SELECT 1 FROM account a WHERE a.id = payment.account_id));
CREATE POLICY via_account ON promise
	USING (EXISTS (SELECT 1 FROM account a WHERE a.id = promise.account_id));
CREATE POLICY via_account ON promise_installment
	USING (EXISTS (SELECT 1 FROM promise p WHERE p.id = promise_installment.promise_id));
CREATE POLICY via_account ON message
	USING (EXISTS (SELECT 1 FROM account a WHERE a.id = message.account_id)
	       OR (message.account_id IS NULL
	           AND EXISTS (SELECT 1 FROM account a WHERE a.debtor_id = message.debtor_id)));
CREATE POLICY via_account ON event
	USING (EXISTS (SELECT 1 FROM account a WHERE a.id = event.account_id)
	       OR (event.account_id IS NULL
	           AND EXISTS (SELECT 1 FROM account a WHERE a.debtor_id = event.debtor_id)));

-- A row filed under an account is about that account's debtor and contact
-- points. Restrictive: ANDed with every permissive policy above.
CREATE POLICY same_debtor ON event AS RESTRICTIVE FOR INSERT
	WITH CHECK (account_id IS NULL
	            OR EXISTS (SELECT 1 FROM account a WHERE a.id = event.account_id AND a.debtor_id = event.debtor_id));
CREATE POLICY same_debtor ON message AS RESTRICTIVE FOR INSERT
	WITH CHECK ((account_id IS NULL
	             OR EXISTS (SELECT 1 FROM account a WHERE a.id = message.account_id AND a.debtor_id = message.debtor_id))
	            AND (contact_point_id IS NULL
	                 OR EXISTS (SELECT 1 FROM contact_point c
	                            WHERE c.id = message.contact_point_id AND c.debtor_id = message.debtor_id)));

-- People write history in their own name only, and a new message or promise
-- starts at the beginning of its life: the dashboards count these rows.
CREATE POLICY own_name ON event AS RESTRICTIVE FOR INSERT TO cobro_collector, cobro_supervisor
	WITH CHECK (agent_id = (SELECT my_agent_id()));
CREATE POLICY own_name ON message AS RESTRICTIVE FOR INSERT TO cobro_collector, cobro_supervisor
	WITH CHECK (agent_id = (SELECT my_agent_id()) AND status = 'queued' AND attempts = 0);
CREATE POLICY own_name ON promise AS RESTRICTIVE FOR INSERT TO cobro_collector, cobro_supervisor
	WITH CHECK (agent_id = (SELECT my_agent_id()) AND status = 'pending');
