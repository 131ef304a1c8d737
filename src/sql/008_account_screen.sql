-- The account screen in one call, account_screen(): it was written here, and
-- is now functions/account_screen.sql, so nothing is left here.
-- A version stays a version: the ledger and the databases that ran it
-- keep its number.
-- supersedes: 47acd625729b2bb45af16560ced43235
SET LOCAL ROLE cobro_owner;
