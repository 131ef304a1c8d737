-- The daily files (issue 16, lines 4 to 6): payments and the portfolio,
-- loaded by cobroctl import through import_stage(), import_payments() and
-- import_accounts() (functions/import.sql), for administrators only.
--
-- A payment is known by the id its source gave it (external_id): the same
-- file imported twice applies each payment once. Each import is one row of
-- import_run, audited: who loaded which file, how many rows, and a digest
-- over the payments it wrote, so a bulk load of a million rows is one link
-- of the audit chain instead of a million.
-- uses: functions/audit.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE TABLE import_run (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind        text NOT NULL CHECK (kind IN ('payments', 'accounts')),
	file        text NOT NULL CHECK (length(file) BETWEEN 1 AND 4096),
	at          timestamptz NOT NULL DEFAULT now(),
	actor       text NOT NULL DEFAULT session_user,
	rows_read   bigint NOT NULL DEFAULT 0,
	applied     bigint NOT NULL DEFAULT 0,   -- payments written; accounts created or updated
	duplicates  bigint NOT NULL DEFAULT 0,
	rejected    bigint NOT NULL DEFAULT 0,
	created     bigint NOT NULL DEFAULT 0,   -- accounts
	closed      bigint NOT NULL DEFAULT 0,   -- accounts, --full
	digest      bytea                        -- sha256 over the payments written, in id order
);
REVOKE ALL ON import_run FROM PUBLIC, cobro_collector, cobro_supervisor, cobro_lead, cobro_admin, cobro_daemon;
GRANT SELECT ON import_run TO cobro_admin;
ALTER TABLE import_run ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_reads ON import_run FOR SELECT TO cobro_admin USING (true);
CREATE TRIGGER import_run_audit AFTER INSERT OR UPDATE OR DELETE ON import_run
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();

ALTER TABLE payment
	ADD COLUMN external_id text CHECK (length(external_id) BETWEEN 1 AND 128),
	-- No foreign key: import_payments() writes it, and a check per row of a
	-- million-row import is seconds for nothing (import_run rows are never
	-- deleted: nobody holds DELETE on it).
	ADD COLUMN import_id bigint,
	ADD CONSTRAINT payment_external_id_key UNIQUE (external_id);
