#!/usr/bin/env bash
# Issue 17, lines 2 and 7: cobroctl report agents over a range of days, as
# a table, CSV (RFC 4180: a header row, CRLF) and JSON, read as the person
# running it: sofia her team, marta hers, an admin any; ana (a collector) is
# refused by the database. The numbers are held against counts taken
# straight from the history, not from the function that computes them.
. "$(dirname "$0")/tap.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
ctl() { run "$bindir/cobroctl" --database "dbname=cobro" --user "$1" "${@:2}"; }
anchor=${COBRO_TEST_ANCHOR:-$(date -u +%F)}
from=$(date -u -d "$anchor - 6 days" +%F)
to=$(date -u -d "$anchor - 1 day" +%F)
# raw KIND-CONDITION LOGIN: events of that agent in the range's days.
raw() {
	q "select count(*) from cobro.event e join cobro.agent g on g.id = e.agent_id
	   where g.login = '$2' and $1 and e.at >= '$from'::date::timestamptz and e.at < ('$to'::date + 1)::timestamptz"
}
# col NAME LOGIN: a column of a login's row in the CSV in $out ("" login: the totals).
col() {
	printf '%s\n' "$out" | tr -d '\r' | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
print(next(r[sys.argv[1]] for r in rows if r["login"] == sys.argv[2]))' "$1" "$2"
}

ctl sofia report agents --from "$from" --to "$to" --format csv
check "sofia, CSV: exit 0" exit_is 0
check "  a header row" test "$(printf '%s\n' "$out" | head -n 1)" = $'team,login,name,now,now_account,now_minutes,accounts_worked,calls,right_party_contacts,right_party_rate,promises,promise_amount,promise_rate,kept_30d,broken_30d,kept_rate_30d,collected,sms,email,whatsapp,avg_seconds_per_account,contacts,active_hours,contacts_per_hour\r'
check "  every record ends in CRLF" test "$(printf '%s\n' "$out" | grep -vc $'\r$')" = 0
check "  her team only" test "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f1 | sort -u)" = norte
check "  one row per active agent of norte and the totals" \
	test "$(printf '%s\n' "$out" | tail -n +2 | grep -c '')" = "$(($(q "select count(*) from cobro.agent g join cobro.team t on t.id = g.team_id where t.code = 'norte' and g.active") + 1))"
calls=$(raw "e.kind = 'call'" ana)
check "  ana's calls are the history's ($calls)" test "$(col calls ana)" = "$calls"
check "  her right-party contacts" test "$(col right_party_contacts ana)" = "$(raw "e.kind = 'call' and e.outcome = 'right_party'" ana)"
check "  her SMS sent" test "$(col sms ana)" = "$(raw "e.kind = 'sms' and e.direction = 'out'" ana)"
check "  luis's calls" test "$(col calls luis)" = "$(raw "e.kind = 'call'" luis)"
check "  the team's calls are the agents' sum" \
	test "$(col calls '')" = "$(($(col calls ana) + $(col calls luis) + $(col calls sofia) + $(col calls marta)))"
csv=$out

ctl sofia report agents --from "$from" --to "$to"
check "sofia, table: exit 0" exit_is 0
check "  a header and ana's row" bash -c '[[ "$1" == TEAM*AGENT*CALLS* ]] && printf "%s\n" "$1" | grep -q "^norte  *ana "' _ "$out"

ctl marta report agents --from "$from" --to "$to" --format json
check "marta, JSON: exit 0" exit_is 0
check "  the same numbers as the CSV" test "$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(",".join(str(r["calls"]) + "/" + str(r["right_party_contacts"]) for r in d["rows"]))')" = \
	"$(printf '%s\n' "$csv" | tr -d '\r' | python3 -c '
import csv, sys
print(",".join(r["calls"] + "/" + r["right_party_contacts"] for r in csv.DictReader(sys.stdin)))')"
check "  the range it was asked" bash -c 'printf "%s" "$1" | grep -q "\"from\": \"$2\""' _ "$out" "$from"

ctl admin report agents --from "$from" --to "$to" --team sur --format csv
check "admin, --team sur: exit 0, diego's calls are the history's" \
	test "$rc" = 0 -a "$(col calls diego)" = "$(raw "e.kind = 'call'" diego)"
check "  nobody of norte" test "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f1 | sort -u)" = sur

ctl ana report agents --from "$from" --to "$to"
check "ana: refused by the database, exit 1" exit_is 1
check "  told so in words" err_has "report agents: you may not read these figures"
check "  nothing printed" out_empty
ctl sofia report agents --from "$from" --to "$to" --team sur
check "sofia, --team sur: refused, exit 1" test "$rc" = 1 -a -z "$out"
check "  in words" err_has "only the figures of your own team"

ctl sofia report agents --from "$to" --to "$from"
check "a range backwards: exit 2" exit_is 2
check "  said" err_has "is after --to"
ctl sofia report agents --from 2026-13-01 --to "$to"
check "not a date: exit 2" exit_is 2
ctl sofia report agents --from "$from" --to "$to" --format xml
check "an unknown format: exit 2" exit_is 2
check "  said" err_has "--format is table, csv or json"
ctl sofia report agents --from "$from"
check "no --to: usage, exit 2" exit_is 2

finish
