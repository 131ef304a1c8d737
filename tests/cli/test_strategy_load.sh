#!/usr/bin/env bash
# Strategies (issue 18, lines 7 and 9): cobroctl strategy check, load and
# show, and template remove beside them. The shipped etc/strategy.conf is
# good and loads as a version with its diff against the one before,
# audited; a file that names an unknown template, channel or segment, has
# steps out of order or percents that do not sum to 100 is refused with
# FILE:LINE and stores nothing (the version in force stays); a template the
# strategy in force sends is not removed. In a database of its own, so that
# the shared demo's strategy stays as it was.
. "$(dirname "$0")/tap.sh"

db=cobro_strategy_$$
psql -X -q -U postgres -d postgres -c "CREATE DATABASE $db" || exit 1
cleanup() {
	psql -X -q -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$scratch"
}
trap cleanup EXIT
q() { psql -X -qAt -v ON_ERROR_STOP=1 -U postgres -d "$db" -c "$1"; }
ctl() { run "$bindir/cobroctl" --database "dbname=$db" --user "$1" "${@:2}"; }
"$bindir/cobroctl" --database "dbname=$db user=postgres" init >/dev/null || exit 1

conf=$top/etc/strategy.conf
versions() { q "select count(*) from cobro.strategy_version"; }
in_force() { q "select coalesce(max(version), 0) from cobro.strategy_version"; }
# The line of FILE that matches the fixed string S, the first one.
line_of() { grep -nF -- "$2" "$1" | head -n 1 | cut -d: -f1; }

# ------------------------------------------------------------------ check
ctl postgres strategy check "$conf" --templates "$top/etc/templates"
check "the shipped etc/strategy.conf is good, against etc/templates" \
	eval 'test "$rc" = 0 && out_starts "$conf: 4 segments, "'
ctl postgres strategy check "$conf"
check "  without --templates, it says the templates were not checked" \
	eval 'test "$rc" = 0 && grep -qF "templates not checked" <<<"$out"'

# ------------------------------------------------------------------- load
ctl postgres strategy load "$conf"
check "loading it with no template in the database: refused (exit 2), FILE:LINE for each unknown one" \
	eval 'test "$rc" = 2 && grep -qE "^$conf:[0-9]+: ladder retail, step pre3: unknown template \"preventive_reminder\" for channel sms$" <<<"$err"'
check "  nothing stored" test "$(versions)" = 0

ctl postgres template add "$top/etc/templates"
audit_before=$(q "select coalesce(max(id), 0) from cobro.audit")
ctl postgres strategy load "$conf"
check "with the templates there, the shipped file loads as version 1" \
	eval 'test "$rc" = 0 && out_starts "stored strategy version 1"'
check "  its diff against nothing: every line added" \
	test "$(grep -c '^+' <<<"$out")" = "$(grep -c '' "$conf")"
check "  on the audit chain" \
	test "$(q "select count(*) from cobro.audit where tbl = 'strategy_version' and id > $audit_before")" = 1
check "  its digest is the file's SHA-256" \
	test "$(q "select digest from cobro.strategy_version where version = 1")" = "$(sha256sum "$conf" | cut -d' ' -f1)"

# A second version: its diff against the one in force.
sed 's/catch_up_days = 2;/catch_up_days = 3;/' "$conf" >"$scratch/strategy.conf"
n=$(line_of "$conf" "catch_up_days = 2;")
ctl postgres strategy load "$scratch/strategy.conf"
check "a changed file loads as version 2 and prints its diff against version 1" \
	eval 'test "$rc" = 0 && test "$(printf "%s\n" "$out" | sed -n "1,4p")" = "stored strategy version 2
@@ line $n
-  catch_up_days = 2;       # a step more than this many days late is recorded '"'"'skipped'"'"', never sent
+  catch_up_days = 3;       # a step more than this many days late is recorded '"'"'skipped'"'"', never sent"'
check "  the diff is kept with the version" \
	test "$(q "select diff like '%+  catch_up_days = 3;%' from cobro.strategy_version where version = 2")" = t

