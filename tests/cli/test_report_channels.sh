#!/usr/bin/env bash
# Issue 18, line 6: cobroctl report channels and cobroctl strategy report, as
# table, CSV (read back by python3's csv) and JSON (python3's json), read as
# the person running them: an admin every account, sofia (supervisor, norte)
# her team's, ana (a collector) refused by the database. The rows are this
# test's own, inserted as postgres on fixed dates in May 2019 (the demo has
# nothing then), with a strategy version of its own in force (costs, a 5-day
# window); every figure below is worked out by hand from the table here,
# never read from the function that computes it. Everything it wrote is
# deleted when it ends, the version too.
#
# Accounts: A1 ana's (norte, USD), A2 luis's (norte, CLP), B1 carla's (sur, USD),
# each the last of its kind.
# Messages (provider_id clirpt-kN):
#   k1 A1 sms      retail/dpd1 early/A  05-06 10:00 delivered
#   k3 A2 sms      retail/dpd1 early/B  05-06 11:00 delivered
#   k5 B1 sms      late/dpd31  late     05-06 12:00 delivered
#   k2 A1 email    retail/due0 early/A  05-07 10:00 delivered
#   k4 A2 whatsapp (luis, by hand)      05-08 09:00 sent
#   k6 A1 sms      retail/dpd5 early/A  05-20 10:00 failed (sent, then failed)
# Outcomes, and what the rule credits with a 5-day window (7 days: --window 7):
#   reply sms from A1's debtor   05-06 18:00  -> k1
#   opt-out sms of A2's debtor   05-07 08:00  -> k3
#   promise A1 USD 50.00         05-07 12:00  -> k2 (the latest message to A1)
#   payment B1 USD 30.00         05-07 12:00  -> k5
#   payment A1 USD 123.45        05-09 10:00  -> k2
#   payment A2 CLP 20000         05-12 12:00  -> k4 (4 days 3 hours)
#   payment A2 CLP 7000          05-14 10:00  -> none; k4 with 7 days (6 days 1 hour)
#   payment A1 USD 1.00          05-21 10:00  -> none (k6 failed, k2 14 days before)
# Costs (USD): sms 0.05, email 0.005, whatsapp none (unknown).
. "$(dirname "$0")/tap.sh"
q() { psql -X -qAt -v ON_ERROR_STOP=1 -U postgres -d cobro -c "$1"; }
ctl() { run "$bindir/cobroctl" --database "dbname=cobro" --user "$1" "${@:2}"; }

