-- Messages only through the queue (issue 14, line 1). A collector with
-- psql and their own password inserted rows into cobro.message: three SMS
-- to a space-separated "recipient", an email to an address of their
-- choosing, messages with no `sms out` event that the contact policy's caps
-- never counted. From here on nobody writes the message table but its
-- owner: people queue with message_queue() (functions/outbox.sql), which
-- takes a contact point and writes the history event; cobrod changes
-- messages only through message_claim(), message_settle() and message_dlr().
-- All of them are SECURITY DEFINER. docs/security.md, "Messages".
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- 003_security.sql granted INSERT (column lists) to collectors and
-- supervisors, INSERT and UPDATE to the daemon, and INSERT, UPDATE, DELETE
-- on every table to admins. Revoking the table privilege takes the column
-- privileges with it.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON message
	FROM PUBLIC, cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;

-- No default privilege hands a new table's writes to anybody: 003 granted on
-- ALL TABLES, which covers only the tables of that moment, and no migration
-- set default privileges; this keeps it so should one have been set by hand.
ALTER DEFAULT PRIVILEGES FOR ROLE cobro_owner IN SCHEMA cobro
	REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON TABLES
	FROM PUBLIC, cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;

-- message_claim() now returns the contact point's value and state beside
-- the row's own recipient (functions/outbox.sql). A function's result type
-- cannot be replaced and a function file cannot drop, so the old form goes
-- here; the function file makes the new one after the migrations. The old
-- message_dlr() goes in 018.
DROP FUNCTION IF EXISTS message_claim(text, text, integer, integer);

-- message_claim() asks, for every message it hands out, whether it has its
-- `out` event: one look per message and month, not a walk through the
-- debtor's whole history.
CREATE INDEX event_message_idx ON event (message_id) WHERE message_id IS NOT NULL;
