#!/usr/bin/env bash
# The demo behind `make run`: a private database in var/pg with the demo
# portfolio, the shipped templates and contact rules; Kannel with its fake
# operator and an SMTP server that keeps every mail (scripts/services.sh, in
# var/services); a cobrod sending what the demo people queue (var/cobrod.log);
# and the workstation opened as one of the demo people.
#
#   scripts/demo.sh up          start the database, create the schema, load the demo once,
#                               start Kannel, SMTP and cobrod
#   scripts/demo.sh open LOGIN  open bin/cobro as LOGIN (ana, luis, carla, diego, sofia, marta, admin)
#   scripts/demo.sh down        stop everything `up` started
#   scripts/demo.sh psql        psql on the demo database as the administrator
#
# Environment: COBRO_DEMO_DIR (var), COBRO_DEMO_PGPORT (54329),
# COBRO_DEMO_ACCOUNTS (cobroctl's default), COBROD_HTTP_PORT (8090), and the
# Kannel and SMTP ports scripts/services.sh reads.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
# Where and on which ports (tests run a second demo beside a developer's):
var=${COBRO_DEMO_DIR:-var}
port=${COBRO_DEMO_PGPORT:-54329}
demo_http=${COBROD_HTTP_PORT:-8090}
accounts=${COBRO_DEMO_ACCOUNTS:+--accounts $COBRO_DEMO_ACCOUNTS}

# Every command but down needs the database running; why it cannot start
# (pg.sh shows the server's log) is the first thing to see.
if [ "${1:-}" != down ] && ! scripts/pg.sh start "$var/pg" "$port" >/dev/null; then
	echo "demo: cannot start the database in $var/pg on port $port" >&2
	exit 1
fi
eval "$(scripts/pg.sh env "$var/pg" "$port")"
# The socket directory quoted as libpq reads a value ('...', with \ and '
# escaped), for a checkout whose path holds spaces or quotes.
host=${PGHOST//\\/\\\\}
host=${host//\'/\\\'}
conninfo="host='$host' port=$PGPORT dbname=cobro"

case "${1:-}" in
up)
	mkdir -p "$var"
	# The administrator's connection: the superuser over the private socket.
	bin/cobroctl --database "$conninfo user=postgres" init >/dev/null
	n=$(psql -X -h "$PGHOST" -p "$PGPORT" -U postgres -d cobro -tAc "select count(*) from cobro.account")
	if [ "$n" = 0 ]; then
		echo "Loading the demo portfolio (once; 'make stop && rm -rf $var/pg' to start afresh)..."
		bin/cobroctl --database "$conninfo user=postgres" demo $accounts
	fi
	# The contact rules, so the worklist and account screens judge contacts.
	if [ "$(psql -X -h "$PGHOST" -p "$PGPORT" -U postgres -d cobro -tAc "select count(*) from cobro.contact_policy")" = 0 ]; then
		bin/cobroctl --database "$conninfo" --user admin policy load etc/policy.conf >/dev/null
	fi
	# The promise limits, so the promise form checks against the shipped
	# ones (cobroctl demo loads them too; a portfolio loaded before it did
	# has only the built-in ones).
	if [ "$(psql -X -h "$PGHOST" -p "$PGPORT" -U postgres -d cobro -tAc "select source from cobro.promise_limit_set order by version desc limit 1")" = built-in ]; then
		bin/cobroctl --database "$conninfo" --user admin limits load etc/promise.conf >/dev/null
	fi
	if [ "$(psql -X -h "$PGHOST" -p "$PGPORT" -U postgres -d cobro -tAc "select count(*) from cobro.template")" = 0 ]; then
		bin/cobroctl --database "$conninfo" --user admin template add etc/templates >/dev/null
	fi
	# The shipped strategies (docs/strategies.md), so cobrod runs the day's
	# segments and reminders and the account screen says where each account
	# stands. Their templates first: a demo loaded before they shipped
	# lacks promise_reminder and number_update (adding replaces, by code).
	if [ "$(psql -X -h "$PGHOST" -p "$PGPORT" -U postgres -d cobro -tAc "select count(*) from cobro.strategy_version")" = 0 ]; then
		bin/cobroctl --database "$conninfo" --user admin template add etc/templates >/dev/null &&
			bin/cobroctl --database "$conninfo" --user admin strategy load etc/strategy.conf >/dev/null
	fi
	if [ "$(psql -X -h "$PGHOST" -p "$PGPORT" -U postgres -d cobro -tAc "select count(*) from cobro.agent where login = 'cobrod'")" = 0 ]; then
		bin/cobroctl --database "$conninfo user=postgres" agent add cobrod --name "cobrod" --role daemon >/dev/null
	fi
	umask 077
	cat > "$var/cobro.conf" <<CONF
# Written by scripts/demo.sh for make run; see etc/cobro.conf for every setting.
database = "$conninfo";
CONF
	# Kannel, its fake operator and the SMTP server, on their default ports
	# (scripts/services.sh); cobrod's listener on $demo_http.
	COBROD_HTTP_PORT=$demo_http scripts/services.sh start "$var/services" kannel smtp >"$var/services.log" 2>&1 ||
		{ cat "$var/services.log" >&2; exit 1; }
	# shellcheck disable=SC1091
	. "$var/services/services.env"
	cat > "$var/cobrod.conf" <<CONF
# Written by scripts/demo.sh for make run; see etc/cobrod.conf for every setting.
database = "$conninfo user=cobrod";
name = "demo";
transports = {
	kannel = { type = "kannel"; url = "$KANNEL_SENDSMS_URL"; username = "$KANNEL_SENDSMS_USER";
	           password = "$KANNEL_SENDSMS_PASSWORD"; from = "$KANNEL_SHORTCODE";
	           dlr_url = "http://127.0.0.1:$demo_http/kannel/dlr";
	           callback_secret = "$KANNEL_CALLBACK_SECRET"; };
	mail = { type = "smtp"; url = "smtp://127.0.0.1:$SMTP_PORT"; username = "$SMTP_USER";
	         password = "$SMTP_PASSWORD"; starttls = false; from = "cobranzas@example.com";
	         from_name = "Cobranzas"; };
};
channels = { sms = { transport = "kannel"; }; email = { transport = "mail"; }; };
listen = { address = "127.0.0.1"; port = $demo_http; };
CONF
	if ! { [ -f "$var/cobrod.pid" ] && kill -0 "$(cat "$var/cobrod.pid")" 2>/dev/null; }; then
		bin/cobrod --config "$var/cobrod.conf" >>"$var/cobrod.log" 2>&1 &
		echo $! > "$var/cobrod.pid"
	fi
	echo "Kannel, SMTP and cobrod run ($var/services, $var/cobrod.log); mail lands in $var/services/mail"
	;;
open)
	who=${2:-ana}

	exec bin/cobro --config "$var/cobro.conf" --user "$who"
	;;
down)
	# Only what up started, by the PIDs it recorded.
	if [ -f "$var/cobrod.pid" ]; then
		pid=$(cat "$var/cobrod.pid")
		if kill -0 "$pid" 2>/dev/null; then
			kill -TERM "$pid"
			for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		fi
		rm -f "$var/cobrod.pid"
	fi
	[ -d "$var/services" ] && scripts/services.sh stop "$var/services" >/dev/null 2>&1
	scripts/pg.sh stop "$var/pg"
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
