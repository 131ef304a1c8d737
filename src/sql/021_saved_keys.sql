-- Nothing typed is saved twice (issue 15, line 1).
--
-- Each thing the workstation saves (a call and its outcome, a note, a
-- callback, a dispute, a number marked bad) carries a key made there, a
-- UUID. The workstation keeps what it could not save, in memory and, when
-- it must exit, on disk (src/core/saves.c), and saves it again when the
-- database is back: perhaps after a weekend, perhaps after a save that was
-- committed but whose answer was lost with the connection. The functions of
-- functions/account_actions.sql looked for the key among the account's
-- events of the last day only; a key is now claimed in this table, in the
-- transaction that saves it, and a second save with the same key changes
-- nothing, however late it comes.
--
-- Only the owner reads or writes it (account_action_done(), a SECURITY
-- DEFINER function): no grant, row security on and no policy.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE TABLE saved_key (
	key        uuid PRIMARY KEY,
	account_id bigint NOT NULL,
	agent_id   bigint,
	at         timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE saved_key IS 'the keys of the workstation''s saves, each claimed once (021_saved_keys.sql)';
REVOKE ALL ON saved_key FROM PUBLIC;
ALTER TABLE saved_key ENABLE ROW LEVEL SECURITY;

-- The keys saved before this table: the first event each made.
INSERT INTO saved_key (key, account_id, agent_id, at)
SELECT DISTINCT ON (k) k, account_id, agent_id, at
FROM (SELECT (data->>'key')::uuid AS k, id, account_id, agent_id, at FROM event
      WHERE data ? 'key' AND account_id IS NOT NULL
        AND data->>'key' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$') e
ORDER BY k, id
ON CONFLICT DO NOTHING;
