-- A ladder's worklist step moves accounts through the reassignment
-- machinery (functions/reassign.sql, reassign_move_now()): a batch per team
-- and run, each account's move an event and an audit row, an account open
-- on a workstation moved only when its lease ends. Such a batch is the
-- strategy's, not a person's: kind 'strategy' (functions/strategy.sql).
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

ALTER TABLE reassign_batch DROP CONSTRAINT reassign_batch_kind_check;
ALTER TABLE reassign_batch ADD CONSTRAINT reassign_batch_kind_check
	CHECK (kind IN ('reassign', 'absent', 'return', 'strategy'));
