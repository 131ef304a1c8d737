#!/usr/bin/env bash
# make check: every suite, against a throwaway PostgreSQL cluster; and,
# beside them, the suites that read dates again, each time with every process
# (the cluster included) under a clock faked by libfaketime to another date.
#
#   tests/run.sh            everything (make check); the dated runs, and the
#                           suites of the sanitizers' build and the fuzz
#                           targets, go on in the background beside the other
#                           suites (lanes)
#   tests/run.sh --dates    the build and the dated runs only (make check-dates)
#   COBRO_TEST_DATES="2029-06-30T12:00:00Z ..." replaces the dated runs' moments
#
# A suite is a command that prints TAP lines ("ok N - what", "not ok N - what").
# This script counts them across suites; a suite that exits non-zero without a
# "not ok" line counts as one failure, so a crash is never a pass.
# The last line is "N passed, N failed"; the exit status is non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
only_dates=
[ "${1:-}" = --dates ] && only_dates=1

export LANG=C.UTF-8 LC_ALL=C.UTF-8
log=var/test/log
# A cluster left running by an interrupted run would hold the port.
for d in var/test/pg*/; do [ -d "$d" ] && scripts/pg.sh stop "$d" >/dev/null 2>&1; done
rm -rf var/test
mkdir -p "$log"

passed=0 failed=0
declare -a failures=()

# run_suite NAME COMMAND...: runs a suite, shows its TAP, tallies it.
# COBRO_TEST_ONLY=REGEX runs only the suites whose name it matches (while
# working on some: the summary then counts only those).
run_suite() {
	local name=$1 out="$log/$1.tap" rc p f t0=$SECONDS
	shift
	[[ $name =~ ${COBRO_TEST_ONLY:-.} ]] || return 0
	printf '== %s\n' "$name"
	"$@" >"$out" 2>"$log/$name.err"
	rc=$?
	p=$(grep -cE '^ok ' "$out")
	f=$(grep -cE '^not ok ' "$out")
	grep -E '^not ok ' "$out" | sed "s/^/   [$name] /"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "   [$name] exited $rc with no failing test; last lines of its stderr:"
		tail -n 15 "$log/$name.err" | sed 's/^/     /'
	fi
	if [ "$f" -gt 0 ]; then failures+=("$name"); fi
	printf '   %d passed, %d failed (%d s)\n' "$p" "$f" $((SECONDS - t0))
	passed=$((passed + p))
	failed=$((failed + f))
}

# --- build: release and sanitizer (ASan + UBSan) -----------------------------
# The benchmark programs are built too (not run): make bench must not be the
# first to find that a change broke them.
echo "== build"
if ! make -s all unit bench-programs >"$log/build.log" 2>&1; then
	cat "$log/build.log"
	echo "0 passed, 1 failed"
	exit 1
fi
if [ -z "$only_dates" ] && ! make -s all unit BUILD=build/asan BIN=build/asan/bin SANITIZE=1 >"$log/build-asan.log" 2>&1; then
	cat "$log/build-asan.log"
	echo "0 passed, 1 failed"
	exit 1
fi

# --- throwaway clusters ----------------------------------------------------------
. tests/lib/clock.sh
. tests/lib/faketime.sh
# Suites find what they need here.
export COBRO_TOP="$top" COBRO_TEST_LOG="$top/$log" COBRO_LOCALEDIR="$top/build/release/locale"
export PGUSER=postgres
# The clock every program of a dated run reads: empty for the real one.
faked=()
pgdir= pgport=
stop_cluster() { [ -n "$pgdir" ] && "${faked[@]}" scripts/pg.sh stop "$pgdir" "$pgport" >/dev/null 2>&1; pgdir=; }
trap 'stop_cluster; faketime_off' EXIT

