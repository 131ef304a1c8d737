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
	run runuser -u nobody -- scripts/pg.sh stop "$dir"
	check "and stops" test "$rc" = 0
	run runuser -u nobody -- scripts/pg.sh status "$dir"
	check "status says stopped (exit 3)" test "$rc" = 3
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
