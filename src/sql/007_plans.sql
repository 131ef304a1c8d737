-- The functions a workstation calls on every screen plan their query once
-- per session, not five times first: this migration set plan_cache_mode =
-- force_generic_plan on worklist_page() and contact_history_many(), and made
-- contact_history() call contact_history_many(). Each of those settings is
-- now written in its function's own file (src/sql/functions/), so nothing is
-- left here.
-- A version stays a version: the ledger and the databases that ran it
-- keep its number.
-- supersedes: 7bb14b81dbb522081e20bd92e7629168
SET LOCAL ROLE cobro_owner;
