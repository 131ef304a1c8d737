#!/usr/bin/env bash
# The worklist asks the contact policy whether each account may be called now:
# those that may keep their priority order on top, the others sink with their
# next allowed time. Checked against cobroctl policy check for the same account.
set -u
. "$(dirname "$0")/lib.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
[ "$(q 'select count(*) from cobro.contact_policy')" != 0 ] ||
	"$COBRO_BIN/cobroctl" --database "dbname=cobro" --user admin policy load "$COBRO_TOP/etc/policy.conf" >/dev/null

app_start a "$(cobro_cmd carla)" 110 30
check "the status line counts the accounts that may be called now" wait_for a "may be called now"
callable=$(screen a | grep -oE '[0-9]+ may be called now' | cut -d' ' -f1)
total=$(screen a | grep -oE '^[0-9]+ accounts to work' | cut -d' ' -f1)
check "the worklist has a Call column" line_matches a 2 'Contacted +Call +Segment'

# verdict_of ROW-KEYS: opens the row reached by the keys, returns cobroctl's verdict.
verdict_of() {
	keys a "$@"
	keys a Enter
	wait_screen a "History (newest first)" >/dev/null
	ref=$(screen a | sed -n 2p | sed 's/.*·  //; s/ *$//')
	keys a Escape
	wait_screen a "Contacted" >/dev/null
	"$COBRO_BIN/cobroctl" --database "dbname=cobro" --user carla policy check --account "$ref" --channel call --at "$COBRO_NOW" | cut -d: -f1
}
if [ "$callable" -gt 0 ]; then
	check "the first row may be called now ($callable callable)" test "$(verdict_of Home)" = allowed
	check "and says now" line_matches a 3 ' now +[a-z]'
fi
if [ "$callable" -lt "$total" ]; then
	last=$(verdict_of End)
	check "the last row may not be called now ($last)" bash -c "[[ '$last' == refused* ]]"
	check "and shows when it may, or never" bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -E '^[^ ].*' | sed -n '\$!p' | tail -n 2 | head -n 1 | grep -qE '( (Mon|Tue|Wed|Thu|Fri|Sat|Sun) [0-9]{2}:[0-9]{2}| [0-9]{2}:[0-9]{2} | [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}|never)'"
fi
keys a q
wait_for a "[exit=0]" >/dev/null
finish
