#!/usr/bin/env bash
# A private PostgreSQL cluster for cobro: created and started on demand.
#
#   scripts/pg.sh start  [DIR] [PORT]   initdb if needed, start, create database cobro
#   scripts/pg.sh stop   [DIR]          fast shutdown
#   scripts/pg.sh restart [DIR] [PORT]
#   scripts/pg.sh status [DIR]
#   scripts/pg.sh env    [DIR] [PORT]   print PGHOST/PGPORT/PGDATABASE/PGUSER exports
#
# DIR defaults to var/pg, PORT to 54329. The socket lives in DIR itself, so the
# cluster needs no TCP to be reached; it also listens on 127.0.0.1 for tools that
# want TCP. initdb and postgres refuse to run as root: as root we run them as the
# postgres system user, which must be able to reach DIR; when it cannot (a tree
# under /root), the cluster moves to /tmp and we say so.
set -euo pipefail

cmd=${1:-status}
dir=${2:-var/pg}
port=${3:-54329}

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "pg.sh: PostgreSQL server binaries not found (run scripts/deps.sh run)" >&2; exit 1; }

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

# As root, the server runs as postgres: it must be able to enter every parent.
if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
	alt="/tmp/cobro-pg-$(echo "$dir" | md5sum | cut -c1-8)"
	[ "$cmd" = start ] && echo "pg.sh: postgres cannot reach $dir; using $alt instead" >&2
	mkdir -p "$alt"
	dir=$alt
fi

# The socket path (dir + /.s.PGSQL.port) must fit in 107 bytes.
if [ ${#dir} -gt 90 ]; then
	alt="/tmp/cobro-pg-$(echo "$dir" | md5sum | cut -c1-8)"
	mkdir -p "$alt"
	dir=$alt
fi

data="$dir/data"

running() { [ -f "$data/postmaster.pid" ] && as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; }

case "$cmd" in
start|restart)
	if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
	if [ ! -f "$data/PG_VERSION" ]; then
		as_owner "$bindir/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
			--auth-local=trust --auth-host=scram-sha-256 --no-sync --no-instructions >/dev/null
	fi
	# --- Who may connect (issue 14): the cluster's own OS user only. ------
	# The socket, and the directory that holds it and the server's log, are
	# the owner's alone (0700; root, who runs the tests, passes anyway), so
	# `trust` on the socket trusts that user and nobody else; TCP, on
	# 127.0.0.1 only, always asks for a password. Written at every start, so
	# a cluster made by an older pg.sh is closed too (docs/operations.md).
	chmod 700 "$dir"
	as_owner sh -c 'printf "%s\n" "# Written by scripts/pg.sh at every start (docs/operations.md)." \
		"unix_socket_permissions = 0700" >"$1/cobro_access.conf"' sh "$data"
	if ! grep -qx "include_if_exists = 'cobro_access.conf'" "$data/postgresql.conf"; then
		as_owner sh -c 'echo "include_if_exists = '"'"'cobro_access.conf'"'"'" >>"$1/postgresql.conf"' sh "$data"
	fi
	as_owner sh -c 'cat >"$1/pg_hba.conf"' sh "$data" <<'HBA'
# Written by scripts/pg.sh at every start (docs/operations.md). The socket is
# the cluster's own OS user's alone (unix_socket_permissions = 0700, in a
# 0700 directory): trust there is that user's. TCP always asks a password.
local   all   all                  trust
host    all   all   127.0.0.1/32   scram-sha-256
host    all   all   ::1/128        scram-sha-256
HBA
	# A cluster started before with a socket anyone could reach: started again.
	if running && [ "$(stat -c %a "$dir/.s.PGSQL.$port" 2>/dev/null)" != 700 ]; then
		as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
	fi
	# --- end of who may connect --------------------------------------------
	if [ "$cmd" = restart ] && running; then
		as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
	fi
	# cobro's contact-policy check (lib/cobro_policy.so, built by make) is
	# copied beside the data, where the server can always read it, and found
	# there through dynamic_library_path; an installed cobro has it in the
	# server's own $libdir (make install). Replaced by a rename, so that a
	# running server's backends keep the copy they loaded.
	so="$(cd "$(dirname "$0")/.." && pwd)/lib/cobro_policy.so"
	if [ -f "$so" ]; then
		mkdir -p "$dir/lib"
		# Two workstations opened at once both come here: each copies to a
		# name of its own, and only a library that changed is replaced.
		if ! cmp -s "$so" "$dir/lib/cobro_policy.so"; then
			cp "$so" "$dir/lib/.cobro_policy.so.$$" && mv -f "$dir/lib/.cobro_policy.so.$$" "$dir/lib/cobro_policy.so"
		fi
		if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$dir/lib"; fi
		# A cluster started before it looked there is restarted, once.
		if running && ! grep -qF "dynamic_library_path=\$libdir:$dir/lib" "$data/postmaster.opts" 2>/dev/null; then
			echo "pg.sh: restarting the cluster in $dir so that it finds cobro_policy.so" >&2
			as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
		fi
	fi
	if ! running; then
		# fsync off: this cluster is for the demo and the tests, never production.
		as_owner "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 30 -o \
			"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=512MB -c maintenance_work_mem=512MB -c max_wal_size=4GB -c checkpoint_timeout=30min -c wal_level=minimal -c max_wal_senders=0" \
			-o "-c dynamic_library_path='\$libdir:$dir/lib'" \
			start >/dev/null || { tail -n 20 "$dir/server.log" >&2; exit 1; }
	fi
	if ! psql -h "$dir" -p "$port" -U postgres -d postgres -tAc "select 1 from pg_database where datname='cobro'" | grep -q 1; then
		psql -h "$dir" -p "$port" -U postgres -d postgres -qc "create database cobro" >/dev/null
	fi
	;;
stop)
	if running; then as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi
	;;
status)
	if running; then echo "running: $dir port $port"; else echo "stopped: $dir"; exit 3; fi
	;;
env)
	# Quoted for eval: a checkout's path may hold spaces.
	printf 'export PGHOST=%q PGPORT=%q PGDATABASE=cobro\n' "$dir" "$port"
	;;
*)
	echo "usage: $0 start|stop|restart|status|env [DIR] [PORT]" >&2; exit 2 ;;
esac
