# Shared by the end-to-end tests: the workstation in a detached tmux of fixed
# size, keys sent, the pane read back (as tmux's own regress tests do).
# Needs COBRO_BIN (the binaries), PGHOST/PGPORT (the test cluster).

export LANG=C.UTF-8 LC_ALL=C.UTF-8
E2E_SOCK="cobro-e2e-$$"
E2E_CONF=$(mktemp)
# Windows keep the name of their session: tmux looks a bare "-t c" up as a
# window name, and its prefix, before a session, so a window renamed after
# its program ("cobro", "bash", "env") would take keys meant for session c,
# b or e (it did, now and then).
printf 'set -g remain-on-exit on\nset -g history-limit 5000\nset -g status off\nset -g automatic-rename off\nset -g allow-rename off\n' >"$E2E_CONF"
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
	tm new-session -d -s "$name" -n "$name" -x "$cols" -y "$rows" -e LANG=C.UTF-8 \
		"$cmd; echo \"[exit=\$?]\"; stty -a | tr ' ' '\\n' | grep -E '^-?(echo|icanon)\$' | tr '\\n' ' '; echo"
}

# "=NAME:" is session NAME exactly, never a window whose name starts so.
screen() { tm capture-pane -p -t "=$1:"; }
screen_all() { tm capture-pane -p -S - -t "=$1:"; }
keys() { local n=$1; shift; tm send-keys -t "=$n:" "$@"; }
text() { tm send-keys -t "=$1:" -l "$2"; }

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

# eventually SECONDS COMMAND...: polls until the command succeeds, at most
# SECONDS; not COMMAND...: it fails.
eventually() {
	local deadline=$((SECONDS + $1)) secs=$1 what
	shift
	until "$@"; do
		if [ $SECONDS -gt $deadline ]; then
			# Said, as poll_for says it: a wait that never holds costs its
			# whole deadline on every run, silently otherwise.
			what=$*
			echo "# eventually: gave up after $secs s: ${what:0:120}" >&2
			return 1
		fi
		sleep 0.05
	done
}
not() { ! "$@"; }

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

# cobro_pid NAME: the workstation's process in pane NAME: its own, found
# as the pane's child, never by its command line (the same login's
# workstation may run in another lane's test at the same moment).
cobro_pid() { pgrep -P "$(tm display -p -t "=$1:" '#{pane_pid}')" -x cobro; }

# own_cluster_start DIR BASE: a cluster of the suite's own in DIR, on the
# first free port from BASE (set in $pgport). The same suite may run at the
# same moment in another lane (tests/run.sh: the sanitizers' e2e lane): a
# port taken between the look and the start is tried again further on.
own_cluster_start() {
	local tries=0
	pgport=$2
	while :; do
		while (exec 3<>"/dev/tcp/127.0.0.1/$pgport") 2>/dev/null; do pgport=$((pgport + 1)); done
		"$COBRO_TOP/scripts/pg.sh" start "$1" "$pgport" >"$1.start.log" 2>&1 && return 0
		tries=$((tries + 1))
		if [ "$tries" -ge 5 ] || ! grep -q 'Address already in use' "$1.start.log"; then
			cat "$1.start.log"
			return 1
		fi
		pgport=$((pgport + 1 + RANDOM % 8))
	done
}

# The contact policy is asked about a working Tuesday, 10:00 in Bogotá, after
# the demo's anchor (tests/lib/clock.sh), so that what may be called depends
# neither on the day nor on the hour the tests run at. What the server dates
# (now(), current_date: DPD, callbacks due, leases) is the run's clock.
# A test with a cluster of its own (E2E_OWN_CLUSTER=1) sets its own clock.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/clock.sh"
: "${COBRO_TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
if [ -z "${E2E_OWN_CLUSTER:-}" ]; then
	clock_init || exit 1
	export COBRO_NOW=$COBRO_TEST_NOW
fi
cobro_cmd() { echo "$COBRO_BIN/cobro --database 'host=$PGHOST port=$PGPORT dbname=cobro' --user $1"; }

# golden NAME FILE: the pane is tests/e2e/golden/FILE, character for character
# (trailing blanks aside: tmux does not keep them). COBRO_GOLDEN_UPDATE=1
# writes the file instead: goldens change on purpose only. Each FILE compared
# is listed in $scratch/compared when the test has a $scratch.
golden() {
	local name=$1 file=$COBRO_TOP/tests/e2e/golden/$2 got rc=0
	got=$(mktemp)
	screen "$name" >"$got" # every row, the empty ones at the bottom too
	[ -n "${scratch:-}" ] && echo "$2" >>"$scratch/compared"
	if [ -n "${COBRO_GOLDEN_UPDATE:-}" ]; then
		mkdir -p "$(dirname "$file")"
		cp "$got" "$file"
		echo "# wrote $file" >&2
	elif [ ! -f "$file" ]; then
		echo "# no $file: make golden writes it" >&2
		rc=1
	elif ! diff -u "$file" "$got" >&2; then
		echo "# the screen differs from $file (make golden rewrites the goldens)" >&2
		rc=1
	fi
	rm -f "$got"
	return "$rc"
}
