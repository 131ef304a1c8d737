#!/usr/bin/env bash
# The layout docs/architecture.md draws holds: the core (src/core) is one
# library that cannot include curses, each program links only what it uses,
# and no module sits in a circle of includes or of references.
. "$(dirname "$0")/tap.sh"
cd "$top"
build=${COBRO_BUILD:-build/release}

echo '#include <curses.h>' >"$scratch/c.c"
run cc -E -I"$build/nocurses" "$scratch/c.c"
check "the core is compiled where #include <curses.h> is an error" \
	bash -c '[ "$1" -ne 0 ] && grep -q "knows no curses" <<<"$2"' _ "$rc" "$err"
check "the core's sources include no curses" bash -c '! grep -rlE "#\s*include\s*<n?curses" src/core src/cobrod src/cobroctl'
check "the core is a static library" test -s "$build/libcobro.a"

libs() { ldd "$bindir/$1" | awk '{print $1}'; }
check "cobro links neither libmicrohttpd nor libcurl" bash -c '! grep -qE "libmicrohttpd|libcurl" <<<"$1"' _ "$(libs cobro)"
check "cobrod and cobroctl link no curses" \
	bash -c '! grep -qE "ncurses|tinfo" <<<"$1$2"' _ "$(libs cobrod)" "$(libs cobroctl)"
check "cobroctl links neither libmicrohttpd nor libcurl" bash -c '! grep -qE "libmicrohttpd|libcurl" <<<"$1"' _ "$(libs cobroctl)"
check "cobro carries no demo generator" bash -c '! nm "$1" | grep -qE " (demo_load|demo_gen_)"' _ "$bindir/cobro"
check "cobrod carries no demo generator" bash -c '! nm "$1" | grep -qE " (demo_load|demo_gen_)"' _ "$bindir/cobrod"

run scripts/layout-check.py includes
check "no circle of includes among the modules${out:+: $out}" test "$rc" = 0
run scripts/layout-check.py links "$build/src/core" "$build/src/cobrod" "$build/src/cobroctl" "$build/src/cobro"
check "no circle of references, and the core uses no program's code${out:+: $out}" test "$rc" = 0

# The screens: the manager names no screen (the registry main hands it does),
# the screens reference no program's code, and no two screens or widgets
# reference each other in a circle.
run scripts/layout-check.py links "$build/screens" "$build/src/cobro"
check "no circle of references among the screens, widgets and manager${out:+: $out}" test "$rc" = 0
check "the screens' layout (screens/layout) includes no curses" \
	bash -c '! grep -rlE "#\s*include\s*<n?curses" screens/layout'
check "the layout unit test links no curses" \
	bash -c '! ldd "$1" | grep -qE "ncurses|tinfo"' _ "$build/tests/test_layout"
# Columns in display cells: no printf width or precision on text (%-14s,
# %*s, %.*s count bytes) in the screens or cobroctl's tables.
run grep -rnE '%-?[0-9*]+(\.[0-9*]+)?s|%\.[0-9*]+s' screens src/cobroctl/cmd_*.c src/core/agent.c
check "no printf width on text in screens/ or cobroctl's tables${out:+: $out}" test "$rc" = 1

# cobroctl: one file per command group behind a command table.
for f in src/cobroctl/cmd_*.c; do
	check "$(basename "$f") is one entry of cobroctl's command table" \
		bash -c 'grep -qE "^const struct ctl_command ctl_[a-z]+_cmd" "$1"' _ "$f"
done
# A test script without its run bit would fail in make check: say which here too.
for f in tests/*/test_*.sh tests/db/run.sh tests/run.sh tests/lib/python3-real-clock; do
	check "$f has its run bit" test -x "$f"
done
# And git keeps it, so that a fresh clone has it too.
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	modes=$(cd "$top" && git ls-files -s -- 'tests/*/test_*.sh' tests/db/run.sh tests/run.sh tests/lib/python3-real-clock |
		awk '$1 != "100755" { print $4 }')
	check "git records every test script as executable${modes:+ (not: $modes)}" test -z "$modes"
fi
finish
