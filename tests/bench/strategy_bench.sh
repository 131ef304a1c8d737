#!/usr/bin/env bash
# The strategies on the bench's portfolio (issue 18, line 11): segmenting and
# planning a day under 60 s, its dry run under 30 s, each beside a baseline
# from the same run.
#
#   strategy_first_1m   wall time of the first `cobroctl strategy run`, of
#                       day D, on a portfolio no strategy ran on: every step
#                       of the accounts' past recorded once, most of them
#                       skipped as stale (an event each) (info)
#   strategy_dry_1m     `cobroctl strategy dry-run` of the next day: the
#                       version in force, every account's facts streamed (one
#                       COPY of strategy_facts()), each decided, the day's
#                       messages rendered and planned in their debtors'
#                       hours, counted, nothing written; beside facts_copy,
#                       psql \copy of strategy_facts() of that day to
#                       /dev/null as the same login (admin: row security
#                       costs a third more than as the superuser) with the
#                       same jit = off (the facts alone, not decided)
#   strategy_dry_1m_abs the same against the 30 s the issue allows
#   strategy_run_1m     `cobroctl strategy run` of that day: the same, then
#                       the segments applied (account_strategy, the segment
#                       events) and the day's steps (messages with their
#                       events, worklist moves, placements, steps done), beside
#                       account_copy, psql \copy of the same accounts with
#                       their debtors out to /dev/null (reading them alone)
#   strategy_run_1m_abs the same against the 60 s the issue allows
# The dry run's JSON must be what the real run then prints (else the run's
# figure is "-", a failure).
#
# On a copy of the kept portfolio (database cobro, made by tests/bench/run.sh),
# so the other parts read it as the demo made it; the shipped templates,
# contact policy and etc/strategy.conf loaded into it. D is the demo's anchor
# (its today), the policy's clock at 06:00 UTC of it. Sourced by
# tests/bench/run.sh (the cluster runs, PG* set, $log, $ctl, fresh_db,
# bench_* from lib.sh), or run alone, niced, on a cluster of its own:
# tests/bench/strategy_bench.sh [ACCOUNTS] (var/bench/strategy-pg, port
# $COBRO_BENCH_STRATEGY_PGPORT or 54381; default 1,000,000 accounts).
strategy_accounts=${BENCH_STRATEGY_ACCOUNTS:-1000000}

