#!/usr/bin/env bash
# Golden screens (as tig's and tmux's regress tests keep them): every screen
# and every popup of the workstation, compared whole, character for character,
# with tests/e2e/golden/SCREEN-LANG-COLSxROWS.screen, at 80x24 and 120x35, in
# English and Spanish: four workstations at once, as four collectors.
#
# Nothing is masked: the data does not move. The test runs its own cluster,
# with a demo of fixed seed and anchor, and every program (the cluster, cobroctl,
# the workstation) under libfaketime at a fixed moment, a Tuesday at 15:00 UTC,
# so the days past due, the dates and the "next allowed" times are the same on
# every run; each program's clock starts at that moment when it starts, so the
# callback prompt's "now" is too (it is read well within a minute). The
# contact policy is asked about the same moment (COBRO_NOW).
#
# Each screen is reached by keys, as a person would, and read once it shows
# its marker (a text of the screen, translated as the workstation translates
# it) and has stopped changing, so a change of look changes the golden files,
# not this script. Rewrite them on purpose only, then read the diff:
#   make golden        (COBRO_GOLDEN_UPDATE=1 tests/e2e/test_golden.sh)
set -u
E2E_OWN_CLUSTER=1
. "$(dirname "$0")/lib.sh"
top=$COBRO_TOP
golden_dir=$top/tests/e2e/golden

# ---- the golden world: its own cluster and demo, at a fixed moment
scratch=$(mktemp -d "${TMPDIR:-/tmp}/cobro-golden-XXXXXX")
# The postgres user must enter it (pg.sh runs the server as postgres when we
# are root): else the cluster moves to /tmp/cobro-pg-HASH, which the
# cleanup's rm -rf of $scratch leaves behind, 70 MB each run.
chmod 755 "$scratch"
pgport=
. "$top/tests/lib/faketime.sh"
cleanup() {
	tmux -L "$E2E_SOCK" kill-server 2>/dev/null
	"$top/scripts/pg.sh" stop "$scratch/pg" "$pgport" >/dev/null 2>&1
	faketime_off
	rm -rf "$scratch" "$E2E_CONF"
}
trap cleanup EXIT

# Every program this test starts runs at 2026-11-24 15:00 UTC, a Tuesday, and
# the contact policy is asked about that moment. libfaketime reads it in the
# local time of each program: every one runs in UTC (the workstation too, so
# its time and the debtor's differ and the callback asks in whose it is).
export TZ=UTC COBRO_NOW=2026-11-24T15:00:00Z
if ! faketime_on "@2026-11-24 15:00:00"; then
	echo "not ok 1 - a clock faked to 2026-11-24 15:00 UTC"
	exit 1
fi
export "${faketime_env[@]}"

# The sanitizer build runs with libfaketime loaded before its runtime.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
unset COBRO_DEMO_ANCHOR LANGUAGE
# No cobro.conf of the person running the test (its keys would show).
export XDG_CONFIG_HOME=$scratch/config HOME=$scratch
# The connection is named, not spelled: the login form shows it.
export PGSERVICEFILE=$scratch/pg_service.conf
setup() {
	own_cluster_start "$scratch/pg" 54460 &&
		eval "$("$top/scripts/pg.sh" env "$scratch/pg" "$pgport")" &&
		printf '[cobro_golden]\nhost=%s\nport=%s\ndbname=cobro\n' "$PGHOST" "$PGPORT" >"$PGSERVICEFILE" &&
		"$COBRO_BIN/cobroctl" --database "dbname=cobro user=postgres" init &&
		"$COBRO_BIN/cobroctl" --database "dbname=cobro user=postgres" demo --accounts 300 --seed 7 --anchor 2026-11-24 --quiet &&
		"$COBRO_BIN/cobroctl" --database "dbname=cobro" --user admin policy load "$top/etc/policy.conf" &&
		# The shipped limits, named: the demo finds etc/promise.conf beside
		# bin/, not beside the sanitizer build's programs.
		"$COBRO_BIN/cobroctl" --database "dbname=cobro" --user admin limits load "$top/etc/promise.conf" &&
		"$COBRO_BIN/cobroctl" --database "dbname=cobro" --user admin template add "$top/etc/templates" &&
		# A cobrod that sends every channel, as its heartbeat says it: the
		# send screens show what a collector sees on a working system.
		psql -X -q -U postgres -d cobro -c "insert into cobro.daemon_presence (worker, channels, expires_at)
			values ('golden', '{sms,email,whatsapp}', now() + interval '1 day')" &&
		awaiting
}
# Two promises of ana's outside the limits, for sofia's approval list: on
# her two last accounts that never had one (awaiting approval, they change
# neither her worklist's order nor the rows it shows first), saved as she
# saves them, a plan of more installments than allowed and a settlement.
awaiting() {
	local acc settle=false
	for acc in $(psql -X -qAt -U postgres -d cobro -c "select a.id from cobro.account a join cobro.agent g on g.id = a.agent_id
			where g.login = 'ana' and a.workable and a.promise_status is null and a.past_due > 0
			order by a.rank_value, a.id limit 2"); do
		psql -X -qAt -U ana -d cobro -c "select status from cobro.promise_save($acc,
			(select balance - case when $settle then balance / 2 else 0 end from cobro.account where id = $acc),
			(select today + 1 from cobro.promise_limits_for($acc)),
			case when $settle then 1 else 8 end, case when $settle then 'once' else 'monthly' end,
			case when $settle then (select balance / 2 from cobro.account where id = $acc) else 0 end,
			'call', null, null, md5('golden $acc')::uuid)" | grep -qx awaiting_approval || return 1
		settle=true
	done
}
if ! setup >"$scratch/setup.log" 2>&1; then
	echo "not ok 1 - the golden cluster, demo, rules and templates at 2026-11-24 15:00"
	sed 's/^/# /' "$scratch/setup.log"
	exit 1
