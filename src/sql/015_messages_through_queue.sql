-- Messages only through the queue (issue 14, line 1). A collector with
-- psql and their own password inserted rows into cobro.message: three SMS
-- to a space-separated "recipient", an email to an address of their
-- choosing, messages with no `sms out` event that the contact policy's caps
-- never counted. From here on nobody writes the message table but its
-- owner: people queue with message_queue() (functions/outbox.sql), which
-- takes a contact point and writes the history event; cobrod changes
-- messages only through message_claim(), message_settle() and message_dlr().
-- All of them are SECURITY DEFINER. docs/security.md, "Messages".
-- uses: functions/outbox.sql
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

-- The delivery report's function updates messages as the daemon; it must
-- run as the owner now (its own file declares so once it has one).
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_proc
	           WHERE oid = to_regprocedure('cobro.message_dlr(bigint, integer, text, timestamptz)')
	             AND NOT prosecdef) THEN
		ALTER FUNCTION message_dlr(bigint, integer, text, timestamptz) SECURITY DEFINER;
	END IF;
END
$$;

-- message_claim() asks, for every message it hands out, whether it has its
-- `out` event: one look per message and month, not a walk through the
-- debtor's whole history.
CREATE INDEX event_message_idx ON event (message_id) WHERE message_id IS NOT NULL;
