# Sourced by tests/cli/test_*.sh: TAP output, a scratch directory, and running
# a command with its exit status, stdout and stderr kept apart.
#
#   run CMD ARGS...        sets $rc, $out, $err (the streams as text)
#   check "what" TEST...   "ok N - what" when TEST (a command) succeeds,
#                          else "not ok N - what" with the last run shown
#   finish                 prints the plan; exits 1 when anything failed
set -u

top=${COBRO_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
bindir=${COBRO_BIN:-$top/bin}
tap_n=0
tap_failed=0
rc= out= err=
tap_run_what= tap_run_at=

scratch=$(mktemp -d "${TMPDIR:-/tmp}/cobro-cli-XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT

# No configuration of the person running the tests may count, nor their
# libpq service file.
export HOME=$scratch/home XDG_CONFIG_HOME=$scratch/home/.config
mkdir -p "$HOME"
unset PGSERVICE PGSERVICEFILE LANGUAGE
# Messages compared below are the untranslated ones (strerror included).
export LC_ALL=C.UTF-8 LANG=C.UTF-8

run() {
	"$@" >"$scratch/.out" 2>"$scratch/.err" </dev/null
	rc=$?
	tap_run_what=$* tap_run_at=$((tap_n + 1))
	tap_run_what=${tap_run_what:0:80}
	out=$(cat "$scratch/.out")
	err=$(cat "$scratch/.err")
}

check() {
	local what=$1
	shift
	tap_n=$((tap_n + 1))
	if "$@"; then
		echo "ok $tap_n - $what"
	else
		tap_failed=$((tap_failed + 1))
		echo "not ok $tap_n - $what"
		# The last run may belong to an earlier check: say which.
		[ -n "$tap_run_what" ] && echo "#   the last run, before check $tap_run_at: $tap_run_what"
		echo "#   exit status: $rc"
		printf '%s\n' "$out" | head -n 5 | sed 's/^/#   stdout: /'
		printf '%s\n' "$err" | head -n 5 | sed 's/^/#   stderr: /'
	fi
}

finish() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
	exit
}

# Predicates for check.
exit_is() { [ "$rc" -eq "$1" ]; }
exit_not() { [ "$rc" -ne "$1" ]; }
out_is() { [ "$out" = "$1" ]; }
err_is() { [ "$err" = "$1" ]; }
out_empty() { [ -z "$out" ]; }
err_empty() { [ -z "$err" ]; }
out_starts() { [[ "$out" == "$1"* ]]; }
err_starts() { [[ "$err" == "$1"* ]]; }
err_has() { [[ "$err" == *"$1"* ]]; }
err_lacks() { [[ "$err" != *"$1"* ]]; }
err_has_line() { printf '%s\n' "$err" | grep -qxF -- "$1"; }
err_lines_are() { [ "$(printf '%s\n' "$err" | grep -c '')" -eq "$1" ] && [ -n "$err" ]; }
