#!/usr/bin/env bash
# The daily files (issue 16, line 11): cobroctl import of 1,000,000 accounts
# and then 1,000,000 payments, each beside psql \copy of the very same file
# into a plain table of text columns in the same database, in the same run.
#
#   import_accounts_1m   cobroctl import accounts (every row checked in C,
#                        the references, creditor and agents looked up, COPY
#                        into staging, set-based apply: a million accounts,
#                        debtors, mobiles and emails made), beside
#                        psql_copy_accounts; target ours/baseline <= 1.5
#   import_payments_1m   cobroctl import payments of one payment for each of
#                        those accounts (checked, looked up, COPYed, applied:
#                        payment, event, account), beside psql_copy_payments;
#                        target <= 1.5
#
# Sourced by tests/bench/run.sh (the cluster runs, PG* set, $log, $ctl,
# fresh_db, bench_* from lib.sh), or run alone, niced, on a cluster of its
# own: tests/bench/import_bench.sh [ROWS] (var/bench/import, port
# $COBRO_BENCH_IMPORT_PGPORT or 54359). The files are generated here.
import_rows=${BENCH_IMPORT_ROWS:-1000000}

import_bench() {
	local dir=$BENCH_DIR/import-files db=cobro_import ours base
	mkdir -p "$dir"
	echo "bench: writing $import_rows accounts and $import_rows payments as CSV ($dir)"
	# PE and MX debtors, a mobile and an email each; every tenth one late.
	awk -v n="$import_rows" 'BEGIN {
		print "reference,debtor_name,national_id,mobile,email,jurisdiction,time_zone,language,creditor,product,currency,balance,past_due,due_date,segment,score"
		for (i = 1; i <= n; i++) {
			pe = i % 2
			printf "BI-%07d,Debtor %d Example,NID-%07d,%s,debtor%d@example.com,%s,%s,es,bench-bank,card,%s,%d.%02d,%s,%s,standard,%d\n",
				i, i, i, pe ? sprintf("9%08d", i) : sprintf("55%08d", i), i, pe ? "PE" : "MX",
				pe ? "America/Lima" : "America/Mexico_City", pe ? "PEN" : "MXN", 1000 + i % 5000, i % 100,
				i % 10 == 0 ? "100.00" : "0", i % 10 == 0 ? "2026-01-15" : "", i % 1001
		}
	}' >"$dir/accounts.csv"
	awk -v n="$import_rows" 'BEGIN {
		print "reference,amount,paid_at,method,external_id"
		for (i = 1; i <= n; i++)
			printf "BI-%07d,%d.%02d,2026-02-%02dT10:%02d:00-05:00,transfer,BP-%07d\n", i, 1 + i % 50, i % 100,
				1 + i % 28, i % 60, i
	}' >"$dir/payments.csv"

	fresh_db "$db"
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" >"$log/import-setup.log" 2>&1 <<-'EOF' || { echo "bench: import setup failed" >&2; return 1; }
		SET ROLE cobro_owner;
		INSERT INTO cobro.creditor (code, name) VALUES ('bench-bank', 'Bench Bank');
		INSERT INTO cobro.team (code, name) VALUES ('bench', 'Bench');
		RESET ROLE;
		CREATE TABLE public.plain_accounts (reference text, debtor_name text, national_id text, mobile text,
			email text, jurisdiction text, time_zone text, language text, creditor text, product text,
			currency text, balance text, past_due text, due_date text, segment text, score text);
		CREATE TABLE public.plain_payments (reference text, amount text, paid_at text, method text, external_id text);
	EOF

	echo "bench: cobroctl import accounts ($import_rows rows, ours)"
	bench_time ours "$ctl" --database "dbname=$db" import accounts --team bench "$dir/accounts.csv" \
		>"$log/import-accounts.log" 2>&1 || echo "bench: import accounts failed: $(tail -n 3 "$log/import-accounts.log")" >&2
	echo "bench:   $ours s ($(head -n 1 "$log/import-accounts.log"))"
	echo "bench: psql \\copy of the same file into a plain table (baseline)"
	bench_time base psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
		-c "\\copy public.plain_accounts FROM '$dir/accounts.csv' WITH (FORMAT csv, HEADER true)" \
		>"$log/import-copy-accounts.log" 2>&1 || echo "bench: \\copy failed" >&2
	echo "bench:   $base s"
	[ "$(psql -X -At -d "$db" -c "SELECT count(*) FROM cobro.account")" = "$import_rows" ] || ours=-
	bench_record import_accounts_1m "$ours" s psql_copy_accounts "$base" "<=1.5"

	echo "bench: cobroctl import payments ($import_rows rows, ours)"
	bench_time ours "$ctl" --database "dbname=$db" import payments "$dir/payments.csv" \
		>"$log/import-payments.log" 2>&1 || echo "bench: import payments failed: $(tail -n 3 "$log/import-payments.log")" >&2
	echo "bench:   $ours s ($(head -n 1 "$log/import-payments.log"))"
	echo "bench: psql \\copy of the same file into a plain table (baseline)"
	bench_time base psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
		-c "\\copy public.plain_payments FROM '$dir/payments.csv' WITH (FORMAT csv, HEADER true)" \
		>"$log/import-copy-payments.log" 2>&1 || echo "bench: \\copy failed" >&2
	echo "bench:   $base s"
	[ "$(psql -X -At -d "$db" -c "SELECT count(*) FROM cobro.payment")" = "$import_rows" ] || ours=-
	bench_record import_payments_1m "$ours" s psql_copy_payments "$base" "<=1.5"

	psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null 2>&1
	rm -rf "$dir"
}

# Run alone: a cluster of its own, this part only.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	cd "$(dirname "$0")/../.."
	. tests/bench/lib.sh
	[ $# -gt 0 ] && import_rows=$1
	bench_alone import 54359 import_bench
fi
