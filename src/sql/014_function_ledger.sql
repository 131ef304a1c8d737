-- The ledger of src/sql/functions/: each file's checksum as last applied.
-- Functions and views are written once, each in its file there, and cobroctl
-- migrate applies a file again exactly when its text has changed, after the
-- versioned migrations (as Flyway's repeatable migrations are); see
-- docs/operations.md, "Upgrading".
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE TABLE schema_function (
	file       text PRIMARY KEY CHECK (file ~ '^functions/[a-z0-9_]+\.sql$'),
	checksum   text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now(),
	applied_by text NOT NULL DEFAULT session_user
);
-- Read as schema_migration is: administrators and the daemon may, nobody
-- writes it but the runner (a superuser, as for every migration).
GRANT SELECT ON schema_function TO cobro_admin, cobro_daemon;
