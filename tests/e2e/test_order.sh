#!/usr/bin/env bash
# One true worklist order (issue 15): what the workstation shows first, the
# counts on the status line and `y` on the account screen are the same
# whatever rows have been scrolled into view; the rows are in the database's
# order (cobro.worklist_page()), and `y` on row N says Rank N. A filter that
# matches nothing says so; an unknown jurisdiction is refused.
set -u
. "$(dirname "$0")/lib.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
[ "$(q 'select count(*) from cobro.contact_policy')" != 0 ] ||
	"$COBRO_BIN/cobroctl" --database "dbname=cobro" --user admin policy load "$COBRO_TOP/etc/policy.conf" >/dev/null

# rows NAME N: the debtor names of the first N rows on screen (the first
# column, blanks squeezed).
rows() { screen "$1" | sed -n "3,$((2 + $2))p" | sed -E 's/^(.{30}).*/\1/; s/ +$//'; }
# status NAME: the worklist's own status line.
status() { screen "$1" | grep -oE '^[0-9]+ accounts to work(, [0-9]+ may be called now)?'; }

app_start a "$(cobro_cmd ana)" 120 40
check "the status line counts the accounts that may be called now" wait_for a "may be called now" 10
sleep 0.5
first=$(rows a 12)
count=$(status a)
total=$(echo "$count" | cut -d' ' -f1)
check "ana has more accounts than one page ($total)" test "$total" -gt 60

# The database's order, by the same weights (cobro.conf's defaults), as ana.
want=$(psql -X -qAt -U ana -d cobro -c "select debtor from cobro.worklist_page(0, 12, 1e9, 1e8, 150)" |
	sed -E 's/^(.{30}).*/\1/; s/ +$//')
check "the first rows are the database's order" test "$first" = "$want"
[ "$first" = "$want" ] || diff <(echo "$want") <(echo "$first") | sed 's/^/# /' >&2

# Every account of the worklist is judged: the count of those that may be
# called now is the whole worklist's, read before anything was scrolled.
keys a End
sleep 1.5
check "after End the status line is the same: $count" test "$(status a)" = "$count"
keys a Home
sleep 1
check "after End and Home the first rows are the same" test "$(rows a 12)" = "$first"
check "and the count too" test "$(status a)" = "$count"
keys a PgDn PgDn PgDn
sleep 1
keys a Home
sleep 1
check "after PgDn and Home the first rows are the same" test "$(rows a 12)" = "$first"
check "and the count too ($count)" test "$(status a)" = "$count"

# The selected row's bar is one run of reverse video from its first column to
# its last: no cell's own colour breaks it (the escapes all come first).
# bar_whole NAME: the first reversed line below the title has no escape after
# its opening ones.
bar_whole() {
	local line
	line=$(tm capture-pane -p -e -N -t "=$1:" | sed -n '2,$p' | grep -a -m1 $'\e\[7m' |
		sed -E $'s/^(\e\[[0-9;]*m)+//')
	[[ $line != *$'\e'* ]]
}
for n in 1 2 3 4 5 6 7 8 9 10 11 12; do
	keys a Down
	sleep 0.1
	bar_whole a || break
done
check "the selected row's bar is continuous on rows 2 to $((n + 1))" test "$n" = 12

# y says the rank of the row it was opened from.
for n in 1 2 3; do
	keys a Home
	for ((i = 1; i < n; i++)); do keys a Down; done
	keys a Enter
	wait_screen a "History (newest first)" >/dev/null
	keys a y
	check "y on row $n says Rank $n of $total" wait_screen a "Rank $n of $total"
	check "y names its terms, no raw weights" bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -qE '1000000000|100000000'"
	keys a Escape
	wait_screen a "Contacted" >/dev/null
done

# At 80 columns y still fits the line, the rank first.
tm resize-window -t a -x 80 -y 24
sleep 0.5
keys a Home Enter
wait_screen a "History (newest first)" >/dev/null
keys a y
check "y at 80 columns says the rank" wait_screen a "Rank 1 of $total"
check "and fits the line (ends on a whole term, no …)" bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -E '^Rank 1 of' | grep -q '…'"
check "the account's key bar shows Tab" bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t a | tail -n 1 | grep -q 'TabPane'"
check "and still Esc" bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t a | tail -n 1 | grep -q 'EscBack'"
# The accounts and money panes' selected rows too (promises, installments).
whole=yes
for pane in 1 2; do
	keys a Tab
	sleep 0.3
	for n in 1 2 3; do
		bar_whole a || whole="no (pane $pane, row $n)"
		keys a Down
		sleep 0.1
	done
