# Shared by the end-to-end tests: the workstation in a detached tmux of fixed
# size, keys sent, the pane read back (as tmux's own regress tests do).
# Needs COBRO_BIN (the binaries), PGHOST/PGPORT (the test cluster).

export LANG=C.UTF-8 LC_ALL=C.UTF-8
E2E_SOCK="cobro-e2e-$$"
E2E_CONF=$(mktemp)
printf 'set -g remain-on-exit on\nset -g history-limit 5000\nset -g status off\n' >"$E2E_CONF"
tap_n=0
tap_failed=0
trap 'tmux -L "$E2E_SOCK" kill-server 2>/dev/null; rm -f "$E2E_CONF"' EXIT

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
not_ok() { tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $*"; }
# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
finish() { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }

tm() { tmux -L "$E2E_SOCK" -f "$E2E_CONF" "$@"; }

# app_start NAME COMMAND [COLS ROWS]: the command's exit status is printed as
# [exit=N] when it ends, and the pane stays so the last screen can be read.
app_start() {
	local name=$1 cmd=$2 cols=${3:-80} rows=${4:-24}
	tm new-session -d -s "$name" -x "$cols" -y "$rows" -e LANG=C.UTF-8 \
		"$cmd; echo \"[exit=\$?]\"; stty -a | tr ' ' '\\n' | grep -E '^-?(echo|icanon)\$' | tr '\\n' ' '; echo"
}

screen() { tm capture-pane -p -t "$1"; }
screen_all() { tm capture-pane -p -S - -t "$1"; }
keys() { local n=$1; shift; tm send-keys -t "$n" "$@"; }
text() { tm send-keys -t "$1" -l "$2"; }

# poll_for CAPTURE NAME TEXT [SECONDS]: polls the pane (read by CAPTURE,
# screen or screen_all) until TEXT shows (fixed string), with a deadline.
poll_for() {
	local capture=$1 name=$2 want=$3 deadline=$((SECONDS + ${4:-5}))
	while [ $SECONDS -le $deadline ]; do
		"$capture" "$name" | grep -qF -- "$want" && return 0
		sleep 0.05
	done
	echo "# timed out waiting for: $want" >&2
	screen "$name" | sed 's/^/# | /' >&2
	return 1
}

# wait_for NAME TEXT [SECONDS]: what scrolled away counts too (the exit line).
wait_for() { poll_for screen_all "$@"; }
# wait_screen NAME TEXT [SECONDS]: only what is on the screen now counts.
wait_screen() { poll_for screen "$@"; }

# line_has NAME LINE TEXT: the pane's line LINE (1 is the top; $ the last) holds TEXT.
line_has() { screen "$1" | sed -n "$2p" | grep -qF -- "$3"; }
line_matches() { screen "$1" | sed -n "$2p" | grep -qE -- "$3"; }

# A notification channel's name, as src/core/notify.h defines it
# (channel NOTIFY_ACCOUNT): the tests notify what the programs listen to.
channel() {
	sed -n "s/^#define $1 \"\\(.*\\)\"/\\1/p" "${COBRO_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}/src/core/notify.h"
}

# As a given login role, through row-level security, like the workstation.
sql_as() { local who=$1; shift; psql -X -qAt -U "$who" -d cobro -c "$*"; }

# until_true SECONDS SQL: polls, as postgres, until SQL answers t. What the
# workstation does just after a paint (taking a lease) may come a moment later.
until_true() {
	local deadline=$((SECONDS + $1))
	until [ "$(psql -X -qAt -U postgres -d cobro -c "$2")" = t ]; do
		[ $SECONDS -gt $deadline ] && return 1
		sleep 0.05
	done
}

# The contact policy is asked about a fixed Tuesday, 10:00 in Bogotá, so that
# what may be called does not depend on the hour the tests run at.
export COBRO_NOW=2026-11-24T15:00:00Z
cobro_cmd() { echo "$COBRO_BIN/cobro --database 'host=$PGHOST port=$PGPORT dbname=cobro' --user $1"; }

# golden NAME FILE [LINE...]: the pane matches tests/e2e/golden/FILE, but for
# the LINEs given (1 is the top), whose text depends on the data and the day.
# COBRO_GOLDEN_UPDATE=1 writes the file instead: goldens change on purpose only.
golden() {
	local name=$1 file=$COBRO_TOP/tests/e2e/golden/$2 got mask=""
	shift 2
	for l in "$@"; do mask="$mask${l}s/.*/<varies>/;"; done
	got=$(screen "$name" | sed "$mask")
	if [ -n "${COBRO_GOLDEN_UPDATE:-}" ]; then
		mkdir -p "$(dirname "$file")"
		printf '%s\n' "$got" >"$file"
		echo "# wrote $file" >&2
		return 0
	fi
	if ! diff -u "$file" <(printf '%s\n' "$got") >&2; then
		echo "# the screen differs from $file (COBRO_GOLDEN_UPDATE=1 rewrites it)" >&2
		return 1
	fi
}
