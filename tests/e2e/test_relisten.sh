#!/usr/bin/env bash
# After PostgreSQL restarts, the workstation LISTENs again: a change another
# session makes once the database is back shows on the open account at once,
# as it did before the restart. (A reconnection that forgot its channels
# would still show the screen, and miss every change from then on.)
set -u
. "$(dirname "$0")/lib.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
pgdir=$(dirname "$PGHOST")/$(basename "$PGHOST")
restart_db() { "$COBRO_TOP/scripts/pg.sh" start "$pgdir" "$PGPORT" >/dev/null 2>&1; }
trap 'restart_db; tmux -L "$E2E_SOCK" kill-server 2>/dev/null; rm -f "$E2E_CONF"' EXIT

# write_letter ID TEXT: an event written in psql and announced, as any other
# program of the cluster would.
write_letter() {
	q "insert into cobro.event (account_id, debtor_id, kind, direction, body)
	   select id, debtor_id, 'letter', 'out', '$2' from cobro.account where id = $1" >/dev/null
	q "notify $(channel NOTIFY_ACCOUNT), '$1'" >/dev/null
}

app_start a "$(cobro_cmd carla)" 100 30
wait_for a "accounts to work" >/dev/null
keys a Enter
wait_for a "History (newest first)" >/dev/null
ref=$(screen a | sed -n 2p | sed 's/.*·  //; s/ *$//')
id=$(q "select id from cobro.account where reference = '$ref'")
check "the open account is known ($ref)" test -n "$id"
write_letter "$id" "Carta antes del corte $$"
check "before the restart, a change elsewhere shows within a second" wait_screen a "Carta antes del corte $$" 1

"$COBRO_TOP/scripts/pg.sh" stop "$pgdir" >/dev/null 2>&1
# Nothing is pending: the workstation finds the break when it next reads,
# and the changes it listens for are what make it read.
sleep 1
restart_db
# The break is found on the workstation's next statement; a key that reads
# (r reloads the account) makes it now rather than at the next wake-up.
keys a r
check "the workstation reconnects" wait_for a "Reconnected after" 15
write_letter "$id" "Carta después del corte $$"
check "after the restart, a change elsewhere still shows within a second" wait_screen a "Carta después del corte $$" 1
keys a Escape
keys a q
check "quits cleanly" wait_for a "[exit=0]"
finish