fi
ok "the golden cluster reads $(psql -X -qAt -U postgres -d cobro -c "select to_char(now(), 'YYYY-MM-DD HH24:MI')") UTC"

# ---- reaching a screen
# tr TEXT: TEXT as the workstation shows it in $lang (its catalogue), up to
# the first conversion of a format ("Callback, debtor's time (%s..." -> its start).
tr() { LANGUAGE=$lang TEXTDOMAINDIR=$COBRO_LOCALEDIR gettext -d cobro -- "$1" | sed 's/%.*//'; }
# Once a screen cannot be reached, the rest of the session is not tried
# (each wait would time out in turn); its screens fail.
lost=
# settled NAME: the pane has not changed for 0.4 s.
settled() {
	local a b deadline=$((SECONDS + 10))
	a=$(screen "$1")
	while [ $SECONDS -le $deadline ]; do
		sleep 0.4
		b=$(screen "$1")
		[ "$a" = "$b" ] && return 0
		a=$b
	done
	echo "# $1 never stopped changing" >&2
	return 1
}
# go MARKER KEY...: sends the keys, waits for MARKER (English, translated
# here) to show, then for the screen to settle.
go() {
	local marker
	[ -z "$lost" ] || return 1
	marker=$(tr "$1")
	shift
	keys "$s" "$@"
	wait_screen "$s" "$marker" 10 >/dev/null && settled "$s" || lost="$marker"
}
# back GONE MARKER: Esc closes the popup or screen that shows GONE and comes
# back to the one that shows MARKER.
back() {
	local gone marker now deadline=$((SECONDS + 10))
	[ -z "$lost" ] || return 1
	gone=$(tr "$1")
	marker=$(tr "$2")
	keys "$s" Escape
	while :; do
		now=$(screen "$s")
		if ! grep -qF -- "$gone" <<<"$now" && grep -qF -- "$marker" <<<"$now"; then
			settled "$s" && break
		fi
		if [ $SECONDS -gt $deadline ]; then
			echo "# $s: Esc did not close \"$gone\" and come back to \"$marker\"; the screen:" >&2
			sed 's/^/# | /' <<<"$now" >&2
			lost="$marker"
			return 1
		fi
		sleep 0.05
	done
}
# shot SCREEN: the pane against golden/SCREEN-LANG-SIZE.screen.
shot() {
	if [ -n "$lost" ]; then
		[ -n "$scratch" ] && echo "$1-$lang-$size.screen" >>"$scratch/compared"
		not_ok "$1, $lang, $size: not reached (\"$lost\" never showed)"
	else
		check "$1, $lang, $size" golden "$s" "$1-$lang-$size.screen"
	fi
}

