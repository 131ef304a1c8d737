-- The right message, or none; no message queued forever (issue 15, lines 4
-- and 5).
--
-- A template states the facts of the account its text takes for granted
-- (`requires: promise_broken` in its .tpl file, src/core/template.c): the
-- send screen offers first the templates whose facts hold and greys the
-- others with the reason, and cobrod tests them again when it sends
-- (message_facts(), functions/send_facts.sql). The vocabulary is closed: the
-- names of template_fact_names[] in src/core/template.c.
--
-- Each running cobrod says which channels it can send (daemon_presence,
-- written only by daemon_heartbeat()), so that message_queue() refuses a
-- channel nobody would send, instead of leaving the message queued for ever.
-- A message cobrod finds queued longer than its outbox.late_after is marked
-- late (message.late_at) with a history event, once.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

ALTER TABLE template
	ADD COLUMN requires text[] NOT NULL DEFAULT '{}',
	ADD CONSTRAINT template_requires_known CHECK (requires <@ ARRAY['past_due', 'not_due', 'promise_pending',
	                                                            'promise_broken', 'promise_kept', 'payment']);

-- One row per running cobrod: the channels it has a transport for, and how
-- long the row stands without a new heartbeat (a daemon that died stops
-- counting when its row expires). Everyone may read it (the send screen says
-- why a channel cannot be queued); only daemon_heartbeat() writes it.
CREATE TABLE daemon_presence (
	worker     text PRIMARY KEY CHECK (length(worker) BETWEEN 1 AND 128),
	channels   text[] NOT NULL CHECK (channels <@ ARRAY['sms', 'email', 'whatsapp']),
	seen_at    timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL
);
REVOKE ALL ON daemon_presence FROM PUBLIC, cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;
GRANT SELECT ON daemon_presence TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;
ALTER TABLE daemon_presence ENABLE ROW LEVEL SECURITY;
CREATE POLICY all_rows ON daemon_presence FOR SELECT
	TO cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon USING (true);

-- When cobrod found the message still queued after outbox.late_after.
ALTER TABLE message ADD COLUMN late_at timestamptz;
CREATE INDEX message_waiting_idx ON message (created_at) WHERE status = 'queued' AND late_at IS NULL;
