#!/usr/bin/env bash
# scripts/pg.sh: the private cluster starts on demand as root and as an
# ordinary user, and moves to /tmp when the server user cannot reach the tree.
. "$(dirname "$0")/tap.sh"
cd "$top"

port=54351
# An ordinary user: initdb and postgres run as that user directly.
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	dir=$scratch/as-nobody
	mkdir -p "$dir" && chown nobody "$dir" && chmod 755 "$scratch"
	run runuser -u nobody -- scripts/pg.sh start "$dir" $port
	check "an ordinary user starts a private cluster" test "$rc" = 0
	run psql -X -h "$dir" -p $port -U postgres -d cobro -tAc "select current_setting('port')"
	check "it serves database cobro on its socket directory and port" test "$out" = "$port"
	# Only its own OS user (and root) may connect: not another user, over
	# the socket or over TCP without a password.
	check "its socket is its owner's alone (0700)" test "$(stat -c %a "$dir/.s.PGSQL.$port")" = 700
	run runuser -u postgres -- psql -X -h "$dir" -p $port -U postgres -d cobro -tAc "select 1"
	check "another OS user (postgres) cannot connect through the socket" test "$rc" != 0 -a "$out" != 1
	run runuser -u postgres -- psql -X -w "host=127.0.0.1 port=$port user=postgres dbname=cobro" -tAc "select 1"
	check "nor through TCP without a password" test "$rc" != 0 -a "$out" != 1
	run runuser -u nobody -- scripts/pg.sh stop "$dir"
	check "and stops" test "$rc" = 0
	run runuser -u nobody -- scripts/pg.sh status "$dir"
	check "status says stopped (exit 3)" test "$rc" = 3
fi

# As root (the server runs as postgres): root connects as anyone, the
# tests do (as ana, sofia, ...); another OS user cannot, as the demo's
# database once let anyone in as superuser (issue 14).
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	dir=$scratch/as-root
	mkdir -p "$dir" && chmod 755 "$scratch"
	run scripts/pg.sh start "$dir" $port
	check "root starts a private cluster" test "$rc" = 0
	run psql -X -h "$dir" -p $port -U postgres -d cobro -tAc "select 1"
	check "root connects through the socket" test "$out" = 1
	check "the socket and its directory are the server user's alone (0700)" \
		test "$(stat -c %a "$dir/.s.PGSQL.$port") $(stat -c %a "$dir")" = "700 700"
	run runuser -u nobody -- psql -X -h "$dir" -p $port -U postgres -d cobro -tAc "select 1"
	check "another OS user (nobody) cannot connect through the socket" test "$rc" != 0 -a "$out" != 1
	run runuser -u nobody -- psql -X -w "host=127.0.0.1 port=$port user=postgres dbname=cobro" -tAc "select 1"
	check "nor through TCP without a password" test "$rc" != 0 -a "$out" != 1
	check "TCP is refused for want of a password, not for want of a server" \
		grep -q "password" <<<"$err"
	# A cluster an older pg.sh started with a socket anyone could reach is
	# started again, closed.
	runuser -u postgres -- chmod 777 "$dir/.s.PGSQL.$port"
	run scripts/pg.sh start "$dir" $port
	check "an open socket is closed at the next start" test "$rc" = 0 -a "$(stat -c %a "$dir/.s.PGSQL.$port")" = 700
	# Eight workstations opened at once each start the running cluster (make
	# run AS=...): every start succeeds, the server's library included.
	par=0
	for round in 1 2 3; do
		for i in 1 2 3 4 5 6 7 8; do scripts/pg.sh start "$dir" $port >"$scratch/par.$i" 2>&1 & done
		for i in 1 2 3 4 5 6 7 8; do wait -n || par=$((par + 1)); done
	done
	check "eight starts at once, three times, all succeed ($par failed)" test "$par" = 0
	run psql -X -h "$dir" -p $port -U postgres -d cobro -tAc "select 1"
	check "  and the cluster still answers" test "$out" = 1
	scripts/pg.sh stop "$dir" >/dev/null 2>&1
fi

# As root, a directory the postgres user cannot enter: the cluster moves to /tmp.
if [ "$(id -u)" -eq 0 ]; then
	priv=$scratch/private
	mkdir -p "$priv" && chmod 700 "$priv"
	run scripts/pg.sh start "$priv/pg" $port
	check "root: an unreachable directory falls back to /tmp" test "$rc" = 0
	check "root: and says so" grep -qF "using /tmp/cobro-pg-" <<<"$err"
	run bash -c "eval \"\$(scripts/pg.sh env '$priv/pg' $port)\"; psql -X -U postgres -tAc 'select 1'"
	check "root: pg.sh env points at the moved cluster" test "$out" = 1
	alt=$(scripts/pg.sh env "$priv/pg" $port | sed 's/.*PGHOST=\([^ ]*\).*/\1/')
	scripts/pg.sh stop "$priv/pg" >/dev/null 2>&1
	case "$alt" in /tmp/cobro-pg-*) rm -rf "$alt" ;; esac
fi

run scripts/pg.sh frobnicate
check "an unknown command is a usage error (exit 2)" test "$rc" = 2
finish