# session SIZE LANG WHO: every screen at that size in that language, in a
# workstation of its own, as the collector WHO; TAP lines without their
# numbers ("ok - ...").
session() {
	size=$1 lang=$2 who=$3
	ok() { echo "ok - $*"; }
	not_ok() { echo "not ok - $*"; }
	s=g$lang$size
	app_start "$s" "env LANGUAGE=$lang $COBRO_BIN/cobro --database service=cobro_golden --user $who" \
		"${size%x*}" "${size#*x}"
	lost=
	wait_screen "$s" "$(tr Contacted)" 10 >/dev/null && settled "$s" || lost=$(tr Contacted)
	shot worklist

	go "Reload from the database" '?' && shot help-worklist
	back "Reload from the database" Contacted

	go "Search (name, reference, phone, national id):" / && shot search
	back "Search (name, reference, phone, national id):" Contacted

	go "Filter by" f && shot filter
	go "Days past due" 1 && shot filter-days-past-due
	back "Days past due" Contacted
	go "Filter by" f
	go "Segment (empty for any):" 2 && shot filter-segment
	back "Segment (empty for any):" Contacted
	go "Filter by" f
	go "Promise" 3 && shot filter-promise
	back Any Contacted # the menu's first choice: its title is also a column's
	go "Filter by" f
	go "Jurisdiction (CO, PE, US-MA...; empty for any):" 4 && shot filter-jurisdiction
	back "Jurisdiction (CO, PE, US-MA...; empty for any):" Contacted

	# The account on the first row, and its four panes.
	go "History (newest first)" Enter && shot account-history
	# The history's first row, whole.
	go "History item" Enter && shot account-item
	back "History item" "History (newest first)"
	# The callback prompt shows the clock: read first, within a minute.
	go "Callback time in" b && shot account-callback-zone
	go "Callback, debtor's time (%s, now %02d:%02d):" 1 && shot account-callback-time
	back "Callback, debtor's time (%s, now %02d:%02d):" "History (newest first)"
	go "Call outcome" c && shot account-call-outcome
	back "Call outcome" "History (newest first)"
	go "Note:" o && shot account-note
	back "Note:" "History (newest first)"
	go "History of" h && shot account-history-filter
	back "History of" "History (newest first)"
	go "Rank %lld of %lld" y && shot account-why
	go "Reload from the database" '?' && shot help-account
	back "Reload from the database" "History (newest first)"
	[ -z "$lost" ] && keys "$s" Tab && settled "$s"
	shot account-accounts
	go "Installments (due, amount, paid)" Tab && shot account-money
	go "Contact points (%d)" Tab && shot account-contacts
	go "History (newest first)" Tab

	# The send screen for each channel, and its help once.
	go Preview s && shot send-sms
	go "Reload from the database" '?' && shot help-send
	back "Reload from the database" Preview
	back Preview "History (newest first)"
	go Preview e && shot send-email
	back Preview "History (newest first)"
	go Preview w && shot send-whatsapp
	back Preview "History (newest first)"

	# The promise form as it opens (the past-due amount, today), its help,
	# and a plan of 3 monthly installments.
	go "Promise to pay · %s · %s" p && shot promise
	go "Show the next choice of the field" '?' && shot help-promise
	back "Show the next choice of the field" "Promise to pay · %s · %s"
	[ -z "$lost" ] && keys "$s" Tab Tab C-u 3 && settled "$s"
	shot promise-plan
	back "Promise to pay · %s · %s" "History (newest first)"

	back "History (newest first)" Contacted
	keys "$s" q
	wait_for "$s" "[exit=0]" >/dev/null

	# The approval list, as norte's supervisor sees it (she has no
	# accounts of her own), rejecting, and its help.
	s=appr$lang$size
	app_start "$s" "env LANGUAGE=$lang $COBRO_BIN/cobro --database service=cobro_golden --user sofia" \
		"${size%x*}" "${size#*x}"
	lost=
	# She starts on her dashboard (shot once the others have quit, below),
	# over her worklist.
	wait_screen "$s" "$(tr "By hour")" 10 >/dev/null && settled "$s" || lost=$(tr "By hour")
	back "By hour" "Debtor"
	shot worklist-supervisor # her key bar offers A
	go "Outside the limits: %s" A && shot approvals
	go "Why reject the promise on %s?" x && shot approvals-reject
	back "Why reject the promise on %s?" "Outside the limits: %s"
	go "Approve the promise under the cursor" '?' && shot help-approvals
	back "Approve the promise under the cursor" "Outside the limits: %s"
	# The review queues (R from anywhere), a decision's reason prompt, the
	# wrong contact points, and their help.
	go "In dispute since %s, raised by %s" R && shot review
	go "Why clear the dispute on %s?" c && shot review-clear
	back "Why clear the dispute on %s?" "In dispute since %s, raised by %s"
	go "Marked wrong on %s (a bounce or a failed delivery)" Tab && shot review-points
	go "Show the next queue" '?' && shot help-review
	back "Show the next queue" "Marked wrong on %s (a bounce or a failed delivery)"
	keys "$s" q
	wait_for "$s" "[exit=0]" >/dev/null

	# The reassign screen, as norte's lead opens it (a): the team's
	# accounts; luis's over 30 days past due, ana and luis picked and what
	# each would get; the question before moving (answered no: nothing
	# moves); and its help.
	s=reas$lang$size
	app_start "$s" "env LANGUAGE=$lang $COBRO_BIN/cobro --database service=cobro_golden --user marta" \
		"${size%x*}" "${size#*x}"
	lost=
	# She starts on her dashboard, over her worklist.
	wait_screen "$s" "$(tr "By hour")" 10 >/dev/null && settled "$s" || lost=$(tr "By hour")
	back "By hour" "Debtor"
	go "Move the accounts of team %s" a && shot reassign
	[ -z "$lost" ] && keys "$s" Right Right Down Down Right Right Right Right Right Right Right && settled "$s"
	go "Pick the targets with Space" Enter
	[ -z "$lost" ] && keys "$s" Home Space Down Space && settled "$s"
	shot reassign-preview
	go "No, back to the filters" Enter && shot reassign-confirm
	back "No, back to the filters" "Move the accounts of team %s"
	go "Reload from the database" '?' && shot help-reassign
	back "Reload from the database" "Move the accounts of team %s"
	keys "$s" q
	wait_for "$s" "[exit=0]" >/dev/null

	s=login$lang$size
	app_start "$s" "env LANGUAGE=$lang $COBRO_BIN/cobro --database service=cobro_golden --login" \
		"${size%x*}" "${size#*x}"
	lost=
	wait_screen "$s" "$(tr "cobro: log in")" 10 >/dev/null && settled "$s" || lost=$(tr "cobro: log in")
	shot login
	keys "$s" Escape
}

