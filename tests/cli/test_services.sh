#!/usr/bin/env bash
# scripts/services.sh with tests/lib/services.sh: a real Kannel (fakesmsc as the
# operator) and the SMTP server that requires AUTH start on free ports, carry an
# accented SMS out with its delivery reports and inbound texts back to the right
# URL, keep an email byte for byte, refuse mail without a good login, and stop
# leaving no process behind.
. "$(dirname "$0")/tap.sh"
. "$top/tests/lib/services.sh"
cd "$top"

for need in /usr/sbin/bearerbox /usr/sbin/smsbox /usr/lib/kannel/test/fakesmsc /usr/bin/curl; do
	if [ ! -x "$need" ]; then
		echo "1..0 # SKIP $need missing (scripts/deps.sh check installs it)"
		exit 0
	fi
done
if ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
	echo "1..0 # SKIP python3-aiosmtpd missing (scripts/deps.sh check installs it)"
	exit 0
fi

svc=$scratch/svc
mkdir -p "$svc"
trap 'services_down "$svc"; rm -rf "$scratch"' EXIT

# Five free ports in 13100-13199 and one in 2600-2699, starting at a place that
# depends on our PID so that two runs at once seldom reach for the same ones.
p=$((13100 + ($$ % 9) * 10))
services_ports "$p" 13199
SMTP_PORT=$(free_port $((2600 + $$ % 50)) 2699)
export SMTP_PORT
export KANNEL_SENDSMS_USER=tester KANNEL_SENDSMS_PASSWORD=sms-pw SMTP_USER=mailer SMTP_PASSWORD='s3cret pw'
unset COBROD_HTTP KANNEL_SHORTCODE KANNEL_MAX_MESSAGES KANNEL_STOP_WORDS

