-- Leases announce themselves on a channel of their own, cobro_lease, and
-- only when the holder changes.
--
-- Every lease taken, renewed (every 30 s per open account) and released
-- used to notify cobro_account, on which every workstation reloads its
-- worklist: with a team at work, each workstation reloaded several times a
-- second for changes its worklist does not show (a worklist shows no
-- lease), and the database paid for each reload. Now the worklist does not
-- hear of leases at all; the account screens of the account hear of the
-- holder coming and going, which is what they show ("luis is on this
-- account"). A renewal changes no holder and says nothing.
-- uses: functions/notify.sql
-- Its functions moved to src/sql/functions/; a database that ran
-- the text before is at the same schema (cobroctl migrate accepts it):
-- supersedes: ba2cc5d5d2fcdfd1547d424050337110
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

DROP TRIGGER notify_account ON lease;
CREATE TRIGGER notify_lease AFTER INSERT OR UPDATE OR DELETE ON lease
	FOR EACH ROW EXECUTE FUNCTION notify_lease();
