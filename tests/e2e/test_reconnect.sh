#!/usr/bin/env bash
# PostgreSQL restarts under an open account screen with a half-typed note: the
# status line says so and counts retries, the screen stays readable, and the
# note is saved once when the database is back.
set -u
. "$(dirname "$0")/lib.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
pgdir=$(dirname "$PGHOST")/$(basename "$PGHOST")
restart_db() { "$COBRO_TOP/scripts/pg.sh" start "$pgdir" "$PGPORT" >/dev/null 2>&1; }
trap 'restart_db; tmux -L "$E2E_SOCK" kill-server 2>/dev/null; rm -f "$E2E_CONF"' EXIT

logins() { q "select count(*) from cobro.audit where action = 'LOGIN' and actor = 'carla' and new->>'program' = 'cobro'"; }
app_start a "$(cobro_cmd carla)" 100 30
wait_for a "accounts to work" >/dev/null
before=$(logins)
keys a Enter
wait_for a "History (newest first)" >/dev/null
ref=$(screen a | sed -n 2p | sed 's/.*·  //; s/ *$//')
note="Nota escrita durante el corte $$"
keys a o
text a "$note"

"$COBRO_TOP/scripts/pg.sh" stop "$pgdir" >/dev/null 2>&1
keys a Enter
check "the status line says the connection is lost and counts retries" wait_for a "Database connection lost: reconnecting (attempt"
check "the screen stays readable" line_has a 2 "$ref"
sleep 2
restart_db
check "once the database is back the note is saved" wait_for a "Saved" 15
check "and shows in the history" wait_for a "$note"
check "it was saved exactly once" test "$(q "select count(*) from cobro.event where body = '$note'")" = 1
check "the new session is audited as a login, as the first was" test "$(logins)" = $((before + 1))
keys a Escape
keys a q
check "quits cleanly after the reconnect" wait_for a "[exit=0]"
finish