# A process that ran and is gone (or a zombie nobody has reaped yet).
gone() { [ ! -e "/proc/$1/stat" ] || [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ]; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---- start, status, a second start, a taken port
run services_up "$svc" kannel smtp
check "kannel and smtp start on free ports ($KANNEL_SENDSMS_PORT, $SMTP_PORT)" test "$rc" = 0
check "start records the settings for the test: KANNEL_SENDSMS_URL" \
	test "$KANNEL_SENDSMS_URL" = "http://127.0.0.1:$KANNEL_SENDSMS_PORT/cgi-bin/sendsms"
run scripts/services.sh status "$svc"
check "status: bearerbox, smsbox, fakesmsc and smtpd run; the fake SMSC is online" \
	test "$rc" = 0 -a "$(grep -c ': running (pid' <<<"$out")" = 4 -a -n "$(grep -x 'kannel: fake SMSC online' <<<"$out")"
pids=$(services_pids "$svc" | sort)
run scripts/services.sh start "$svc" kannel smtp
check "a second start leaves them running" test "$rc" = 0 -a "$(services_pids "$svc" | sort)" = "$pids"
check "  and says so" grep -qx 'kannel: already running' <<<"$out"
run env SMTP_PORT="$KANNEL_ADMIN_PORT" scripts/services.sh start "$scratch/other" smtp
check "a taken port is refused with a clear message" \
	test "$rc" = 1 -a -n "$(grep -F "port $KANNEL_ADMIN_PORT (SMTP_PORT" <<<"$err")"

# ---- an MT with accents, as UCS-2, and its delivery reports
run http_sink_start "$svc" "$COBROD_HTTP_PORT"
check "the stand-in for cobrod's HTTP listener starts" test "$rc" = 0
text="Hola Núñez, ¿cómo está?"
dlr="http://127.0.0.1:$COBROD_HTTP_PORT/kannel/dlr?msg=42&status=%d&answer=%A&ts=%T"
run kannel_send "$svc" +34600000001 "$text" -d dlr-mask=31 --data-urlencode "dlr-url=$dlr"
check "sendsms accepts it (202)" test "$out" = "202 0: Accepted for delivery"
run fakesmsc_wait_text "$svc" "$text" 10
check "the operator receives exactly \"$text\"" test "$rc" = 0
check "  as UCS-2 (URL-encoded UTF-16BE)" grep -qF '<12345 +34600000001 ucs-2 %00H%00o%00l%00a%00+%00N%00%FA%00%F1%00e%00z' "$svc/fakesmsc.out"
run http_sink_wait "$svc" 10 path=/kannel/dlr msg=42 status=1
check "a delivery report reaches the dlr-url: status 1 (delivered)" test "$rc" = 0
run http_sink_wait "$svc" 5 path=/kannel/dlr msg=42 status=8
check "  and one with status 8 (accepted by the operator)" test "$rc" = 0

# ---- concatenation: 3 UCS-2 segments (max-messages = 3) arrive whole
long=$(printf 'Núñez debe 120,50 € ¿pagará hoy? %.0s' 1 2 3 4 5)
long=${long:0:190}
run kannel_send "$svc" +34600000001 "$long"
run fakesmsc_wait_text "$svc" "$long" 10
check "a 190-character UCS-2 text arrives whole, in 3 segments" test "$rc" = 0
check "  joined from parts 1/3, 2/3, 3/3 with one reference" \
	test "$(grep -cE 'Got message [0-9]+: <12345 \+34600000001 udh %05%00%03(%[0-9A-F]{2}|[^%])%03%0[123] data ' "$svc/fakesmsc.out")" = 3

# ---- inbound: STOP and a reply reach cobrod's URLs, UTF-8 percent-encoded
run scripts/services.sh mo "$svc" +34600000002 STOP
check "mo injects an inbound SMS" test "$rc" = 0
run http_sink_wait "$svc" 10 path=/kannel/mo kind=stop from=+34600000002 to=12345 text=STOP coding=0
check "STOP reaches /kannel/mo with kind=stop, from, to, text" test "$rc" = 0
check "  with Unix time, Kannel's id and SMSC" grep -qE '"ts": "[0-9]{10}", "id": "[0-9a-f-]{36}", "smsc": "fake1"' <<<"$out"
check "  and the callback secret cobrod requires, as key=" \
	test -n "$KANNEL_CALLBACK_SECRET" -a -n "$(grep -F "\"key\": \"$KANNEL_CALLBACK_SECRET\"" <<<"$out")"
run scripts/services.sh mo "$svc" +34600000003 "Ya pagué"
run http_sink_wait "$svc" 10 path=/kannel/mo kind=reply from=+34600000003 text="Ya pagué"
check "\"Ya pagué\" reaches /kannel/mo as kind=reply, in UTF-8" test "$rc" = 0
check "  percent-encoded: text=Ya+pagu%C3%A9" grep -qF 'text=Ya+pagu%C3%A9&' <<<"$out"
scripts/services.sh mo "$svc" +34600000004 "baja por favor"
scripts/services.sh mo "$svc" +34600000005 "Bajaré la deuda mañana"
scripts/services.sh mo "$svc" +34600000006 $'Línea uno\nLínea dos'
run http_sink_wait "$svc" 10 path=/kannel/mo kind=stop from=+34600000004 text="baja por favor"
check "an opt-out word matches in any case (baja)" test "$rc" = 0
run http_sink_wait "$svc" 10 path=/kannel/mo kind=reply from=+34600000005 text="Bajaré la deuda mañana"
check "  but only as a whole word (Bajaré is a reply)" test "$rc" = 0
run http_sink_wait "$svc" 10 path=/kannel/mo kind=reply from=+34600000006 text=$'Línea uno\nLínea dos'
check "a line break survives (UCS-2 in, UTF-8 out)" test "$rc" = 0
check "nothing else was sent back to the phones (max-messages = 0)" \
	test "$(fakesmsc_texts "$svc" | grep -c $'\t+3460000000[2-6]\t')" = 0

# ---- SMTP: AUTH required, the DATA kept byte for byte
mail=$scratch/mail.eml
printf '%s\r\n' "From: Cobro <cobro@example.com>" "To: Ana <ana@example.net>" \
	"Subject: =?UTF-8?Q?Recordatorio_para_N=C3=BA=C3=B1ez?=" "MIME-Version: 1.0" \
	"Content-Type: text/plain; charset=UTF-8" "Content-Transfer-Encoding: 8bit" "" \
	"Hola Núñez, ¿cómo está?" ".una línea que empieza con un punto" "..y otra con dos" "Fin." >"$mail"
smtp=(curl -sS -v --max-time 10 --url "smtp://127.0.0.1:$SMTP_PORT" --mail-from cobro@example.com
	--mail-rcpt ana@example.net --mail-rcpt copia@example.org -T "$mail")
run "${smtp[@]}"
check "without a login the server answers 530" test "$rc" != 0 -a -n "$(grep -E '^< 530 ' <<<"$err")"
run "${smtp[@]}" --user "mailer:wrong"
check "with a wrong password, 535" test "$rc" != 0 -a -n "$(grep -E '^< 535 ' <<<"$err")"
run "${smtp[@]}" --user "mailer:s3cret pw"
check "with the right login curl sends the message" test "$rc" = 0
run smtp_wait_count "$svc" 1 5
check "the server keeps it as mail/000001.eml and .json" test "$rc" = 0 -a -f "$svc/mail/000001.eml"
check "  byte for byte (8-bit UTF-8, CRLF, leading dots)" cmp -s "$mail" "$svc/mail/000001.eml"
check "  with its envelope" /usr/bin/python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))
assert m["mail_from"] == "cobro@example.com", m
assert m["rcpt_tos"] == ["ana@example.net", "copia@example.org"], m
assert m["auth_user"] == "mailer", m' "$svc/mail/000001.json"
check "  and only that one (the refused ones left nothing)" test "$(ls "$svc/mail" | wc -l)" = 2

