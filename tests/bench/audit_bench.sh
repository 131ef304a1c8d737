#!/usr/bin/env bash
# The audit chain (issue 17, line 9): cobroctl audit verify of 1,000,000
# rows, beside a baseline from the same run on the same rows.
#
#   audit_verify_1m      wall time of `cobroctl audit verify` (connect, its
#                        login row, the rows streamed in id order through
#                        COPY and each hash and link recomputed by cobroctl:
#                        src/core/audit.c), beside audit_hash_scan, psql
#                        recomputing each of the very same rows' hash in
#                        SQL and comparing it with the row's, unordered,
#                        no link compared (the least a verify can do)
#   audit_verify_1m_abs  the same time against the 10 s the issue allows
#
# The rows are written by audit_write() itself, the chain's one writer, in
# transactions of 10,000 (as the promise keeper writes its decisions), each
# carrying an account row's worth of old and new values; their writing is
# not timed. Sourced by tests/bench/run.sh (the cluster runs, PG* set, $log,
# $ctl, fresh_db, bench_* from lib.sh), or run alone, niced, on a cluster
# of its own: tests/bench/audit_bench.sh [ROWS] (var/bench/audit-pg, port
# $COBRO_BENCH_AUDIT_PGPORT or 54369).
audit_rows=${BENCH_AUDIT_ROWS:-1000000}

audit_bench() {
	local db=cobro_audit ours base batches
	batches=$(((audit_rows + 9999) / 10000))
	fresh_db "$db" || { echo "bench: cannot make database $db" >&2; return 1; }
	echo "bench: writing $audit_rows audit rows through audit_write() ($batches transactions)"
	for ((b = 0; b < batches; b++)); do
		echo "SELECT cobro.audit_write('UPDATE', 'account', i,
			jsonb_build_object('id', i, 'status', 'active', 'agent_id', i % 50, 'balance', i * 7,
			                   'reference', 'ACC-' || i, 'updated_at', now(), 'note', repeat('x', 80)),
			jsonb_build_object('id', i, 'status', 'dispute', 'agent_id', i % 50, 'balance', i * 7,
			                   'reference', 'ACC-' || i, 'updated_at', now(), 'note', repeat('x', 80)))
			FROM generate_series($((b * 10000 + 1)), least($(((b + 1) * 10000)), $audit_rows)) i;"
	done | psql -X -q -o /dev/null -v ON_ERROR_STOP=1 -d "$db" >"$log/audit-write.log" 2>&1 ||
		{ echo "bench: writing the audit rows failed: $(tail -n 3 "$log/audit-write.log")" >&2; return 1; }
	psql -X -q -d "$db" -c "VACUUM ANALYZE cobro.audit" >/dev/null 2>&1
	# Warm alike: both read the table once before they are timed.
	psql -X -q -At -d "$db" -c "SELECT count(*) FROM cobro.audit" >"$log/audit-count.log" 2>&1

	echo "bench: cobroctl audit verify ($(cat "$log/audit-count.log") rows, ours)"
	bench_time ours "$ctl" --database "dbname=$db" audit verify >"$log/audit-verify.log" 2>&1 ||
		{ echo "bench: audit verify failed: $(tail -n 3 "$log/audit-verify.log")" >&2; ours=-; }
	echo "bench:   $ours s ($(head -n 1 "$log/audit-verify.log"))"
	echo "bench: psql, each row's sha256 recomputed and compared, unordered (baseline)"
	bench_time base psql -X -q -At -d "$db" -c "SET TimeZone = 'UTC'" -c "SELECT count(*) FILTER (WHERE sha256(
		coalesce(prev_hash, '\\x'::bytea) || convert_to(concat_ws('|', at, actor, action, tbl, row_id, old, new), 'UTF8'))
		<> hash) FROM cobro.audit" >"$log/audit-scan.log" 2>&1 || base=-
	[ "$base" = - ] || [ "$(tail -n 1 "$log/audit-scan.log")" = 0 ] ||
		{ echo "bench: the baseline found rows that do not match: $(tail -n 1 "$log/audit-scan.log")" >&2; base=-; }
	echo "bench:   $base s"
	bench_record audit_verify_1m "$ours" s audit_hash_scan "$base" -
	bench_record audit_verify_1m_abs "$ours" s - - "<=10"
	psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null 2>&1
}

# Run alone: a cluster of its own, this part only.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	cd "$(dirname "$0")/../.."
	. tests/bench/lib.sh
	[ $# -gt 0 ] && audit_rows=$1
	bench_alone audit 54369 audit_bench
fi