# cluster_up DIR: a cluster on a free port, cobro's schema and the shared demo
# portfolio, all under the clock in faked; exports PGHOST/PGPORT/PGDATABASE
# and the tests' dates (tests/lib/clock.sh). Says what failed, and returns 1.
cluster_up() {
	local out=$log/$1
	pgdir=var/test/$1
	# Another checkout's tests (or a developer's cluster) may hold the port:
	# take the next free one rather than fail. The first one tried is drawn
	# at random: suites stop and start the cluster again on its port, and
	# another run starting from the same fixed one would take it meanwhile.
	# The other lanes (pg-DATE, pg-asan: in the background beside the main
	# one) draw from ranges of their own: a suite that restarts its lane's
	# cluster leaves its port free a moment, and another lane must not
	# take it then.
	# A port taken between the look and the start (another checkout's run)
	# is tried again elsewhere.
	local base tries=0
	case $1 in
	pg) base=54500 ;;
	pg-asan) base=55500 ;;   # the sanitizers' lane, beside the main one
	*) base=55000 ;;
	esac
	while :; do
		pgport=${COBRO_TEST_PGPORT:-$((base + RANDOM % 400))}
		while (exec 3<>"/dev/tcp/127.0.0.1/$pgport") 2>/dev/null; do
			pgport=$((pgport + 1))
		done
		"${faked[@]}" scripts/pg.sh start "$pgdir" "$pgport" >"$out.pg.log" 2>&1 && break
		tries=$((tries + 1))
		if [ -n "${COBRO_TEST_PGPORT:-}" ] || [ "$tries" -ge 5 ] || ! grep -q 'Address already in use' "$out.pg.log"; then
			cat "$out.pg.log"
			return 1
		fi
	done
	eval "$(scripts/pg.sh env "$pgdir" "$pgport")"
	if ! "${faked[@]}" bin/cobroctl --database "dbname=cobro" init >"$out.init.log" 2>&1; then
		cat "$out.init.log"
		return 1
	fi
	# The suites share one small demo portfolio; they change it only inside
	# transactions they roll back, or on rows they create themselves. It is
	# anchored where the product anchors it by default, on the clock's date
	# (so a faked clock exercises that path), and the tests take their dates
	# from the anchor it recorded.
	if ! "${faked[@]}" bin/cobroctl --database "dbname=cobro" demo --accounts 2000 --seed 7 --quiet >"$out.demo.log" 2>&1; then
		cat "$out.demo.log"
		return 1
	fi
	unset COBRO_TEST_ANCHOR COBRO_TEST_NOW
	if ! COBRO_BIN=$top/bin "${faked[@]}" bash -c '. tests/lib/clock.sh && clock_init && echo "$COBRO_TEST_ANCHOR $COBRO_TEST_NOW"' \
		>"$out.clock" 2>"$out.clock.err"; then
		cat "$out.clock.err"
		return 1
	fi
	read -r COBRO_TEST_ANCHOR COBRO_TEST_NOW <"$out.clock"
	export COBRO_TEST_ANCHOR COBRO_TEST_NOW
	echo "   demo anchored on $COBRO_TEST_ANCHOR; the contact policy asked about $COBRO_TEST_NOW"
}

