-- Promises to pay: plans, limits and approval, keeping score (issue 16,
-- docs/promises.md).
--
-- A promise is saved only through promise_save() (functions/promise.sql),
-- which checks it against the limits of its account's jurisdiction and
-- segment (promise_limit, loaded by `cobroctl limits load`, versioned like the
-- contact policy): within them it is `pending`, outside them
-- `awaiting_approval` until a supervisor or lead of the team approves or
-- rejects it. Payments are allocated to the active promise's installments
-- (promise_apply_payments()) and promise_evaluate() decides each installment
-- (kept, partial, broken, late) and the promise (kept, broken), in the
-- debtor's time zone (functions/promise_keeper.sql).
--
-- Nobody writes promise, promise_installment, promise_limit_set or
-- promise_limit directly, not even the administrator or the daemon: 016
-- took people's grants, this takes the administrator's and the daemon's.
-- uses: functions/session.sql functions/audit.sql
-- Its first texts filled the new columns of the promises there were with
-- the audit trigger on, and left an account with two pending promises (as the
-- demo made them) as it was; this one leaves the audit chain as it was and
-- keeps one active promise per account. The schema is the same: a database
-- that ran an earlier text is accepted as it is.
-- supersedes: 7bb91838806bfc2691a342f6fe6a3546
-- supersedes: d6093e0049b116034c5958c7cfd81992
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- ------------------------------------------------------------------ limits
-- One row per version loaded; the text is the file as it was loaded, the
-- diff what changed from the version before (as contact_policy keeps them).
CREATE TABLE promise_limit_set (
	version   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	loaded_at timestamptz NOT NULL DEFAULT now(),
	loaded_by text NOT NULL DEFAULT session_user,
	source    text NOT NULL,
	text      text NOT NULL,
	diff      text
);

-- The limits of one jurisdiction and segment in one version. `*` is any;
-- the most specific row wins: jurisdiction and segment, jurisdiction and *,
-- * and segment, * and * (a subdivision, US-MA, falls back to its country
-- before *). Every version has a `* *` row, so every account has limits.
CREATE TABLE promise_limit (
	version               integer NOT NULL REFERENCES promise_limit_set ON DELETE CASCADE,
	jurisdiction          text NOT NULL CHECK (jurisdiction = '*' OR jurisdiction ~ '^[A-Z]{2}(-[A-Z]{2})?$'),
	segment               text NOT NULL CHECK (segment ~ '^(\*|[a-z0-9][a-z0-9_-]{0,31})$'),
	horizon_days          integer NOT NULL CHECK (horizon_days BETWEEN 0 AND 3660),
	min_share_permille    integer NOT NULL CHECK (min_share_permille BETWEEN 0 AND 1000),
	max_installments      integer NOT NULL CHECK (max_installments BETWEEN 1 AND 360),
	max_discount_permille integer NOT NULL CHECK (max_discount_permille BETWEEN 0 AND 1000),
	grace_days            integer NOT NULL CHECK (grace_days BETWEEN 0 AND 60),
	PRIMARY KEY (version, jurisdiction, segment)
);

-- Built-in defaults, so that a database with no file loaded still checks
-- promises; etc/promise.conf replaces them with `cobroctl limits load`.
INSERT INTO promise_limit_set (source, text, loaded_by)
VALUES ('built-in', E'# built in by 024_promises.sql until a file is loaded\nlimits = (\n'
                    || E'  { jurisdiction = "*"; segment = "*"; horizon_days = 60; min_share_permille = 250;\n'
                    || E'    max_installments = 6; max_discount_permille = 0; grace_days = 2; }\n);\n',
        'cobro_owner');
INSERT INTO promise_limit (version, jurisdiction, segment, horizon_days, min_share_permille, max_installments,
                           max_discount_permille, grace_days)
SELECT version, '*', '*', 60, 250, 6, 0, 2 FROM promise_limit_set;

