#!/usr/bin/env bash
# The demo behind `make run`: a private database in var/pg with the demo
# portfolio, and the workstation opened as one of the demo people.
#
#   scripts/demo.sh up          start the database, create the schema, load the demo once
#   scripts/demo.sh open LOGIN  open bin/cobro as LOGIN (ana, luis, carla, diego, sofia, marta, admin)
#   scripts/demo.sh down        stop everything `up` started
#   scripts/demo.sh psql        psql on the demo database as the administrator
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
port=54329

scripts/pg.sh "$([ "${1:-}" = down ] && echo status || echo start)" var/pg $port >/dev/null 2>&1 || true
eval "$(scripts/pg.sh env var/pg $port)"
conninfo="host=$PGHOST port=$PGPORT dbname=cobro"

case "${1:-}" in
up)
	mkdir -p var
	# The administrator's connection: the superuser over the private socket.
	bin/cobroctl --database "$conninfo user=postgres" init >/dev/null
	n=$(psql -X -h "$PGHOST" -p "$PGPORT" -U postgres -d cobro -tAc "select count(*) from cobro.account")
	if [ "$n" = 0 ]; then
		echo "Loading the demo portfolio (once; 'make stop && rm -rf var/pg' to start afresh)..."
		bin/cobroctl --database "$conninfo user=postgres" demo
	fi
	# The contact rules, so the worklist and account screens judge contacts.
	if [ "$(psql -X -h "$PGHOST" -p "$PGPORT" -U postgres -d cobro -tAc "select count(*) from cobro.contact_policy")" = 0 ]; then
		bin/cobroctl --database "$conninfo" --user admin policy load etc/policy.conf >/dev/null
	fi
	umask 077
	cat > var/cobro.conf <<CONF
# Written by scripts/demo.sh for make run; see etc/cobro.conf for every setting.
database = "$conninfo";
CONF
	;;
open)
	who=${2:-ana}

	exec bin/cobro --config var/cobro.conf --user "$who"
	;;
down)
	scripts/pg.sh stop var/pg
	echo "stopped"
	;;
psql)
	exec psql -X -h "$PGHOST" -p "$PGPORT" -U postgres -d cobro
	;;
*)
	echo "usage: $0 up|open LOGIN|down|psql" >&2
	exit 2
	;;
esac
