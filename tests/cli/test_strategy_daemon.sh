#!/usr/bin/env bash
# cobrod runs the strategies itself (issue 18, lines 1, 4 and 10): once the
# day has begun by its clock (COBRO_NOW, which the test sets), one cobrod
# segments every account and runs the ladders' steps of the day; two cobrod
# started at once run it once, and a restart finds it done; what it queued
# waits for the debtor's allowed hours and then reaches a real Kannel
# (fakesmsc as the operator); after five days with no cobrod, the next run
# catches up without flooding: steps too late are recorded skipped.
#
# In a database of its own (a run decides every account of its database),
# on Tue 12 March 2030 and Mon 18 March 2030, in Lima (Peru: messages
# 07:00-20:00 on working days):
#   A1  due Fri 15: its preventive reminder (pre3) on Tue 12
#   A2  due Mon 11, past due: its dpd1 on Tue 12
#   A4  due Mon 18: pre3 on Fri 15 (no cobrod that day: 3 days late on
#       Mon 18, recorded skipped), due0 on Mon 18
#
# The clocks: cobrod's (COBRO_NOW) is the test's; the database's is the
# real one, by which cobrod claims a message once its moment
# (next_attempt_at) has come.
. "$(dirname "$0")/tap.sh"
. "$top/tests/lib/services.sh"
cd "$top"

for need in /usr/sbin/bearerbox /usr/sbin/smsbox /usr/lib/kannel/test/fakesmsc /usr/bin/curl; do
	if [ ! -x "$need" ]; then
		echo "1..0 # SKIP $need missing (scripts/deps.sh check installs it)"
		exit 0
	fi
done