# The dashboard (issue 17, lines 2 and 3), as norte's supervisor starts on
# it, its help, and the drill-down into the first agent; once every other
# session has quit, so that where each agent is now (offline) does not
# depend on how far the others got.
dashboard_session() {
	size=$1 lang=$2
	ok() { echo "ok - $*"; }
	not_ok() { echo "not ok - $*"; }
	s=dash$lang$size
	app_start "$s" "env LANGUAGE=$lang $COBRO_BIN/cobro --database service=cobro_golden --user sofia" \
		"${size%x*}" "${size#*x}"
	lost=
	# Her own row says she is here once her first beat is heard (the
	# figures are read before it): nobody else is.
	wait_screen "$s" "$(tr "By hour")" 10 >/dev/null && wait_screen "$s" "$(tr "idle %d min")" 10 >/dev/null &&
		settled "$s" || lost=$(tr "idle %d min")
	shot dashboard
	go "Show today's figures" '?' && shot help-dashboard
	back "Show today's figures" "By hour"
	go "Worklist: %lld account" Enter && shot drill
	back "Worklist: %lld account" "By hour"
	keys "$s" q
	wait_for "$s" "[exit=0]" >/dev/null
}

# The four sessions run at once, each as another collector (one would hold
# the account another opens), and their lines are numbered in a fixed order.
# A screen is read once it has settled: they do not race.
pids=()
tm new-session -d -s idle "sleep 2147483647" # one server for all, before they start at once
for run in "80x24 en ana" "80x24 es luis" "120x35 en carla" "120x35 es diego"; do
	set -- $run
	session "$1" "$2" "$3" >"$scratch/tap.$1.$2" 2>"$scratch/err.$1.$2" &
	pids+=($!)
done
wait "${pids[@]}"
for lang in en es; do
	dashboard_session 80x24 "$lang" >>"$scratch/tap.80x24.$lang" 2>>"$scratch/err.80x24.$lang"
done
for size in 80x24 120x35; do
	for lang in en es; do
		while IFS= read -r line; do
			case $line in
			"ok - "*) ok "${line#ok - }" ;;
			"not ok - "*) not_ok "${line#not ok - }" ;;
			*) echo "$line" ;;
			esac
		done <"$scratch/tap.$size.$lang"
		cat "$scratch/err.$size.$lang" >&2
	done
done

# Every golden file is one this run compares: none is left over from a
# screen that is gone (make golden writes them all afresh).
if [ -z "${COBRO_GOLDEN_UPDATE:-}" ]; then
	stale=$(cd "$golden_dir" && for f in *.screen; do grep -qxF "$f" "$scratch/compared" || echo "$f"; done)
	check "no golden file is left that no screen matches${stale:+ (${stale//$'\n'/, })}" test -z "$stale"
fi
finish
