-- The worklist from an index: each account keeps the parts of its priority
-- that do not depend on the minute (docs/priority.md), so a collector's first
-- page is read in index order instead of ranking all their accounts.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- The one weight that shapes the stored rank: p(pay) falls by dpd_decay per
-- 30 days past due. It lives here, not in each cobro.conf, so that the whole
-- floor ranks alike and the index holds that ranking.
CREATE TABLE priority_setting (
	only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
	dpd_decay  float8 NOT NULL DEFAULT 0.08 CHECK (dpd_decay >= 0 AND dpd_decay <= 1),
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by text NOT NULL DEFAULT session_user
);
INSERT INTO priority_setting DEFAULT VALUES;
GRANT SELECT ON priority_setting TO cobro_collector, cobro_supervisor, cobro_admin, cobro_daemon;

-- balance x p(pay) on a given day: the expected value before the contact cost.
-- The worklist's live terms (src/worklist.c) call the same function, so the
-- stored and the computed figures agree to the bit.
CREATE FUNCTION rank_value(p_balance bigint, p_score smallint, p_oldest_due date, p_day date, p_decay float8)
RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN p_balance::float8 * (p_score / 1000.0)::float8
       * greatest(0.0, 1.0 - p_decay * greatest(0, p_day - p_oldest_due) / 30.0);

-- rank_value, rank_day: rank_value() as of rank_day (refreshed daily, as days
--   past due grow: priority_refresh() below);
-- promise_status, promise_due: the newest promise's status, and the day it
--   puts the account on top: its due date while pending, -infinity once broken;
-- workable: the account is worked at all (active, and its debtor active).
ALTER TABLE account
	ADD COLUMN rank_value     float8 NOT NULL DEFAULT 0,
	ADD COLUMN rank_day       date,
	ADD COLUMN promise_status text,
	ADD COLUMN promise_due    date,
	ADD COLUMN workable       boolean NOT NULL DEFAULT false;

-- The accounts as they are now, before the triggers below keep them so.
ALTER TABLE account DISABLE TRIGGER notify_account;
UPDATE account a SET rank_day = current_date,
	rank_value = rank_value(a.balance, a.score, a.oldest_due, current_date,
	                        (SELECT dpd_decay FROM priority_setting)),
	workable = a.status = 'active' AND d.state = 'active',
	promise_status = (SELECT status FROM promise WHERE account_id = a.id
	                  ORDER BY created_at DESC, id DESC LIMIT 1),
	promise_due = (SELECT CASE status WHEN 'pending' THEN due_date WHEN 'broken' THEN '-infinity'::date END
	               FROM promise WHERE account_id = a.id ORDER BY created_at DESC, id DESC LIMIT 1)
FROM debtor d
WHERE d.id = a.debtor_id;
ALTER TABLE account ENABLE TRIGGER notify_account;

-- Kept by the row itself on every write; the owner's rights, because a
-- collector may read the debtor's state only through row security.
CREATE FUNCTION account_derive() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	IF TG_OP = 'INSERT' OR NEW.rank_day IS NULL OR NEW.balance <> OLD.balance OR NEW.score <> OLD.score
	   OR NEW.oldest_due IS DISTINCT FROM OLD.oldest_due THEN
		NEW.rank_day := current_date;
		NEW.rank_value := rank_value(NEW.balance, NEW.score, NEW.oldest_due, current_date,
		                             (SELECT dpd_decay FROM priority_setting));
	END IF;
	IF TG_OP = 'INSERT' OR NEW.status <> OLD.status OR NEW.debtor_id <> OLD.debtor_id THEN
		NEW.workable := NEW.status = 'active'
		                AND coalesce((SELECT state = 'active' FROM debtor WHERE id = NEW.debtor_id), false);
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER account_derive BEFORE INSERT OR UPDATE ON account
	FOR EACH ROW EXECUTE FUNCTION account_derive();

CREATE FUNCTION debtor_workable() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	UPDATE account SET workable = (status = 'active' AND NEW.state = 'active')
	WHERE debtor_id = NEW.id AND workable <> (status = 'active' AND NEW.state = 'active');
	RETURN NULL;
END
$$;
CREATE TRIGGER debtor_workable AFTER UPDATE OF state ON debtor
	FOR EACH ROW WHEN (NEW.state IS DISTINCT FROM OLD.state) EXECUTE FUNCTION debtor_workable();