ctl postgres strategy show
check "show: the version in force, who loaded it from where, its text" \
	eval 'test "$rc" = 0 && out_starts "strategy version 2, loaded " &&
	grep -qF "by postgres from $scratch/strategy.conf" <<<"$out" && grep -qF "catch_up_days = 3;" <<<"$out"'
ctl postgres strategy show --version 1
check "show --version 1: that version" eval 'test "$rc" = 0 && out_starts "strategy version 1, loaded " &&
	grep -qF "catch_up_days = 2;" <<<"$out"'
ctl postgres strategy show --version 9
check "show --version of none: exit 1, says so" eval 'test "$rc" = 1 && err_has "no strategy version 9"'

# ------------------------------------------------------- bad files (line 9)
# Each one the shipped file with one mistake; the error names its line.
bad() {
	local name=$1 pattern=$2 replacement=$3
	sed "s/$pattern/$replacement/" "$conf" >"$scratch/$name.conf"
	cmp -s "$conf" "$scratch/$name.conf" && { echo "# bad file $name: the pattern matched nothing" >&2; return 1; }
	line_of "$scratch/$name.conf" "$replacement"
}
refused() {
	local name=$1 line=$2 want=$3 before
	before=$(in_force)
	ctl postgres strategy load "$scratch/$name.conf"
	check "$name: refused with $name.conf:$line (exit 2)" \
		eval 'test "$rc" = 2 && grep -qE "^$scratch/$name.conf:$line: .*$want" <<<"$err"'
	check "  the version in force stays (nothing stored)" \
		eval 'test "$(in_force)" = "$before" && err_has_line "cobroctl: nothing was stored: the strategy in force stays"'
}
l=$(bad template 'template = "overdue_notice"; unless_reply_days' 'template = "no_such_notice"; unless_reply_days')
refused template "$l" 'unknown template "no_such_notice" for channel whatsapp'
l=$(bad channel 'dpd = 10; channel = "email"' 'dpd = 10; channel = "fax"')
refused channel "$l" 'unknown channel "fax"'
l=$(bad segment 'when = { dpd_min = 31; }' 'when = { dpd_min = 31; from_segment = ["nowhere"]; }')
refused segment "$l" 'unknown segment "nowhere"'
l=$(bad order '{ name = "dpd5";  dpd = 5;  channel = "sms"' '{ name = "dpd5";  dpd = 0;  channel = "sms"')
refused order "$l" 'comes after step .*: steps are written in time order'
l=$(bad percent 'percent = 20;' 'percent = 30;')
refused percent "$(line_of "$scratch/percent.conf" 'variants = (')" "the variants' percents sum to 110, not 100"

ctl postgres strategy check "$scratch/channel.conf"
check "check refuses the same file with the same FILE:LINE (exit 2)" \
	eval 'test "$rc" = 2 && grep -qE "^$scratch/channel.conf:[0-9]+: .*unknown channel \"fax\"" <<<"$err"'

# --------------------------------------------------------- template remove
ctl postgres template remove overdue_notice --channel whatsapp
check "template remove: one the strategy in force sends is refused, naming where" \
	eval 'test "$rc" = 1 && err_has "template remove: the strategy in force sends overdue_notice by whatsapp ($scratch/strategy.conf:" &&
	err_has_line "cobroctl: nothing was removed"'
check "  it stays" test "$(q "select count(*) from cobro.template where code = 'overdue_notice' and channel = 'whatsapp'")" = 2
ctl postgres template remove overdue_notice --channel whatsapp --language en
check "  one of its languages may go: the other stays for the step" eval 'test "$rc" = 0 -a "$out" = "removed 1 template"'
ctl postgres template remove overdue_notice --channel whatsapp --language es
check "  not the last one" test "$rc" = 1
ctl postgres template remove payment_received
check "a template the strategy does not send is removed" eval 'test "$rc" = 0 && out_starts "removed "'

finish