strategy_bench() {
	local db=cobro_strategy day next first ours base dry facts n
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db TEMPLATE cobro" \
		>"$log/strategy-db.log" 2>&1 || { echo "bench: cannot copy the portfolio: $(tail -n 3 "$log/strategy-db.log")" >&2; return 1; }
	n=$(psql -X -At -d "$db" -c "SELECT count(*) FROM cobro.account")
	day=$(psql -X -At -d "$db" -c "SELECT coalesce((SELECT new->>'anchor' FROM cobro.audit WHERE action = 'DEMO' ORDER BY id DESC LIMIT 1), current_date::text)")
	next=$(date -u -d "$day + 1 day" +%F)
	{
		"$ctl" --database "dbname=$db" --user admin template add etc/templates/*.tpl &&
			{ [ "$(psql -X -At -d "$db" -c "SELECT count(*) FROM cobro.contact_policy")" != 0 ] ||
				"$ctl" --database "dbname=$db" --user admin policy load etc/policy.conf; } &&
			"$ctl" --database "dbname=$db" --user admin strategy load etc/strategy.conf
	} >"$log/strategy-setup.log" 2>&1 || { echo "bench: strategy setup failed: $(tail -n 3 "$log/strategy-setup.log")" >&2; return 1; }
	psql -X -q -d "$db" -c "VACUUM ANALYZE" >/dev/null 2>&1

	echo "bench: cobroctl strategy run --date $day, the first ($n accounts, info)"
	COBRO_NOW=${day}T06:00:00Z bench_time first "$ctl" --database "dbname=$db" --user admin strategy run --date "$day" \
		>"$log/strategy-first.log" 2>&1 || { echo "bench: strategy run failed: $(tail -n 3 "$log/strategy-first.log")" >&2; first=-; }
	echo "bench:   $first s ($(sed -n 2p "$log/strategy-first.log"); $(grep '^total' "$log/strategy-first.log" | tr -s ' '))"

	echo "bench: psql \\copy of strategy_facts('$next') (baseline)"
	bench_time facts psql -X -q -U admin -d "$db" -c "SET jit = off" \
		-c "\\copy (SELECT * FROM cobro.strategy_facts('$next')) TO /dev/null" \
		>"$log/strategy-facts.log" 2>&1 || facts=-
	echo "bench:   $facts s"
	echo "bench: cobroctl strategy dry-run --date $next ($n accounts, ours)"
	COBRO_NOW=${next}T06:00:00Z bench_time dry "$ctl" --database "dbname=$db" --user admin strategy dry-run --date "$next" \
		>"$log/strategy-dry.log" 2>&1 || { echo "bench: strategy dry-run failed: $(tail -n 3 "$log/strategy-dry.log")" >&2; dry=-; }
	echo "bench:   $dry s ($(sed -n 2p "$log/strategy-dry.log"); $(grep '^total' "$log/strategy-dry.log" | tr -s ' '))"
	COBRO_NOW=${next}T06:00:00Z "$ctl" --database "dbname=$db" --user admin strategy dry-run --date "$next" --format json \
		>"$log/strategy-dry.json" 2>&1

	echo "bench: psql \\copy of the $n accounts with their debtors (baseline)"
	bench_time base psql -X -q -d "$db" -c "\\copy (SELECT a.*, d.* FROM cobro.account a JOIN cobro.debtor d ON d.id = a.debtor_id) TO /dev/null" \
		>"$log/strategy-copy.log" 2>&1 || base=-
	echo "bench:   $base s"
	echo "bench: cobroctl strategy run --date $next ($n accounts, ours)"
	COBRO_NOW=${next}T06:00:00Z bench_time ours "$ctl" --database "dbname=$db" --user admin strategy run --date "$next" \
		--format json >"$log/strategy-run.json" 2>"$log/strategy-run.log" ||
		{ echo "bench: strategy run failed: $(tail -n 3 "$log/strategy-run.log")" >&2; ours=-; }
	echo "bench:   $ours s"
	[ "$ours" = - ] || [ "$(psql -X -At -d "$db" -c "SELECT count(*) FROM cobro.strategy_run WHERE day = '$next'")" = 2 ] ||
		{ echo "bench: the run of $next was not recorded" >&2; ours=-; }
	[ "$ours" = - ] || cmp -s "$log/strategy-dry.json" "$log/strategy-run.json" ||
		{ echo "bench: the dry run of $next did not say what the run did (see $log/strategy-*.json)" >&2; ours=-; }

	bench_record strategy_first_1m "$first" s - - -
	bench_record strategy_dry_1m "$dry" s facts_copy "$facts" -
	bench_record strategy_dry_1m_abs "$dry" s - - "<=30"
	bench_record strategy_run_1m "$ours" s account_copy "$base" -
	bench_record strategy_run_1m_abs "$ours" s - - "<=60"
	psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null 2>&1
}

# Run alone: a cluster of its own with a portfolio of ACCOUNTS, this part only.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	cd "$(dirname "$0")/../.."
	. tests/bench/lib.sh
	[ $# -gt 0 ] && strategy_accounts=$1
	strategy_alone() {
		if [ "$(psql -X -At -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = 'cobro'")" = 0 ] ||
			[ "$(psql -X -At -d cobro -c "SELECT count(*) FROM cobro.account" 2>/dev/null)" != "$strategy_accounts" ]; then
			echo "bench: building a $strategy_accounts-account portfolio (database cobro)"
			fresh_db cobro || { echo "bench: cannot make database cobro" >&2; return 1; }
			"$ctl" --database dbname=cobro demo --accounts "$strategy_accounts" --seed 1 --quiet \
				>"$log/strategy-demo.log" 2>&1 || { echo "bench: demo failed: $(tail -n 3 "$log/strategy-demo.log")" >&2; return 1; }
		fi
		strategy_bench
	}
	bench_alone strategy 54381 strategy_alone
fi
