#!/usr/bin/env bash
# cobrod sends only what message_queue() made, only to its contact point's
# value (issue 14, line 1): through a real Kannel (fakesmsc as the operator)
# and a real SMTP server on loopback. Rows tampered with as the postgres
# superuser (no cobro role may write cobro.message any more) are refused at
# send time, settled with the reason and a status event, and the gateways
# get nothing: a second number in the recipient, another number, an address
# of the attacker's, a row with no `sms out` event. A Massachusetts debtor
# gets at most 2 SMS in 7 days, however the rows came.
#
# Its rows (a team, a collector, a daemon login, two debtors and their
# accounts) are its own; the demo portfolio other suites read is untouched.
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
debtors=()
cleanup() {
	psql -X -q -U postgres -d cobro -c "delete from cobro.daemon_presence where worker = 'queue-$tag'" >/dev/null 2>&1
	for p in "${daemons[@]}"; do kill -KILL "$p" 2>/dev/null; done
	services_down "$svc"
	for d in "${debtors[@]}"; do
		psql -X -q -U postgres -d cobro -c "delete from cobro.event where debtor_id = $d" \
			-c "delete from cobro.message where debtor_id = $d" \
			-c "delete from cobro.lease where account_id in (select id from cobro.account where debtor_id = $d)" \
			-c "delete from cobro.account where debtor_id = $d" \
			-c "delete from cobro.contact_point where debtor_id = $d" \
			-c "delete from cobro.debtor where id = $d" >/dev/null 2>&1
	done
	rm -rf "$scratch"
}
trap cleanup EXIT

# Ranges no other suite takes (they run side by side on one machine).
p=$((13700 + ($$ % 9) * 10))
services_ports "$p" 13799
SMTP_PORT=$(free_port $((2900 + $$ % 50)) 2999)
export SMTP_PORT
export KANNEL_SENDSMS_USER=cobro-r KANNEL_SENDSMS_PASSWORD='sms pw' SMTP_USER=mailer SMTP_PASSWORD='s3cret pw'
export KANNEL_HTTP_RETRY_DELAY=1
unset COBROD_HTTP KANNEL_SHORTCODE KANNEL_MAX_MESSAGES KANNEL_STOP_WORDS
if ! services_up "$svc" kannel smtp; then
	echo "not ok 1 - the services would not start (its standard error says why)"
	echo "1..1"
	exit 1
fi

# A working Tuesday, 10:00 in Lima and in New York (tests/lib/clock.sh).
. "$top/tests/lib/clock.sh"
clock_init || exit 1
export COBRO_NOW=$COBRO_TEST_NOW
db="dbname=cobro"
q() { psql -X -q -At -v ON_ERROR_STOP=1 -U postgres -d cobro "$@"; }
ctl() { "$bindir/cobroctl" --database "$db" "$@"; }
tag=r$$
# Messages are queued here while this suite's cobrod is down: a heartbeat
# stands for it, as cobrod writes it (message_queue() refuses a channel no
# running cobrod sends, functions/send_facts.sql).
q -c "insert into cobro.daemon_presence (worker, channels, expires_at)
      values ('queue-$tag', '{sms,email,whatsapp}', now() + interval '1 hour')" >/dev/null

ctl --user admin team add "dest$tag" --name "Destinos $tag" >/dev/null
ctl --user admin agent add "rita$tag" --name "Rita Paz" --role collector --team "dest$tag" >/dev/null
ctl --user admin agent add "bot$tag" --name "Robot" --role daemon >/dev/null
if [ "$(q -c "select count(*) from cobro.contact_policy")" = 0 ]; then
	ctl --user admin policy load etc/policy.conf >/dev/null
