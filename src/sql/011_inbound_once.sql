-- An inbound text is recorded once, however often it is delivered.
--
-- smsbox retries a get-url it got no answer to (a timeout, a connection lost
-- after cobrod had already committed), and a provider's webhook does the
-- same: each retry used to add the reply to the debtor's history again and
-- again mark the accounts replied. Kannel gives every message it receives an
-- id (%I, a UUID; scripts/services.sh passes it as id=). The id is kept a
-- week, longer than any gateway keeps retrying, and a message whose id is
-- already kept changes nothing (functions/message_inbound.sql).
-- Its functions moved to src/sql/functions/; a database that ran
-- the text before is at the same schema (cobroctl migrate accepts it):
-- supersedes: 12db8b42d254bf911a6431fe03caac7d
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE TABLE inbound_seen (
	channel     text NOT NULL,
	provider_id text NOT NULL CHECK (length(provider_id) BETWEEN 1 AND 100),
	seen_at     timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (channel, provider_id)
);
CREATE INDEX inbound_seen_at_idx ON inbound_seen (seen_at);
-- The daemon's alone, like every table that is not reference data.
ALTER TABLE inbound_seen ENABLE ROW LEVEL SECURITY;
CREATE POLICY all_rows ON inbound_seen TO cobro_daemon USING (true);
GRANT SELECT, INSERT, DELETE ON inbound_seen TO cobro_daemon;
