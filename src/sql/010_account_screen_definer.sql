-- account_screen() as the owner, deciding who may see what once: it was
-- written here, and is now functions/account_screen.sql, so nothing is left
-- here.
-- A version stays a version: the ledger and the databases that ran it
-- keep its number.
-- supersedes: 4a7c1b35747b87e2e9caff9e2a36728e
SET LOCAL ROLE cobro_owner;
