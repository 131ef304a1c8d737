#!/usr/bin/env bash
# A collector's day (issue 15, line 15), against the real database, a real
# cobrod, Kannel with its fake operator, an SMTP server and a stand-in of the
# WhatsApp Cloud API: ana logs in through the form, works five accounts with
# n and a call outcome of every kind, writes a note while the database
# restarts, sets a callback for tomorrow, sends an SMS, an email and a
# WhatsApp and sees each delivered, gets a BAJA back, and quits with nothing
# lost.
set -u
. "$(dirname "$0")/lib.sh"
. "$COBRO_TOP/tests/lib/services.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }

for need in /usr/sbin/bearerbox /usr/sbin/smsbox /usr/lib/kannel/test/fakesmsc "$services_py"; do
	if [ ! -x "$need" ]; then
		echo "1..0 # SKIP $need missing (scripts/deps.sh check installs it)"
		exit 0
	fi
done

svc=$(mktemp -d "${TMPDIR:-/tmp}/cobro-e2e-day-XXXXXX")
pgdir=$PGHOST
restart_db() { "$COBRO_TOP/scripts/pg.sh" start "$pgdir" "$PGPORT" >/dev/null 2>&1; }
cobrod_pid=
cleanup_day() {
	restart_db
	[ -n "$cobrod_pid" ] && kill -TERM "$cobrod_pid" 2>/dev/null && wait "$cobrod_pid" 2>/dev/null
	py_stop gateway "$svc"
	services_down "$svc"
	[ -d "${COBRO_TEST_LOG:-}" ] && [ -f "$svc/cobrod.log" ] && cp "$svc/cobrod.log" "$COBRO_TEST_LOG/day.cobrod.log"
	rm -rf "$svc"
}
trap 'cleanup_day; tmux -L "$E2E_SOCK" kill-server 2>/dev/null; rm -f "$E2E_CONF"' EXIT

# ---- the services: Kannel (SMS and BAJA), SMTP (email), WhatsApp's API
p=$((14000 + ($$ % 9) * 10))
services_ports "$p" 14099
unset COBROD_HTTP KANNEL_SHORTCODE KANNEL_MAX_MESSAGES KANNEL_STOP_WORDS
SMTP_PORT=$(free_port 14100 14199)
export SMTP_PORT
if ! services_up "$svc" kannel smtp; then
	echo "not ok 1 - Kannel or the SMTP server would not start (its standard error says why)"
	echo "1..1"
	exit 1
fi
wa_port=$(free_port 14200 14299)
export GATEWAY_WA_TOKEN="EAAday-$$" T_WA_TOKEN="EAAday-$$" GATEWAY_PHONE_ID=106540352242922
if ! py_start gateway "$svc" "$COBRO_TOP/tests/lib/gateway.py" "$svc" "$wa_port"; then
	echo "not ok 1 - the WhatsApp stand-in would not start (its standard error says why)"
	echo "1..1"
	exit 1
fi
wa_secret="day-wa-$$-0123456789abcdef"
# What the workstation keeps on disk, in this test's own state directory.
export XDG_STATE_HOME=$svc/state

"$COBRO_BIN/cobroctl" --database "dbname=cobro" --user admin policy load "$COBRO_TOP/etc/policy.conf" >/dev/null
"$COBRO_BIN/cobroctl" --database "dbname=cobro" --user postgres agent add e2e_day_cobrod --name "cobrod" --role daemon \
	>/dev/null 2>&1
