-- A step done names its channel (sms, email, whatsapp, worklist, letter,
-- agency). A step skipped as stale writes no history event (functions/
-- strategy.sql: nothing happened to the debtor), so the event can no longer
-- be where a report or a test finds which channel a skipped step was on.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

ALTER TABLE strategy_step_done ADD COLUMN channel text;
