#!/usr/bin/env bash
# cobro(1) lists every key of every screen as the action table binds it: each
# line of `cobro --keys` (screen, key, action) must be in the man page under
# that screen, or under "Every screen" for the keys every screen shares.
. "$(dirname "$0")/tap.sh"
man=$top/man/cobro.1
run "$bindir/cobro" --keys
check "cobro --keys lists the keys" test "$rc" = 0 -a -n "$out"
# The section of the man page for a screen: from ".SS Name" under KEYS to the next .S[SH].
section() { awk -v want="$1" '/^\.SH KEYS/ { inkeys = 1 } inkeys && /^\.S[SH]/ { on = ($0 == ".SS " want) } on' "$man"; }
every=$(section "Every screen")
while IFS=$'\t' read -r screen key action help; do
	esc=$(printf '%s' "$key" | sed 's/-/\\\\-/g')
	entry=".BR \"$esc\" \" ($action)\""
	title=$(echo "${screen:0:1}" | tr a-z A-Z)${screen:1}
	if grep -qF -- "$entry" <<<"$every"; then
		ok_line=1
	else
		grep -qF -- "$entry" <<<"$(section "$title")" && ok_line=1 || ok_line=0
	fi
	check "cobro(1) shows $screen: $key ($action)" test "$ok_line" = 1
done <<<"$out"
finish