# --- the suites that read dates, under faked clocks ---------------------------------
# libfaketime (tests/lib/faketime.sh) moves every program's clock by one
# offset from the real time: the cluster, cobroctl, cobrod, the workstation, psql, date and
# tmux agree on the faked time, and it runs on. The moments are chosen for
# what they cross (see docs/architecture.md, "Clocks in the tests"):
#   2026-12-06 03:00Z  a Sunday, Saturday evening in the Americas; the Tuesday
#                      after is 8 December, a holiday in five jurisdictions
#   2027-03-14 06:30Z  1:30 in New York, half an hour before the US changes to
#                      summer time: the run and the week's sweeps cross it
#   2027-12-31 23:59Z  the demo is loaded on the year's last day and the
#                      suites run on the next year's first
#   2028-02-29 12:00Z  a leap day, in a year past the shipped calendars
# Only the release build: the sanitizers look for memory errors, which do
# not depend on the date, and their twins would double the time. At every
# date, the suites that read a date, or the clock, of the shared demo: db,
# dbc, and those below. The five that start Kannel, SMTP and cobrod take a
# minute together: each runs at one of the dates, in turn (all of them when
# COBRO_TEST_DATES names one). Not run again: the unit tests (they pass their
# instants explicitly), the golden screens (their own cluster and clock),
# test_policy (case files with their instants), test_holidays (the calendars'
# files), and those that read no date at all (login, reconnect, the
# workstation's terminal handling, search, layout, man pages, translations,
# install, options, configuration errors, the service scripts).
dated_e2e="test_account test_callback test_reach test_send test_promise"
dated_cli="test_demo test_policy_db test_priority test_template"
dated_slow="cli/test_cobrod_gateways e2e/test_ahead cli/test_cobrod_send cli/test_make_run e2e/test_send_delivered"
dated_moments=${COBRO_TEST_DATES:-2026-12-06T03:00:00Z 2027-03-14T06:30:00Z 2027-12-31T23:59:00Z 2028-02-29T12:00:00Z}

# faked_clock_check WANT: TAP: the cluster's now() and this shell's date read
# the faked time (pg.sh starts the server as postgres through runuser, which
# could have dropped LD_PRELOAD), within ten minutes of WANT.
faked_clock_check() {
	local want db sh
	want=$(date -u -d "$1" +%s)
	db=$("${faked[@]}" psql -X -qAt -U postgres -d cobro -c "select extract(epoch from now())::bigint")
	sh=$("${faked[@]}" date -u +%s)
	if [ -n "$db" ] && [ $((db - want)) -ge 0 ] && [ $((db - want)) -lt 600 ]; then
		echo "ok 1 - the cluster's now() reads the faked time ($("${faked[@]}" psql -X -qAt -U postgres -d cobro -c 'select now()'))"
	else
		echo "not ok 1 - the cluster's now() reads the faked time near $1 (it reads ${db:-nothing})"
	fi
	if [ $((sh - want)) -ge 0 ] && [ $((sh - want)) -lt 600 ]; then
		echo "ok 2 - the programs the tests start read it too ($("${faked[@]}" date -u +%FT%TZ))"
	else
		echo "not ok 2 - the programs the tests start read the faked time near $1"
	fi
	echo "1..2"
}

# dated_run AT NTH: the suites above with every program's clock at AT, the
# NTH of the moments.
dated_run() {
	local at=$1 nth=$2 day=${1%%T*} off t n i=0 ndates
	ndates=$(wc -w <<<"$dated_moments")
	off=$(($(date -u -d "$at" +%s) - $(date -u +%s)))
	if ! faketime_on "$(printf '%+ds' "$off")" 2>"$log/date-$day.err"; then
		run_suite "date-$day" bash -c "echo 'not ok 1 - a clock faked to $at'; cat '$log/date-$day.err' >&2; exit 1"
		return
	fi
	faked=(env "${faketime_env[@]}" SERVICES_PYTHON="$top/tests/lib/python3-real-clock"
		PYTHON="$top/tests/lib/python3-real-clock")
	echo "== cluster at $at"
	if ! cluster_up "pg-$day"; then
		run_suite "date-$day" bash -c 'echo "not ok 1 - a cluster, the schema and the demo under the faked clock"'
		stop_cluster
		faked=()
		faketime_off
		return
	fi
	run_suite "date-$day-clock" faked_clock_check "$at"
	run_suite "date-$day-db" "${faked[@]}" tests/db/run.sh
	for t in build/release/dbtests/test_*; do
		[ -x "$t" ] || continue
		run_suite "date-$day-dbc-$(basename "$t")" "${faked[@]}" CMOCKA_MESSAGE_OUTPUT=TAP "$t"
	done
	for n in $dated_e2e; do
		run_suite "date-$day-e2e-$n" "${faked[@]}" COBRO_BIN="$top/bin" "tests/e2e/$n.sh"
	done
	for n in $dated_cli; do
		run_suite "date-$day-cli-$n" "${faked[@]}" COBRO_BIN="$top/bin" "tests/cli/$n.sh"
	done
	for n in $dated_slow; do
		if [ $((i++ % ndates)) = "$nth" ]; then
			run_suite "date-$day-${n%%/*}-${n#*/}" "${faked[@]}" COBRO_BIN="$top/bin" "tests/$n.sh"
		fi
	done
	stop_cluster
	faked=()
	faketime_off
}
dated_all() {
	local at nth=0
	for at in $dated_moments; do
		dated_run "$at" $((nth++))
	done
}