db=cobro_stratd_$$
svc=$scratch/svc
mkdir -p "$svc"
daemons=()
cleanup() {
	for p in "${daemons[@]}"; do kill -KILL "$p" 2>/dev/null; done
	services_down "$svc"
	if [ "${tap_failed:-0}" -gt 0 ] && [ -d "${COBRO_TEST_LOG:-}" ]; then
		for f in "$scratch"/*.log "$svc"/*.log; do
			[ -f "$f" ] && cp "$f" "$COBRO_TEST_LOG/strategy_daemon.$(basename "$f")"
		done
	fi
	if [ -n "${COBRO_TEST_KEEP:-}" ]; then
		echo "# kept database $db and $scratch" >&2
		return
	fi
	psql -X -q -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$scratch"
}
trap cleanup EXIT

p=$((13400 + ($$ % 9) * 10))
services_ports "$p" 13499
export KANNEL_SENDSMS_USER=cobro-s KANNEL_SENDSMS_PASSWORD='sms pw' KANNEL_HTTP_RETRY_DELAY=1
KANNEL_CALLBACK_SECRET="cb-$$-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
export KANNEL_CALLBACK_SECRET
unset COBROD_HTTP KANNEL_SHORTCODE KANNEL_MAX_MESSAGES KANNEL_STOP_WORDS
if ! services_up "$svc" kannel; then
	echo "not ok 1 - the services would not start (its standard error says why)"
	echo "1..1"
	exit 1
fi

psql -X -q -U postgres -d postgres -c "CREATE DATABASE $db" || exit 1
q() { psql -X -qAt -v ON_ERROR_STOP=1 -U postgres -d "$db" -c "$1"; }
ctl() { "$bindir/cobroctl" --database "dbname=$db" --user admin "$@"; }
tag=$$
"$bindir/cobroctl" --database "dbname=$db user=postgres" init >/dev/null || exit 1
ctl template add etc/templates/*.tpl >/dev/null || exit 1
ctl policy load etc/policy.conf >/dev/null || exit 1
ctl team add "sd$tag" --name "Estrategia" >/dev/null || exit 1
ctl agent add "robot$tag" --name "Robot" --role daemon >/dev/null || exit 1
q "insert into cobro.creditor (code, name, pay_link) values ('sd', 'Banco Estrategia', 'https://pago.example.com/')"
team=$(q "select id from cobro.team where code = 'sd$tag'")
cat >"$scratch/strategy.conf" <<'EOF'
settings = { catch_up_days = 2; cost_currency = "USD"; };
channels = { sms = { cost = "0.05"; rate = 50.0; }; };
segments = ( { name = "preventive"; ladder = "retail"; when = { dpd_max = 0; }; },
             { name = "early"; ladder = "retail"; } );
ladders = (
  { name = "retail";
    steps = (
      { name = "pre3"; due = -3; channel = "sms"; template = "preventive_reminder"; },
      { name = "due0"; due = 0;  channel = "sms"; template = "preventive_reminder"; },
      { name = "dpd1"; dpd = 1;  channel = "sms"; template = "overdue_notice"; }
    );
  }
);
EOF
ctl strategy load "$scratch/strategy.conf" >/dev/null || exit 1
n=0
acct() { # REF DUE [PAST_DUE]
	n=$((n + 1))
	q "with d as (insert into cobro.debtor (name, first_name, jurisdiction, time_zone)
	              values ('Deudor $1', 'Deudor', 'PE', 'America/Lima') returning id),
	        m as (insert into cobro.contact_point (debtor_id, kind, value, consent, is_primary)
	              select id, 'mobile', '+5197$(printf '%03d' $((tag % 1000)))$(printf '%04d' $n)', '{call,sms}', true from d),
	        a as (insert into cobro.account (debtor_id, creditor_id, product, reference, currency, balance,
	                                         past_due, oldest_due, team_id)
	              select d.id, (select id from cobro.creditor where code = 'sd'), 'loan', '$1', 'PEN', 100000,
	                     ${3:-0}, '$2', $team from d returning id)
	   insert into cobro.installment (account_id, seq, due_date, amount) select id, 1, '$2', 100000 from a" >/dev/null
}
acct A1 2030-03-15
acct A2 2030-03-11 100000
acct A4 2030-03-18

write_conf() { # NAME
	cat >"$scratch/$1.conf" <<EOF
name = "$1";
log = { level = "info"; };
transports = {
	kannel = { type = "kannel"; url = "$KANNEL_SENDSMS_URL"; username = "$KANNEL_SENDSMS_USER";
	           password_env = "T_SMS_PW"; from = "12345"; connect_timeout = 2; timeout = 5; };
};
channels = { sms = { transport = "kannel"; rate = 100.0; }; };
promises = { evaluate_every = 0; };
strategy = { enabled = true; };
EOF
}
export T_SMS_PW=$KANNEL_SENDSMS_PASSWORD
start_cobrod() { # NAME MOMENT
	COBRO_NOW=$2 "$bindir/cobrod" --config "$scratch/$1.conf" --database "dbname=$db" --user "robot$tag" \
		>>"$scratch/$1.log" 2>&1 &
	daemons+=($!)
	last_pid=$!
}
stop_cobrod() { kill -TERM "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
runs_of() { q "select count(*) from cobro.strategy_run where day = '$1'"; }
wait_run() { # DAY SECS: the day's ladder run recorded and finished
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		[ "$(q "select count(*) from cobro.strategy_run where kind = 'ladder' and day = '$1' and finished_at is not null")" = 1 ] && return 0
		sleep 0.1
	done
	return 1
}
steps() {
	q "select coalesce(string_agg(a.reference || ':' || d.step || ':' || d.outcome, ' ' order by a.reference, d.step), '')
	   from cobro.strategy_step_done d join cobro.account a on a.id = d.account_id
	   join cobro.strategy_run r on r.id = d.run_id where r.day = '$1'"
}
write_conf a
write_conf b

# ---- Tue 10 March, 03:00 in Lima: two cobrod start at once
start_cobrod a 2030-03-12T08:00:00Z
a_pid=$last_pid
start_cobrod b 2030-03-12T08:00:00Z
b_pid=$last_pid
check "two cobrod at once: the day's run is recorded" wait_run 2030-03-12 30
sleep 1
check "  once: one segmentation and one ladder run for the day" \
	test "$(q "select string_agg(kind, ' ' order by kind) from cobro.strategy_run where day = '2030-03-12'")" = "ladder segment"
worker=$(q "select worker from cobro.strategy_run where kind = 'ladder' and day = '2030-03-12'")
check "  by one of them ($worker)" test "$worker" = a -o "$worker" = b
check "  it logs what it did" grep -q "strategy run of 2030-03-12 (version 1): 3 accounts" "$scratch/$worker.log"
steps12="A1:pre3:queued A2:dpd1:queued A2:due0:refused A2:pre3:skipped"
check "A1's reminder 3 days before its due date and A2's dpd1, each once" test "$(steps 2030-03-12)" = "$steps12"
check "  two messages, planned for 07:00 in Lima, when the window opens" \
	test "$(q "select count(*) || ' ' || min(to_char(next_attempt_at at time zone 'America/Lima', 'HH24:MI'))
	           from cobro.message where ladder is not null")" = "2 07:00"

sleep 2
check "at 03:00 in Lima nothing reaches Kannel" test "$(fakesmsc_texts "$svc" | grep -c 'Deudor')" = 0
check "  both queued" test "$(q "select string_agg(status, ' ') from cobro.message")" = "queued queued"

# A restart: the day is done.
kill -KILL "$a_pid"
wait "$a_pid" 2>/dev/null
start_cobrod a 2030-03-12T08:00:00Z
a_pid=$last_pid
for _ in $(seq 100); do grep -q "strategy run of 2030-03-12: done already" "$scratch/a.log" && break; sleep 0.1; done
check "a restart (kill -9, then start) finds the day done" grep -q "strategy run of 2030-03-12: done already" "$scratch/a.log"
check "  no second run, no step twice, no new message" \
	test "$(runs_of 2030-03-12)" = 2 -a "$(steps 2030-03-12)" = "$steps12" \
	-a "$(q "select count(*) from cobro.message")" = 2
stop_cobrod "$a_pid"
stop_cobrod "$b_pid"

# ---- 07:00 in Lima, the window opens. The messages' moment is put 4
# seconds ahead on the database's clock (the one cobrod claims by), and
# cobrod's own at the window's opening: nothing goes before that moment,
# then both go.
due=$(q "update cobro.message set next_attempt_at = now() + interval '4 seconds' returning next_attempt_at" | head -n 1)
start_cobrod a 2030-03-12T12:00:00Z
a_pid=$last_pid
sleep 2
check "before their moment nothing reaches Kannel" test "$(fakesmsc_texts "$svc" | grep -c 'Deudor')" = 0
check "then the reminder does" fakesmsc_wait_text "$svc" \
	"$(q "select body from cobro.message m join cobro.account a on a.id = m.account_id where a.reference = 'A1'")" 20
check "  and the overdue notice" fakesmsc_wait_text "$svc" \
	"$(q "select body from cobro.message m join cobro.account a on a.id = m.account_id where a.reference = 'A2'")" 20
for _ in $(seq 50); do [ "$(q "select count(*) from cobro.message where status = 'sent'")" = 2 ] && break; sleep 0.1; done
check "  both sent, once each, not before their moment" \
	test "$(q "select count(*) from cobro.message where status = 'sent' and sent_at >= '$due'")" = 2 \
	-a "$(fakesmsc_texts "$svc" | grep -c 'Deudor')" = 2
stop_cobrod "$a_pid"

# ---- no cobrod from Wed 11 to Sun 15; Mon 16 March, 03:00 in Lima
start_cobrod a 2030-03-18T08:00:00Z
a_pid=$last_pid
start_cobrod b 2030-03-18T08:00:00Z
b_pid=$last_pid
check "after 5 days without cobrod, Mon 16's run" wait_run 2030-03-18 30
check "  no run for the days missed" \
	test "$(q "select count(*) from cobro.strategy_run where day between '2030-03-13' and '2030-03-17'")" = 0
check "  catches up: A4's pre3 (Fri 13, 3 days late) recorded skipped, stale; its due0 queued" \
	test "$(q "select string_agg(d.step || ':' || d.outcome || ':' || coalesce(d.reason, ''), ' ' order by d.step)
	           from cobro.strategy_step_done d join cobro.account a on a.id = d.account_id where a.reference = 'A4'")" \
	= "due0:queued: pre3:skipped:stale"
check "  nothing flooded: one message per account at most that day" \
	test "$(q "select coalesce(max(n), 0) from (select count(*) n from cobro.message m join cobro.strategy_step_done d on d.message_id = m.id
	           join cobro.strategy_run r on r.id = d.run_id where r.day = '2030-03-18' group by m.account_id) x")" -le 1
check "  and still once: two runs for the day, by one cobrod" \
	test "$(runs_of 2030-03-18)" = 2 -a "$(q "select count(distinct worker) from cobro.strategy_run where day = '2030-03-18'")" = 1
stop_cobrod "$a_pid"
stop_cobrod "$b_pid"
check "no account got a step twice in all" \
	test "$(q "select count(*) from (select account_id, ladder, step, anchor from cobro.strategy_step_done group by 1, 2, 3, 4 having count(*) > 1) x")" = 0

# strategy.enabled = false: that cobrod leaves the day alone.
write_conf c
sed -i 's/enabled = true/enabled = false/' "$scratch/c.conf"
start_cobrod c 2030-03-19T08:00:00Z
a_pid=$last_pid
for _ in $(seq 50); do grep -q "connected as" "$scratch/c.log" && break; sleep 0.1; done
sleep 2
check "strategy.enabled = false: no run of the day" test "$(runs_of 2030-03-19)" = 0
stop_cobrod "$a_pid"
finish
