-- Data cleaning (issue 18, line 3): when every number of a debtor is
-- marked wrong or keeps failing, cobro asks them for a current one by the
-- channels left (functions/cleaning.sql), and a reply that holds a number
-- adds it as a contact point *proposed*: not usable for anything until a
-- collector of the account confirms it (or rejects it).
--
-- contact_point.proposal: NULL for every point as before (usable by its
-- own state: bad, opted out); 'proposed' while it waits for a collector;
-- 'rejected' once refused (kept, never usable, so the same reply read again
-- proposes nothing). proposed_via is the channel the reply came on, the
-- consent a confirmation gives; proposed_at when it came.
--
-- cleaning_request: each time cobro asked a debtor for a number, on which
-- channel and point, by which message, at the run's moment (asked_at, the
-- run's --at, so tests control it). It is what "at most once every N days"
-- counts, and what makes a reply with digits a number to propose: only a
-- debtor who was asked, and whose new number is not confirmed yet
-- (closed_at), has the numbers of their replies proposed. Nobody but the
-- functions writes it; it is read like the account it was sent for.
-- uses: functions/session.sql functions/audit.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

ALTER TABLE contact_point
	ADD COLUMN proposal     text CHECK (proposal IN ('proposed', 'rejected')),
	ADD COLUMN proposed_via text CHECK (proposed_via IN ('sms', 'whatsapp', 'email')),
	ADD COLUMN proposed_at  timestamptz;
CREATE INDEX contact_point_proposed_idx ON contact_point (debtor_id) WHERE proposal = 'proposed';

CREATE TABLE cleaning_request (
	id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	debtor_id        bigint NOT NULL REFERENCES debtor ON DELETE CASCADE,
	account_id       bigint NOT NULL REFERENCES account ON DELETE CASCADE,
	channel          text NOT NULL CHECK (channel IN ('email', 'whatsapp', 'sms')),
	contact_point_id bigint NOT NULL REFERENCES contact_point ON DELETE CASCADE,
	message_id       bigint NOT NULL,
	asked_at         timestamptz NOT NULL,
	asked_by         text NOT NULL DEFAULT session_user,
	closed_at        timestamptz            -- a number it brought was confirmed
);
CREATE INDEX cleaning_request_debtor_idx ON cleaning_request (debtor_id, channel, asked_at);

-- A number "keeps failing" when its last N messages failed: the run looks
-- at each phone point's latest messages.
CREATE INDEX message_point_idx ON message (contact_point_id, created_at DESC) WHERE contact_point_id IS NOT NULL;

REVOKE ALL ON cleaning_request FROM PUBLIC, cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;
GRANT SELECT ON cleaning_request TO cobro_collector, cobro_supervisor, cobro_admin, cobro_daemon;
ALTER TABLE cleaning_request ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_account ON cleaning_request FOR SELECT TO cobro_collector, cobro_supervisor
	USING (EXISTS (SELECT 1 FROM account a WHERE a.id = account_id));
CREATE POLICY all_rows ON cleaning_request FOR SELECT TO cobro_admin, cobro_daemon USING (true);