fi
# debtor NAME JURISDICTION ZONE REF: a debtor ($d_id) and an account of rita's ($a_id).
debtor() {
	d_id=$(q -c "insert into cobro.debtor (name, first_name, language, jurisdiction, time_zone)
	             values ('$1', 'X', 'es', '$2', '$3') returning id")
	debtors+=("$d_id")
	a_id=$(q -c "insert into cobro.account (debtor_id, creditor_id, product, reference, currency, balance, past_due,
	                 team_id, agent_id)
	             select $d_id, (select min(id) from cobro.creditor), 'loan', '$4-$tag', 'PEN', 123450, 23450,
	                    (select id from cobro.team where code = 'dest$tag'), (select id from cobro.agent where login = 'rita$tag')
	             returning id")
}
point() { # DEBTOR KIND VALUE CONSENT
	q -c "insert into cobro.contact_point (debtor_id, kind, value, consent) values ($1, '$2', '$3', '$4') returning id"
}
queue() { # ACCOUNT CHANNEL POINT BODY [SUBJECT]: as rita, as the send screen does
	local subject=${5:+"'$5'"}
	psql -X -q -At -v ON_ERROR_STOP=1 -U "rita$tag" -d cobro -c \
		"select cobro.message_queue(gen_random_uuid(), $1, $3, '$2', NULL, ${subject:-NULL}, \$b\$$4\$b\$,
		                            NULL, NULL, NULL)"
}
status_of() { q -c "select status || ' ' || coalesce(refused_rule, '-') from cobro.message where id = $1"; }
wait_settled() { # ID SECS: until it is no longer queued or sending
	local i s
	for ((i = 0; i < $2 * 10; i++)); do
		s=$(status_of "$1")
		case "$s" in queued* | sending*) sleep 0.1 ;; *) return 0 ;; esac
	done
	return 1
}
refused_event() { q -c "select count(*) from cobro.event where message_id = $1 and kind = 'status' and outcome = 'refused'"; }

debtor 'Pía Quispe' PE America/Lima DEST
pe=$d_id pe_acc=$a_id
n=$(($$ % 10000000))
phone="+5196$(printf '%07d' $n)"
phone2="+5195$(printf '%07d' $n)"
mobile=$(point "$pe" mobile "$phone" '{call,sms,whatsapp}')
mobile2=$(point "$pe" mobile "$phone2" '{call,sms,whatsapp}')
email=$(point "$pe" email "pia.$tag@example.com" '{email}')
debtor 'Mary Smith' US-MA America/New_York MASS
ma=$d_id ma_acc=$a_id
ma_phone="+1617555$(printf '%04d' $(($$ % 10000)))"
ma_mobile=$(point "$ma" mobile "$ma_phone" '{call,sms}')

conf=$scratch/cobrod.conf
cat >"$conf" <<EOC
name = "rcpt";
log = { level = "info"; };
transports = {
	kannel = { type = "kannel"; url = "$KANNEL_SENDSMS_URL"; username = "$KANNEL_SENDSMS_USER";
	           password_env = "T_SMS_PW"; from = "12345"; connect_timeout = 2; timeout = 5;
	           dlr_url = "http://127.0.0.1:$COBROD_HTTP_PORT/kannel/dlr"; };
	mail = { type = "smtp"; url = "smtp://127.0.0.1:$SMTP_PORT"; username = "$SMTP_USER";
	         password_env = "T_SMTP_PW"; starttls = false; from = "cobranzas@example.com";
	         from_name = "Cobranzas"; reply_to = "ayuda@example.com";
	         unsubscribe_url = "https://example.com/baja/{key}"; };
};
channels = { sms = { transport = "kannel"; rate = 100.0; }; email = { transport = "mail"; rate = 100.0; }; };
outbox = { parallel = 4; lease = 10; backoff_base = 1.0; backoff_max = 2.0; max_attempts = 3; };
listen = { address = "127.0.0.1"; port = $COBROD_HTTP_PORT; };
EOC
chmod 600 "$conf"
export T_SMS_PW=$KANNEL_SENDSMS_PASSWORD T_SMTP_PW=$SMTP_PASSWORD
start_cobrod() {
	"$bindir/cobrod" --config "$conf" --database "$db" --user "bot$tag" >>"$scratch/cobrod.log" 2>&1 &
	daemons+=($!)
	cobrod_pid=$!
}
stop_cobrod() {
	kill -TERM "$cobrod_pid" 2>/dev/null
	wait "$cobrod_pid" 2>/dev/null
}

