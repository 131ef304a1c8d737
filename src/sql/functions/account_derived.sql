-- The columns an account keeps for its worklist (006_priority.sql added
-- them, docs/priority.md explains them): rank_value and rank_day, workable,
-- promise_status and promise_due, each kept by a trigger below.
-- uses: functions/priority.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- Kept by the row itself on every write; the owner's rights, because a
-- collector may read the debtor's state only through row security.
CREATE OR REPLACE FUNCTION account_derive() RETURNS trigger
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

CREATE OR REPLACE FUNCTION debtor_workable() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	UPDATE account SET workable = (status = 'active' AND NEW.state = 'active')
	WHERE debtor_id = NEW.id AND workable <> (status = 'active' AND NEW.state = 'active');
	RETURN NULL;
END
$$;

-- Once per statement over the promises it touched, so a bulk load or the
-- promise keeper's nightly run costs one join, not one query per promise.
-- A pending promise puts the account on top on its next installment not
-- yet covered (its first date until it has a plan: promise_save() writes
-- the promise before its installments); a broken one at once (-infinity).
-- The keeper updates the promise row whenever it allocates payments to its
-- installments (promise.paid), so this runs then too.
CREATE OR REPLACE FUNCTION account_promise() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
BEGIN
	UPDATE account a SET promise_status = n.status, promise_due = n.due
	FROM (SELECT c.account_id, p.status,
	             CASE p.status
	             WHEN 'pending' THEN
	                 CASE WHEN NOT EXISTS (SELECT 1 FROM promise_installment i WHERE i.promise_id = p.id)
	                      THEN p.due_date
	                      ELSE (SELECT min(i.due_date) FROM promise_installment i
	                            WHERE i.promise_id = p.id AND i.paid < i.amount) END
	             WHEN 'broken' THEN '-infinity'::date END AS due
	      FROM (SELECT DISTINCT account_id FROM changed) c
	      LEFT JOIN LATERAL (SELECT x.id, x.status, x.due_date FROM promise x
	                         WHERE x.account_id = c.account_id
	                         ORDER BY x.created_at DESC, x.id DESC LIMIT 1) p ON true) n
	WHERE a.id = n.account_id
	  AND (a.promise_status IS DISTINCT FROM n.status OR a.promise_due IS DISTINCT FROM n.due);
	RETURN NULL;
END
$$;
