-- Bulk sending (issue 18, line 11): the outbox's writes announce themselves
-- once per statement, as the bulk writes of account and event do since
-- 029_reassign.sql (functions/notify.sql, notify_account()).
--
-- cobrod writes every message several times on its way out: queued, claimed
-- (message_claim(), hundreds at once), settled (message_settle()), and its
-- delivery reports (message_dlr_many()). Row by row, each row's change cost
-- a PL/pgSQL call, a to_jsonb() of the row and an INSERT into change_log: at
-- 2,000 SMS a second that was more of the database's time than the
-- statements themselves. Once per statement writes the same change_log
-- rows (one per transaction, kind and account) and one NOTIFY.
-- uses: functions/notify.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

DROP TRIGGER notify_account ON message;
CREATE TRIGGER notify_account AFTER DELETE ON message
	FOR EACH ROW EXECUTE FUNCTION notify_account();
CREATE TRIGGER notify_account_insert AFTER INSERT ON message
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION notify_account();
CREATE TRIGGER notify_account_update AFTER UPDATE ON message
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION notify_account();