-- Once per statement over the promises it touched, so a bulk load or the
-- promise keeper's nightly run costs one join, not one query per promise.
CREATE FUNCTION account_promise() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	UPDATE account a SET promise_status = n.status,
	                     promise_due = CASE n.status WHEN 'pending' THEN n.due_date
	                                                 WHEN 'broken' THEN '-infinity'::date END
	FROM (SELECT c.account_id, p.status, p.due_date
	      FROM (SELECT DISTINCT account_id FROM changed) c
	      LEFT JOIN LATERAL (SELECT status, due_date FROM promise
	                         WHERE account_id = c.account_id
	                         ORDER BY created_at DESC, id DESC LIMIT 1) p ON true) n
	WHERE a.id = n.account_id
	  AND (a.promise_status IS DISTINCT FROM n.status
	       OR a.promise_due IS DISTINCT FROM CASE n.status WHEN 'pending' THEN n.due_date
	                                                       WHEN 'broken' THEN '-infinity'::date END);
	RETURN NULL;
END
$$;
CREATE TRIGGER account_promise_insert AFTER INSERT ON promise
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION account_promise();
CREATE TRIGGER account_promise_update AFTER UPDATE ON promise
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION account_promise();
CREATE TRIGGER account_promise_delete AFTER DELETE ON promise
	REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION account_promise();

-- Days past due grow overnight: brings the ranks of up to p_limit accounts
-- after id p_after up to today. Returns the last id it looked at, NULL past
-- the end: cobrod walks the table with it once a day in short transactions
-- (cobroctl priority refresh does the same), so no long lock is held.
CREATE FUNCTION priority_refresh(p_after bigint, p_limit integer DEFAULT 5000) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	decay float8 := (SELECT dpd_decay FROM priority_setting);
	last bigint;
BEGIN
	SELECT max(id) INTO last FROM (SELECT id FROM account WHERE id > p_after ORDER BY id LIMIT p_limit) s;
	IF last IS NULL THEN
		RETURN NULL;
	END IF;
	UPDATE account a SET rank_day = current_date,
	                     rank_value = rank_value(a.balance, a.score, a.oldest_due, current_date, decay)
	WHERE a.id > p_after AND a.id <= last AND a.rank_day IS DISTINCT FROM current_date;
	RETURN last;
END
$$;

-- Sets the decay and ranks every account anew with it, in one statement: a
-- rare change, made by an administrator out of hours.
CREATE FUNCTION priority_set_decay(p_decay float8) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
DECLARE
	n bigint;
