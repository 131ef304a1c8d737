-- Sending: templates kept in the database, the outbox's life (queued by a
-- workstation, claimed and settled by cobrod, updated by delivery reports),
-- inbound replies and STOP. docs/operations.md says what each status means;
-- functions/outbox.sql and functions/message_inbound.sql write them.
-- uses: functions/audit.sql functions/notify.sql
-- Its functions moved to src/sql/functions/; a database that ran
-- the text before is at the same schema (cobroctl migrate accepts it):
-- supersedes: c3ba97c555b1cb38b40e2cf743ef2d1e
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- ------------------------------------------------------------------ templates
-- Placeholders are checked by cobroctl (src/template.c) before a template is
-- stored; the table keeps what a careless INSERT could still break.
ALTER TABLE template
	ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
	ADD CONSTRAINT template_code_form CHECK (code ~ '^[a-z][a-z0-9_]{0,62}$'),
	ADD CONSTRAINT template_subject CHECK (CASE channel WHEN 'email' THEN length(subject) BETWEEN 1 AND 998
	                                                   WHEN 'letter' THEN true
	                                                   ELSE subject IS NULL END),
	ADD CONSTRAINT template_body_size CHECK (length(body) BETWEEN 1 AND 65536);
CREATE TRIGGER template_audit AFTER INSERT OR UPDATE OR DELETE ON template
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();

-- ------------------------------------------------------------------- outbox
-- A removed template leaves its messages as they were sent: the text is the
-- message's own, and the code stays for the history.
ALTER TABLE message DROP CONSTRAINT message_template_id_fkey,
	ADD CONSTRAINT message_template_id_fkey FOREIGN KEY (template_id) REFERENCES template ON DELETE SET NULL,
	ADD COLUMN template_code text,
	ADD COLUMN language     text CHECK (language IN ('es', 'en')),
	-- WhatsApp template messages: the values of the template's placeholders,
	-- in order, as rendered when queued (the provider assembles the text).
	ADD COLUMN params       jsonb CHECK (params IS NULL OR jsonb_typeof(params) = 'array'),
	ADD COLUMN segments     smallint,
	ADD COLUMN encoding     text CHECK (encoding IN ('gsm7', 'ucs2')),
	ADD COLUMN refused_rule text,
	ADD COLUMN failed_at    timestamptz,
	-- The last delivery report's status as the gateway sent it (Kannel: 1
	-- delivered, 2 undelivered, 4 buffered, 8 submitted, 16 rejected).
	ADD COLUMN dlr_status   smallint;
-- The dispatcher's question, per channel: what is due now.
CREATE INDEX message_due_idx ON message (channel, next_attempt_at) WHERE status IN ('queued', 'sending');
DROP INDEX message_queue_idx;

-- The workstation queues a message and its event with message_queue()
-- (functions/outbox.sql), which sets these columns too.
GRANT INSERT (template_code, language, params, segments, encoding) ON message
	TO cobro_collector, cobro_supervisor;

-- cobrod wakes on a new message instead of polling for it.
CREATE TRIGGER notify_outbox AFTER INSERT ON message
	FOR EACH STATEMENT EXECUTE FUNCTION notify_outbox();