# Lanes: the dated runs, and the suites of the sanitizers' build with the
# fuzz targets, go on in the background beside the main suites, each lane on
# clusters of its own:
# the suites spend most of their time waiting (for tmux to draw, for cobrod,
# Kannel and SMTP to answer), so the three together take little more than
# the longest of them. What a lane prints is kept in $log/LANE.out and shown
# after the rest; what it counts, in $log/LANE.tally. With --dates the dated
# runs run alone, in the foreground.
declare -A lane_pids=()
# lane_start NAME FUNCTION: FUNCTION in the background, as lane NAME.
lane_start() {
	(
		trap 'stop_cluster; faketime_off' EXIT
		"$2"
		printf '%s %s %s\n' "$passed" "$failed" "${failures[*]}" >"$log/$1.tally"
	) >"$log/$1.out" 2>&1 &
	lane_pids[$1]=$!
}
# lane_finish NAME: waits for lane NAME, shows what it printed, adds its tally.
lane_finish() {
	local p f names
	wait "${lane_pids[$1]}"
	unset "lane_pids[$1]"
	cat "$log/$1.out"
	if read -r p f names <"$log/$1.tally" 2>/dev/null; then
		passed=$((passed + p))
		failed=$((failed + f))
		for n in $names; do failures+=("$n"); done
	else
		echo "   [$1] the lane ended without its tally (see $log/$1.out)"
		failed=$((failed + 1))
		failures+=("$1")
	fi
}
lanes_kill() { local p; for p in "${lane_pids[@]}"; do kill "$p" 2>/dev/null; done; }
trap 'stop_cluster; faketime_off; lanes_kill' EXIT

