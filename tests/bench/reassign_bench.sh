#!/usr/bin/env bash
# Reassignment (issue 17, line 9): 10,000 accounts moved by one
# `cobroctl reassign` under 2 s, beside a baseline from the same run on the
# same rows.
#
#   reassign_10k        wall time of `cobroctl reassign --agent A --to B,C
#                       --mode count`, run as the team's lead: connect, its
#                       login row, the filter, the plan, the batch, 10,000
#                       moves, their events and audit rows, change_log and
#                       NOTIFY (functions/reassign.sql), beside
#                       update_10k, psql moving the very same 10,000 rows
#                       back with one plain UPDATE of account.agent_id (the
#                       same triggers fire: audit row, change_log, derived
#                       columns), no filter, plan, batch or event
#   reassign_10k_abs    the same time against the 2 s the issue allows
#   reassign_10k_balance  the same move even by balance (a PL/pgSQL loop
#                       over the accounts, largest first) (info)
#   reassign_preview_10k  --dry-run of it (info)
#
# The team holds 40,000 open accounts of four collectors (10,000 each) and
# the lead; the accounts are written in SQL, not timed. Sourced by
# tests/bench/run.sh (the cluster runs, PG* set, $log, $ctl, fresh_db,
# bench_* from lib.sh), or run alone, niced, on a cluster of its own:
# tests/bench/reassign_bench.sh [ACCOUNTS] (var/bench/reassign-pg, port
# $COBRO_BENCH_REASSIGN_PGPORT or 54371).
reassign_accounts=${BENCH_REASSIGN_ACCOUNTS:-10000}

reassign_bench() {
	local db=cobro_reassign ours base bal prev
	fresh_db "$db" || { echo "bench: cannot make database $db" >&2; return 1; }
	echo "bench: a team of 4 collectors with $reassign_accounts open accounts each"
	psql -X -q -v ON_ERROR_STOP=1 -v n="$reassign_accounts" -d "$db" >"$log/reassign-setup.log" 2>&1 <<-'EOF' || { echo "bench: reassign setup failed: $(tail -n 3 "$log/reassign-setup.log")" >&2; return 1; }
		INSERT INTO cobro.team (code, name) VALUES ('rbench', 'Reassign bench');
		SELECT cobro.agent_add(l, 'Bench ' || l, r, 'rbench')
		FROM (VALUES ('rb_lead', 'lead'), ('rb_a', 'collector'), ('rb_b', 'collector'), ('rb_c', 'collector'),
		             ('rb_d', 'collector')) v(l, r);
		INSERT INTO cobro.creditor (code, name) VALUES ('RBENCH', 'Bench creditor');
		INSERT INTO cobro.debtor (name, first_name, jurisdiction, time_zone)
		SELECT 'Debtor ' || i, 'Debtor', 'PE', 'America/Lima' FROM generate_series(1, 4 * :n) i;
		INSERT INTO cobro.account (debtor_id, creditor_id, product, reference, currency, balance, past_due, oldest_due,
		                           team_id, agent_id)
		SELECT d.id, (SELECT id FROM cobro.creditor WHERE code = 'RBENCH'), 'card', 'RB-' || d.id,
		       CASE WHEN d.id % 3 = 0 THEN 'USD' ELSE 'PEN' END, 1000 + (d.id * 7919) % 500000, 0,
		       current_date - (d.id % 200)::int, (SELECT id FROM cobro.team WHERE code = 'rbench'),
		       (SELECT id FROM cobro.agent WHERE login = (ARRAY['rb_a', 'rb_b', 'rb_c', 'rb_d'])[1 + d.id % 4])
		FROM cobro.debtor d;
		VACUUM ANALYZE cobro.account;
	EOF
	echo "bench: cobroctl reassign --dry-run ($reassign_accounts accounts)"
	bench_time prev "$ctl" --database "dbname=$db" --user rb_lead reassign --agent rb_a --to rb_b,rb_c --mode count \
		--dry-run >"$log/reassign-preview.log" 2>&1 || { echo "bench: preview failed: $(tail -n 3 "$log/reassign-preview.log")" >&2; prev=-; }
	echo "bench:   $prev s ($(head -n 1 "$log/reassign-preview.log"))"
	echo "bench: cobroctl reassign, even by count ($reassign_accounts accounts, ours)"
	bench_time ours "$ctl" --database "dbname=$db" --user rb_lead reassign --agent rb_a --to rb_b,rb_c --mode count \
		>"$log/reassign-apply.log" 2>&1 || { echo "bench: reassign failed: $(tail -n 3 "$log/reassign-apply.log")" >&2; ours=-; }
	echo "bench:   $ours s ($(tail -n 1 "$log/reassign-apply.log"))"
	[ "$ours" = - ] || [ "$(psql -X -At -d "$db" -c "SELECT count(*) FROM cobro.reassign_move m JOIN cobro.reassign_batch b ON b.id = m.batch_id WHERE b.kind = 'reassign' AND m.state = 'done'")" = "$reassign_accounts" ] ||
		{ echo "bench: the reassignment did not move $reassign_accounts accounts" >&2; ours=-; }
	echo "bench: psql, one UPDATE of the same rows' agent (baseline)"
	bench_time base psql -X -q -d "$db" -c "UPDATE cobro.account a SET agent_id = (SELECT id FROM cobro.agent WHERE login = 'rb_a')
		FROM cobro.reassign_move m WHERE m.account_id = a.id" >"$log/reassign-update.log" 2>&1 || base=-
	echo "bench:   $base s"
	echo "bench: cobroctl reassign, even by balance (info)"
	bench_time bal "$ctl" --database "dbname=$db" --user rb_lead reassign --agent rb_a --to rb_b,rb_c --mode balance \
		>"$log/reassign-balance.log" 2>&1 || { echo "bench: reassign by balance failed: $(tail -n 3 "$log/reassign-balance.log")" >&2; bal=-; }
	echo "bench:   $bal s"
	bench_record reassign_10k "$ours" s update_10k "$base" -
	bench_record reassign_10k_abs "$ours" s - - "<=2"
	bench_record reassign_10k_balance "$bal" s - - -
	bench_record reassign_preview_10k "$prev" s - - -
	psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null 2>&1
}

# Run alone: a cluster of its own, this part only.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	cd "$(dirname "$0")/../.."
	. tests/bench/lib.sh
	[ $# -gt 0 ] && reassign_accounts=$1
	bench_alone reassign 54371 reassign_bench
fi