BEGIN
	UPDATE priority_setting SET dpd_decay = p_decay, updated_at = now(), updated_by = session_user;
	UPDATE account SET rank_day = NULL;  -- account_derive() ranks each anew
	GET DIAGNOSTICS n = ROW_COUNT;
	PERFORM audit_write('UPDATE', 'priority_setting', NULL, NULL, jsonb_build_object('dpd_decay', p_decay));
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION priority_refresh(bigint, integer), priority_set_decay(float8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION priority_refresh(bigint, integer) TO cobro_admin, cobro_daemon;
GRANT EXECUTE ON FUNCTION priority_set_decay(float8) TO cobro_admin;

-- A collector's first page, read in index order: all their workable accounts
-- by stored rank, and the same for the two sets that jump ahead (a callback
-- due, a promise due or broken). team_id and the two dates are carried so
-- the page is decided from the indexes alone.
CREATE INDEX account_worklist_idx ON account (agent_id, rank_value DESC, id)
	INCLUDE (team_id, next_action_at, promise_due) WHERE workable;
CREATE INDEX account_worklist_callback_idx ON account (agent_id, rank_value DESC, id)
	INCLUDE (team_id, next_action_at, promise_due) WHERE workable AND next_action_at IS NOT NULL;
CREATE INDEX account_worklist_promise_idx ON account (agent_id, rank_value DESC, id)
	INCLUDE (team_id, next_action_at, promise_due) WHERE workable AND promise_due IS NOT NULL;

-- The caller's worklist page, p_offset and p_limit, under the weights of their
-- cobro.conf; the last column counts all their workable accounts.
--
-- priority = callback bonus + promise bonus + rank_value - contact cost, and
-- within each of the four combinations of bonuses the order is rank_value's.
-- So every account of the page is among the first p_offset + p_limit by
-- rank_value of its own combination, and those are the candidates: four
-- short index scans instead of ranking thousands of accounts.
--
-- It runs with the owner's rights so the debtor is read by key, not through
-- row security's per-row check; the WHERE below is collector_own's rule
-- (003_security.sql): the caller's own accounts, in the caller's own team.
CREATE FUNCTION worklist_page(p_offset integer, p_limit integer,
                              p_callback float8, p_promise float8, p_cost float8)
RETURNS TABLE (id bigint, debtor text, reference text, dpd integer, balance bigint, currency text,
               promise text, last_contact text, segment text, jurisdiction text, workable bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
#variable_conflict use_column
DECLARE
	me bigint := my_agent_id();
	team bigint := my_team_id();
	k integer := p_offset + p_limit;
BEGIN
	RETURN QUERY
	WITH c AS (
		(SELECT a.id, a.next_action_at, a.promise_due, a.rank_value FROM account a
		 WHERE a.agent_id = me AND a.team_id = team AND a.workable
		 ORDER BY a.rank_value DESC, a.id LIMIT k)
		UNION
		(SELECT a.id, a.next_action_at, a.promise_due, a.rank_value FROM account a
		 WHERE a.agent_id = me AND a.team_id = team AND a.workable AND a.next_action_at <= now()
		 ORDER BY a.rank_value DESC, a.id LIMIT k)
		UNION
		(SELECT a.id, a.next_action_at, a.promise_due, a.rank_value FROM account a
		 WHERE a.agent_id = me AND a.team_id = team AND a.workable AND a.promise_due <= current_date
		 ORDER BY a.rank_value DESC, a.id LIMIT k)
		UNION
		(SELECT a.id, a.next_action_at, a.promise_due, a.rank_value FROM account a
		 WHERE a.agent_id = me AND a.team_id = team AND a.workable AND a.next_action_at <= now()
		   AND a.promise_due <= current_date
		 ORDER BY a.rank_value DESC, a.id LIMIT k)
	), t AS (
		SELECT c.id, (CASE WHEN c.next_action_at <= now() THEN p_callback ELSE 0 END)
		             + (CASE WHEN c.promise_due <= current_date THEN p_promise ELSE 0 END)
		             + c.rank_value - p_cost AS total
		FROM c ORDER BY total DESC, c.id OFFSET p_offset LIMIT p_limit
	)
	SELECT a.id, d.name, a.reference, greatest(0, current_date - a.oldest_due), a.balance, a.currency::text,
	       coalesce(a.promise_status, ''), coalesce(to_char(a.last_contact_at, 'YYYY-MM-DD HH24:MI'), ''),
	       a.segment, d.jurisdiction,
	       (SELECT count(*) FROM account w WHERE w.agent_id = me AND w.team_id = team AND w.workable)
	FROM t JOIN account a ON a.id = t.id JOIN debtor d ON d.id = a.debtor_id
	ORDER BY t.total DESC, t.id;
END
$$;
REVOKE ALL ON FUNCTION worklist_page(integer, integer, float8, float8, float8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION worklist_page(integer, integer, float8, float8, float8)
	TO cobro_collector, cobro_supervisor, cobro_admin;

-- contact_history() for many debtors at once, with the same rule of who may
-- ask: the worklist judges a page of accounts in one round trip, and one scan
-- of each month's index for all of them costs far less than one per debtor.
CREATE FUNCTION contact_history_many(p_debtors bigint[], p_since timestamptz)
RETURNS TABLE (debtor_id bigint, at timestamptz, channel text, kind text, debt text, creditor text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	IF NOT (i_am('cobro_admin') OR i_am('cobro_daemon')) AND EXISTS (
	    SELECT 1 FROM unnest(p_debtors) AS x(id)
	    WHERE NOT EXISTS (SELECT 1 FROM account a
	                      WHERE a.debtor_id = x.id AND a.team_id = my_team_id()
	                        AND (a.agent_id = my_agent_id() OR i_am('cobro_supervisor')))) THEN
		RAISE EXCEPTION 'no such debtor' USING ERRCODE = '42501';
	END IF;
	RETURN QUERY
	SELECT e.debtor_id, e.at, e.kind,
	       CASE WHEN e.kind = 'call' AND e.outcome = 'right_party' THEN 'conversation'
	            WHEN e.kind = 'call' THEN 'placed'
	            WHEN e.kind = 'visit' AND e.outcome = 'right_party' THEN 'conversation'
	            WHEN e.kind = 'visit' THEN 'attempt'
	            ELSE 'sent' END,
	       a.reference, c.code
	FROM event e
	LEFT JOIN account a ON a.id = e.account_id
	LEFT JOIN creditor c ON c.id = a.creditor_id
	WHERE e.debtor_id = ANY (p_debtors) AND e.at >= p_since
	  AND ((e.kind IN ('call', 'visit') AND e.direction IS DISTINCT FROM 'in')
	       OR (e.kind IN ('sms', 'email', 'whatsapp', 'letter') AND e.direction = 'out'
	           AND coalesce(e.outcome, '') NOT IN ('failed', 'refused')));
END
$$;
REVOKE ALL ON FUNCTION contact_history_many(bigint[], timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contact_history_many(bigint[], timestamptz)
	TO cobro_collector, cobro_supervisor, cobro_admin, cobro_daemon;
