#!/usr/bin/env bash
# Issue 15, line 6: how long a collector may undo the wrong number or the
# dispute a call of theirs marked is the administrator's to set, through
# cobroctl undo window (cobro.undo_setting), audited; no one else's.
. "$(dirname "$0")/tap.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
ctl() { run "$bindir/cobroctl" --database "dbname=cobro" --user "$1" "${@:2}"; }

was=$(q "select window_seconds from cobro.undo_setting")
ctl admin undo window
check "cobroctl undo window prints the window ($was s)" \
	test "$rc" = 0 -a "$out" = "a call's wrong number or dispute may be undone for $was s"
audits=$(q "select count(*) from cobro.audit where tbl = 'undo_setting'")
ctl admin undo window 300
check "admin sets it to 300 s" test "$rc" = 0 -a "$(q "select window_seconds from cobro.undo_setting")" = 300
check "  audited in admin's name" \
	test "$(q "select count(*) from cobro.audit where tbl = 'undo_setting' and actor = 'admin' and new->>'window_seconds' = '300'")" -ge 1 -a \
	"$(q "select count(*) from cobro.audit where tbl = 'undo_setting'")" -gt "$audits"
ctl admin undo window 7200
check "beyond an hour is refused by cobroctl" \
	test "$rc" != 0 -a "$err" = 'cobroctl: undo window: "7200" is not a whole number from 0 to 3600'
ctl sofia undo window 3600
check "sofia cannot set it" test "$rc" != 0 -a "$(q "select window_seconds from cobro.undo_setting")" = 300
ctl ana undo window
check "ana may read it" test "$rc" = 0 -a "$out" = "a call's wrong number or dispute may be undone for 300 s"
ctl admin undo window "$was"
finish
