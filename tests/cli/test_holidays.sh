#!/usr/bin/env bash
# The holiday calendars agree with the legal rules that make them (Easter,
# moved holidays, observed days), as recomputed independently by
# scripts/holidays/check.py: the dated files cobro shipped for 2026 and 2027
# (tests/holidays/legacy/), and what the engine computes from
# etc/holidays/*.conf for 2026 to 2030 (`cobroctl policy holidays`). Its
# "ok"/"FAIL" lines become TAP.
set -u
cd "${COBRO_TOP:-$(dirname "$0")/../..}"
bindir=${COBRO_BIN:-$PWD/bin}
n=0 failed=0 rc=0
out=$(/usr/bin/python3 scripts/holidays/check.py 2>&1) || rc=1
out+=$'\n'$(/usr/bin/python3 scripts/holidays/check.py --cobroctl "$bindir/cobroctl" --rules etc/policy.conf \
	--years 2026-2030 2>&1) || rc=1
while IFS= read -r line; do
	case "$line" in
	"ok "*) n=$((n + 1)); echo "ok $n - holidays: ${line#ok }" ;;
	"FAIL"*) n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - holidays: $line" ;;
	esac
done <<<"$out"
[ "$n" -gt 0 ] || { echo "not ok 1 - scripts/holidays/check.py printed no result"; echo "$out" | sed 's/^/# /'; exit 1; }
echo "1..$n"
[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]