cat >"$svc/cobrod.conf" <<CONF
name = "e2e-day";
transports = {
	kannel = { type = "kannel"; url = "$KANNEL_SENDSMS_URL"; username = "$KANNEL_SENDSMS_USER";
	           password = "$KANNEL_SENDSMS_PASSWORD"; from = "$KANNEL_SHORTCODE";
	           dlr_url = "http://127.0.0.1:$COBROD_HTTP_PORT/kannel/dlr";
	           callback_secret = "$KANNEL_CALLBACK_SECRET"; };
	mail = { type = "smtp"; url = "smtp://127.0.0.1:$SMTP_PORT"; username = "$SMTP_USER";
	         password = "$SMTP_PASSWORD"; starttls = false; from = "cobranzas@example.com";
	         reply_to = "ayuda@example.com"; };
	wa = { type = "whatsapp"; url = "http://127.0.0.1:$wa_port/v19.0"; phone_number_id = "$GATEWAY_PHONE_ID";
	       token_env = "T_WA_TOKEN"; callback_secret = "$wa_secret"; };
};
channels = { sms = { transport = "kannel"; }; email = { transport = "mail"; }; whatsapp = { transport = "wa"; }; };
listen = { address = "127.0.0.1"; port = $COBROD_HTTP_PORT; };
CONF
chmod 600 "$svc/cobrod.conf"
"$COBRO_BIN/cobrod" --config "$svc/cobrod.conf" --database "dbname=cobro" --user e2e_day_cobrod \
	>"$svc/cobrod.log" 2>&1 &
cobrod_pid=$!
eventually 10 bash -c "[ \"\$(psql -X -qAt -U postgres -d cobro -c \"select count(*) from cobro.daemon_presence where worker = 'e2e-day'\")\" = 1 ]"

# Templates that fit any account, one per channel (the test cluster's demo
# loads none).
for ch in sms email whatsapp; do
	q "delete from cobro.template where code = 'a0_day_$ch'" >/dev/null
done
q "insert into cobro.template (code, channel, language, subject, body) values
   ('a0_day_sms', 'sms', 'es', NULL, 'Hola {debtor.first_name}, le escribimos por su cuenta {account.reference}.'),
   ('a0_day_email', 'email', 'es', 'Su cuenta {account.reference}', 'Hola {debtor.first_name}, le escribimos por su cuenta.'),
   ('a0_day_whatsapp', 'whatsapp', 'es', NULL, 'Hola {debtor.first_name}, le escribimos por su cuenta {account.reference}.')" >/dev/null
start=$(q "select now()")
since="at > '$start'"
ana="(select id from cobro.agent where login = 'ana')"

# ---- log in through the form
app_start a "$COBRO_BIN/cobro --database 'host=$PGHOST port=$PGPORT dbname=cobro' --login" 80 24
check "the login form" wait_screen a "cobro: log in"
text a ana
keys a Enter
keys a Enter
check "ana's worklist" wait_screen a "accounts to work" 10

# ---- five accounts with n, a call outcome of every kind
# outcome DIGIT: c, then the outcome's digit on the menu.
outcome() { keys a c; wait_screen a "Call outcome" >/dev/null; keys a "$1"; }
saved() { wait_screen a "Saved" 5; }
worked=()
# Esc, then the worklist before the next key: ncurses reads an Esc followed
# at once by a letter as Alt and that letter.
to_worklist() { keys a Escape; wait_screen a "EnterOpen" >/dev/null; }
open_next() {
	keys a n
	wait_screen a "History (newest first)" >/dev/null
}
# The account the last call was logged on (the screen may cut its reference).
record_worked() {
	worked+=("$(q "select a.reference from cobro.event e join cobro.account a on a.id = e.account_id
	               where e.agent_id = $ana and e.kind = 'call' order by e.id desc limit 1")")
}
open_next
outcome 1
check "n opens the first account: right party, saved" saved
record_worked
to_worklist
open_next
outcome 2
check "n opens a second account: third party" saved
record_worked
outcome 6
check "  then left a message" saved
to_worklist
open_next
outcome 3
check "a third: no answer" saved
record_worked
outcome 4
check "  then busy" saved
to_worklist
open_next
outcome 7
check "a fourth: refused to pay" saved
record_worked
to_worklist
open_next
keys a c
wait_screen a "Call outcome" >/dev/null
keys a 5
# With several numbers it asks which; then it says what it will do.
if eventually 2 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=a:' | grep -q 'Which number was wrong'"; then
	keys a 1