# ---- nobody but the superuser writes the table now
run psql -X -q -At -v ON_ERROR_STOP=1 -U "rita$tag" -d cobro -c \
	"insert into cobro.message (account_id, debtor_id, contact_point_id, channel, recipient, body, agent_id)
	 values ($pe_acc, $pe, $mobile, 'sms', '$phone $phone2', 'x', cobro.my_agent_id())"
check "the collector cannot insert a message row from psql" test "$rc" != 0
check "  permission denied" grep -q "permission denied for table message" <<<"$err"
run psql -X -q -At -v ON_ERROR_STOP=1 -U "bot$tag" -d cobro -c \
	"update cobro.message set recipient = '+15550002222' where debtor_id = $pe"
check "nor the daemon update one" grep -q "permission denied for table message" <<<"$err"

# ---- rows tampered with behind the queue's back, while cobrod is down
good=$(queue "$pe_acc" sms "$mobile" "Aviso bueno $tag")
two=$(queue "$pe_acc" sms "$mobile" "Aviso dos numeros $tag")
other=$(queue "$pe_acc" sms "$mobile" "Aviso otro numero $tag")
mail_id=$(queue "$pe_acc" email "$email" "Texto del correo $tag" "Asunto $tag")
q -c "update cobro.message set recipient = '$phone +15550003333 +15550004444' where id = $two"
q -c "update cobro.message set recipient = '$phone2' where id = $other"
q -c "update cobro.message set recipient = 'attacker@evil.example' where id = $mail_id"
bare=$(q -c "insert into cobro.message (account_id, debtor_id, contact_point_id, channel, recipient, body)
             values ($pe_acc, $pe, $mobile, 'sms', '$phone', 'Aviso sin evento $tag') returning id")
nopoint=$(q -c "insert into cobro.message (account_id, debtor_id, channel, recipient, body)
                values ($pe_acc, $pe, 'sms', '$phone', 'Aviso sin punto $tag') returning id")
# The point's value changed after the message was queued: the row's no longer is the point's.
moved=$(queue "$pe_acc" sms "$mobile2" "Aviso numero cambiado $tag")
q -c "update cobro.contact_point set value = '+5194$(printf '%07d' $n)' where id = $mobile2"

# ---- Massachusetts: at most 2 SMS in 7 days for the debt (US-MA-2IN7)
ma_ids=()
for i in 1 2 3; do ma_ids+=("$(queue "$ma_acc" sms "$ma_mobile" "MA aviso $i $tag")"); done
# Three more rows by the superuser, with no history event: before cobro
# refused them, all were delivered.
ma_raw=$(q -c "insert into cobro.message (account_id, debtor_id, contact_point_id, channel, recipient, body)
               select $ma_acc, $ma, $ma_mobile, 'sms', '$ma_phone', 'MA directo ' || g || ' $tag'
               from generate_series(1, 3) g returning id" | paste -sd,)
# Another Massachusetts debtor with five rows put in behind the queue and
# nothing else: no event counted them, so before all five were delivered.
debtor 'John Doe' US-MA America/New_York MASS2
ma2=$d_id ma2_acc=$a_id
ma2_phone="+1617556$(printf '%04d' $(($$ % 10000)))"
ma2_mobile=$(point "$ma2" mobile "$ma2_phone" '{call,sms}')
ma2_raw=$(q -c "insert into cobro.message (account_id, debtor_id, contact_point_id, channel, recipient, body)
                select $ma2_acc, $ma2, $ma2_mobile, 'sms', '$ma2_phone', 'MA2 directo ' || g || ' $tag'
                from generate_series(1, 5) g returning id" | paste -sd,)
# The queue's events were written at the real time; the rule is judged at
# COBRO_NOW: put them an hour before it, inside the 7 days whatever the day.
q -c "update cobro.event set at = '$COBRO_NOW'::timestamptz - interval '1 hour' where debtor_id = $ma" >/dev/null

start_cobrod
for id in "$good" "$two" "$other" "$mail_id" "$bare" "$nopoint" "$moved" "${ma_ids[@]}"; do
	wait_settled "$id" 20 || break
done
check "the message queued to the point's value is sent" fakesmsc_wait_text "$svc" "Aviso bueno $tag" 15
check "a recipient of three space-separated numbers is refused" test "$(status_of "$two")" = "refused RECIPIENT"
check "  with a status event in the history" test "$(refused_event "$two")" = 1
check "  and its reason names the contact point, not the number" \
	test "$(q -c "select error like '%contact point $mobile%' and strpos(error, '$phone') = 0 from cobro.message where id = $two")" = t
check "a recipient changed to another number of the debtor is refused" test "$(status_of "$other")" = "refused RECIPIENT"
check "an email redirected to another address is refused" test "$(status_of "$mail_id")" = "refused RECIPIENT"
check "a row with no sms out event (not made by message_queue) is refused" test "$(status_of "$bare")" = "refused QUEUE"
check "a row with no contact point is refused" test "$(status_of "$nopoint")" = "refused RECIPIENT"
check "a message whose point's value changed since it was queued is refused" \
	test "$(status_of "$moved")" = "refused RECIPIENT"
sleep 1
texts=$(fakesmsc_texts "$svc")
check "Kannel got none of the refused texts" \
	test "$(grep -c -e "dos numeros $tag" -e "otro numero $tag" -e "sin evento $tag" -e "sin punto $tag" \
	        -e "numero cambiado $tag" <<<"$texts")" = 0
check "  and nothing for the injected numbers" test "$(grep -c -e 15550003333 -e 15550004444 <<<"$texts")" = 0
check "  and nothing for the debtor's other number" test "$(awk -F'\t' -v n="$phone2" '$2 == n' <<<"$texts" | wc -l)" = 0
check "the SMTP server got nothing: not for the attacker, not the text" \
	test -z "$(grep -l -r -e "evil.example" -e "pia.$tag" -e "Asunto $tag" "$svc/mail" 2>/dev/null)"

for id in ${ma_raw//,/ }; do wait_settled "$id" 20 || break; done
check "Massachusetts: the first two SMS queued are sent" \
	test "$(q -c "select string_agg(status, ',' order by id) from cobro.message where id in (${ma_ids[0]}, ${ma_ids[1]})")" = "sent,sent" \
	-o "$(q -c "select bool_and(status in ('sent', 'delivered')) from cobro.message where id in (${ma_ids[0]}, ${ma_ids[1]})")" = t
check "  the third is refused at send by US-MA-2IN7" test "$(status_of "${ma_ids[2]}")" = "refused US-MA-2IN7"
check "  the rows put in behind the queue are all refused" \
	test "$(q -c "select string_agg(distinct status || ' ' || refused_rule, ',') from cobro.message where id in ($ma_raw)")" = "refused QUEUE"
sleep 1
check "  and the operator got exactly two SMS for that number" \
	test "$(fakesmsc_texts "$svc" | awk -F'\t' -v n="$ma_phone" '$2 == n' | wc -l)" = 2
for id in ${ma2_raw//,/ }; do wait_settled "$id" 20 || break; done
check "five SMS put in behind the queue for another Massachusetts debtor are all refused" \
	test "$(q -c "select string_agg(distinct status || ' ' || refused_rule, ',') from cobro.message where id in ($ma2_raw)")" = "refused QUEUE"
check "  and the operator got none of them" \
	test "$(fakesmsc_texts "$svc" | awk -F'\t' -v n="$ma2_phone" '$2 == n' | wc -l)" = 0
check "the log names messages and contact points, never the numbers" \
	test -z "$(grep -l -e "$phone" -e "$phone2" -e "$ma_phone" -e "$ma2_phone" -e 15550003333 -e attacker "$scratch/cobrod.log")"
stop_cobrod

finish