-- ------------------------------------------------------------------ promise
ALTER TABLE promise DROP CONSTRAINT promise_status_check;
ALTER TABLE promise
	ADD CONSTRAINT promise_status_check
		CHECK (status IN ('awaiting_approval', 'rejected', 'pending', 'kept', 'broken', 'cancelled')),
	ADD COLUMN frequency       text NOT NULL DEFAULT 'once'
	                           CHECK (frequency IN ('once', 'weekly', 'biweekly', 'monthly')),
	ADD COLUMN installments    smallint NOT NULL DEFAULT 1 CHECK (installments >= 1),
	ADD COLUMN grace_days      smallint NOT NULL DEFAULT 0 CHECK (grace_days >= 0),
	ADD COLUMN limits_version  integer REFERENCES promise_limit_set,
	ADD COLUMN reasons         text[] NOT NULL DEFAULT '{}'
	                           CHECK (reasons <@ ARRAY['horizon', 'min_share', 'max_installments', 'max_discount']),
	ADD COLUMN decided_by      bigint REFERENCES agent,
	ADD COLUMN decided_at      timestamptz,
	ADD COLUMN decision_reason text,
	ADD COLUMN replaced_by     bigint REFERENCES promise,
	ADD COLUMN paid            bigint NOT NULL DEFAULT 0 CHECK (paid >= 0),
	-- The workstation's key of the save: the same key twice saves once.
	ADD COLUMN idempotency_key uuid UNIQUE,
	ADD CONSTRAINT promise_once CHECK (frequency <> 'once' OR installments = 1);

-- The keeper reads the active promises; approval lists read the waiting ones.
CREATE INDEX promise_active_idx ON promise (account_id)
	WHERE status IN ('pending', 'awaiting_approval');
CREATE INDEX promise_awaiting_idx ON promise (created_at) WHERE status = 'awaiting_approval';

ALTER TABLE promise_installment
	ADD COLUMN paid       bigint NOT NULL DEFAULT 0,
	ADD COLUMN status     text NOT NULL DEFAULT 'pending'
	                      CHECK (status IN ('pending', 'kept', 'partial', 'broken', 'late')),
	ADD COLUMN decided_at timestamptz,
	ADD CONSTRAINT promise_installment_paid CHECK (paid >= 0 AND paid <= amount);

-- Filling the new columns of the promises there are is the schema's change,
-- not a person's: the audit chain does not record it (as cobroctl demo's
-- load is not), and the rows it held stay as they were.
ALTER TABLE promise DISABLE TRIGGER promise_audit;
-- Every promise has a plan: one installment when it was given without.
INSERT INTO promise_installment (promise_id, seq, due_date, amount)
SELECT p.id, 1, p.due_date, p.amount FROM promise p
WHERE NOT EXISTS (SELECT 1 FROM promise_installment i WHERE i.promise_id = p.id);
-- One active promise per account (promise_save() keeps it so): of several
-- pending, the newest stands and replaces the others, as a save would have.
UPDATE promise p SET status = 'cancelled', replaced_by = n.newest, resolved_at = n.newest_at
FROM (SELECT id, row_number() OVER w AS k, first_value(id) OVER w AS newest,
             first_value(created_at) OVER w AS newest_at
      FROM promise WHERE status = 'pending'
      WINDOW w AS (PARTITION BY account_id ORDER BY created_at DESC, id DESC)) n
WHERE p.id = n.id AND n.k > 1;
-- Promises decided before this migration: their plans say so.
UPDATE promise_installment i SET status = p.status, paid = CASE p.status WHEN 'kept' THEN i.amount ELSE 0 END,
                                 decided_at = p.resolved_at
FROM promise p WHERE p.id = i.promise_id AND p.status IN ('kept', 'broken');
UPDATE promise SET installments = greatest(1, (SELECT count(*) FROM promise_installment i WHERE i.promise_id = promise.id)),
                   frequency = CASE WHEN (SELECT count(*) FROM promise_installment i WHERE i.promise_id = promise.id) > 1
                                    THEN 'weekly' ELSE 'once' END,
                   paid = CASE status WHEN 'kept' THEN amount ELSE 0 END
WHERE EXISTS (SELECT 1 FROM promise_installment i WHERE i.promise_id = promise.id);
ALTER TABLE promise ENABLE TRIGGER promise_audit;

-- ------------------------------------------------------------------ grants
-- Only through the functions: promise_save(), promise_approve(),
-- promise_reject(), promise_apply_payments(), promise_evaluate(),
-- promise_limits_load().
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON promise, promise_installment FROM cobro_admin, cobro_daemon;
REVOKE ALL ON promise_limit_set, promise_limit FROM PUBLIC;
GRANT SELECT ON promise_limit_set, promise_limit
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;
ALTER TABLE promise_limit_set ENABLE ROW LEVEL SECURITY;
ALTER TABLE promise_limit ENABLE ROW LEVEL SECURITY;
-- Limits are no secret: the form shows them beside the fields.
CREATE POLICY all_rows ON promise_limit_set FOR SELECT
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON promise_limit FOR SELECT
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon USING (true);

-- The audit chain records every limits version, as it records policy versions.
CREATE TRIGGER promise_limit_set_audit AFTER INSERT ON promise_limit_set
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();