fi
check "a fifth: wrong number says what it will do" wait_screen a "will be marked wrong"
keys a 1
check "  and marks it, saying u undoes it" wait_screen a "marked wrong. u undoes it"
record_worked
keys a c
wait_screen a "Call outcome" >/dev/null
keys a 8
wait_screen a "reason" >/dev/null
text a "No reconoce la deuda"
keys a Enter
check "  dispute: it says the account leaves the worklist" wait_screen a "leaves your worklist"
keys a 1
check "  and records it, saying u undoes it" wait_screen a "Dispute raised"
to_worklist
check "five different accounts were worked (${worked[*]})" \
	test "$(printf '%s\n' "${worked[@]}" | sort -u | wc -l)" = 5
for o in right_party third_party left_message no_answer busy refused wrong_number dispute; do
	check "one $o call event by ana" \
		test "$(q "select count(*) from cobro.event where agent_id = $ana and kind = 'call' and outcome = '$o' and $since")" = 1
done
got=$(q "select status || ' ' || workable from cobro.account where reference = '${worked[4]}'")
check "the disputed account is in dispute, off the worklist ($got)" test "$got" = "dispute false"

# ---- the messaging account: one of ana's in Lima (Tuesday 10:00 there),
# with one mobile and one email and no message yet; its points are given the
# consents the scenario needs (the demo draws them at random).
row=$(q "select a.reference, m.id, m.value, e.id from cobro.account a join cobro.debtor d on d.id = a.debtor_id
         join cobro.contact_point m on m.debtor_id = d.id and m.kind = 'mobile' and m.is_primary and m.bad_since is null
         join cobro.contact_point e on e.debtor_id = d.id and e.kind = 'email' and e.bad_since is null
         where a.agent_id = $ana and a.workable and a.status = 'active' and d.state = 'active'
           and d.time_zone = 'America/Lima'
           and (select count(*) from cobro.account x where x.debtor_id = d.id) = 1
           and (select count(*) from cobro.contact_point x where x.debtor_id = d.id and x.kind = 'mobile') = 1
           and not exists (select 1 from cobro.message x where x.debtor_id = d.id)
           and a.reference <> all('{$(IFS=,; echo "${worked[*]}")}')
         order by a.id limit 1")
IFS='|' read -r ref mobile_id mobile email_id <<<"$row"
q "update cobro.contact_point set consent = '{call,sms,whatsapp}', opted_out = '{}' where id = $mobile_id;
   update cobro.contact_point set consent = '{email}', opted_out = '{}' where id = $email_id" >/dev/null
check "the demo has an account for the messages ($ref)" test -n "$ref"
id=$(q "select id from cobro.account where reference = '$ref'")
keys a /
text a "$ref"
keys a Enter
wait_screen a "1 account matches" >/dev/null
keys a Enter
check "it opens" wait_screen a "History (newest first)"

# ---- a note while the database restarts
note="Nota del día $$: llamar al trabajo"
"$COBRO_TOP/scripts/pg.sh" stop "$pgdir" >/dev/null 2>&1
keys a o
text a "$note"
keys a Enter
keys a Escape
check "the note waits, and the status line says so" wait_screen a "1 waiting to be saved" 10
restart_db
check "once the database is back it is saved, and nothing waits" \
	eventually 20 bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t '=a:' | grep -q 'waiting to be saved' &&
	                       [ \"\$(psql -X -qAt -U postgres -d cobro -c \"select count(*) from cobro.event where account_id = $id and body = '$note'\")\" = 1 ]"
check "  exactly once" test "$(q "select count(*) from cobro.event where account_id = $id and body = '$note'")" = 1
keys a /
keys a C-u
text a "$ref"
keys a Enter
wait_screen a "1 account matches" >/dev/null
keys a Enter
wait_screen a "History (newest first)" >/dev/null

# ---- a callback for tomorrow, 10:00 the debtor's time
keys a b
wait_screen a "Callback time in" >/dev/null
keys a 1
text a "tomorrow 10:00"
keys a Enter
check "a callback for tomorrow is saved" saved
check "  tomorrow at 10:00 in Lima" \
	test "$(q "select to_char(due_at at time zone 'America/Lima', 'HH24:MI') || ' ' ||
	             ((due_at at time zone 'America/Lima')::date - (now() at time zone 'America/Lima')::date)
	           from cobro.callback where account_id = $id order by id desc limit 1")" = "10:00 1"

# ---- SMS, email and WhatsApp, each to its end
keys a s
wait_screen a "SMS templates" >/dev/null
keys a Enter
check "the SMS is queued" wait_screen a "Queued"
sms=$(q "select max(id) from cobro.message where account_id = $id and channel = 'sms'")
check "  Kannel's operator gets it" fakesmsc_wait_text "$svc" "$(q "select body from cobro.message where id = $sms")" 20
check "  and reports it delivered" eventually 20 bash -c "[ \"\$(psql -X -qAt -U postgres -d cobro -c \"select status from cobro.message where id = $sms\")\" = delivered ]"
keys a e
wait_screen a "Email templates" >/dev/null
keys a Enter
check "the email is queued" wait_screen a "Queued"
mail=$(q "select max(id) from cobro.message where account_id = $id and channel = 'email'")
check "  the SMTP server receives it" smtp_wait_count "$svc" 1 20
check "  and it is sent" eventually 20 bash -c "[ \"\$(psql -X -qAt -U postgres -d cobro -c \"select status from cobro.message where id = $mail\")\" = sent ]"
keys a w
wait_screen a "WhatsApp templates" >/dev/null
keys a Enter
check "the WhatsApp is queued" wait_screen a "Queued"
wa=$(q "select max(id) from cobro.message where account_id = $id and channel = 'whatsapp'")
check "  the API takes it" eventually 20 bash -c "[ \"\$(psql -X -qAt -U postgres -d cobro -c \"select status from cobro.message where id = $wa\")\" = sent ]"
wamid=$(q "select provider_id from cobro.message where id = $wa")
hook=$(printf '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"%s"},"statuses":[{"id":"%s","status":"delivered","timestamp":"%s"}]}}]}]}' \
	"$GATEWAY_PHONE_ID" "$wamid" "$(date +%s)")
check "  Meta's webhook says delivered" test "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
	--data-binary "$hook" "http://127.0.0.1:$COBROD_HTTP_PORT/whatsapp?key=$wa_secret")" = 200
check "  and it is delivered" test "$(q "select status from cobro.message where id = $wa")" = delivered
check "the history shows the SMS delivered" wait_screen a "delivered"

# ---- BAJA by SMS
"$COBRO_TOP/scripts/services.sh" mo "$svc" "$mobile" "BAJA" >/dev/null
check "a BAJA opts the number out of SMS" eventually 20 bash -c "[ \"\$(psql -X -qAt -U postgres -d cobro -c \"select 'sms' = any(opted_out) from cobro.contact_point where id = $mobile_id\")\" = t ]"
check "  once: one reply event, one opt-out event" \
	test "$(q "select count(*) filter (where kind = 'sms') || ' ' || count(*) filter (where kind = 'optout')
	           from cobro.event where debtor_id = (select debtor_id from cobro.account where id = $id)
	             and direction = 'in' and $since")" = "1 1"
check "  the open account shows it" wait_screen a "BAJA" 5

# ---- quit with nothing lost
to_worklist
keys a q
check "q quits cleanly" wait_for a "[exit=0]"
check "nothing waits on disk" bash -c "! find '$XDG_STATE_HOME' -type f 2>/dev/null | grep -q ."
check "everything typed is in the database: the note" test "$(q "select count(*) from cobro.event where account_id = $id and body = '$note'")" = 1
check "  the callback" test "$(q "select count(*) from cobro.callback where account_id = $id and $(echo "$since" | sed 's/^at/created_at/')")" -ge 1
check "  eight call outcomes" test "$(q "select count(*) from cobro.event where agent_id = $ana and kind = 'call' and $since")" = 8
check "  three messages, none waiting" test "$(q "select count(*) filter (where status in ('delivered', 'sent')) || '/' || count(*) from cobro.message where account_id = $id")" = 3/3
# The database's restart is the one error cobrod may log (and its return).
q "delete from cobro.template where code like 'a0_day_%'" >/dev/null
errors=$(grep ' error: ' "$svc/cobrod.log" | grep -v 'lost the database')
check "cobrod logged no error but the database's restart" test -z "$errors"
[ -z "$errors" ] || sed 's/^/# cobrod.log: /' <<<"$errors"
finish
