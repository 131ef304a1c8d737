#!/usr/bin/env bash
# cobrod sends what the workstation queued, through a real Kannel (fakesmsc as
# the operator) and a real SMTP server that requires AUTH, on free loopback
# ports; hears delivery reports and replies on its listener; honours STOP;
# survives a gateway that is down, gives up after its attempts, a kill -9 in
# the middle of 2,000 messages, and a second cobrod at the same queue.
#
# Its rows (a team, a collector, a daemon login, a debtor and its account)
# are its own, so the demo portfolio other suites read is not touched.
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
debtor=
cleanup() {
	psql -X -q -U postgres -d cobro -c "delete from cobro.daemon_presence where worker = 'queue-$tag'" >/dev/null 2>&1
	for p in "${daemons[@]}"; do kill -KILL "$p" 2>/dev/null; done
	services_down "$svc"
	# Our rows go; the demo portfolio other suites count stays as it was.
	if [ -n "$debtor" ]; then
		psql -X -q -U postgres -d cobro -c "delete from cobro.event where debtor_id = $debtor" \
			-c "delete from cobro.message where debtor_id = $debtor" \
			-c "delete from cobro.lease where account_id in (select id from cobro.account where debtor_id = $debtor)" \
			-c "delete from cobro.account where debtor_id = $debtor" \
			-c "delete from cobro.contact_point where debtor_id = $debtor" \
			-c "delete from cobro.debtor where id = $debtor" >/dev/null 2>&1
	fi
	# A failure under load is read afterwards from cobrod's and the
	# services' logs: kept beside the suite's TAP.
	if [ "${tap_failed:-0}" -gt 0 ] && [ -d "${COBRO_TEST_LOG:-}" ]; then
		for f in "$scratch"/*.log "$svc"/*.log; do
			[ -f "$f" ] && cp "$f" "$COBRO_TEST_LOG/cobrod_send.$(basename "$f")"
		done
	fi
	rm -rf "$scratch"
}
trap cleanup EXIT

p=$((13200 + ($$ % 9) * 10))
services_ports "$p" 13299
SMTP_PORT=$(free_port $((2700 + $$ % 50)) 2799)
export SMTP_PORT
export KANNEL_SENDSMS_USER=cobro-t KANNEL_SENDSMS_PASSWORD='sms pw' SMTP_USER=mailer SMTP_PASSWORD='s3cret pw'
export KANNEL_HTTP_RETRY_DELAY=1
# What Kannel's calls to cobrod's listener carry (its MO get-url, and the
# dlr-url cobrod gives it); cobrod reads it from the environment.
KANNEL_CALLBACK_SECRET="cb-$$-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
export KANNEL_CALLBACK_SECRET
unset COBROD_HTTP KANNEL_SHORTCODE KANNEL_MAX_MESSAGES KANNEL_STOP_WORDS
if ! services_up "$svc" kannel smtp; then
	echo "not ok 1 - the services would not start (its standard error says why)"
	echo "1..1"
	exit 1
fi

# A working Tuesday, 10:00 in Lima, after the demo's anchor: inside every
# rule's hours (tests/lib/clock.sh).
. "$top/tests/lib/clock.sh"
clock_init || exit 1
export COBRO_NOW=$COBRO_TEST_NOW
db="dbname=cobro"
q() { psql -X -q -At -v ON_ERROR_STOP=1 -U postgres -d cobro "$@"; }
ctl() { "$bindir/cobroctl" --database "$db" "$@"; }
tag=t$$
# Messages are queued here while this suite's cobrod is down: a heartbeat
# stands for it, as cobrod writes it (message_queue() refuses a channel no
# running cobrod sends, functions/send_facts.sql).
q -c "insert into cobro.daemon_presence (worker, channels, expires_at)
      values ('queue-$tag', '{sms,email,whatsapp}', now() + interval '1 hour')" >/dev/null

# ---- our own people and debtor
ctl --user admin team add "envios$tag" --name "Envíos $tag" >/dev/null
ctl --user admin agent add "rosa$tag" --name "Rosa Peña" --role collector --team "envios$tag" >/dev/null
ctl --user admin agent add "robot$tag" --name "Robot" --role daemon >/dev/null
if [ "$(q -c "select count(*) from cobro.contact_policy")" = 0 ]; then
	ctl --user admin policy load etc/policy.conf >/dev/null
fi
debtor=$(q -c "insert into cobro.debtor (name, first_name, language, jurisdiction, time_zone)
               values ('Íñigo Muñoz Peña', 'Íñigo', 'es', 'PE', 'America/Lima') returning id")
account=$(q -c "insert into cobro.account (debtor_id, creditor_id, product, reference, currency, balance, past_due,
                    team_id, agent_id)
               select $debtor, (select min(id) from cobro.creditor), 'loan', 'SEND-$tag', 'PEN', 123450, 23450,
                      (select id from cobro.team where code = 'envios$tag'),
                      (select id from cobro.agent where login = 'rosa$tag')
               returning id")
phone="+5198$(printf '%07d' $(($$ % 10000000)))"
mobile=$(q -c "insert into cobro.contact_point (debtor_id, kind, value, consent, is_primary)
               values ($debtor, 'mobile', '$phone', '{call,sms,whatsapp}', true) returning id")
# The mobile is their WhatsApp too (issue 15, line 7: one BAJA from such a
# number was recorded twice, once per contact point).
wa=$(q -c "insert into cobro.contact_point (debtor_id, kind, value, consent)
           values ($debtor, 'whatsapp', '$phone', '{whatsapp}') returning id")
email=$(q -c "insert into cobro.contact_point (debtor_id, kind, value, consent)
              values ($debtor, 'email', 'inigo.$tag@example.com', '{email}') returning id")
busy=$(q -c "insert into cobro.contact_point (debtor_id, kind, value, consent)
             values ($debtor, 'email', 'busy.$tag@example.com', '{email}') returning id")

# bulk WORD N: N SMS "WORD $tag 1".."WORD $tag N" put in by the database
# directly, as a strategy run would, each with the `sms out` event
# message_queue() writes (cobrod refuses a message without one): these
# exercise the dispatcher, not the contact policy (Peru has no cap).
bulk() {
	q -c "with m as (insert into cobro.message (account_id, debtor_id, contact_point_id, channel, recipient, body)
	                 select $account, $debtor, $mobile, 'sms', '$phone', '$1 $tag ' || g from generate_series(1, $2) g
	                 returning id, body)
	      insert into cobro.event (account_id, debtor_id, kind, direction, message_id, body)
	      select $account, $debtor, 'sms', 'out', id, body from m" >/dev/null
}

# queue AS CHANNEL POINT BODY [SUBJECT]: queued by rosa, as the send screen does.
queue() {
	local subject=${5:+"'$5'"}
	psql -X -q -At -v ON_ERROR_STOP=1 -U "rosa$tag" -d cobro -c \
		"select cobro.message_queue(gen_random_uuid(), $account, $3, '$2', NULL, ${subject:-NULL}, \$b\$$4\$b\$,
		                            NULL, NULL, NULL)"
}
status_of() { q -c "select status from cobro.message where id = $1"; }
wait_status() { # ID STATUS SECS
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		[ "$(status_of "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

conf=$scratch/cobrod.conf
write_conf() { # NAME SENDSMS_URL LEASE
	cat >"$conf.$1" <<EOF
name = "$1";
log = { level = "info"; };
transports = {
	kannel = { type = "kannel"; url = "$2"; username = "$KANNEL_SENDSMS_USER";
	           password_env = "T_SMS_PW"; from = "12345"; connect_timeout = 2; timeout = 5;
	           dlr_url = "http://127.0.0.1:$COBROD_HTTP_PORT/kannel/dlr";
	           callback_secret_env = "KANNEL_CALLBACK_SECRET"; };
	mail = { type = "smtp"; url = "smtp://127.0.0.1:$SMTP_PORT"; username = "$SMTP_USER";
	         password_env = "T_SMTP_PW"; starttls = false; from = "cobranzas@example.com";
	         from_name = "Cobranzas Andinas"; reply_to = "ayuda@example.com";
	         unsubscribe_url = "https://example.com/baja/{key}"; };
};
channels = { sms = { transport = "kannel"; rate = 2000.0; }; email = { transport = "mail"; rate = 500.0; }; };
outbox = { parallel = 16; lease = ${3:-10}; backoff_base = 1.0; backoff_max = 2.0; max_attempts = 3; };
listen = { address = "127.0.0.1"; port = ${4:-$COBROD_HTTP_PORT}; };
EOF
	chmod 600 "$conf.$1"
}
export T_SMS_PW=$KANNEL_SENDSMS_PASSWORD T_SMTP_PW=$SMTP_PASSWORD
start_cobrod() { # NAME
	"$bindir/cobrod" --config "$conf.$1" --database "$db" --user "robot$tag" >>"$scratch/$1.log" 2>&1 &
	daemons+=($!)
	last_pid=$!
}
stop_cobrod() { # PID
	kill -TERM "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

write_conf a "$KANNEL_SENDSMS_URL"
start_cobrod a
a_pid=$last_pid

# ---- an SMS with accents arrives exact, then its delivery report
# One UCS-2 segment (at most 70 characters), which fakesmsc logs whole.
text="Hola Íñigo: su cuota de S/ 234.50 vence el 30/11. ¿Pagará hoy?"
id=$(queue x sms "$mobile" "$text")
check "the collector's SMS is queued" test -n "$id"
check "fakesmsc receives the exact text, accents and ¿ included" fakesmsc_wait_text "$svc" "$text" 15
check "the delivery report moves it to delivered" wait_status "$id" delivered 15
check "  with its time, and a delivery event in the history" \
	test "$(q -c "select delivered_at is not null and sent_at is not null from cobro.message where id = $id")" = t \
	-a "$(q -c "select count(*) from cobro.event where message_id = $id and kind = 'delivery' and outcome = 'delivered'")" = 1
check "the message went as UCS-2 (one character outside GSM 03.38)" \
	grep -qF "<12345 $phone ucs-2 " "$svc/fakesmsc.out"

# ---- a reply, then STOP, then a refused SMS
scripts/services.sh mo "$svc" "$phone" "Pago el viernes, gracias" >/dev/null
for _ in $(seq 100); do
	[ "$(q -c "select count(*) from cobro.event where debtor_id = $debtor and kind = 'sms' and direction = 'in'")" -ge 1 ] && break
	sleep 0.1
done
check "an inbound reply becomes one event in the debtor's history (the number is mobile and WhatsApp)" \
	test "$(q -c "select body from cobro.event where debtor_id = $debtor and kind = 'sms' and direction = 'in'")" = "Pago el viernes, gracias"
check "  and marks the account replied" test "$(q -c "select replied_at is not null from cobro.account where id = $account")" = t
scripts/services.sh mo "$svc" "$phone" "BAJA" >/dev/null
for _ in $(seq 100); do
	[ "$(q -c "select 'sms' = any(opted_out) from cobro.contact_point where id = $mobile")" = t ] && break
	sleep 0.1
done
check "BAJA opts the number out of SMS" test "$(q -c "select 'sms' = any(opted_out) from cobro.contact_point where id = $mobile")" = t
for _ in $(seq 50); do grep -q "opt-out from .* (1 debtor)" "$scratch/a.log" && break; sleep 0.1; done
check "  with one optout event and an audit row" \
	test "$(q -c "select count(*) from cobro.event where debtor_id = $debtor and kind = 'optout'")" = 1 \
	-a "$(q -c "select count(*) from cobro.audit where tbl = 'contact_point' and row_id = $mobile")" -ge 1
check "  one BAJA is one sms event, though the number is the debtor's mobile and WhatsApp" \
	test "$(q -c "select count(*) from cobro.event where debtor_id = $debtor and kind = 'sms' and direction = 'in' and body = 'BAJA'")" = 1
check "  every contact point with the number is opted out of SMS, the WhatsApp one too" \
	test "$(q -c "select count(*) from cobro.contact_point where id in ($mobile, $wa) and 'sms' = any(opted_out)")" = 2
check "  and cobrod logs 1 debtor" grep -q "opt-out from .* (1 debtor)" "$scratch/a.log"
run queue x sms "$mobile" "Recordatorio"
check "the workstation cannot queue SMS to the opted-out number" test "$rc" != 0
check "  and says why" grep -q "opted out of sms" <<<"$err"
# One queued before the STOP arrived: cobrod checks again when it sends.
q -c "update cobro.contact_point set opted_out = '{}' where id in ($mobile, $wa)"
stop_cobrod "$a_pid"
late=$(queue x sms "$mobile" "Recordatorio tardío")
q -c "update cobro.contact_point set opted_out = '{sms}' where id = $mobile"
start_cobrod a
a_pid=$last_pid
check "a message queued before the STOP is refused when cobrod sends it" wait_status "$late" refused 15
check "  naming the rule, with a status event" \
	test "$(q -c "select refused_rule from cobro.message where id = $late")" = ALL-OPTOUT \
	-a "$(q -c "select count(*) from cobro.event where message_id = $late and kind = 'status' and outcome = 'refused'")" = 1
check "  and nothing reaches the operator" test "$(fakesmsc_texts "$svc" | grep -c "Recordatorio tardío")" = 0
# The recipient's own consent counts, not another number's: this second
# mobile never consented to SMS.
other=$(q -c "insert into cobro.contact_point (debtor_id, kind, value)
              values ($debtor, 'mobile', '+5197$(printf '%07d' $(($$ % 10000000)))') returning id")
unasked=$(queue x sms "$other" "Sin consentimiento")
check "an SMS to a number that never consented is refused, though another number did" wait_status "$unasked" refused 15
check "  by the consent rule" test "$(q -c "select refused_rule from cobro.message where id = $unasked")" = ALL-CONSENT
q -c "update cobro.contact_point set opted_out = '{}' where id in ($mobile, $wa)"

# ---- email: exact headers and body, AUTH required
eid=$(queue x email "$email" "Estimado Íñigo,

su saldo es S/ 1,234.50." "Su cuenta SEND-$tag: acción requerida")
check "the email is sent" wait_status "$eid" sent 15
check "  and arrives at the SMTP server after AUTH as $SMTP_USER" smtp_wait_count "$svc" 1 10
mail=$(ls "$svc"/mail/*.eml | tail -n 1)
cp "$mail" "$COBRO_TEST_LOG/cobrod_send.eml" 2>/dev/null
from=$(q -c "select c.email_from || ' ' || c.reply_to from cobro.creditor c join cobro.account a on a.creditor_id = c.id where a.id = $account")
check "  From is the creditor's address with the display name, Reply-To the creditor's" \
	test -n "$(tr -d '\r' <"$mail" | grep -Fx "From: Cobranzas Andinas <${from% *}>")" \
	-a -n "$(tr -d '\r' <"$mail" | grep -Fx "Reply-To: ${from#* }")"
check "  To has the debtor's name in RFC 2047 and the address" \
	grep -q "^To: =?UTF-8?B?[^ ]*?= <inigo.$tag@example.com>" "$mail"
check "  the subject in RFC 2047" grep -q '^Subject: =?UTF-8?' "$mail"
check "  Message-ID and Date" test -n "$(grep '^Message-ID:' "$mail")" -a -n "$(grep '^Date: ' "$mail")"
# Issue 15, line 13: read strictly, as a mailbox provider would; the
# unsubscribe URL with one-click, and the mailto to the creditor's Reply-To.
run /usr/bin/python3 tests/lib/mail_check.py "$mail"
check "  the mail parses strictly (email.policy.strict, no header defect, lines of 78 at most)" test "$rc" = 0
key=$(q -c "select idempotency_key from cobro.message where id = $eid")
check "  List-Unsubscribe: the https URL with its key, then a mailto to the Reply-To; one-click" \
	test "$out" = "https://example.com/baja/$key
mailto:${from#* }?subject=unsubscribe
post: List-Unsubscribe=One-Click"
check "  the body decodes to the text queued" \
	/usr/bin/python3 -c 'import email,sys; m=email.message_from_binary_file(open(sys.argv[1],"rb")); b=m.get_payload(decode=True).decode(m.get_content_charset()); sys.exit(0 if "su saldo es S/ 1,234.50." in b and "Estimado Íñigo" in b else 1)' "$mail"
check "  the envelope names the login" grep -q "\"auth_user\": \"$SMTP_USER\"" "${mail%.eml}.json"

# ---- max attempts: a mailbox that is always busy
bid=$(queue x email "$busy" "Hola" "Aviso")
check "a message refused for now three times fails with the reason" wait_status "$bid" failed 30
check "  the reason names the attempts and the refusal" \
	grep -q "gave up after 3 attempts: smtp: recipient refused (451)" <<<"$(q -c "select error from cobro.message where id = $bid")"
check "  and the collector sees a status event" \
	test "$(q -c "select count(*) from cobro.event where message_id = $bid and kind = 'status' and outcome = 'failed'")" = 1

# ---- the gateway down for a while: messages wait, then go
stop_cobrod "$a_pid"
write_conf down "http://127.0.0.1:$(free_port 13300 13399)/cgi-bin/sendsms"
start_cobrod down
down_pid=$last_pid
ids=()
for i in 1 2 3; do ids+=("$(queue x sms "$mobile" "Espera $i $tag")"); done
idlist=$(IFS=,; echo "${ids[*]}")
sleep 3
check "with the gateway unreachable the messages wait, queued" \
	test "$(q -c "select string_agg(distinct status, ',') from cobro.message where id in ($idlist)")" = queued
check "  with the reason, and no attempt spent" \
	test "$(q -c "select bool_and(error like 'kannel: %' and attempts = 0) from cobro.message where id in ($idlist)")" = t
stop_cobrod "$down_pid"
start_cobrod a
a_pid=$last_pid
for i in 1 2 3; do
	fakesmsc_wait_text "$svc" "Espera $i $tag" 20 || break
done
check "when the gateway is back they go, each once" \
	test "$(fakesmsc_texts "$svc" | grep -c "Espera [123] $tag")" = 3
stop_cobrod "$a_pid"

# ---- kill -9 in the middle of 2,000 messages, then a restart
bulk lote 2000
write_conf k "$KANNEL_SENDSMS_URL" 10
sed -i 's/rate = 2000.0/rate = 400.0/' "$conf.k"
start_cobrod k
k_pid=$last_pid
for _ in $(seq 200); do
	[ "$(q -c "select count(*) from cobro.message where body like 'lote $tag %' and status <> 'queued'")" -ge 600 ] && break
	sleep 0.05
done
kill -KILL "$k_pid"
wait "$k_pid" 2>/dev/null
inflight=$(q -c "select count(*) from cobro.message where body like 'lote $tag %' and status = 'sending'")
check "killed in the middle: some sent, some still claimed ($inflight), some queued" \
	test "$(q -c "select count(*) from cobro.message where body like 'lote $tag %' and status = 'queued'")" -gt 0
start_cobrod a
a_pid=$last_pid
for _ in $(seq 400); do
	[ "$(q -c "select count(*) from cobro.message where body like 'lote $tag %' and status in ('sent', 'delivered')")" = 2000 ] && break
	sleep 0.1
done
check "after the restart every message is sent (claims of the dead one reclaimed after the lease)" \
	test "$(q -c "select count(*) from cobro.message where body like 'lote $tag %' and status in ('sent', 'delivered')")" = 2000
sleep 1
dups=$(fakesmsc_texts "$svc" | awk -F'\t' -v t="lote $tag " 'index($3, t) == 1 { n[$3]++ } END { d = 0; for (k in n) if (n[k] > 1) d += n[k] - 1; print d }')
arrived=$(fakesmsc_texts "$svc" | awk -F'\t' -v t="lote $tag " 'index($3, t) == 1 { n[$3]++ } END { print length(n) }')
check "  all 2,000 reached the operator" test "$arrived" = 2000
check "  none twice except those in flight at the kill ($dups <= $inflight)" test "$dups" -le "$inflight"
stop_cobrod "$a_pid"

# ---- two cobrod at one queue: nothing twice
bulk par 1000
write_conf b "$KANNEL_SENDSMS_URL" 60 "$(free_port 13400 13499)"
start_cobrod a
a_pid=$last_pid
start_cobrod b
b_pid=$last_pid
for _ in $(seq 300); do
	[ "$(q -c "select count(*) from cobro.message where body like 'par $tag %' and status in ('sent', 'delivered')")" = 1000 ] && break
	sleep 0.1
done
check "two cobrod send the 1,000 between them" \
	test "$(q -c "select count(*) from cobro.message where body like 'par $tag %' and status in ('sent', 'delivered')")" = 1000
check "  both took part (each message records who sent it)" \
	test "$(q -c "select count(distinct claimed_by) from cobro.message where body like 'par $tag %'")" = 2
sleep 1
check "  and the operator got each exactly once" \
	test "$(fakesmsc_texts "$svc" | awk -F'\t' -v t="par $tag " 'index($3, t) == 1 { n[$3]++ } END { d = 0; for (k in n) if (n[k] != 1) d++; print length(n) "/" d }')" = 1000/0

# ---- SIGTERM: in-flight sends finish, then it exits
bulk fin 300
sleep 0.3
kill -TERM "$a_pid" "$b_pid"
wait "$a_pid" 2>/dev/null
rc_a=$?
wait "$b_pid" 2>/dev/null
check "SIGTERM: both exit 0" test "$rc_a" = 0
check "  leaving no message claimed" \
	test "$(q -c "select count(*) from cobro.message where body like 'fin $tag %' and status = 'sending'")" = 0
check "  and saying so in the log" grep -q 'cobrod info: stopped' "$scratch/a.log"

# ---- the rate: 40 messages at 10 a second, and a text over the segment limit
# fails. A second's worth may go at once, then one every 0.1 s, so the 40th
# starts at least 3 s after the first, and by any moment at most 10 + 10 per
# second since cobrod started have gone. Both bounds are measured from before
# cobrod starts, on the database's clock (the one sent_at is written with):
# the first message's own sent_at comes when its send is settled, which a
# slow gateway delays, so it is no mark to measure the spread from.
# What SIGTERM gave back unsent would go first and hold up the measure.
q -c "delete from cobro.message where body like 'fin $tag %' and status = 'queued'" >/dev/null
bulk ritmo 40
long=$(q -c "with m as (insert into cobro.message (account_id, debtor_id, contact_point_id, channel, recipient, body)
                       values ($account, $debtor, $mobile, 'sms', '$phone', repeat('Texto largo ', 40))
                       returning id, body),
             e as (insert into cobro.event (account_id, debtor_id, kind, direction, message_id, body)
                   select $account, $debtor, 'sms', 'out', id, body from m)
             select id from m")
write_conf r "$KANNEL_SENDSMS_URL"
sed -i 's/rate = 2000.0/rate = 10.0/' "$conf.r"
t0=$(q -c "select clock_timestamp()")
start_cobrod r
r_pid=$last_pid
over=
for _ in $(seq 300); do
	# The count is taken before the clock is read: the bound only loosens.
	read -r n ahead < <(q -F ' ' -c "select count(*), count(*) > 11 + 10 * extract(epoch from clock_timestamp() - '$t0')
	                                 from cobro.message where body like 'ritmo $tag %' and status in ('sent', 'delivered')")
	[ "$ahead" = t ] && over="$over $n"
	[ "$n" = 40 ] && break
	sleep 0.1
done
stop_cobrod "$r_pid"
check "channels.sms.rate = 10: all 40 go, the last 3 s or more after cobrod starts" \
	test "$(q -c "select count(*) = 40 and max(sent_at) >= '$t0'::timestamptz + interval '3 s'
	              from cobro.message where body like 'ritmo $tag %'")" = t
check "  and never more than a second's worth ahead of the rate (seen:${over:- none})" test -z "$over"
check "an SMS over channels.sms.max_segments fails with its count, unsent" \
	test "$(q -c "select status = 'failed' and error like 'the SMS takes 4 segments (GSM-7, 480 characters); at most 3 %'
	              from cobro.message where id = $long")" = t

# ---- what the logs never hold
check "no password and no message text in the logs at level info" \
	test -z "$(grep -l -e "$KANNEL_SENDSMS_PASSWORD" -e "$SMTP_PASSWORD" -e "Pago el viernes" -e "Íñigo" "$scratch"/*.log)"

# ---- the listener refuses what it does not know
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
start_cobrod a
a_pid=$last_pid
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$COBROD_HTTP_PORT") 2>/dev/null && break; sleep 0.1; done
key=$KANNEL_CALLBACK_SECRET
check "a DLR for an unknown message is answered 404" \
	test "$(code "http://127.0.0.1:$COBROD_HTTP_PORT/kannel/dlr?key=$key&id=999999999&status=1&answer=x&to=1&ts=1")" = 404
check "a DLR with a bad status is answered 400, changing nothing" \
	test "$(code "http://127.0.0.1:$COBROD_HTTP_PORT/kannel/dlr?key=$key&id=$id&status=abc")" = 400 \
	-a "$(status_of "$id")" = delivered
check "  and logged" grep -q "999999999" "$scratch/a.log"

# ---- SIGHUP: a good file is taken, a broken one is not and cobrod goes on
sed -i 's/max_attempts = 3/max_attempts = 4/' "$conf.a"
kill -HUP "$a_pid"
for _ in $(seq 50); do grep -q 'configuration reloaded' "$scratch/a.log" && break; sleep 0.1; done
check "SIGHUP reads cobrod.conf again" grep -q 'cobrod info: configuration reloaded' "$scratch/a.log"
sed -i 's/parallel = 16;/parallel = "many";/' "$conf.a"
kill -HUP "$a_pid"
for _ in $(seq 50); do grep -q 'configuration not reloaded' "$scratch/a.log" && break; sleep 0.1; done
check "a broken file is refused with its place, and the old settings stay" \
	grep -q "configuration not reloaded: $conf.a:[0-9]*: outbox.parallel" "$scratch/a.log"
check "  while cobrod goes on answering" \
	test "$(code "http://127.0.0.1:$COBROD_HTTP_PORT/health")" = 200 -a -n "$(kill -0 "$a_pid" && echo up)"
stop_cobrod "$a_pid"

# ---- the listener trusts only its gateway (issue 14, line 6): any local
# user can reach it with curl; only what carries the Kannel transport's
# callback secret is believed, and then only about what that gateway has.
write_conf a "$KANNEL_SENDSMS_URL"
start_cobrod a
a_pid=$last_pid
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$COBROD_HTTP_PORT") 2>/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$COBROD_HTTP_PORT"
events() { q -c "select count(*) from cobro.event where debtor_id = $debtor"; }
optouts() { q -c "select coalesce(array_to_string(opted_out, ','), '') from cobro.contact_point where id = $mobile"; }
sent_id=$(queue x sms "$mobile" "Aviso $tag")
wait_status "$sent_id" delivered 15
sleep 1 # Kannel's second report (8, then 1, in either order) comes and is ignored
ev0=$(events)
check "spoofed MO STOP without the key: 403" \
	test "$(code "$base/kannel/mo?kind=stop&from=%2B${phone#+}&to=12345&text=STOP")" = 403
check "  with a wrong key: 403" \
	test "$(code "$base/kannel/mo?key=${key}x&kind=stop&from=%2B${phone#+}&to=12345&text=STOP")" = 403
check "spoofed reply without the key: 403" \
	test "$(code "$base/kannel/mo?from=%2B${phone#+}&to=12345&text=Ya+pagu%C3%A9+todo%2C+no+llamen")" = 403
check "spoofed DLR without the key: 403" test "$(code "$base/kannel/dlr?id=$sent_id&status=2&answer=hacked")" = 403
check "  nothing recorded: no opt-out, no event, the message still delivered" \
	test "$(optouts)" = "" -a "$(events)" = "$ev0" -a "$(status_of "$sent_id")" = delivered
check "  and the log names the refusal, never the key" \
	grep -q "cobrod warning: refused /kannel/mo from 127.0.0.1: no gateway's key" "$scratch/a.log"
# Kannel's stop service marks kind=stop by the first word; cobrod reads the
# text, and "baja por favor" is a sentence, not the keyword.
scripts/services.sh mo "$svc" "$phone" "Baja por favor la cuota" >/dev/null
for _ in $(seq 100); do
	[ "$(q -c "select count(*) from cobro.event where debtor_id = $debtor and body = 'Baja por favor la cuota'")" -ge 1 ] && break
	sleep 0.1
done
check "kind=stop from Kannel over a text that is no stop word: a reply, not an opt-out" \
	test "$(q -c "select count(*) from cobro.event where debtor_id = $debtor and body = 'Baja por favor la cuota'")" = 1 \
	-a "$(optouts)" = ""
check "  nor with the key and kind=stop by hand" \
	test "$(code "$base/kannel/mo?key=$key&kind=stop&from=%2B${phone#+}&to=12345&text=hola")" = 200 -a "$(optouts)" = ""
# Queued for later: cobrod has not handed it to Kannel.
held=$(q -c "insert into cobro.message (account_id, debtor_id, contact_point_id, channel, recipient, body, next_attempt_at)
             values ($account, $debtor, $mobile, 'sms', '$phone', 'En cola $tag', now() + interval '1 hour') returning id")
mail_id=$eid
check "a DLR, with the key, for a message still queued: refused (409)" \
	test "$(code "$base/kannel/dlr?key=$key&id=$held&status=1")" = 409
check "  it stays queued, no event" \
	test "$(status_of "$held")" = queued -a "$(q -c "select count(*) from cobro.event where message_id = $held and kind = 'delivery'")" = 0
check "an SMS gateway's DLR for an email: refused (409), the email stays sent, no attacker text" \
	test "$(code "$base/kannel/dlr?key=$key&id=$mail_id&status=2&answer=Su+cuenta+fue+embargada")" = 409 \
	-a "$(status_of "$mail_id")" = sent \
	-a "$(q -c "select count(*) from cobro.event where message_id = $mail_id and kind = 'delivery'")" = 0
# Reports that come together are recorded together (message_dlr_many(),
# issue 18, line 11): each still gets its own answer, as one alone would.
ev_d=$(q -c "select count(*) from cobro.event where kind = 'delivery'")
urls=()
for n in 1 2 3 4; do
	for u in "id=$sent_id&status=1" "id=$sent_id&status=8" "id=$held&status=1" "id=$mail_id&status=2" \
		"id=999999998&status=1"; do
		urls+=(-o /dev/null "$base/kannel/dlr?key=$key&$u&n=$n")
	done
done
curl -s -Z --parallel-max 20 -w '%{url} %{http_code}\n' "${urls[@]}" >"$scratch/dlr-many.out" 2>/dev/null
answers=$(grep -o 'id=[0-9]*&status=[0-9]*&n=[0-9]* [0-9]*$' "$scratch/dlr-many.out" |
	sed -E 's/id=([0-9]+)&status=([0-9]+)&n=[0-9]+ /\1.\2 /' | sort | uniq -c |
	sed "s/$sent_id\./sent./; s/$held\./held./; s/$mail_id\./mail./" | awk '{print $1, $2, $3}' | sort -k2 | paste -sd,)
check "20 reports at once: each its own answer (repeats 200, queued 409, another channel's 409, unknown 404; got $answers)" \
	test "$answers" = "4 999999998.1 404,4 held.1 409,4 mail.2 409,4 sent.1 200,4 sent.8 200"
check "  nothing changed by them: the message still delivered, the held one queued, no new delivery event" \
	test "$(status_of "$sent_id")" = delivered -a "$(status_of "$held")" = queued \
	-a "$(q -c "select count(*) from cobro.event where kind = 'delivery'")" = "$ev_d"
q -c "delete from cobro.message where id = $held" >/dev/null
check "no callback secret in cobrod's logs" test -z "$(grep -l -F -e "$key" "$scratch"/*.log)"

# ---- 300 idle connections from one client: /health and the gateway are
# still answered (issue 14, line 6)
"$services_py" - "$COBROD_HTTP_PORT" 300 20 >"$scratch/idle.out" 2>&1 <<'PY' &
import socket, sys, time
port, n, secs = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
held = []
for _ in range(n):
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", port))
        held.append(s)
    except OSError:
        pass
print("opened", len(held), flush=True)
time.sleep(secs)
PY
idle_pid=$!
for _ in $(seq 50); do grep -q opened "$scratch/idle.out" 2>/dev/null && break; sleep 0.1; done
sleep 0.5
check "with 300 idle connections held, /health answers within 1 s" \
	test "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 --interface 127.0.0.2 "$base/health")" = 200
scripts/services.sh mo "$svc" "$phone" "STOP" >/dev/null
t_stop=$SECONDS
for _ in $(seq 200); do
	[ "$(optouts)" = sms ] && break
	sleep 0.1
done
check "  a STOP through Kannel (from the same address) opts the number out within 15 s ($((SECONDS - t_stop)) s)" \
	test "$(optouts)" = sms
for _ in $(seq 100); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$base/health")" = 200 ] && break
	sleep 0.1
done
check "  idle connections are closed within seconds: /health from their own address answers too" \
	test "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$base/health")" = 200
kill "$idle_pid" 2>/dev/null
wait "$idle_pid" 2>/dev/null
# A client that trickles its headers, a byte every 2 s, never goes idle: it
# is cut off when its request is not whole 10 s after it connected.
slow=$("$services_py" - "$COBROD_HTTP_PORT" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
t0 = time.time()
s.settimeout(2)
while time.time() - t0 < 30:
    try:
        s.sendall(b"X")
        if s.recv(100) == b"":
            break
    except socket.timeout:
        continue
    except OSError:
        break
print(round(time.time() - t0))
PY
)
check "a client trickling its headers is cut off within 12 s ($slow s)" test -n "$slow" -a "${slow:-99}" -le 12
q -c "update cobro.contact_point set opted_out = '{}' where id in ($mobile, $wa)" >/dev/null
stop_cobrod "$a_pid"

# ---- Kannel stopped and started again (issue 14, line 7): with the default
# backoff (30 s, up to an hour), what was queued meanwhile goes within
# seconds of its return, and the log says paused and resumed, once each.
write_conf o "$KANNEL_SENDSMS_URL"
sed -i 's/backoff_base = 1.0; backoff_max = 2.0; //' "$conf.o"
start_cobrod o
o_pid=$last_pid
scripts/services.sh stop "$svc" kannel >/dev/null 2>&1
bulk corte 50
sleep 6
# Polled: a message claimed as the pause began goes back to the queue
# without an attempt spent, a moment later on a busy machine.
corte_waiting() { test "$(q -c "select count(*) from cobro.message where body like 'corte $tag %' and status = 'queued' and attempts = 0")" = 50; }
for _ in $(seq 1 50); do corte_waiting && break; sleep 0.2; done
check "with Kannel down the 50 wait, queued, no attempt spent" corte_waiting
if ! corte_waiting; then   # what they are instead, and what cobrod said
	q -c "select status, attempts, left(coalesce(error, ''), 60), count(*) from cobro.message
	      where body like 'corte $tag %' group by 1, 2, 3" | sed 's/^/#   corte: /'
	grep -v ' debug: ' "$scratch/o.log" | tail -n 8 | sed 's/^/#   o.log: /'
fi
# Its ports were free at the start; a port another program took meanwhile
# is waited for a little.
kannel_back=
for _ in 1 2 3 4 5; do
	if services_up "$svc" kannel 2>>"$scratch/restart.err"; then kannel_back=1; break; fi
	sleep 3
done
if [ -n "$kannel_back" ]; then
	t_up=$SECONDS
	for _ in $(seq 300); do
		[ "$(q -c "select count(*) from cobro.message where body like 'corte $tag %' and status in ('sent', 'delivered')")" = 50 ] && break
		sleep 0.1
	done
	took=$((SECONDS - t_up))
	check "Kannel back: all 50 sent within 15 s ($took s)" \
		test "$(q -c "select count(*) from cobro.message where body like 'corte $tag %' and status in ('sent', 'delivered')")" = 50 -a "$took" -le 15
	# Sent means Kannel took it; the fake operator logs it a moment later.
	for _ in $(seq 50); do
		seen=$(fakesmsc_texts "$svc" | awk -F'\t' -v t="corte $tag " 'index($3, t) == 1 { n[$3]++ } END { d = 0; for (k in n) if (n[k] != 1) d++; print length(n) "/" d }')
		[ "${seen%/*}" -ge 50 ] && break
		sleep 0.1
	done
	check "  none failed, none twice at the operator (texts/twice: $seen; $(q -c "select string_agg(status || ' ' || n, ', ') from (select status, count(*) n from cobro.message where body like 'corte $tag %' group by status) s"))" \
		test "$seen" = 50/0
else
	check "Kannel starts again" false
fi
check "  the log says the transport paused, once" \
	test "$(grep -c 'cobrod warning: transport kannel paused: ' "$scratch/o.log")" = 1
check "  and resumed, once" \
	test "$(grep -c 'cobrod info: transport kannel resumed after [0-9]* s: sending again' "$scratch/o.log")" = 1
stop_cobrod "$o_pid"

finish
