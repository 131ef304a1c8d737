-- account_screen() reading the lease apart from its statement: it was
-- written here, and is now functions/account_screen.sql, so nothing is left
-- here.
-- A version stays a version: the ledger and the databases that ran it
-- keep its number.
-- supersedes: f7f99724d254b4018427feb1eb820704
SET LOCAL ROLE cobro_owner;
