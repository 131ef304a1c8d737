#!/usr/bin/env bash
# cobrod sends through the HTTP transports that have no real server in the
# other tests: the generic SMS gateway (type "http": a JSON body with a bearer
# token, a form body with basic authentication, the provider's id read at
# id_path) and WhatsApp (type "whatsapp", the Cloud API's shape, template
# messages). tests/lib/gateway.py stands in for both providers on loopback and
# logs every request; the test checks what arrived byte for byte and what the
# database recorded, that a gateway refusing our credentials (401) or busy
# (503) makes messages wait without spending their attempts, as cobrod(8)
# says, and that no secret and no text reaches cobrod's log.
#
# Its rows (a team, a collector, a daemon login, a debtor, its account and a
# WhatsApp template) are its own, so the demo portfolio other suites read is
# not touched.
. "$(dirname "$0")/tap.sh"
. "$top/tests/lib/services.sh"
cd "$top"

if [ ! -x "$services_py" ]; then
	echo "1..0 # SKIP $services_py missing"
	exit 0
fi

svc=$scratch/gw
mkdir -p "$svc"
daemons=()
debtor='' template=''
cleanup() {
	psql -X -q -U postgres -d cobro -c "delete from cobro.daemon_presence where worker = 'queue-$tag'" >/dev/null 2>&1
	for p in "${daemons[@]}"; do kill -KILL "$p" 2>/dev/null; done
	gw_stop
	# Our rows go; the demo portfolio other suites count stays as it was.
	if [ -n "$debtor" ]; then
		psql -X -q -U postgres -d cobro -c "delete from cobro.event where debtor_id = $debtor" \
			-c "delete from cobro.message where debtor_id = $debtor" \
			-c "delete from cobro.lease where account_id in (select id from cobro.account where debtor_id = $debtor)" \
			-c "delete from cobro.account where debtor_id = $debtor" \
			-c "delete from cobro.contact_point where debtor_id = $debtor" \
			-c "delete from cobro.debtor where id = $debtor" >/dev/null 2>&1
	fi
	if [ -n "$template" ]; then
		psql -X -q -U postgres -d cobro -c "delete from cobro.template where id = $template" >/dev/null 2>&1
	fi
	# For a failure's post-mortem under tests/run.sh: what cobrod said and
	# what the gateway saw.
	if [ -d "${COBRO_TEST_LOG:-}" ]; then
		for f in "$scratch"/*.log "$svc/gateway.log"; do
			[ -f "$f" ] && cp "$f" "$COBRO_TEST_LOG/cobrod_gateways.$(basename "$f")"
		done
	fi
	rm -rf "$scratch"
}
trap cleanup EXIT

# ---- the stand-in providers
# The credentials each side holds: cobrod's from the environment its
# password_env and token_env name, the gateway's from its own.
gw_user=cobro-gw
export T_GW_PW='pä55 wörd:ñ' T_GW_TOKEN="gw-tok-$$-Xq9" T_WA_TOKEN="EAAwa-tok-$$-Zr7" T_GW_BAD="stale-tok-$$-Vv3"
export GATEWAY_BASIC="$gw_user:$T_GW_PW" GATEWAY_TOKEN=$T_GW_TOKEN GATEWAY_WA_TOKEN=$T_WA_TOKEN
phone_id=106540352242922
export GATEWAY_PHONE_ID=$phone_id
gw_port=$(free_port $((13600 + ($$ % 9) * 10)) 13699)

gw_start() { py_start gateway "$svc" "$top/tests/lib/gateway.py" "$svc" "$gw_port"; }
gw_stop() { py_stop gateway "$svc"; }

# Requests in DIR/gateway.log, selected by KEY=VALUE: path, method, status,
# body (the raw text), h.NAME (a header), json.A.B.0.C (the JSON body at that
# dotted path; "json" alone, all of it), form.NAME (the decoded form field)
# and reply.A.B (what the gateway answered). A value that is not a
# string compares as compact JSON.
#   gw_wait SECS N KEY=VALUE...   wait for N matching requests; prints the first
#   gw_count KEY=VALUE...         how many match
#   gw_field LINE KEY             one request's value at KEY
_gw_py='
import json, sys, time, urllib.parse as up

def value(r, key):
    if key in ("path", "method", "status", "body"):
        return r.get(key)
    kind, _, rest = key.partition(".")
    if kind == "reply":
        v = r["reply"]
        for part in rest.split("."):
            if isinstance(v, list) and part.isdigit() and int(part) < len(v):
                v = v[int(part)]
            else:
                v = v.get(part) if isinstance(v, dict) else None
        return v
    if kind == "h":
        return r["headers"].get(rest.lower())
    if kind == "form":
        try:
            return dict(up.parse_qsl(r["body"], keep_blank_values=True, errors="strict")).get(rest)
        except UnicodeDecodeError:
            return None
    if kind == "json":
        try:
            v = json.loads(r["body"])
        except ValueError:
            return None
        for part in rest.split(".") if rest else []:
            if isinstance(v, list) and part.isdigit() and int(part) < len(v):
                v = v[int(part)]
            elif isinstance(v, dict) and part in v:
                v = v[part]
            else:
                return None
        return v
    return None

def text(v):
    if v is None or isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))

def matches(path, want):
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except FileNotFoundError:
        return []
    found = []
    for line in lines:
        r = json.loads(line)
        if all(text(value(r, k)) == v for k, v in want):
            found.append(line)
    return found

mode = sys.argv[1]
if mode == "field":
    v = text(value(json.loads(sys.argv[2]), sys.argv[3]))
    sys.stdout.write("" if v is None else v)
    sys.exit(0 if v is not None else 1)
path = sys.argv[2]
if mode == "count":
    print(len(matches(path, [a.split("=", 1) for a in sys.argv[3:]])))
    sys.exit(0)
secs, n = float(sys.argv[3]), int(sys.argv[4])
want = [a.split("=", 1) for a in sys.argv[5:]]
deadline = time.time() + secs
while True:
    m = matches(path, want)
    if len(m) >= n:
        print(m[0])
        sys.exit(0)
    if time.time() >= deadline:
        sys.exit(1)
    time.sleep(0.1)
'
gw_wait() { "$services_py" -c "$_gw_py" wait "$svc/gateway.log" "$@"; }
gw_count() { "$services_py" -c "$_gw_py" count "$svc/gateway.log" "$@"; }
gw_field() { "$services_py" -c "$_gw_py" field "$@"; }

if ! gw_start; then
	echo "not ok 1 - the stand-in gateway would not start (its standard error says why)"
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
tag=g$$
# Messages are queued here while this suite's cobrod is down: a heartbeat
# stands for it, as cobrod writes it (message_queue() refuses a channel no
# running cobrod sends, functions/send_facts.sql).
q -c "insert into cobro.daemon_presence (worker, channels, expires_at)
      values ('queue-$tag', '{sms,email,whatsapp}', now() + interval '1 hour')" >/dev/null

# ---- our own people, debtor and WhatsApp template
ctl --user admin team add "pasarela$tag" --name "Pasarelas $tag" >/dev/null
ctl --user admin agent add "nora$tag" --name "Nora Ibáñez" --role collector --team "pasarela$tag" >/dev/null
ctl --user admin agent add "bot$tag" --name "Robot" --role daemon >/dev/null
if [ "$(q -c "select count(*) from cobro.contact_policy")" = 0 ]; then
	ctl --user admin policy load etc/policy.conf >/dev/null
fi
debtor=$(q -c "insert into cobro.debtor (name, first_name, language, jurisdiction, time_zone)
               values ('Carmen Núñez Peña', 'Carmen', 'es', 'PE', 'America/Lima') returning id")
account=$(q -c "insert into cobro.account (debtor_id, creditor_id, product, reference, currency, balance, past_due,
                    team_id, agent_id)
               select $debtor, (select min(id) from cobro.creditor), 'loan', 'GW-$tag', 'PEN', 123450, 12050,
                      (select id from cobro.team where code = 'pasarela$tag'),
                      (select id from cobro.agent where login = 'nora$tag')
               returning id")
phone="+5199$(printf '%07d' $(($$ % 10000000)))"
mobile=$(q -c "insert into cobro.contact_point (debtor_id, kind, value, consent, is_primary)
               values ($debtor, 'mobile', '$phone', '{call,sms,whatsapp}', true) returning id")
wa_code="gw_recordatorio_$tag"
template=$(q -c "insert into cobro.template (code, channel, language, body)
                 values ('$wa_code', 'whatsapp', 'es',
                         'Hola {debtor.first_name}, su cuota de {account.past_due} vence el {account.due_date}.')
                 returning id")

# queue CHANNEL BODY [TEMPLATE PARAMS]: queued by nora, as the send screen does.
queue() {
	local params=NULL
	[ -n "${4:-}" ] && params="\$p\$$4\$p\$"
	psql -X -q -At -v ON_ERROR_STOP=1 -U "nora$tag" -d cobro -c \
		"select cobro.message_queue(gen_random_uuid(), $account, $mobile, '$1', ${3:-NULL}, NULL, \$b\$$2\$b\$,
		                            $params, NULL, NULL)"
}
field() { q -c "select $2 from cobro.message where id = $1"; }
wait_status() { # ID STATUS SECS
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		[ "$(field "$1" status)" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# ---- cobrod's configurations: each names the SMS transport it uses
gw="http://127.0.0.1:$gw_port"
conf=$scratch/cobrod.conf
write_conf() { # NAME SMS_TRANSPORT
	cat >"$conf.$1" <<EOF
name = "gw-$1-$tag";
transports = {
	json = { type = "http"; url = "$gw/sms"; method = "POST"; format = "json";
	         body = "{\"to\": \"{to}\", \"text\": \"{text}\", \"ref\": \"{id}\", \"from\": \"{from}\"}";
	         token_env = "T_GW_TOKEN"; id_path = "data.id"; from = "COBRO"; connect_timeout = 2; timeout = 5; };
	form = { type = "http"; url = "$gw/sms"; method = "POST"; format = "form";
	         body = "to={to}&text={text}&from={from}&ref={id}";
	         username = "$gw_user"; password_env = "T_GW_PW"; id_path = "data.id"; from = "COBRO";
	         connect_timeout = 2; timeout = 5; };
	stale = { type = "http"; url = "$gw/sms"; method = "POST"; format = "json";
	          body = "{\"to\": \"{to}\", \"text\": \"{text}\", \"ref\": \"{id}\"}";
	          token_env = "T_GW_BAD"; id_path = "data.id"; connect_timeout = 2; timeout = 5; };
	busy = { type = "http"; url = "$gw/sms-busy"; method = "POST"; format = "json";
	         body = "{\"to\": \"{to}\", \"text\": \"{text}\", \"ref\": \"{id}\"}";
	         token_env = "T_GW_TOKEN"; id_path = "data.id"; connect_timeout = 2; timeout = 5; };
	wa = { type = "whatsapp"; url = "$gw/v19.0"; phone_number_id = "$phone_id"; token_env = "T_WA_TOKEN";
	       connect_timeout = 2; timeout = 5; };
};
channels = { sms = { transport = "$2"; rate = 100.0; }; whatsapp = { transport = "wa"; rate = 100.0; }; };
outbox = { parallel = 4; lease = 10; backoff_base = 1.0; backoff_max = 2.0; max_attempts = 2; };
EOF
	chmod 600 "$conf.$1"
}
# The log level is left at its default (info): what an operator runs.
start_cobrod() { # NAME
	"$bindir/cobrod" --config "$conf.$1" --database "$db" --user "bot$tag" >>"$scratch/$1.log" 2>&1 &
	daemons+=($!)
	last_pid=$!
}
stop_cobrod() { # PID
	kill -TERM "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}
for c in json form stale busy; do write_conf "$c" "$c"; done

# ---- SMS as JSON with a bearer token; WhatsApp in the same daemon
start_cobrod json
pid=$last_pid
text="Señora Núñez, su cuota vence mañana"
id=$(queue sms "$text")
check "the collector's SMS is queued" test -n "$id"
req=$(gw_wait 15 1 path=/sms json.ref="$id")
check "it arrives at the gateway's /sms" test -n "$req"
check "  as a POST" test "$(gw_field "$req" method)" = POST
check "  with the body template filled in exactly: E.164 number, accents as UTF-8" \
	test "$(gw_field "$req" body)" = "{\"to\": \"$phone\", \"text\": \"$text\", \"ref\": \"$id\", \"from\": \"COBRO\"}"
check "  Content-Type: application/json" test "$(gw_field "$req" h.content-type)" = application/json
check "  Authorization: Bearer and the token" test "$(gw_field "$req" h.authorization)" = "Bearer $T_GW_TOKEN"
check "the message becomes sent" wait_status "$id" sent 15
check "  with the provider's id read at id_path data.id ($(gw_field "$req" reply.data.id))" \
	test -n "$(field "$id" provider_id)" -a "$(field "$id" provider_id)" = "$(gw_field "$req" reply.data.id)"
check "  one attempt, no error, sent_at, and the daemon's name" \
	test "$(field "$id" "attempts || '|' || coalesce(error, '-') || '|' || (sent_at is not null) || '|' || claimed_by")" \
	= "1|-|true|gw-json-$tag"
check "  sent once" test "$(gw_count json.ref="$id")" = 1

# What JSON must escape in a string: the template writes the quotes, cobrod
# the backslashes.
odd='Cuota "vencida" en C:\pagos
¿Pagará hoy?	Gracias'
id2=$(queue sms "$odd")
req=$(gw_wait 15 1 path=/sms json.ref="$id2")
check "a text with quotes, a backslash, a newline and a tab arrives escaped in the JSON" \
	test "$(gw_field "$req" body)" \
	= "{\"to\": \"$phone\", \"text\": \"Cuota \\\"vencida\\\" en C:\\\\pagos\\n¿Pagará hoy?\\tGracias\", \"ref\": \"$id2\", \"from\": \"COBRO\"}"
check "  which decodes to the text queued" test "$(gw_field "$req" json.text)" = "$odd"
check "  and is sent" wait_status "$id2" sent 15

params='["Señora Núñez", "S/ 120.50", "30/11/2026"]'
wa_text="Hola Señora Núñez, su cuota de S/ 120.50 vence el 30/11/2026."
wid=$(queue whatsapp "$wa_text" "$template" "$params")
check "a WhatsApp template message is queued with its parameters" \
	test -n "$wid" -a "$(field "$wid" "template_code || ' ' || language")" = "$wa_code es"
wa_path="/v19.0/$phone_id/messages"
# Matched by number and template: the daemon also sends what other suites
# left queued in the shared database.
req=$(gw_wait 15 1 path="$wa_path" json.to="$phone" json.template.name="$wa_code")
check "it arrives as a POST to {url}/{phone_number_id}/messages" test "$(gw_field "$req" method)" = POST
check "  Authorization: Bearer and the WhatsApp token (not the SMS gateway's)" \
	test "$(gw_field "$req" h.authorization)" = "Bearer $T_WA_TOKEN"
check "  Content-Type: application/json" test "$(gw_field "$req" h.content-type)" = application/json
check "  messaging_product whatsapp, type template" \
	test "$(gw_field "$req" json.messaging_product)|$(gw_field "$req" json.type)" = "whatsapp|template"
# The Cloud API takes the number with or without "+"; cobrod sends the
# contact point as stored, in E.164.
check "  to: the number as stored, E.164 with its + ($phone)" test "$(gw_field "$req" json.to)" = "$phone"
check "  the template's code and the message's language" \
	test "$(gw_field "$req" json.template.name)|$(gw_field "$req" json.template.language.code)" = "$wa_code|es"
check "  one body component whose text parameters are the message's params, in order" \
	test "$(gw_field "$req" json.template.components)" \
	= '[{"type":"body","parameters":[{"type":"text","text":"Señora Núñez"},{"type":"text","text":"S/ 120.50"},{"type":"text","text":"30/11/2026"}]}]'
check "  and nothing else: no text part beside the template" \
	test "$(gw_field "$req" json | "$services_py" -c 'import json,sys; print(",".join(sorted(json.load(sys.stdin))))')" \
	= "messaging_product,template,to,type"
check "the WhatsApp message becomes sent" wait_status "$wid" sent 15
check "  with the provider's id at messages[0].id ($(gw_field "$req" reply.messages.0.id))" \
	test -n "$(field "$wid" provider_id)" -a "$(field "$wid" provider_id)" = "$(gw_field "$req" reply.messages.0.id)"
stop_cobrod "$pid"

# ---- SMS as a form with basic authentication
start_cobrod form
pid=$last_pid
ftext="Pago: S/ 50 + 10% = total & gracias, Íñigo ¿sí?"
fid=$(queue sms "$ftext")
req=$(gw_wait 15 1 path=/sms form.ref="$fid")
check "a form-encoded SMS arrives at /sms" test -n "$req"
check "  Content-Type: application/x-www-form-urlencoded" \
	test "$(gw_field "$req" h.content-type)" = application/x-www-form-urlencoded
# Every byte but A-Z a-z 0-9 - . _ ~ percent-encoded: "+" is %2B and a space
# %20, so the "+" of the number and of the text survive form decoding.
want=$("$services_py" -c 'import sys, urllib.parse as up
e = lambda s: up.quote(s, safe="")
print("to=%s&text=%s&from=COBRO&ref=%s" % (e(sys.argv[1]), e(sys.argv[2]), sys.argv[3]))' "$phone" "$ftext" "$fid")
check "  the body percent-encoded byte for byte as UTF-8 ($(cut -c1-40 <<<"$want")...)" \
	test "$(gw_field "$req" body)" = "$want"
check "  which decodes to the number and the text queued" \
	test "$(gw_field "$req" form.to)|$(gw_field "$req" form.text)|$(gw_field "$req" form.from)" = "$phone|$ftext|COBRO"
check "  Authorization: Basic with the user and the password (UTF-8)" \
	test "$(gw_field "$req" h.authorization)" = "Basic $(printf '%s' "$gw_user:$T_GW_PW" | base64 -w0)"
check "the message becomes sent" wait_status "$fid" sent 15
check "  with the id the gateway answered, read at data.id" \
	test "$(field "$fid" provider_id)" = "$(gw_field "$req" reply.data.id)" -a -n "$(field "$fid" provider_id)"
stop_cobrod "$pid"

# ---- a gateway refusing our credentials: 401 is the gateway's fault, not
# the message's (cobrod(8), "the gateway failing"): the channel rests, the
# message waits queued without spending attempts, and goes once the
# credentials are right. Never failed, though it is tried more often than
# outbox.max_attempts (2).
start_cobrod stale
pid=$last_pid
sid=$(queue sms "Recordatorio con credenciales viejas")
req=$(gw_wait 20 3 path=/sms json.ref="$sid")
stop_cobrod "$pid"
check "with a stale token the gateway is asked again and again (3 times, more than max_attempts)" test -n "$req"
check "  each time with the stale token, answered 401" \
	test "$(gw_count path=/sms json.ref="$sid" h.authorization="Bearer $T_GW_BAD" status=401)" \
	= "$(gw_count json.ref="$sid")"
check "the message waits queued, no attempt spent, with the reason" \
	test "$(field "$sid" "status || '|' || attempts || '|' || coalesce(error, '-')")" = "queued|0|http: HTTP 401"
check "  no failure in the collector's history" \
	test "$(q -c "select count(*) from cobro.event where message_id = $sid and kind = 'status'")" = 0
check "  and the log says the transport paused, once, naming it" \
	test "$(grep -c "cobrod warning: transport stale paused: http: HTTP 401; sms waits" "$scratch/stale.log")" = 1
start_cobrod json
pid=$last_pid
check "with the right token it goes" wait_status "$sid" sent 15
check "  with its provider id, and one attempt" \
	test "$(field "$sid" "(provider_id ~ '^gw-[0-9]+\$') || '|' || attempts || '|' || coalesce(error, '-')")" = "true|1|-"
check "  the last request had the right token and got 200" \
	test "$(gw_count json.ref="$sid" h.authorization="Bearer $T_GW_TOKEN" status=200)" = 1
stop_cobrod "$pid"

# ---- a busy gateway: 503 is the same kind of failure
start_cobrod busy
pid=$last_pid
bid=$(queue sms "Recordatorio a una pasarela ocupada")
req=$(gw_wait 20 3 path=/sms-busy json.ref="$bid")
check "a busy gateway (503) is asked again and again (3 times)" test -n "$req"
check "  with backoff between tries (outbox.backoff_base 1 s: at least 1.5 s for 3 tries)" \
	"$services_py" -c 'import json, sys
t = sorted(json.loads(l)["t"] for l in open(sys.argv[1]) if json.loads(l)["path"] == "/sms-busy")
sys.exit(0 if len(t) >= 3 and t[2] - t[0] >= 1.5 else 1)' "$svc/gateway.log"
check "  meanwhile the message is queued, never failed, no attempt spent" \
	test "$(field "$bid" "status in ('queued', 'sending') and attempts <= 1 and failed_at is null")" = t
stop_cobrod "$pid"
check "  and after the stop: queued, 0 attempts, the reason HTTP 503" \
	test "$(field "$bid" "status || '|' || attempts || '|' || coalesce(error, '-')")" = "queued|0|http: HTTP 503"
check "  the log says the transport paused, once" \
	test "$(grep -c "cobrod warning: transport busy paused: http: HTTP 503; sms waits" "$scratch/busy.log")" = 1
start_cobrod json
pid=$last_pid
check "once a gateway takes it, it goes" wait_status "$bid" sent 15
stop_cobrod "$pid"
check "every daemon stopped cleanly" test "$(grep -c 'cobrod info: stopped' "$scratch"/*.log | awk -F: '{ s += $2 } END { print s }')" = 6

# ---- what the logs never hold
b64=$(printf '%s' "$gw_user:$T_GW_PW" | base64 -w0)
check "cobrod logged (so the next check means something)" grep -q 'connected as' "$scratch/json.log"
check "no token, password or credentials in cobrod's logs at the default level" \
	test -z "$(grep -l -F -e "$T_GW_TOKEN" -e "$T_WA_TOKEN" -e "$T_GW_BAD" -e "$T_GW_PW" -e "$b64" "$scratch"/*.log)"
check "nor any message's text or template parameter" \
	test -z "$(grep -l -F -e "Señora" -e "vencida" -e "Íñigo" -e "credenciales viejas" -e "pasarela ocupada" \
		-e "120.50" "$scratch"/*.log)"
check "the gateway did get the secrets (they were there to leak)" \
	test "$(gw_count h.authorization="Bearer $T_WA_TOKEN")" -ge 1 -a "$(gw_count h.authorization="Basic $b64")" -ge 1

finish