# fuzz_suites: a short run of each fuzz target. make fuzz runs them for
# minutes; here each runs its seeds, then mutations for at most 20000
# executions or 3 s (tests/fuzz/run.sh --check), a few seconds per target,
# after building them with clang (build/fuzz). Built only when some
# fuzz-NAME suite is wanted, since the build takes half a minute.
fuzz_suites() {
	local n names wanted=
	names=$(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||')
	for n in $names; do [[ fuzz-$n =~ ${COBRO_TEST_ONLY:-.} ]] && wanted=1; done
	[ -n "$wanted" ] || return 0
	if make -s fuzz-programs >"$log/build-fuzz.log" 2>&1; then
		for n in $names; do
			run_suite "fuzz-$n" env FUZZ_CHECK_SECONDS=3 tests/fuzz/run.sh --check "$n"
		done
	else
		run_suite fuzz-build bash -c "echo 'not ok 1 - make fuzz-programs (clang, libFuzzer)'; cat '$log/build-fuzz.log' >&2; exit 1"
	fi
}

# The longest command-line suites (each starts Kannel, SMTP and cobrod, or
# rewrites the audit chain), run in the sanitizers' lane to even the lanes.
lane_cli="test_cobrod_send test_cobrod_gateways test_audit"

# sanitizers_lane: the suites that run the sanitizers' build of the programs
# (build/asan) against a cluster, on one of its own (started only when one of
# them is wanted): each e2e suite again, and the contact policy's command-line
# suites; the suites of lane_cli; then the fuzz targets (clang's sanitizers).
sanitizers_lane() {
	local t n wanted=
	for t in tests/e2e/test_*.sh; do
		[[ e2e-asan-$(basename "$t" .sh) =~ ${COBRO_TEST_ONLY:-.} ]] && wanted=1
	done
	[[ cli-asan-test_policy =~ ${COBRO_TEST_ONLY:-.} || cli-asan-test_policy_db =~ ${COBRO_TEST_ONLY:-.} ]] && wanted=1
	for n in $lane_cli; do [[ cli-$n =~ ${COBRO_TEST_ONLY:-.} ]] && wanted=1; done
	if [ -n "$wanted" ]; then
		echo "== cluster (the sanitizers' lane)"
		if cluster_up pg-asan; then
			for t in tests/e2e/test_*.sh; do
				n=$(basename "$t" .sh)
				run_suite "e2e-asan-$n" env COBRO_BIN="$top/build/asan/bin" \
					ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 "$t"
			done
			# The contact policy once more under the sanitizers.
			for t in tests/cli/test_policy.sh tests/cli/test_policy_db.sh; do
				run_suite "cli-asan-$(basename "$t" .sh)" env COBRO_BIN="$top/build/asan/bin" \
					ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 "$t"
			done
			for n in $lane_cli; do
				run_suite "cli-$n" env COBRO_BIN="$top/bin" "tests/cli/$n.sh"
			done
			stop_cluster
		else
			run_suite asan-cluster bash -c 'echo "not ok 1 - a cluster for the suites under the sanitizers"'
		fi
	fi
	fuzz_suites
}

if [ -z "$only_dates" ]; then
	lane_start dated dated_all
	lane_start sanitizers sanitizers_lane
fi

# --- suites ------------------------------------------------------------------------
# Scripts are run whatever their mode: one without its run bit fails
# (exit 126, "Permission denied"), never a silent skip.
if [ -z "$only_dates" ]; then
	echo "== cluster"
	cluster_up pg || { echo "0 passed, 1 failed"; exit 1; }
	for t in build/release/tests/test_*; do
		[ -x "$t" ] || continue
		run_suite "unit-$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
	done
	for t in build/asan/tests/test_*; do
		[ -x "$t" ] || continue
		run_suite "asan-$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP \
			ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 "$t"
	done
	run_suite db tests/db/run.sh
	for t in build/release/dbtests/test_* build/asan/dbtests/test_*; do
		[ -x "$t" ] || continue
		case "$t" in build/asan/*) n=dbc-asan ;; *) n=dbc ;; esac
		run_suite "$n-$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP ASAN_OPTIONS=detect_leaks=1 "$t"
	done
	for t in tests/e2e/test_*.sh; do
		run_suite "e2e-$(basename "$t" .sh)" env COBRO_BIN="$top/bin" "$t"
	done
	for t in tests/cli/test_*.sh; do
		n=$(basename "$t" .sh)
		[[ " $lane_cli " == *" $n "* ]] && continue   # in the sanitizers' lane
		run_suite "cli-$n" env COBRO_BIN="$top/bin" "$t"
	done
	stop_cluster
fi

if [ -z "$only_dates" ]; then
	lane_finish sanitizers
	lane_finish dated
else
	dated_all
fi

echo
# What failed first in each failing suite, and how its stderr ended: the end
# of this output is often all a CI log keeps.
for s in "${failures[@]}"; do
	echo "--- $s: its first failure, then the end of its stderr"
	grep -m1 -A8 '^not ok ' "$log/$s.tap" | sed 's/^/   /'
	tail -n 8 "$log/$s.err" | sed 's/^/   /'
done
[ ${#failures[@]} -gt 0 ] && echo "failing suites: ${failures[*]} (logs in $log)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
