# Shared by cobro's benchmarks (sourced, never run): recording figures beside
# their baselines in one table, var/bench/results.tsv.
#
#   bench_init                  start a fresh results table (run.sh does it once)
#   bench_time VAR CMD...       run CMD, store its wall time in seconds in VAR
#   bench_record NAME VALUE UNIT BASELINE_NAME BASELINE_VALUE TARGET
#                               add a figure; TARGET is "<=X" or ">=X", checked
#                               against VALUE/BASELINE_VALUE when there is a
#                               baseline, else against VALUE; "-" when none
#   bench_table                 print the table, aligned
#
# results.tsv columns (tab separated, one row per figure):
#   name value unit baseline baseline_value ratio target verdict
# where verdict is pass, fail, or info (no target).

BENCH_DIR=${BENCH_DIR:-var/bench}
BENCH_RESULTS=${BENCH_RESULTS:-$BENCH_DIR/results.tsv}

bench_init() {
	mkdir -p "$(dirname "$BENCH_RESULTS")"
	printf 'name\tvalue\tunit\tbaseline\tbaseline_value\tratio\ttarget\tverdict\n' >"$BENCH_RESULTS"
}

# Seconds since the epoch with nanoseconds, for wall times.
bench_now() { date +%s.%N; }

bench_time() {
	local __var=$1 __t0 __t1 __rc
	shift
	__t0=$(bench_now)
	"$@"
	__rc=$?
	__t1=$(bench_now)
	printf -v "$__var" '%s' "$(awk -v a="$__t0" -v b="$__t1" 'BEGIN { printf "%.2f", b - a }')"
	return $__rc
}

bench_record() {
	local name=$1 value=$2 unit=$3 base=${4:--} base_value=${5:--} target=${6:--} ratio verdict

	[ -f "$BENCH_RESULTS" ] || bench_init
	ratio=$(awk -v v="$value" -v b="$base_value" 'BEGIN {
		if (b == "-" || b == "" || b + 0 == 0 || v == "-") print "-"; else printf "%.3f", v / b }')
	verdict=$(awk -v v="$value" -v r="$ratio" -v t="$target" 'BEGIN {
		if (t == "-" || t == "") { print "info"; exit }
		x = (r != "-") ? r : v
		if (x == "-" || x == "") { print "fail"; exit }
		op = substr(t, 1, 2); lim = substr(t, 3) + 0
		if (op == "<=") print (x + 0 <= lim ? "pass" : "fail")
		else if (op == ">=") print (x + 0 >= lim ? "pass" : "fail")
		else print "fail" }')
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$value" "$unit" "$base" "$base_value" \
		"$ratio" "$target" "$verdict" >>"$BENCH_RESULTS"
	printf 'bench: %-28s %10s %-4s baseline %-20s %10s  ratio %-6s target %-7s %s\n' "$name" "$value" \
		"$unit" "$base" "$base_value" "$ratio" "$target" "$verdict"
}

bench_table() {
	if command -v column >/dev/null 2>&1; then
		column -t -s "$(printf '\t')" "$BENCH_RESULTS"
	else
		cat "$BENCH_RESULTS"
	fi
}

# True when any recorded figure failed its target.
bench_failed() { awk -F '\t' 'NR > 1 && $8 == "fail" { f = 1 } END { exit !f }' "$BENCH_RESULTS"; }

# bench_alone NAME PORT FUNCTION: one part of the bench run alone, as
# tests/bench/NAME_bench.sh [SIZE] does, on a cluster of its own
# (var/bench/NAME-pg, port $COBRO_BENCH_<NAME>_PGPORT or PORT), its figures
# in var/bench/NAME-results.tsv. Exits: 1 when a figure fails its target.
bench_alone() {
	local name=$1 var="COBRO_BENCH_${1^^}_PGPORT"
	set -uo pipefail
	export LANG=C.UTF-8 LC_ALL=C.UTF-8
	BENCH_DIR=${BENCH_DIR:-var/bench}
	BENCH_RESULTS=$BENCH_DIR/$name-results.tsv
	log=$BENCH_DIR/log
	ctl=${COBROCTL:-bin/cobroctl}
	pgdir=$BENCH_DIR/$name-pg
	port=${!var:-$2}
	mkdir -p "$log"
	scripts/pg.sh start "$pgdir" "$port" >"$log/$name-pg.log" 2>&1 || { cat "$log/$name-pg.log" >&2; exit 1; }
	eval "$(scripts/pg.sh env "$pgdir" "$port")"
	export PGUSER=postgres
	trap 'scripts/pg.sh stop "$pgdir" >/dev/null 2>&1' EXIT
	fresh_db() {
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >"$log/db-$1.log" 2>&1 &&
			"$ctl" --database "dbname=$1" init >>"$log/db-$1.log" 2>&1
	}
	bench_init
	"$3"
	bench_table
	bench_failed && exit 1
	exit 0
}