# ---- stop: nothing left
pids=$(services_pids "$svc")
run services_down "$svc"
check "stop succeeds" test "$rc" = 0
left=""
for pid in $pids; do gone "$pid" || left+=" $pid"; done
check "no process is left (pids: $(tr '\n' ' ' <<<"$pids")) ${left:+- left:$left}" test -z "$left"
check "no pid file is left" test -z "$(ls "$svc"/*.pid 2>/dev/null)"
left=""
for port in "$KANNEL_ADMIN_PORT" "$KANNEL_BOX_PORT" "$KANNEL_SENDSMS_PORT" "$KANNEL_SMSC_PORT" "$SMTP_PORT" "$COBROD_HTTP_PORT"; do
	listening "$port" && left+=" $port"
done
check "no port is held" test -z "$left"
run scripts/services.sh status "$svc"
check "status then says stopped (exit 3)" test "$rc" = 3
run scripts/services.sh stop "$svc"
check "a second stop is fine" test "$rc" = 0

# ---- an ordinary user runs them too (the ports are free again)
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	usvc=$scratch/as-nobody
	mkdir -p "$usvc" && chown nobody "$usvc" && chmod 755 "$scratch"
	trap 'runuser -u nobody -- scripts/services.sh stop "$usvc" >/dev/null 2>&1; services_down "$svc"; rm -rf "$scratch"' EXIT
	run runuser -u nobody -- scripts/services.sh start "$usvc"
	check "nobody starts kannel and smtp" test "$rc" = 0
	run runuser -u nobody -- scripts/services.sh mo "$usvc" +34600000007 "STOP"
	check "  injects an MO" test "$rc" = 0
	run kannel_send "$usvc" +34600000008 "Hola"
	run fakesmsc_wait_text "$usvc" "Hola" 10
	check "  and its Kannel carries an MT" test "$rc" = 0
	upids=$(services_pids "$usvc")
	run runuser -u nobody -- scripts/services.sh stop "$usvc"
	left=""
	for pid in $upids; do gone "$pid" || left+=" $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null))"; done
	check "  and stops it all${left:+; left running:$left}" test "$rc" = 0 -a -z "$left"
fi
finish
