#!/usr/bin/env bash
# The holiday calendars in etc/holidays/ agree with the legal rules that make
# them (Easter, moved holidays, observed days), as recomputed by
# scripts/holidays/check.py. Its "ok"/"FAIL" lines become TAP.
set -u
cd "${COBRO_TOP:-$(dirname "$0")/../..}"
n=0 failed=0
out=$(/usr/bin/python3 scripts/holidays/check.py 2>&1)
rc=$?
while IFS= read -r line; do
	case "$line" in
	"ok "*) n=$((n + 1)); echo "ok $n - holidays: ${line#ok }" ;;
	"FAIL"*) n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - holidays: $line" ;;
	esac
done <<<"$out"
[ "$n" -gt 0 ] || { echo "not ok 1 - scripts/holidays/check.py printed no result"; echo "$out" | sed 's/^/# /'; exit 1; }
echo "1..$n"
[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]
