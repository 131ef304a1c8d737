#!/usr/bin/env bash
# Issue 17, lines 2, 3, 7 and 8: the supervisor's dashboard, live. sofia
# (norte's supervisor) logs in to her dashboard at 80x24: one row per agent
# of norte, none of team sur. ana, in another workstation, opens an account
# and logs a call: sofia's row for ana changes ("now" on the account, calls
# one more) without sofia pressing a key. The figures shown are
# `cobroctl report agents --format csv`'s for the same days (today, and a
# range typed). Enter drills into ana: her worklist and recent events, read
# only, and Enter opens one of her accounts. ana's `d` is refused, in words.
set -u
. "$(dirname "$0")/lib.sh"
XDG_STATE_HOME=$(mktemp -d)
export XDG_STATE_HOME
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }

# fig LOGIN TITLE: the number under the column titled TITLE (right-aligned,
# as its figures are) on LOGIN's row of sofia's dashboard.
fig() {
	screen sofia | python3 -c '
import re, sys
lines = sys.stdin.read().split("\n")
login, title = sys.argv[1], sys.argv[2]
head = next(l for l in lines if l.startswith("Agent "))
end = re.search(r"(?<!\S)" + re.escape(title) + r"(?!\S)", head).end()
row = next(l for l in lines if l.startswith(login + " "))
print(row[:end].split()[-1])' "$1" "$2"
}
# csv COLUMN LOGIN: the report's figure in $report.
csv() {
	printf '%s\n' "$report" | tr -d '\r' | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
print(next(r[sys.argv[1]] for r in rows if r["login"] == sys.argv[2]))' "$1" "$2"
}
report_of() { report=$("$COBRO_BIN/cobroctl" --database "dbname=cobro" --user sofia report agents --from "$1" --to "$2" --format csv); }
# same_figures WHO...: the dashboard's calls, RPC, promises and accounts
# worked are the report's for each.
same_figures() {
	local who
	for who in "$@"; do
		[ "$(fig "$who" Calls)" = "$(csv calls "$who")" ] &&
			[ "$(fig "$who" RPC)" = "$(csv right_party_contacts "$who")" ] &&
			[ "$(fig "$who" Prom)" = "$(csv promises "$who")" ] &&
			[ "$(fig "$who" Accts)" = "$(csv accounts_worked "$who")" ] || {
			echo "# $who differs: dashboard calls $(fig "$who" Calls) rpc $(fig "$who" RPC) prom $(fig "$who" Prom)" \
				"accts $(fig "$who" Accts); report $(csv calls "$who") $(csv right_party_contacts "$who")" \
				"$(csv promises "$who") $(csv accounts_worked "$who")" >&2
			return 1
		}
	done
}

# on_account REF: sofia's account screen shows REF (its header cuts a long
# line short: REF is read in the accounts pane too).
on_account() { screen sofia | sed -n 1p | grep -qF "Account" && screen sofia | grep -qF -- "$1"; }

norte=$(q "select count(*) from cobro.agent g join cobro.team t on t.id = g.team_id where t.code = 'norte' and g.active")
sur=$(q "select string_agg(g.login, ' ') from cobro.agent g join cobro.team t on t.id = g.team_id where t.code = 'sur' and g.active")
check "team sur has agents ($sur), norte $norte" test -n "$sur" -a "$norte" -gt 1

app_start sofia "$(cobro_cmd sofia)" 80 24
check "sofia logs in to her dashboard, today's figures" wait_screen sofia "Today $(q "select current_date") · sorted by Agent ▲"
check "  the title says so" line_has sofia 1 "Dashboard"
check "  one row per agent of norte ($norte)" line_has sofia 2 "$norte agents"
check "  ana's row" eventually 5 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=sofia:' | grep -q '^ana '"
check "  the team's totals" eventually 5 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=sofia:' | grep -q '^Team '"
for who in $sur; do
	check "  no row of team sur's $who" not bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=sofia:' | grep -q '^$who '"
done
check "the key bar offers the ranges and the sort" line_has sofia 24 "tToday"
check "  at 80 columns: every line fits" test "$(screen sofia | python3 -c 'import sys; print(sum(len(l) > 80 for l in sys.stdin.read().split("\n")))')" = 0

# Without UTF-8 nor colour: the arrow, bars and sparkline in plain
# characters, and yesterday's figures (the demo's history ends there).
app_start plain "env LC_ALL=C LANG=C NO_COLOR=1 $(cobro_cmd sofia)" 80 24
wait_screen plain "sorted by Agent ^" >/dev/null
keys plain y
check "LC_ALL=C NO_COLOR=1: y shows yesterday, the arrow in ASCII" wait_screen plain "Yesterday"
check "  the bars in # characters" eventually 5 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=plain:' | grep -qE '^Calls +[0-9]+ #+'"
check "  no block character anywhere" not bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=plain:' | LC_ALL=C grep -q \$'\\xe2\\x96'"
keys plain q
wait_for plain "[exit=0]" >/dev/null
keys sofia y
check "the same, on UTF-8: bars in block characters" eventually 5 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=sofia:' | grep -qE '^Calls +[0-9]+ █+'"
keys sofia t
wait_screen sofia "Today" >/dev/null

today=$(q "select current_date")
report_of "$today" "$today"
check "today: ana's and luis's figures are the report's" same_figures ana luis

