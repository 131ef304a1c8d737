#!/usr/bin/env bash
# cobrod tests a template's facts again when it sends, and no message waits
# unseen (issue 15, lines 4 and 5), with a real cobrod, a real Kannel
# (fakesmsc as the operator) and the real database:
#   - a message from a template whose facts hold is sent; one whose facts
#     turned false after it was queued (the debt was paid) is refused with
#     rule TEMPLATE, the reason and a status event, and the gateway gets
#     nothing;
#   - cobrod says which channels it sends (its heartbeat): SMS yes, WhatsApp
#     no, so message_queue() refuses WhatsApp; after it stops, SMS too;
#   - a message waiting longer than outbox.late_after is logged once by
#     cobrod, marked late, and the history (account_screen()) shows it late.
# Its rows (a team, a collector, a daemon login, a debtor and an account, a
# template) are its own; the demo portfolio other suites read is untouched.
. "$(dirname "$0")/tap.sh"
. "$top/tests/lib/services.sh"
cd "$top"

for need in /usr/sbin/bearerbox /usr/sbin/smsbox /usr/lib/kannel/test/fakesmsc /usr/bin/curl; do
	if [ ! -x "$need" ]; then
		echo "1..0 # SKIP $need missing (scripts/deps.sh check installs it)"
		exit 0
	fi
done

svc=$scratch/svc
mkdir -p "$svc"
daemons=()
debtor_id=
cleanup() {
	for p in "${daemons[@]}"; do kill -CONT "$p" 2>/dev/null; kill -KILL "$p" 2>/dev/null; done
	services_down "$svc"
	if [ -n "$debtor_id" ]; then
		psql -X -q -U postgres -d cobro -c "delete from cobro.event where debtor_id = $debtor_id" \
			-c "delete from cobro.message where debtor_id = $debtor_id" \
			-c "delete from cobro.installment where account_id in (select id from cobro.account where debtor_id = $debtor_id)" \
			-c "delete from cobro.lease where account_id in (select id from cobro.account where debtor_id = $debtor_id)" \
			-c "delete from cobro.account where debtor_id = $debtor_id" \
			-c "delete from cobro.contact_point where debtor_id = $debtor_id" \
			-c "delete from cobro.debtor where id = $debtor_id" \
			-c "delete from cobro.template where code = 't_facts_$tag'" \
			-c "delete from cobro.daemon_presence where worker = 'facts$tag'" >/dev/null 2>&1
	fi
	rm -rf "$scratch"
}
trap cleanup EXIT

p=$((13600 + ($$ % 9) * 10))
services_ports "$p" 13699
export KANNEL_SENDSMS_USER=cobro-f KANNEL_SENDSMS_PASSWORD='sms pw'
export KANNEL_HTTP_RETRY_DELAY=1
unset COBROD_HTTP KANNEL_SHORTCODE KANNEL_MAX_MESSAGES KANNEL_STOP_WORDS
if ! services_up "$svc" kannel; then
	echo "not ok 1 - the services would not start (its standard error says why)"
	echo "1..1"
	exit 1
fi

# A working Tuesday, 10:00 in Lima (tests/lib/clock.sh).
. "$top/tests/lib/clock.sh"
clock_init || exit 1
export COBRO_NOW=$COBRO_TEST_NOW
db="dbname=cobro"
q() { psql -X -q -At -v ON_ERROR_STOP=1 -U postgres -d cobro "$@"; }
ctl() { "$bindir/cobroctl" --database "$db" "$@"; }
tag=f$$

ctl --user admin team add "fact$tag" --name "Hechos $tag" >/dev/null
ctl --user admin agent add "rosa$tag" --name "Rosa Paz" --role collector --team "fact$tag" >/dev/null
ctl --user admin agent add "bot$tag" --name "Robot" --role daemon >/dev/null
if [ "$(q -c "select count(*) from cobro.contact_policy")" = 0 ]; then
	ctl --user admin policy load etc/policy.conf >/dev/null
