#!/usr/bin/env bash
# The stored worklist rank (006_priority.sql): cobroctl priority show, refresh
# and decay as an administrator, and cobrod's daily re-ranking, against the
# test cluster's demo portfolio. The decay is put back as it was.
. "$(dirname "$0")/tap.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
ctl() { run "$bindir/cobroctl" --database "dbname=cobro" --user "$1" "${@:2}"; }
stale() { q "select count(*) from cobro.account where rank_day is distinct from current_date"; }
# Accounts whose stored rank differs from the formula with decay $1.
wrong() {
	q "select count(*) from cobro.account where abs(rank_value - balance * score / 1000.0
	   * greatest(0, 1 - $1 * greatest(0, current_date - oldest_due) / 30.0)) > 1e-6 * greatest(1, rank_value)"
}
age() { q "update cobro.account set rank_day = current_date - 1, rank_value = 0 where id % 7 = 0" >/dev/null; }

decay_before=$(q "select dpd_decay from cobro.priority_setting")

# The demo ranked every account as of the day it was loaded; a run that has
# crossed midnight since finds them a day old (until cobrod, or a refresh,
# ranks them anew): show counts what is out of date now, whatever that is.
n=$(stale)
ctl admin priority show
check "priority show prints the decay in force" grep -qx "dpd_decay $decay_before (set .*)" <<<"$out"
check "and how many accounts are not ranked as of today ($n)" grep -qx "accounts not ranked as of today: $n" <<<"$out"

age
n=$(stale)
ctl admin priority show
check "ranks from yesterday are counted ($n)" grep -qx "accounts not ranked as of today: $n" <<<"$out"
ctl admin priority refresh
check "priority refresh ranks them as of today" test "$rc" = 0 -a "$(stale)" = 0 -a "$(wrong "$decay_before")" = 0

ctl ana priority refresh
check "a collector may not refresh the ranks" grep -q "permission denied" <<<"$err"
ctl admin priority decay 1.5
check "a decay above 1 is refused" test "$rc" != 0 -a "$err" = 'cobroctl: priority decay: "1.5" is not a number from 0 to 1'
ctl admin priority decay abc
check "a decay that is not a number is refused" test "$rc" != 0
ctl ana priority decay 0.2
check "a collector may not set the decay" test "$rc" != 0 -a "$(q "select dpd_decay from cobro.priority_setting")" = "$decay_before"

audit_before=$(q "select coalesce(max(id), 0) from cobro.audit")
ctl admin priority decay 0.2
check "priority decay 0.2 ranks every account anew" test "$rc" = 0 -a "$(wrong 0.2)" = 0
check "says how many" grep -qx "dpd_decay 0.2; $(q "select count(*) from cobro.account") accounts ranked anew" <<<"$out"
check "the change is audited" test "$(q "select count(*) from cobro.audit where tbl = 'priority_setting' and id > $audit_before")" = 1
ctl admin priority decay "$decay_before"
check "and back to $decay_before" test "$(wrong "$decay_before")" = 0

# cobrod re-ranks what is out of date when it starts (and each new day).
q "select 1 from cobro.agent where login = 't_cobrod'" | grep -q 1 ||
	"$bindir/cobroctl" --database dbname=cobro --user postgres agent add t_cobrod --name "Test daemon" \
		--role daemon >/dev/null
age
printf 'database = "dbname=cobro";\nlog = { level = "info"; };\n' >"$scratch/cobrod.conf"
"$bindir/cobrod" --config "$scratch/cobrod.conf" --user t_cobrod 2>"$scratch/cobrod.log" &
daemon=$!
# Polled for up to 30 s: on start cobrod also runs the promise keeper,
# which at a faked year's end decides many of the demo's promises first.
for _ in $(seq 1 300); do
	[ "$(stale)" = 0 ] && break
	sleep 0.1
done
check "cobrod ranks yesterday's accounts as of today" test "$(stale)" = 0 -a "$(wrong "$decay_before")" = 0
kill -TERM "$daemon"
wait "$daemon"
check "cobrod stops on SIGTERM" test $? = 0
check "and logged the walk" grep -q "worklist ranked as of" "$scratch/cobrod.log"

# Started again the same day, it finds every account ranked and walks none.
"$bindir/cobrod" --config "$scratch/cobrod.conf" --user t_cobrod 2>"$scratch/cobrod2.log" &
daemon=$!
for _ in $(seq 1 300); do
	grep -q "ranked as of\|ranking the worklist" "$scratch/cobrod2.log" && break
	sleep 0.1
done
kill -TERM "$daemon"
wait "$daemon"
check "started again the same day, cobrod finds the worklist ranked" grep -q "worklist already ranked as of $(q "select current_date")" "$scratch/cobrod2.log"
check "  and does not walk it" bash -c "! grep -q 'ranking the worklist' '$scratch/cobrod2.log'"

finish
