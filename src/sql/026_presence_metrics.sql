-- Who is at which workstation now, and each agent's figures (issue 17,
-- lines 1, 2 and 7; docs/metrics.md defines every figure).
--
-- presence: one row per person logged in to a workstation, written only by
-- presence_beat() and presence_leave() (functions/presence.sql): the screen,
-- the account on it and since when. A row stands for three heartbeat periods;
-- a workstation that died stops beating and its row expires. Every change a
-- dashboard shows (screen or account changed, arrived, left, expired) is
-- written to change_log as kind 'presence' with the person's team and
-- announced on cobro_presence; the periodic beat that only extends the row
-- announces nothing.
--
-- account_visit: how long each account stayed on a person's screen, one row
-- per visit, written by the beats (the raw history of "time per account").
--
-- metric_hour and metric_resolve_hour: the rollup the figures are read from,
-- kept by statement triggers on event and account_visit
-- (functions/metrics_rollup.sql); metric_rebuild() recomputes it from the
-- raw history, and tests/dbc/test_metrics.c checks both agree.
-- uses: functions/session.sql functions/metrics_rollup.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE TABLE presence (
	agent_id      bigint PRIMARY KEY REFERENCES agent ON DELETE CASCADE,
	team_id       bigint REFERENCES team,
	screen        text NOT NULL CHECK (screen ~ '^[a-z_]{1,32}$'),
	account_id    bigint REFERENCES account ON DELETE SET NULL,
	since         timestamptz NOT NULL,   -- on this screen and account since
	account_since timestamptz,            -- on this account since (NULL: none)
	logged_in_at  timestamptz NOT NULL,
	seen_at       timestamptz NOT NULL,
	expires_at    timestamptz NOT NULL
);
CREATE INDEX presence_team_idx ON presence (team_id);
REVOKE ALL ON presence FROM PUBLIC, cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;
GRANT SELECT ON presence TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin;
ALTER TABLE presence ENABLE ROW LEVEL SECURITY;
-- One's own row; a supervisor's or lead's team; everyone's for an admin.
CREATE POLICY own ON presence FOR SELECT TO cobro_collector, cobro_supervisor, cobro_lead
	USING (agent_id = (SELECT my_agent_id()));
CREATE POLICY team ON presence FOR SELECT TO cobro_supervisor, cobro_lead
	USING (team_id = (SELECT my_team_id()));
CREATE POLICY all_rows ON presence FOR SELECT TO cobro_admin USING (true);

CREATE TABLE account_visit (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	agent_id   bigint NOT NULL REFERENCES agent ON DELETE CASCADE,
	account_id bigint NOT NULL,   -- no FK: the figures outlive an archived account
	started_at timestamptz NOT NULL,
	ended_at   timestamptz NOT NULL CHECK (ended_at >= started_at)
);
CREATE INDEX account_visit_started_idx ON account_visit (started_at);
-- Read through agent_metrics() only.
REVOKE ALL ON account_visit FROM PUBLIC, cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;
ALTER TABLE account_visit ENABLE ROW LEVEL SECURITY;

-- Per agent, clock hour (UTC-aligned hours: every zone's hour is one of
-- them, but for a few half-hour zones, which agent_metrics() reads from the
-- raw edges) and account (0: an event without one).
CREATE TABLE metric_hour (
	hour           timestamptz NOT NULL,
	agent_id       bigint NOT NULL,
	account_id     bigint NOT NULL,
	actions        integer NOT NULL DEFAULT 0,
	calls          integer NOT NULL DEFAULT 0,
	rpc            integer NOT NULL DEFAULT 0,
	promises       integer NOT NULL DEFAULT 0,
	promise_amount bigint NOT NULL DEFAULT 0,
	kept_amount    bigint NOT NULL DEFAULT 0,
	sms            integer NOT NULL DEFAULT 0,
	email          integer NOT NULL DEFAULT 0,
	whatsapp       integer NOT NULL DEFAULT 0,
	visits         integer NOT NULL DEFAULT 0,
	seconds        bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (hour, agent_id, account_id)
);
-- Promises kept and broken per agent and hour: the 30 days of the kept rate
-- are read from here, a few rows per agent and day.
CREATE TABLE metric_resolve_hour (
	hour     timestamptz NOT NULL,
	agent_id bigint NOT NULL,
	kept     integer NOT NULL DEFAULT 0,
	broken   integer NOT NULL DEFAULT 0,
	PRIMARY KEY (hour, agent_id)
);
REVOKE ALL ON metric_hour, metric_resolve_hour
	FROM PUBLIC, cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;
ALTER TABLE metric_hour ENABLE ROW LEVEL SECURITY;
ALTER TABLE metric_resolve_hour ENABLE ROW LEVEL SECURITY;

CREATE TRIGGER metric_rollup AFTER INSERT ON event REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION metric_rollup_event();
CREATE TRIGGER metric_rollup AFTER INSERT ON account_visit REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION metric_rollup_visit();

-- What changed in presence is news for the team's dashboards only.
ALTER TABLE change_log DROP CONSTRAINT change_log_kind_check;
ALTER TABLE change_log ADD CONSTRAINT change_log_kind_check
	CHECK (kind IN ('account', 'lease', 'policy', 'presence'));
CREATE POLICY presence_team ON change_log AS RESTRICTIVE FOR SELECT
	USING (kind <> 'presence' OR (SELECT i_am('cobro_admin'))
	       OR (was_team = (SELECT my_team_id())
	           AND ((SELECT i_am('cobro_supervisor')) OR (SELECT i_am('cobro_lead')))));

-- The events written before this migration.
SELECT metric_rebuild();
