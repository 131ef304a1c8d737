-- Strategies that run themselves (issue 18): the tables every part of it
-- shares. The functions that write them are functions/strategy*.sql.
--
-- strategy_version: every version of etc/strategy.conf ever loaded (the
-- segments, their ladders and variants), the newest in force, like the
-- contact rules' versions: never updated nor deleted.
--
-- account_strategy: where each account stands: its segment, ladder and
-- variant, whether its ladder runs, waits or stopped and why, the last step
-- it went through and the next one. Re-segmentation rewrites it; a change
-- of segment is also an event (kind 'strategy').
--
-- strategy_run: one row per run of a day (segmentation, the ladders, a dry
-- run is never recorded): who ran it, for which day, with which version,
-- and what it did.
--
-- strategy_step_done: every step an account went through, once. Its key
-- is what makes "never the same step twice" hold across several cobrod and
-- restarts: (account, ladder, step, anchor), where the anchor is the due
-- date the step counted from, so a new due date (next month's installment)
-- runs the ladder again. A step too late to send is recorded 'skipped'.
--
-- placement: the accounts placed with a third-party agency by a ladder's
-- agency step, each once per agency, and the file it was written to.
--
-- message gains the strategy's names (ladder, step, segment, variant) so
-- that the channel reports attribute what a strategy sent; NULL for what a
-- person sent.
--
-- Nobody but the functions writes these tables. Supervisors read their
-- team's accounts' rows (through account's own row security), admins all;
-- collectors read the rows of the accounts they may read (the account
-- screen shows the segment, ladder, variant, last and next step).
-- uses: functions/session.sql functions/audit.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- The unused first sketch of 002 (one strategy per segment, steps keyed by
-- day and action) gives way to versions of the whole file: a ladder's
-- steps, conditions, variants and the segments' rules change together, and
-- the version in force is what every run reads.
DROP TABLE strategy_step;
DROP TABLE strategy;

CREATE TABLE strategy_version (
	version    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	loaded_at  timestamptz NOT NULL DEFAULT now(),
	loaded_by  text NOT NULL DEFAULT session_user,
	file       text NOT NULL,             -- the name it was loaded from, for messages
	text       text NOT NULL,             -- the file as loaded
	digest     text NOT NULL,             -- SHA-256 of text, hex
	diff       text                       -- against the version in force before it
);

CREATE TABLE strategy_run (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind        text NOT NULL CHECK (kind IN ('segment', 'ladder')),
	day         date NOT NULL,            -- the day it ran for
	version     integer NOT NULL REFERENCES strategy_version,
	worker      text NOT NULL,            -- cobrod's name, or cobroctl
	started_at  timestamptz NOT NULL DEFAULT now(),
	finished_at timestamptz,
	counts      jsonb                     -- what it did, by segment, step and channel
);
-- One run of a kind per day: a second cobrod, or a restart, finds it done.
CREATE UNIQUE INDEX strategy_run_day_idx ON strategy_run (kind, day);

CREATE TABLE account_strategy (
	account_id   bigint PRIMARY KEY REFERENCES account ON DELETE CASCADE,
	version      integer NOT NULL REFERENCES strategy_version,
	segment      text NOT NULL,
	ladder       text,                    -- NULL: the segment runs no ladder
	variant      text,                    -- the variant's name when the segment splits
	state        text NOT NULL DEFAULT 'running'
	             CHECK (state IN ('running', 'paused', 'stopped', 'done')),
	state_reason text,                    -- reply, promise, payment, optout, no_contact, ...
	last_step    text,
	last_step_at timestamptz,
	next_step    text,
	next_step_on date,
	segmented_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX account_strategy_segment_idx ON account_strategy (segment, ladder, variant);

CREATE TABLE strategy_step_done (
	account_id bigint NOT NULL REFERENCES account ON DELETE CASCADE,
	ladder     text NOT NULL,
	step       text NOT NULL,
	anchor     date NOT NULL,
	run_id     bigint NOT NULL REFERENCES strategy_run,
	outcome    text NOT NULL CHECK (outcome IN ('queued', 'assigned', 'placed', 'skipped', 'refused')),
	reason     text,                      -- why skipped or refused (the policy's rule)
	message_id bigint,                    -- the message queued, when one was
	at         timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (account_id, ladder, step, anchor)
);
CREATE INDEX strategy_step_done_run_idx ON strategy_step_done (run_id);

CREATE TABLE placement (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	agency     text NOT NULL,
	account_id bigint NOT NULL REFERENCES account ON DELETE CASCADE,
	run_id     bigint REFERENCES strategy_run,
	placed_at  timestamptz NOT NULL DEFAULT now(),
	file       text,                      -- the placement file it was written to
	UNIQUE (agency, account_id)
);

ALTER TABLE message ADD COLUMN ladder text,
                    ADD COLUMN step text,
                    ADD COLUMN segment text,
                    ADD COLUMN variant text;
CREATE INDEX message_strategy_idx ON message (created_at) WHERE ladder IS NOT NULL;

-- A change of segment, a step skipped or refused, a ladder paused, stopped
-- or resumed, an agency placement: the account's history says so.
ALTER TABLE event DROP CONSTRAINT event_kind_check;
ALTER TABLE event ADD CONSTRAINT event_kind_check
	CHECK (kind IN ('call', 'sms', 'email', 'whatsapp', 'letter', 'visit',
	                'note', 'promise', 'payment', 'assignment', 'status', 'delivery', 'callback',
	                'optout', 'contact_point', 'strategy'));

REVOKE ALL ON strategy_version, strategy_run, account_strategy, strategy_step_done, placement
	FROM PUBLIC, cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;
GRANT SELECT ON strategy_version, strategy_run TO cobro_supervisor, cobro_admin, cobro_daemon;
GRANT SELECT ON account_strategy, strategy_step_done TO cobro_collector, cobro_supervisor, cobro_admin, cobro_daemon;
GRANT SELECT ON placement TO cobro_supervisor, cobro_admin, cobro_daemon;
ALTER TABLE strategy_version ENABLE ROW LEVEL SECURITY;
ALTER TABLE strategy_run ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_strategy ENABLE ROW LEVEL SECURITY;
ALTER TABLE strategy_step_done ENABLE ROW LEVEL SECURITY;
ALTER TABLE placement ENABLE ROW LEVEL SECURITY;
CREATE POLICY all_rows ON strategy_version FOR SELECT TO cobro_supervisor, cobro_admin, cobro_daemon USING (true);
CREATE POLICY all_rows ON strategy_run FOR SELECT TO cobro_supervisor, cobro_admin, cobro_daemon USING (true);
-- An account's rows follow the account's own row security: whoever may
-- read the account reads where it stands.
CREATE POLICY by_account ON account_strategy FOR SELECT TO cobro_collector, cobro_supervisor
	USING (EXISTS (SELECT 1 FROM account a WHERE a.id = account_id));
CREATE POLICY all_rows ON account_strategy FOR SELECT TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY by_account ON strategy_step_done FOR SELECT TO cobro_collector, cobro_supervisor
	USING (EXISTS (SELECT 1 FROM account a WHERE a.id = account_id));
CREATE POLICY all_rows ON strategy_step_done FOR SELECT TO cobro_admin, cobro_daemon USING (true);
CREATE POLICY by_account ON placement FOR SELECT TO cobro_supervisor
	USING (EXISTS (SELECT 1 FROM account a WHERE a.id = account_id));
CREATE POLICY all_rows ON placement FOR SELECT TO cobro_admin, cobro_daemon USING (true);

-- Loading a version is on the audit chain, as the contact rules' are.
CREATE TRIGGER strategy_version_audit AFTER INSERT ON strategy_version
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();