clean() {
	q "DELETE FROM cobro.account_strategy WHERE segment = 'clitest';
	   DELETE FROM cobro.strategy_version WHERE digest = 'clirpt';
	   DELETE FROM cobro.message WHERE provider_id LIKE 'clirpt-%';
	   DELETE FROM cobro.event WHERE data->>'fixture' = 'clirpt';
	   DELETE FROM cobro.promise WHERE note = 'clirpt';
	   DELETE FROM cobro.payment WHERE reference = 'clirpt';" >/dev/null
}
trap 'clean; rm -rf "$scratch"' EXIT
clean
pick() { q "SELECT a.id FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id
            WHERE g.login = '$1' AND a.currency = '$2' ORDER BY a.id DESC LIMIT 1"; }
a1=$(pick ana USD) a2=$(pick luis CLP) b1=$(pick carla USD)
check "the demo has the accounts this test needs" test -n "$a1" -a -n "$a2" -a -n "$b1"
# Where these accounts stood before (another suite's strategy run), put back
# when the test ends.
saved=$(q "SELECT coalesce(json_agg(s), '[]') FROM cobro.account_strategy s WHERE account_id IN ($a1, $a2, $b1)")
restore() {
	q "INSERT INTO cobro.account_strategy SELECT * FROM json_populate_recordset(NULL::cobro.account_strategy, \$j\$$saved\$j\$)
	   ON CONFLICT (account_id) DO NOTHING" >/dev/null
}
trap 'clean; restore; rm -rf "$scratch"' EXIT
q "
INSERT INTO cobro.strategy_version (file, text, digest)
VALUES ('test_report_channels', 'settings = { attribution_days = 5; cost_currency = \"USD\"; };
channels = { sms = { cost = \"0.05\"; }; email = { cost = \"0.005\"; }; worklist = { cost = \"2.50\"; }; };', 'clirpt');
WITH x (k, acc, channel, ladder, step, segment, variant, at, status, delivered, agent) AS (VALUES
	('k1', $a1, 'sms', 'retail', 'dpd1', 'early', 'A', '2019-05-06 10:00Z', 'delivered', true, NULL),
	('k3', $a2, 'sms', 'retail', 'dpd1', 'early', 'B', '2019-05-06 11:00Z', 'delivered', true, NULL),
	('k5', $b1, 'sms', 'late', 'dpd31', 'late', NULL, '2019-05-06 12:00Z', 'delivered', true, NULL),
	('k2', $a1, 'email', 'retail', 'due0', 'early', 'A', '2019-05-07 10:00Z', 'delivered', true, NULL),
	('k4', $a2, 'whatsapp', NULL, NULL, NULL, NULL, '2019-05-08 09:00Z', 'sent', false, 'luis'),
	('k6', $a1, 'sms', 'retail', 'dpd5', 'early', 'A', '2019-05-20 10:00Z', 'failed', false, NULL))
INSERT INTO cobro.message (account_id, debtor_id, channel, recipient, body, status, provider_id, agent_id, ladder, step,
                           segment, variant, created_at, next_attempt_at, sent_at, delivered_at)
SELECT x.acc, a.debtor_id, x.channel, 'someone', x.k, x.status, 'clirpt-' || x.k,
       (SELECT id FROM cobro.agent WHERE login = x.agent), x.ladder, x.step, x.segment, x.variant,
       x.at::timestamptz, x.at::timestamptz, x.at::timestamptz,
       CASE WHEN x.delivered THEN x.at::timestamptz + interval '1 minute' END
FROM x JOIN cobro.account a ON a.id = x.acc;
INSERT INTO cobro.event (at, account_id, debtor_id, kind, direction, outcome, body, data)
SELECT '2019-05-06 18:00Z'::timestamptz, id, debtor_id, 'sms', 'in', NULL, 'ok', '{\"fixture\": \"clirpt\"}'::jsonb FROM cobro.account WHERE id = $a1
UNION ALL
SELECT '2019-05-07 08:00Z'::timestamptz, id, debtor_id, 'optout', 'in', 'sms', 'STOP', '{\"fixture\": \"clirpt\"}' FROM cobro.account WHERE id = $a2;
INSERT INTO cobro.promise (account_id, amount, currency, due_date, note, created_at)
VALUES ($a1, 5000, 'USD', '2019-05-20', 'clirpt', '2019-05-07 12:00Z');
INSERT INTO cobro.payment (account_id, amount, currency, paid_at, reference) VALUES
	($b1, 3000, 'USD', '2019-05-07 12:00Z', 'clirpt'), ($a1, 12345, 'USD', '2019-05-09 10:00Z', 'clirpt'),
	($a2, 20000, 'CLP', '2019-05-12 12:00Z', 'clirpt'), ($a2, 7000, 'CLP', '2019-05-14 10:00Z', 'clirpt'),
	($a1, 100, 'USD', '2019-05-21 10:00Z', 'clirpt');
INSERT INTO cobro.account_strategy (account_id, version, segment, ladder, variant)
SELECT a, (SELECT max(version) FROM cobro.strategy_version), 'clitest', l, v
FROM (VALUES ($a1, 'retail', 'X'), ($a2, 'retail_whatsapp', 'Y'), ($b1, 'retail_whatsapp', 'Y')) s (a, l, v)
ON CONFLICT (account_id) DO UPDATE SET version = EXCLUDED.version, segment = EXCLUDED.segment,
	ladder = EXCLUDED.ladder, variant = EXCLUDED.variant;" >/dev/null
check "the fixture is in" test "$(q "SELECT count(*) FROM cobro.message WHERE provider_id LIKE 'clirpt-%'")" = 6

# field CSV-IN-$out KEY-COLUMNS... COLUMN: the value of COLUMN in the row whose
# first columns are the keys given ("channel=sms").
field() {
	printf '%s\n' "$out" | python3 -c '
import csv, sys
want = dict(a.split("=", 1) for a in sys.argv[1:-1])
rows = [r for r in csv.DictReader(sys.stdin) if all(r[k] == v for k, v in want.items())]
print(rows[0][sys.argv[-1]] if len(rows) == 1 else "<%d rows>" % len(rows))' "$@"
}
# row KEYS...: the whole row, its figures joined by "|", from "messages" on.
row() {
	printf '%s\n' "$out" | python3 -c '
import csv, sys
want = dict(a.split("=", 1) for a in sys.argv[1:])
rows = [r for r in csv.DictReader(sys.stdin) if all(r[k] == v for k, v in want.items())]
if len(rows) != 1: print("<%d rows>" % len(rows)); sys.exit()
r = rows[0]; ks = list(r); i = ks.index("messages")
print("|".join(r[k] for k in ks[i:]))' "$@"
}
# Independently: the cost per amount recovered, 6 decimals.
ratio() { python3 -c 'import sys; print(("%.6f" % (float(sys.argv[1]) / float(sys.argv[2]))).rstrip("0"))' "$@"; }

from=2019-05-01 to=2019-05-31
ctl admin report channels --from $from --to $to --format csv
check "admin, CSV: exit 0" exit_is 0
check "  RFC 4180: a header row, every record ends in CRLF" bash -c '
	[ "$(head -n 1 <<<"$1")" = $'"'"'channel,messages,sent,delivered,failed,refused,replies,optouts,promises,promised,payments,recovered,cost_currency,unit_cost,cost,cost_per_recovered\r'"'"' ] &&
	[ "$(grep -vc $'"'"'\r$'"'"' <<<"$1")" = 0 ]' _ "$out"
out=$(printf '%s\n' "$out" | tr -d '\r')
csv_admin=$out
# sms: k1 k3 k5 k6 queued and sent, k6 failed; the reply (k1) and the opt-out
# (k3); B1's payment (k5); 4 x 0.05 USD; the USD accounts' 3 messages (0.15)
# over USD 30.00.
check "  sms: 4 messages, 4 sent, 3 delivered, 1 failed, 1 reply, 1 opt-out, B1's USD 30.00, cost 0.20" \
	test "$(row channel=sms)" = "4|4|3|1|0|1|1|0||1|USD 3000|USD|0.05|0.20|USD $(ratio 0.15 30.00)"
# email: k2; A1's promise and its first payment; 0.005 over USD 123.45.
check "  email: k2, A1's promise (USD 50.00) and payment (USD 123.45), cost per USD $(ratio 0.005 123.45)" \
	test "$(row channel=email)" = "1|1|1|0|0|0|0|1|USD 5000|1|USD 12345|USD|0.005|0.005|USD $(ratio 0.005 123.45)"
check "  whatsapp: k4 (luis by hand), CLP 20000 within 5 days; no cost in the strategy: unknown, empty" \
	test "$(row channel=whatsapp)" = "1|1|0|0|0|0|0|0||1|CLP 20000||||"

ctl admin report channels --from $from --to $to --window 7 --format csv
out=$(printf '%s\n' "$out" | tr -d '\r')
check "--window 7 overrides the strategy's 5 days: CLP 7000 (6 days after k4) counts too" \
	test "$(field channel=whatsapp payments)/$(field channel=whatsapp recovered)" = "2/CLP 27000"
check "  and A1's last payment stays nobody's (k6 failed, k2 14 days before)" \
	test "$(field channel=email recovered)/$(field channel=sms recovered)" = "USD 12345/USD 3000"

ctl admin report channels --from $from --to $to --by variant --format csv
out=$(printf '%s\n' "$out" | tr -d '\r')
check "by variant: the header names segment, variant, manual" \
	test "$(printf '%s\n' "$out" | head -n 1 | cut -d, -f1-5)" = "channel,segment,variant,manual,messages"
check "  sms early/A: k1 and k6" test "$(field channel=sms segment=early variant=A messages)" = 2
check "  sms early/B: k3, with the opt-out" test "$(field channel=sms segment=early variant=B optouts)" = 1
check "  sms late (no variant): k5 and B1's payment" \
	test "$(field channel=sms segment=late variant= recovered)" = "USD 3000"
check "  what luis sent by hand is the manual group" \
	test "$(field channel=whatsapp manual=true messages)/$(field channel=whatsapp manual=true segment)" = "1/"
ctl admin report channels --from $from --to $to --by step --format csv
out=$(printf '%s\n' "$out" | tr -d '\r')
check "by step: retail dpd1 (k1, k3), retail dpd5 (k6), late dpd31 (k5)" \
	test "$(field channel=sms ladder=retail step=dpd1 messages)$(field channel=sms ladder=retail step=dpd5 failed)$(field channel=sms ladder=late step=dpd31 payments)" = 211
ctl admin report channels --from $from --to $to --by segment --format csv
out=$(printf '%s\n' "$out" | tr -d '\r')
check "by segment: sms early is k1, k3, k6" test "$(field channel=sms segment=early messages)" = 3

ctl admin report channels --from $from --to $to --format json
check "JSON: exit 0, and python3's json reads the same figures as the CSV" bash -c '
	test "$1" = 0 && printf "%s" "$2" | python3 -c "
import json, sys
d = json.load(sys.stdin)
r = {x[\"channel\"]: x for x in d[\"rows\"]}
assert d[\"from\"] == \"2019-05-01\" and d[\"window_days\"] == 5 and d[\"cost_currency\"] == \"USD\", d
assert r[\"sms\"][\"messages\"] == 4 and r[\"sms\"][\"recovered\"] == {\"USD\": 3000}, r[\"sms\"]
assert abs(r[\"sms\"][\"cost\"] - 0.20) < 1e-9 and abs(r[\"sms\"][\"cost_per_recovered\"][\"USD\"] - 0.15 / 30) < 1e-9
assert r[\"email\"][\"promised\"] == {\"USD\": 5000} and r[\"email\"][\"recovered\"] == {\"USD\": 12345}
assert r[\"whatsapp\"][\"cost\"] is None and r[\"whatsapp\"][\"cost_per_recovered\"] is None
assert r[\"whatsapp\"][\"recovered\"] == {\"CLP\": 20000}
"' _ "$rc" "$out"

ctl admin report channels --from $from --to $to
check "table: exit 0, a header and aligned rows" bash -c '
	test "$1" = 0 && [[ "$(head -n 1 <<<"$2")" == CHANNEL*MESSAGES*SENT*COST* ]] &&
	test "$(awk "{ print length(\$0) }" <<<"$2" | sort -u | wc -l)" -le 4' _ "$rc" "$out"
check "  whatsapp's cost is unknown, said so" bash -c 'grep "^whatsapp" <<<"$1" | grep -q unknown' _ "$out"
check "  sms's cost per amount recovered in USD a USD" bash -c 'grep "^sms" <<<"$1" | grep -qF "USD 0.005/USD"' _ "$out"
ctl admin report channels --from $from --to $to --by variant
check "  by variant, the manual group is named" bash -c 'grep "^whatsapp" <<<"$1" | grep -q " manual "' _ "$out"
run env LANGUAGE=es LC_ALL=C.UTF-8 "$bindir/cobroctl" --database "dbname=cobro" --user admin report channels --from $from --to $to --by variant
check "  in Spanish: the headers, manual and unknown" bash -c '
	[[ "$(head -n 1 <<<"$1")" == CANAL*MENSAJES* ]] && grep "^whatsapp" <<<"$1" | grep -q " manual " &&
	grep "^whatsapp" <<<"$1" | grep -q desconocido' _ "$out"

ctl sofia report channels --from $from --to $to --format csv
out=$(printf '%s\n' "$out" | tr -d '\r')
check "sofia: her team's accounts only: sms is k1, k3, k6, and B1's payment is not hers" \
	test "$rc/$(field channel=sms messages)/$(field channel=sms payments)/$(field channel=sms recovered)" = "0/3/0/"

ctl ana report channels --from $from --to $to
check "ana: refused by the database, exit 1, in words, nothing printed" \
	bash -c 'test "$1" = 1 -a -z "$2" && [[ "$3" == *"report channels: you may not read these figures"* ]]' _ "$rc" "$out" "$err"
ctl ana strategy report
check "ana, strategy report: refused, exit 1" \
	bash -c 'test "$1" = 1 -a -z "$2" && [[ "$3" == *"strategy report: you may not read these figures"* ]]' _ "$rc" "$out" "$err"

ctl admin report channels --from $to --to $from
check "--to before --from: exit 2, said" bash -c 'test "$1" = 2 && [[ "$2" == *"is after --to"* ]]' _ "$rc" "$err"
ctl admin report channels --from 2019-02-30x --to $to
check "not a date: exit 2, said" bash -c 'test "$1" = 2 && [[ "$2" == *"are dates like"* ]]' _ "$rc" "$err"
ctl admin report channels --from 2019-13-01 --to $to
check "month 13: exit 2" exit_is 2
ctl admin report channels --from $from --to $to --by channel
check "an unknown --by: exit 2, said" bash -c 'test "$1" = 2 && [[ "$2" == *"--by is segment, step or variant"* ]]' _ "$rc" "$err"
ctl admin report channels --from $from --to $to --format xml
check "an unknown --format: exit 2" exit_is 2
ctl admin report channels --from $from --to $to --window -1
check "a negative window: exit 2" exit_not 0
ctl admin report channels --from $from
check "no --to: usage, exit 2" exit_is 2
run env LANGUAGE=es LC_ALL=C.UTF-8 "$bindir/cobroctl" --database "dbname=cobro" --user admin report channels --from $from --to $to --by canal
check "  said in Spanish" bash -c 'test "$1" = 2 && [[ "$2" == *"--by es segment, step o variant"* ]]' _ "$rc" "$err"

# The variants of segment clitest: X is A1; Y is A2 and B1.
ctl admin strategy report --from $from --to $to --format csv
out=$(printf '%s\n' "$out" | tr -d '\r')
check "strategy report, CSV: exit 0, a header" \
	test "$rc/$(printf '%s\n' "$out" | head -n 1)" = "0/segment,variant,ladder,accounts,contacted,contact_rate,promising_accounts,promise_rate,promises,kept,broken,kept_rate,paid,balance_start,recovery_rate"
check "  X: 1 account, contacted (its reply), promised (pending: no kept rate), USD 124.45 paid" \
	test "$(field segment=clitest variant=X accounts)|$(field segment=clitest variant=X contact_rate)|$(field segment=clitest variant=X promise_rate)|$(field segment=clitest variant=X kept_rate)|$(field segment=clitest variant=X paid)" = "1|1.0000|1.0000||USD 12445"
check "  Y: 2 accounts, nobody contacted (an opt-out is no contact), CLP 27000 and USD 30.00" \
	test "$(field segment=clitest variant=Y accounts)|$(field segment=clitest variant=Y contact_rate)|$(field segment=clitest variant=Y paid)" = "2|0.0000|CLP 27000;USD 3000"
start=$(q "SELECT sum(a.balance) + (SELECT coalesce(sum(amount), 0) FROM cobro.payment WHERE account_id = $a1 AND paid_at >= '$from')
           FROM cobro.account a WHERE a.id = $a1")
check "  X's balance at the start is A1's balance and what it paid since ($start)" \
	test "$(field segment=clitest variant=X balance_start)" = "USD $start"
check "  X's recovery rate: paid over it" \
	test "$(field segment=clitest variant=X recovery_rate)" = "USD $(python3 -c "print('%.4f' % (12445 / $start))")"
ctl sofia strategy report --from $from --to $to --format json
check "sofia, JSON: Y is A2 alone (B1 is sur's)" bash -c '
	test "$1" = 0 && printf "%s" "$2" | python3 -c "
import json, sys
d = json.load(sys.stdin)
y = [r for r in d[\"rows\"] if r[\"segment\"] == \"clitest\" and r[\"variant\"] == \"Y\"][0]
assert y[\"accounts\"] == 1 and y[\"paid\"] == {\"CLP\": 27000}, y
"' _ "$rc" "$out"
ctl admin strategy report --from $from --to $to
check "strategy report, table: the variants side by side" bash -c '
	test "$1" = 0 && [[ "$(head -n 1 <<<"$2")" == SEGMENT*VARIANT*ACCOUNTS* ]] && grep -q "^clitest  *X " <<<"$2" && grep -q "^clitest  *Y " <<<"$2"' _ "$rc" "$out"
ctl admin strategy report --from $to --to $from
check "strategy report, --to before --from: exit 2" exit_is 2

finish
