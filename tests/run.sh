#!/usr/bin/env bash
# make check: every suite, against a throwaway PostgreSQL cluster.
#
# A suite is a command that prints TAP lines ("ok N - what", "not ok N - what").
# This script counts them across suites; a suite that exits non-zero without a
# "not ok" line counts as one failure, so a crash is never a pass.
# The last line is "N passed, N failed"; the exit status is non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

export LANG=C.UTF-8 LC_ALL=C.UTF-8
log=var/test/log
# A cluster left running by an interrupted run would hold the port.
scripts/pg.sh stop var/test/pg >/dev/null 2>&1 || true
rm -rf var/test
mkdir -p "$log"

passed=0 failed=0
declare -a failures=()

# run_suite NAME COMMAND...: runs a suite, shows its TAP, tallies it.
run_suite() {
	local name=$1 out="$log/$1.tap" rc p f
	shift
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
	printf '   %d passed, %d failed\n' "$p" "$f"
	passed=$((passed + p))
	failed=$((failed + f))
}

# --- build: release and sanitizer (ASan + UBSan) -----------------------------
echo "== build"
if ! make -s all unit >"$log/build.log" 2>&1; then
	cat "$log/build.log"
	echo "0 passed, 1 failed"
	exit 1
fi
if ! make -s all unit BUILD=build/asan BIN=build/asan/bin SANITIZE=1 >"$log/build-asan.log" 2>&1; then
	cat "$log/build-asan.log"
	echo "0 passed, 1 failed"
	exit 1
fi

# --- the throwaway cluster -----------------------------------------------------
pgdir=var/test/pg
pgport=${COBRO_TEST_PGPORT:-54339}
# Another checkout's tests (or a developer's cluster) may hold the port: take
# the next free one rather than fail.
while (exec 3<>"/dev/tcp/127.0.0.1/$pgport") 2>/dev/null; do
	pgport=$((pgport + 1))
done
if ! scripts/pg.sh start "$pgdir" "$pgport" >"$log/pg.log" 2>&1; then
	cat "$log/pg.log"
	echo "0 passed, 1 failed"
	exit 1
fi
eval "$(scripts/pg.sh env "$pgdir" "$pgport")"
export PGUSER=postgres
stop_cluster() { scripts/pg.sh stop "$pgdir" "$pgport" >/dev/null 2>&1; }
trap stop_cluster EXIT

# Suites find what they need here.
export COBRO_TOP="$top" COBRO_TEST_LOG="$top/$log" COBRO_LOCALEDIR="$top/build/release/locale"

if ! bin/cobroctl --database "dbname=cobro" init >"$log/init.log" 2>&1; then
	cat "$log/init.log"
	echo "0 passed, 1 failed"
	exit 1
fi
# The suites share one small demo portfolio; they change it only inside
# transactions they roll back, or on rows they create themselves.
if ! bin/cobroctl --database "dbname=cobro" demo --accounts 2000 --seed 7 --quiet >"$log/demo.log" 2>&1; then
	cat "$log/demo.log"
	echo "0 passed, 1 failed"
	exit 1
fi

# --- suites ------------------------------------------------------------------------
# Scripts are run whatever their mode: one without its run bit fails
# (exit 126, "Permission denied"), never a silent skip.
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
	n=$(basename "$t" .sh)
	run_suite "e2e-$n" env COBRO_BIN="$top/bin" "$t"
	run_suite "e2e-asan-$n" env COBRO_BIN="$top/build/asan/bin" \
		ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 "$t"
done
for t in tests/cli/test_*.sh; do
	run_suite "cli-$(basename "$t" .sh)" env COBRO_BIN="$top/bin" "$t"
done
# The contact policy once more under the sanitizers.
for t in tests/cli/test_policy.sh tests/cli/test_policy_db.sh; do
	run_suite "cli-asan-$(basename "$t" .sh)" env COBRO_BIN="$top/build/asan/bin" \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 "$t"
done

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