# ---- live: ana's workstation
app_start ana "$(cobro_cmd ana)" 100 30
wait_for ana "accounts to work" >/dev/null
check "ana on her worklist: sofia's row says idle, no key pressed" \
	eventually 10 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=sofia:' | grep -q '^ana  *idle '"
calls=$(fig ana Calls)
keys ana Enter
wait_for ana "History (newest first)" >/dev/null
# The account opened: its row in the accounts pane (▶ REF ...), whole; the
# header's end is cut at 80 columns when the debtor's name is long.
ref=$(screen ana | awk '$1 == "▶" { print $2; exit }')
check "ana opens $ref: sofia's row shows her on it" \
	eventually 10 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=sofia:' | grep -q '^ana  *[0-9]*m ${ref:0:10}'"
keys ana c
wait_for ana "Call outcome" >/dev/null
keys ana 3 # No answer
wait_for ana "Saved" >/dev/null
calls_now() { test "$(fig ana Calls)" = $((calls + 1)); }
check "ana logs a call: sofia's calls for ana go from $calls to $((calls + 1)), live" eventually 10 calls_now ||
	{ echo "# ana's calls on the dashboard: $(fig ana Calls)"; screen sofia | sed 's/^/# | /'; } >&2
check "  the detail line of the selected agent says where ana is" \
	eventually 5 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=sofia:' | grep -q 'on account $ref for'"
report_of "$today" "$today"
check "  and the report says the same of ana, luis and the team" same_figures ana luis
check "  team totals' calls are the report's" test "$(fig Team Calls)" = "$(printf '%s\n' "$report" | tr -d '\r' | awk -F, '$2 == "" && NR > 1 { print $8 }')"

# ---- a range typed
from=$(q "select current_date - 6")
keys sofia D
wait_screen sofia "From and to" >/dev/null
keys sofia C-u
text sofia "$today $from"
keys sofia Enter
check "D: a range backwards is refused, said why" wait_screen sofia "The range ends before it starts"
keys sofia C-u
text sofia "2026-13-45"
keys sofia Enter
check "  not a date: said so" wait_screen sofia "Not a date: YYYY-MM-DD"
keys sofia C-u
text sofia "$from $today"
keys sofia Enter
check "D: a range typed, $from to $today" wait_screen sofia "Range $from"
report_of "$from" "$today"
check "  the figures are the report's over the same days" eventually 5 same_figures ana luis

# ---- the sort
keys sofia s
check "s sorts by the next column" wait_screen sofia "sorted by Now"
keys sofia s S
check "S reverses it" wait_screen sofia "sorted by Accts ▲"

# ---- drill-down into ana
workable=$(q "select count(*) from cobro.account a join cobro.agent g on g.id = a.agent_id where g.login = 'ana' and a.workable")
first=$(q "select a.reference from cobro.account a join cobro.agent g on g.id = a.agent_id where g.login = 'ana' and a.workable
           order by a.rank_value desc, a.id limit 1")
row=$(screen sofia | grep -n '^ana ' | cut -d: -f1)
keys sofia Home
for _ in $(seq 1 $((row - 4))); do keys sofia Down; done
check "the cursor on ana: the detail line is hers" wait_screen sofia "$(q "select name from cobro.agent where login = 'ana'") (ana): on account"
keys sofia Enter
check "Enter on ana drills down: her worklist" wait_screen sofia "Worklist: $workable accounts"
check "  her name, read only" line_has sofia 2 "(ana): read only"
check "  her best account first ($first)" line_has sofia 5 "$first"
check "  her recent events: the call she just logged, on $ref" \
	bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=sofia:' | sed -n '/Recent events/,\$p' | sed -n 3p | grep -qF '$ref'"
check "  no action key on the key bar" not line_has sofia 24 "Call"
keys sofia c
check "  c logs nothing here" bash -c "sleep 0.5; tmux -L '$E2E_SOCK' capture-pane -p -t '=sofia:' | grep -qF 'Worklist: $workable accounts'"
keys sofia Enter
check "Enter opens her account $first" wait_screen sofia "History (newest first)"
check "  the account screen names it" on_account "$first"
keys sofia Escape
wait_screen sofia "Worklist: $workable" >/dev/null
keys sofia Tab
sleep 0.2
keys sofia Enter
newest() { eventually 10 on_account "$ref" || { screen sofia | sed 's/^/# | /' >&2; false; }; }
check "Tab, Enter: the account of her newest event ($ref)" newest
keys sofia Escape
wait_screen sofia "Recent events" >/dev/null
keys sofia d
check "d goes back to the dashboard" wait_screen sofia "sorted by"
keys sofia Escape
check "Esc: her worklist, under the dashboard" wait_screen sofia "No accounts to work"
keys sofia d
check "d on the worklist: the dashboard again" wait_screen sofia "sorted by"

# ---- a collector's d
keys ana Escape
wait_screen ana "accounts to work" >/dev/null
keys ana d
check "ana's d: refused in words" wait_screen ana "The dashboard is for supervisors, leads and administrators"
check "  and she stays on her worklist" line_has ana 1 "Worklist"
check "the database refuses her the figures anyway" \
	not sql_as ana "select * from cobro.agent_metrics(current_date::timestamptz, now())" 2>/dev/null

keys ana q
keys sofia q
wait_for ana "[exit=0]" >/dev/null
check "sofia quits from the dashboard" wait_for sofia "[exit=0]"
finish