done
check "the account screen's selected rows are continuous: $whole" test "$whole" = yes
keys a Tab
keys a Escape
wait_screen a "Contacted" >/dev/null
tm resize-window -t a -x 120 -y 40

# A search that matches nothing says so.
keys a /
text a "zzqxnadie"
keys a Enter
check "a search that matches nothing says so" wait_screen a "No account matches the search and filters"
check "not that there is nothing to work" bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -q 'No accounts to work'"
keys a /
keys a C-u
keys a Enter
wait_screen a "accounts to work" >/dev/null

# An unknown jurisdiction is refused in the prompt; a known one is taken.
keys a f
wait_screen a "Filter by" >/dev/null
keys a 4
wait_screen a "Jurisdiction (CO" >/dev/null
text a "ZZ"
keys a Enter
check "an unknown jurisdiction is refused" wait_screen a "Unknown jurisdiction ZZ"
keys a C-u
text a "co"
keys a Enter
co=$(q "select count(*) from cobro.account a join cobro.debtor d on d.id = a.debtor_id join cobro.agent g on g.id = a.agent_id
        where g.login = 'ana' and a.team_id = g.team_id and a.workable and d.jurisdiction = 'CO'")
check "a known one filters ($co accounts)" wait_screen a "$co accounts match"
keys a f
keys a 5
wait_screen a "accounts to work" >/dev/null

# A change to one account turns the answers of its debtor's accounts, and only
# theirs: a conversation an hour before the policy's clock on a Colombian
# debtor (CO-DAY: after one, no other contact that day) makes their row stop
# saying "now", and the count falls by their accounts that said it.
call_cell() { # LINE: the first word of the call-time column ("Their time") there (in characters)
	local header line prefix
	header=$(screen a | sed -n 2p)
	prefix=${header%%Their time*}
	line=$(screen a | sed -n "$1p")
	line=${line:${#prefix}}
	echo "${line%% *}"
}
keys a Home
sleep 0.5
pick=
while IFS='|' read -r n acc debtor; do
	[ "$(call_cell $((2 + n)))" = now ] && { pick="$n|$acc|$debtor"; break; }
done < <(psql -X -qAt -U ana -d cobro -c "select n, p.id, a.debtor_id
	from cobro.worklist_page(0, 30, 1e9, 1e8, 150) with ordinality as p(id, debtor, reference, dpd, balance, currency,
	     promise, last_contact, segment, jurisdiction, workable, n)
	join cobro.account a on a.id = p.id where p.jurisdiction = 'CO' order by n")
if [ -z "$pick" ]; then
	not_ok "a Colombian debtor on screen who may be called now"
else
	IFS='|' read -r n acc debtor <<<"$pick"
	before=$(status a | grep -oE '[0-9]+ may be called now' | cut -d' ' -f1)
	theirs=$(psql -X -qAt -U ana -d cobro -c "select count(*) from cobro.account a
		where a.debtor_id = $debtor and a.agent_id = cobro.my_agent_id() and a.team_id = cobro.my_team_id() and a.workable")
	q "insert into cobro.event (at, account_id, debtor_id, kind, direction, outcome)
	   values (timestamptz '$COBRO_NOW' - interval '1 hour', $acc, $debtor, 'call', 'out', 'right_party')" >/dev/null
	check "row $n (account $acc) stops saying now once its debtor was spoken to" \
		eventually 5 bash -c "[ \"\$(tmux -L '$E2E_SOCK' capture-pane -p -t a | sed -n $((2 + n))p | grep -c ' now ')\" = 0 ]"
	sleep 0.5
	after=$(status a | grep -oE '[0-9]+ may be called now' | cut -d' ' -f1)
	check "the count falls by the debtor's accounts at most ($before - $theirs <= $after < $before)" \
		test "$after" -lt "$before" -a "$after" -ge $((before - theirs))
	q "delete from cobro.event where account_id = $acc and at = timestamptz '$COBRO_NOW' - interval '1 hour'" >/dev/null
fi
keys a q
wait_for a "[exit=0]" >/dev/null

# The same in Spanish.
app_start es "env LANGUAGE=es $(cobro_cmd ana)" 120 40
wait_for es "cuentas por gestionar" 10 >/dev/null
keys es /
text es "zzqxnadie"
keys es Enter
check "Spanish: a search that matches nothing says so" wait_screen es "Ninguna cuenta coincide con la búsqueda y los filtros"
keys es /
keys es C-u
keys es Enter
keys es f
keys es 4
wait_screen es "Jurisdicción" >/dev/null
text es "ZZ"
keys es Enter
check "Spanish: an unknown jurisdiction is refused" wait_screen es "Jurisdicción desconocida ZZ"
keys es Escape
keys es q
finish
