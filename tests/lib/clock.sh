# The tests' dates, sourced by tests/run.sh, tests/e2e/lib.sh and the cli tests
# that need them. No test reads the calendar on its own: each takes its
# moments from these, so that `make check` means the same on any day, and a
# run under a faked clock (tests/run.sh, FAKETIME) exercises the same path at
# another date. docs/architecture.md ("Clocks in the tests") says which clock
# each kind of test reads.
#
#   COBRO_TEST_ANCHOR  the day the shared demo's history ends (YYYY-MM-DD):
#                      the run's own date when the harness started it, as the
#                      demo takes by default; read back from what the demo
#                      recorded, so it is the demo's, not a second guess
#   COBRO_TEST_NOW     the moment the contact policy is asked about (the tests
#                      hand it to the programs as COBRO_NOW): 15:00 UTC of the
#                      first Tuesday after the anchor on which, and on the
#                      Wednesday after which, the policy engine lets a call
#                      through at midday in every jurisdiction and zone of the
#                      demo, so that no holiday (in any year's calendar) makes
#                      the office hour the tests stand at a closed one. 15:00
#                      UTC is 10:00 in Bogotá and Lima, afternoon in Madrid.
#
# Needs psql on the test cluster (PGHOST/PGPORT, as postgres), cobroctl (in
# $COBRO_BIN, else the checkout's bin/) and the shipped rules (etc/).
clock_top=${COBRO_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

# clock_anchor: the anchor the last demo load recorded.
clock_anchor() {
	psql -X -qAt -U postgres -d cobro -c \
		"SELECT new->>'anchor' FROM cobro.audit WHERE action = 'DEMO' ORDER BY id DESC LIMIT 1"
}

# clock_working_day DAY: the engine allows a call at 12:00 local time on DAY
# for every (jurisdiction, zone) of the demo's debtors.
clock_working_day() {
	local day=$1 jur zone at f verdict
	f=$(mktemp) || return 1
	while IFS='|' read -r jur zone; do
		at=$(TZ=$zone date -d "$day 12:00" +%Y-%m-%dT%H:%M:%S%:z) || { rm -f "$f"; return 1; }
		printf 'debtor = { jurisdiction = "%s"; time_zone = "%s"; };\nhistory = ();\ncontact = { at = "%s"; channel = "call"; };\n' \
			"$jur" "$zone" "$at" >"$f"
		verdict=$("${COBRO_BIN:-$clock_top/bin}/cobroctl" policy check --rules "$clock_top/etc/policy.conf" --lang en "$f")
		if [ "$verdict" != allowed ]; then
			echo "# $day is no working day for $jur ($zone): $verdict" >&2
			rm -f "$f"
			return 1
		fi
	done < <(psql -X -qAt -U postgres -d cobro -c \
		"SELECT DISTINCT jurisdiction || '|' || time_zone FROM cobro.debtor ORDER BY 1")
	rm -f "$f"
}

# clock_working_moment ANCHOR: COBRO_TEST_NOW for that anchor (see above).
# Looks eight weeks ahead; a calendar that closes every Tuesday of them is a
# failure to report, not a reason to stand on a holiday.
clock_working_moment() {
	local anchor=$1 tue week
	# The first Tuesday strictly after the anchor (date's %u: Monday is 1).
	tue=$(date -u -d "$anchor 00:00 UTC + $(((8 - $(date -u -d "$anchor" +%u)) % 7 + 1)) days" +%F)
	for week in 0 1 2 3 4 5 6 7; do
		if clock_working_day "$tue" && clock_working_day "$(date -u -d "$tue 00:00 UTC + 1 day" +%F)"; then
			echo "${tue}T15:00:00Z"
			return 0
		fi
		tue=$(date -u -d "$tue 00:00 UTC + 7 days" +%F)
	done
	echo "clock.sh: no working Tuesday and Wednesday in the eight weeks after $anchor" >&2
	return 1
}

# clock_init: sets and exports COBRO_TEST_ANCHOR and COBRO_TEST_NOW unless the
# harness did (a test run by hand against a cluster with the demo loaded).
clock_init() {
	if [ -z "${COBRO_TEST_ANCHOR:-}" ]; then
		COBRO_TEST_ANCHOR=$(clock_anchor)
		[ -n "$COBRO_TEST_ANCHOR" ] || { echo "clock.sh: no demo in the database to take an anchor from" >&2; return 1; }
	fi
	if [ -z "${COBRO_TEST_NOW:-}" ]; then
		COBRO_TEST_NOW=$(clock_working_moment "$COBRO_TEST_ANCHOR") || return 1
	fi
	export COBRO_TEST_ANCHOR COBRO_TEST_NOW
}

# clock_at BASE OFFSET [FORMAT]: BASE (an ISO instant or a day) moved by
# OFFSET (GNU date's words: "+1 day", "-12 hours"), printed in UTC in FORMAT
# (default ISO with Z).
clock_at() {
	date -u -d "$(date -u -d "$1" '+%Y-%m-%d %H:%M:%S UTC') $2" "+${3:-%Y-%m-%dT%H:%M:%SZ}"
}
