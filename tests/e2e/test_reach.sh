#!/usr/bin/env bash
# The worklist asks the contact policy whether each account may be called now
# and shows it (now, the next allowed time, or never) without moving rows: the
# order is the database's (issue 15). Checked against cobroctl policy check
# for the same account.
set -u
. "$(dirname "$0")/lib.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
[ "$(q 'select count(*) from cobro.contact_policy')" != 0 ] ||
	"$COBRO_BIN/cobroctl" --database "dbname=cobro" --user admin policy load "$COBRO_TOP/etc/policy.conf" >/dev/null

app_start a "$(cobro_cmd carla)" 110 30
check "the status line counts the accounts that may be called now" wait_for a "may be called now"
callable=$(screen a | grep -oE '[0-9]+ may be called now' | cut -d' ' -f1)
total=$(screen a | grep -oE '^[0-9]+ accounts to work' | cut -d' ' -f1)
check "the worklist has a call-time column that says whose clock (Their time)" line_matches a 2 'Contacted +Their time +Segment'

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
# call_cell LINE: the first word of the call-time column ("Their time") on the pane's line LINE
# (columns counted in characters: names before it have accents).
call_cell() {
	local header line prefix
	header=$(screen a | sed -n 2p)
	prefix=${header%%Their time*}
	line=$(screen a | sed -n "$1p")
	line=${line:${#prefix}}
	echo "${line%% *}"
}
# The first rows, and the first on screen that may not be called now, agree
# with the policy: "now" where it allows a call, a time or "never" where it
# does not, whatever the row's place.
picks="1 2 3"
for n in $(seq 1 26); do
	cell=$(call_cell $((2 + n)))
	[ -n "$cell" ] && [ "$cell" != now ] && { picks="$picks $n"; break; }
done
for n in $picks; do
	cell=$(call_cell $((2 + n)))
	verdict=$(verdict_of Home $(for ((i = 1; i < n; i++)); do echo Down; done))
	if [ "$verdict" = allowed ]; then
		check "row $n may be called now and says now" test "$cell" = now
	else
		check "row $n may not be called now ($verdict) and does not say now ($cell)" test "$cell" != now
	fi
done
if [ "$callable" -lt "$total" ]; then
	last=$(verdict_of End)
	sleep 0.2
	# The last row sits above the status line, or below the last of fewer.
	at=$(screen a | grep -n -m1 'accounts to work' | cut -d: -f1)
	at=$((at - 1 < 2 + total ? at - 1 : 2 + total))
	cell=$(call_cell "$at")
	if [[ $last == refused* ]]; then
		check "the last row may not be called now ($last) and shows when it may, or never ($cell)" test "$cell" != now
	else
		check "the last row may be called now and says now" test "$cell" = now
	fi
fi
keys a q
wait_for a "[exit=0]" >/dev/null
finish