fi
# A debtor in Lima, an account 10 days past due (at the test's clock) with
# an unpaid installment, a mobile that takes SMS and WhatsApp.
today=$(TZ=America/Lima date -d "@$(date -d "$COBRO_NOW" +%s)" +%F)
debtor_id=$(q -c "insert into cobro.debtor (name, first_name, language, jurisdiction, time_zone)
                  values ('Pía Quispe', 'Pía', 'es', 'PE', 'America/Lima') returning id")
acc=$(q -c "insert into cobro.account (debtor_id, creditor_id, product, reference, currency, balance, past_due,
                 oldest_due, team_id, agent_id)
            select $debtor_id, (select min(id) from cobro.creditor), 'loan', 'FACT-$tag', 'PEN', 123450, 26100,
                   date '$today' - 10, (select id from cobro.team where code = 'fact$tag'),
                   (select id from cobro.agent where login = 'rosa$tag')
            returning id")
q -c "insert into cobro.installment (account_id, seq, due_date, amount, paid) values ($acc, 1, date '$today' - 10, 26100, 0)"
n=$(($$ % 10000000))
phone="+5196$(printf '%07d' $n)"
mobile=$(q -c "insert into cobro.contact_point (debtor_id, kind, value, consent) values ($debtor_id, 'mobile', '$phone', '{call,sms,whatsapp}') returning id")
tpl=$(q -c "insert into cobro.template (code, channel, language, body, requires)
            values ('t_facts_$tag', 'sms', 'es', 'Su saldo vencido es S/ 261.00', '{past_due}') returning id")

queue() { # CHANNEL BODY [TEMPLATE]: as rosa, as the send screen does
	psql -X -q -At -v ON_ERROR_STOP=1 -U "rosa$tag" -d cobro -c \
		"select cobro.message_queue(gen_random_uuid(), $acc, $mobile, '$1', ${3:-NULL}, NULL, \$b\$$2\$b\$,
		                            NULL, NULL, NULL)"
}
status_of() { q -c "select status || ' ' || coalesce(refused_rule, '-') from cobro.message where id = $1"; }
wait_status() { # ID STATUS SECS
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		[ "$(status_of "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
eventually() { # SECS COMMAND...
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -gt "$deadline" ] && return 1
		sleep 0.1
	done
}
not() { ! "$@"; }
senders() { q -c "select cobro.channel_senders('$1')"; }
wait_eventually() { # SECS COMMAND...
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -gt "$deadline" ] && return 1
		sleep 0.1
	done
}
not() { ! "$@"; }
senders() { # CHANNEL N SECS
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		[ "$(senders "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

conf=$scratch/cobrod.conf
cat >"$conf" <<EOC
name = "facts$tag";
log = { level = "info"; };
transports = {
	kannel = { type = "kannel"; url = "$KANNEL_SENDSMS_URL"; username = "$KANNEL_SENDSMS_USER";
	           password_env = "T_SMS_PW"; from = "12345"; connect_timeout = 2; timeout = 5; };
};
channels = { sms = { transport = "kannel"; rate = 100.0; }; };
outbox = { parallel = 4; lease = 10; backoff_base = 1.0; backoff_max = 2.0; max_attempts = 3; late_after = 2; };
EOC
chmod 600 "$conf"
export T_SMS_PW=$KANNEL_SENDSMS_PASSWORD

# ---- before any cobrod runs (another suite's may: this one's is named)
"$bindir/cobrod" --config "$conf" --database "$db" --user "bot$tag" >>"$scratch/cobrod.log" 2>&1 &
cobrod_pid=$!
daemons+=("$cobrod_pid")
heartbeat() { test "$(q -c "select channels::text from cobro.daemon_presence where worker = 'facts$tag'")" = "{sms}"; }
check "cobrod says it sends SMS (its heartbeat)" eventually 10 heartbeat
run queue whatsapp "Hola por WhatsApp $tag"
check "no running cobrod sends WhatsApp: message_queue() refuses it" test "$rc" != 0
check "  with the reason" grep -q "no running cobrod can send whatsapp messages now" <<<"$err"
check "  and nothing is queued" test "$(q -c "select count(*) from cobro.message where debtor_id = $debtor_id")" = 0

# ---- the facts hold: sent
sent=$(queue sms "Su saldo vencido es S/ 261.00 ($tag uno)" "$tpl")
check "a message whose template's facts hold (past due) is sent" wait_status "$sent" "sent -" 15
check "  and reaches the operator" fakesmsc_wait_text "$svc" "Su saldo vencido es S/ 261.00 ($tag uno)" 15

# ---- queued, then the debt is paid before cobrod sends it
kill -STOP "$cobrod_pid"
paid=$(queue sms "Su saldo vencido es S/ 261.00 ($tag dos)" "$tpl")
waiting=$(queue sms "Aviso que espera $tag")
q -c "update cobro.message set next_attempt_at = now() + interval '1 hour' where id = $waiting"
q -c "update cobro.installment set paid = amount where account_id = $acc"
q -c "update cobro.account set past_due = 0, oldest_due = null where id = $acc"
sleep 2.5 # longer than outbox.late_after
kill -CONT "$cobrod_pid"
check "the debt was paid after it was queued: cobrod refuses it" wait_status "$paid" "refused TEMPLATE" 15
check "  with the reason" test "$(q -c "select error from cobro.message where id = $paid")" = \
	"TEMPLATE: the template's facts no longer hold: nothing is past due"
check "  and a status event in the history" \
	test "$(q -c "select count(*) from cobro.event where message_id = $paid and kind = 'status' and outcome = 'refused'")" = 1
check "  and cobrod's log says so" grep -q "message $paid refused: TEMPLATE: the template's facts no longer hold" "$scratch/cobrod.log"
sleep 1
check "  the operator never got it" not fakesmsc_wait_text "$svc" "Su saldo vencido es S/ 261.00 ($tag dos)" 1

# ---- late: waiting longer than outbox.late_after
check "a message waiting longer than outbox.late_after is logged as late" \
	eventually 10 grep -q "message $waiting (sms) is late: queued [0-9]* s ago and not sent (outbox.late_after 2)" "$scratch/cobrod.log"
check "  once" test "$(grep -c "message $waiting (sms) is late" "$scratch/cobrod.log")" = 1
check "  marked late, with a status event" \
	test "$(q -c "select (late_at is not null)::text || ' ' || (select count(*) from cobro.event e where e.message_id = m.id and e.kind = 'status' and e.outcome = 'late') from cobro.message m where id = $waiting")" = "true 1"
check "  the history shows it as late, to the collector" \
	test "$(psql -X -q -At -U "rosa$tag" -d cobro -c "select count(*) from json_array_elements(cobro.account_screen($acc, 50, now() - interval '1 day')->'events') e where (e->>'message_status') = 'late'")" -ge 1
check "  a message sent in time was never late" test "$(q -c "select late_at is null from cobro.message where id = $sent")" = t

# ---- stopped: its word taken back
kill -TERM "$cobrod_pid"
wait "$cobrod_pid" 2>/dev/null
check "after cobrod stops, it no longer says it sends SMS" test "$(q -c "select count(*) from cobro.daemon_presence where worker = 'facts$tag'")" = 0
finish
