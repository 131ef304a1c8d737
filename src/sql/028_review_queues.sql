-- The review queues (issue 17, line 4): what collectors cannot undo lands
-- with the supervisor of the team. An account in dispute, and a contact
-- point marked wrong, wait for a decision. Clearing a dispute or restoring a
-- point ends the mark itself (account_lift_dispute(), contact_point_lift_bad());
-- keeping a dispute, or confirming a point is wrong, leaves the mark and
-- takes the item off the queue: these columns say so, and who decided.
--
-- The mark of a decision belongs to the dispute or the bad mark it decided:
-- a trigger forgets it whenever the status or bad_since changes (a dispute
-- cleared and raised again, a number restored and marked wrong again, by
-- whatever path: a function, cobrod's bounce, an administrator's UPDATE), so
-- a new mark waits for a new decision.
--
-- No grant is needed: people read these columns under the tables' row
-- security (SELECT on the table), and write them only through
-- functions/review.sql.
-- uses: functions/review.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

ALTER TABLE account ADD COLUMN dispute_kept_at timestamptz,
	ADD COLUMN dispute_kept_by bigint REFERENCES agent;
ALTER TABLE contact_point ADD COLUMN bad_confirmed_at timestamptz,
	ADD COLUMN bad_confirmed_by bigint REFERENCES agent;

-- The queues read only what waits: a handful among a million rows.
CREATE INDEX account_dispute_waiting ON account (team_id) WHERE status = 'dispute' AND dispute_kept_at IS NULL;
CREATE INDEX contact_point_bad_waiting ON contact_point (debtor_id)
	WHERE bad_since IS NOT NULL AND bad_confirmed_at IS NULL;

CREATE TRIGGER account_dispute_review_reset BEFORE UPDATE OF status ON account
	FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
	EXECUTE FUNCTION review_mark_reset();
CREATE TRIGGER contact_point_bad_review_reset BEFORE UPDATE OF bad_since ON contact_point
	FOR EACH ROW WHEN (OLD.bad_since IS DISTINCT FROM NEW.bad_since)
	EXECUTE FUNCTION review_mark_reset();
