#!/usr/bin/env bash
# Runs the fuzz targets that make fuzz-programs built (build/fuzz/fuzz/NAME).
#
#   tests/fuzz/run.sh --seconds N [NAME...]   make fuzz: each target for N
#       seconds, its working corpus in var/fuzz/NAME/corpus (seeded from
#       tests/fuzz/NAME/), a crash's input in var/fuzz/NAME/crash-* (timeout-*,
#       oom-*, leak-*); after a crash the target starts again for the time
#       left, up to 5 crashes. One line per target: executions and crashes.
#       Exits 1 when any target crashed.
#   tests/fuzz/run.sh --check NAME            make check (suite fuzz-NAME): TAP;
#       the seeds, then FUZZ_CHECK_RUNS (20000) executions at most, within
#       FUZZ_CHECK_SECONDS (5), from a scratch corpus.
#
# A crash is an ASan or UBSan report, a failed property (FUZZ_ASSERT), an
# input that takes over 10 s, or a leak (but libconfig's own: lsan.supp).
# libconfig 1.5 leaks on most refused files, and libFuzzer then scans the
# heap for leaks after each such input: ten times slower. So make fuzz runs
# the targets that read libconfig text without leak detection (FUZZ_LEAKS=1
# keeps it), for the executions; the short runs of make check keep it, and
# the asan-test_* suites look for leaks in the same parsers.
set -uo pipefail
cd "$(dirname "$0")/../.."
top=$(pwd)
export COBRO_TOP=$top LC_ALL=C.UTF-8 LANG=C.UTF-8
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export LSAN_OPTIONS=suppressions=$top/tests/fuzz/lsan.supp
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
bin=build/fuzz/fuzz
common=(-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -max_len=8192)
libconfig_targets=" case config holidays policy strategy "

# executed LOG: the number of inputs libFuzzer ran.
executed() { sed -n 's/^stat::number_of_executed_units: *//p' "$1" | tail -n1; }

mode=${1:-}
case "$mode" in
--seconds)
	seconds=${2:?--seconds N}
	shift 2
	[ $# -gt 0 ] || set -- $(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||')
	status=0
	for name in "$@"; do
		if [ ! -x "$bin/$name" ]; then
			echo "$name: no $bin/$name (make fuzz-programs)"
			status=1
			continue
		fi
		dir=var/fuzz/$name
		mkdir -p "$dir/corpus"
		execs=0 crashes=0 end=$((SECONDS + seconds)) leaks=1
		[[ $libconfig_targets == *" $name "* ]] && leaks=${FUZZ_LEAKS:-0}
		while [ $SECONDS -lt $end ] && [ $crashes -lt 5 ]; do
			ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=$leaks \
				"$bin/$name" "${common[@]}" -detect_leaks="$leaks" -max_total_time=$((end - SECONDS)) \
				-artifact_prefix="$dir/" "$dir/corpus" "tests/fuzz/$name" >"$dir/log" 2>&1
			rc=$?
			n=$(executed "$dir/log")
			execs=$((execs + ${n:-0}))
			if [ $rc -ne 0 ]; then
				crashes=$((crashes + 1))
				cp "$dir/log" "$dir/crash-$crashes.log"
			fi
		done
		printf '%-10s %12d executions in %d s, %d crashes%s%s\n' "$name:" "$execs" "$seconds" "$crashes" \
			"$([ "$leaks" = 0 ] && echo ", leaks not looked for")" \
			"$([ $crashes -gt 0 ] && echo " (inputs and logs in $dir/)")"
		[ $crashes -eq 0 ] || status=1
	done
	exit $status
	;;
--check)
	name=${2:?--check NAME}
	runs=${FUZZ_CHECK_RUNS:-20000}
	secs=${FUZZ_CHECK_SECONDS:-5}
	seeds=tests/fuzz/$name
	nseeds=$(find "$seeds" -type f 2>/dev/null | wc -l)
	if [ "$nseeds" -gt 0 ]; then
		echo "ok 1 - $name: $nseeds seed inputs in $seeds/"
	else
		echo "not ok 1 - $name: seed inputs in $seeds/"
	fi
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/cobro-fuzz-XXXXXX") || exit 1
	trap 'rm -rf "$scratch"' EXIT
	"$bin/$name" "${common[@]}" -runs="$runs" -max_total_time="$secs" -artifact_prefix="$scratch/" \
		"$scratch" "$seeds" >"$scratch/log" 2>&1
	rc=$?
	n=$(executed "$scratch/log")
	if [ $rc -eq 0 ] && [ "${n:-0}" -gt 0 ]; then
		echo "ok 2 - $name: ${n} executions (the seeds, then mutations), no crash"
	else
		echo "not ok 2 - $name: ${n:-no} executions, exit $rc; the end of its log:"
		grep -E 'ERROR|SUMMARY|fuzz property|^ +#[0-9]+ ' "$scratch/log" | head -n 20 | sed 's/^/#   /'
		for a in "$scratch"/crash-* "$scratch"/timeout-* "$scratch"/leak-* "$scratch"/oom-*; do
			[ -f "$a" ] || continue
			mkdir -p "$top/var/fuzz/$name"
			cp "$a" "$top/var/fuzz/$name/"
			echo "#   input kept in var/fuzz/$name/$(basename "$a")"
		done
	fi
	echo "1..2"
	[ $rc -eq 0 ]
	;;
*)
	echo "usage: $0 --seconds N [NAME...] | --check NAME" >&2
	exit 2
	;;
esac
