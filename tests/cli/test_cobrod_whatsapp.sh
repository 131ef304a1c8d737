#!/usr/bin/env bash
# The WhatsApp Cloud API's webhook, through a real cobrod: a WhatsApp the
# collector queued goes to the API (tests/lib/gateway.py stands in for it on
# loopback), then the API's status callbacks, POSTed to cobrod's listener as
# Meta sends them, make it delivered (or failed) in the database and the
# history, and a debtor's WhatsApp "BAJA" opts the number out of WhatsApp.
# Only a caller with the transport's callback_secret is heard, and only about
# messages sent through it; a repeated callback changes nothing.
#
# Its rows (a team, a collector, a daemon login, a debtor, its account) are
# its own, so the demo portfolio other suites read is not touched.
. "$(dirname "$0")/tap.sh"
. "$top/tests/lib/services.sh"
cd "$top"

if [ ! -x "$services_py" ]; then
	echo "1..0 # SKIP $services_py missing"
	exit 0
fi

svc=$scratch/wa
mkdir -p "$svc"
cobrod_pid='' debtor=''
cleanup() {
	[ -n "$cobrod_pid" ] && kill -TERM "$cobrod_pid" 2>/dev/null && wait "$cobrod_pid" 2>/dev/null
	py_stop gateway "$svc"
	if [ -n "$debtor" ]; then
		psql -X -q -U postgres -d cobro -c "delete from cobro.event where debtor_id = $debtor" \
			-c "delete from cobro.message where debtor_id = $debtor" \
			-c "delete from cobro.lease where account_id in (select id from cobro.account where debtor_id = $debtor)" \
			-c "delete from cobro.account where debtor_id = $debtor" \
			-c "delete from cobro.contact_point where debtor_id = $debtor" \
			-c "delete from cobro.debtor where id = $debtor" >/dev/null 2>&1
	fi
	[ -d "${COBRO_TEST_LOG:-}" ] && [ -f "$svc/cobrod.log" ] && cp "$svc/cobrod.log" "$COBRO_TEST_LOG/cobrod_whatsapp.log"
	rm -rf "$scratch"
}
trap cleanup EXIT

export T_WA_TOKEN="EAAwa-tok-$$-Zr7" GATEWAY_WA_TOKEN="EAAwa-tok-$$-Zr7"
phone_id=106540352242922
export GATEWAY_PHONE_ID=$phone_id
gw_port=$(free_port $((13700 + ($$ % 9) * 10)) 13799)
http_port=$(free_port $((13800 + ($$ % 9) * 10)) 13899)
if ! py_start gateway "$svc" "$top/tests/lib/gateway.py" "$svc" "$gw_port"; then
	echo "not ok 1 - the stand-in gateway would not start (its standard error says why)"
	echo "1..1"
	exit 1
fi

. "$top/tests/lib/clock.sh"
clock_init || exit 1
export COBRO_NOW=$COBRO_TEST_NOW
db="dbname=cobro"
q() { psql -X -q -At -v ON_ERROR_STOP=1 -U postgres -d cobro -c "$1"; }
ctl() { "$bindir/cobroctl" --database "$db" "$@"; }
tag=w$$
ctl --user admin team add "wa$tag" --name "WhatsApp $tag" >/dev/null
ctl --user admin agent add "wana$tag" --name "Wanda Ibáñez" --role collector --team "wa$tag" >/dev/null
ctl --user admin agent add "wbot$tag" --name "Robot" --role daemon >/dev/null
if [ "$(q "select count(*) from cobro.contact_policy")" = 0 ]; then
	ctl --user admin policy load etc/policy.conf >/dev/null
fi
debtor=$(q "insert into cobro.debtor (name, first_name, language, jurisdiction, time_zone)
            values ('Carmen Núñez Peña', 'Carmen', 'es', 'PE', 'America/Lima') returning id")
account=$(q "insert into cobro.account (debtor_id, creditor_id, product, reference, currency, balance, past_due,
                 team_id, agent_id)
             select $debtor, (select min(id) from cobro.creditor), 'loan', 'WA-$tag', 'PEN', 123450, 12050,
                    (select id from cobro.team where code = 'wa$tag'),
                    (select id from cobro.agent where login = 'wana$tag')
             returning id")
digits="5198$(printf '%07d' $(($$ % 10000000)))"
mobile=$(q "insert into cobro.contact_point (debtor_id, kind, value, consent, is_primary)
            values ($debtor, 'mobile', '+$digits', '{call,sms,whatsapp}', true) returning id")

secret="wa-hook-$$-0123456789abcdef"
cat >"$svc/cobrod.conf" <<CONF
name = "wa-$tag";
transports = {
	wa = { type = "whatsapp"; url = "http://127.0.0.1:$gw_port/v19.0"; phone_number_id = "$phone_id";
	       token_env = "T_WA_TOKEN"; callback_secret = "$secret"; connect_timeout = 2; timeout = 5; };
};
channels = { whatsapp = { transport = "wa"; rate = 100.0; }; };
listen = { address = "127.0.0.1"; port = $http_port; };
CONF
chmod 600 "$svc/cobrod.conf"
"$bindir/cobrod" --config "$svc/cobrod.conf" --database "$db" --user "wbot$tag" >"$svc/cobrod.log" 2>&1 &
cobrod_pid=$!
hook="http://127.0.0.1:$http_port/whatsapp"

queue() {
	psql -X -q -At -v ON_ERROR_STOP=1 -U "wana$tag" -d cobro -c \
		"select cobro.message_queue(gen_random_uuid(), $account, $mobile, 'whatsapp', NULL, NULL,
		                            'Hola Carmen, su cuota vence pronto', NULL, NULL, NULL)"
}
field() { q "select $2 from cobro.message where id = $1"; }
wait_field() { # ID COLUMN VALUE SECS
	local i
	for ((i = 0; i < $4 * 10; i++)); do
		[ "$(field "$1" "$2")" = "$3" ] && return 0
		sleep 0.1
	done
	return 1
}
# post BODY [KEY]: the webhook as Meta POSTs it; prints the HTTP status.
post() {
	curl -s -o "$scratch/reply" -w '%{http_code}' -H 'Content-Type: application/json' \
		--data-binary "$1" "$hook?key=${2-$secret}"
}
status_body() { # WAMID STATUS [ERRORS]
	printf '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"%s"},"statuses":[{"id":"%s","status":"%s","timestamp":"1767225600","recipient_id":"%s"%s}]}}]}]}' \
		"$phone_id" "$1" "$2" "$digits" "${3:+,\"errors\":$3}"
}
message_body() { # WAMID TEXT
	printf '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"%s"},"contacts":[{"profile":{"name":"Carmen"},"wa_id":"%s"}],"messages":[{"from":"%s","id":"%s","timestamp":"1767225600","type":"text","text":{"body":"%s"}}]}}]}]}' \
		"$phone_id" "$digits" "$digits" "$1" "$2"
}

for _ in $(seq 100); do curl -sf "http://127.0.0.1:$http_port/health" >/dev/null && break; sleep 0.1; done

# ---- a WhatsApp to delivered
id=$(queue)
check "the collector's WhatsApp is queued" test -n "$id"
check "cobrod hands it to the API and keeps the API's id" wait_field "$id" status sent 15
wamid=$(field "$id" provider_id)
check "  the id is the API's (wamid.N)" bash -c "[[ '$wamid' == wamid.* ]]"
check "Meta's verification is answered with its challenge, with the key" \
	test "$(curl -s "$hook?key=$secret&hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=x")" = 1158201444
check "  and refused without it" \
	test "$(curl -s -o /dev/null -w '%{http_code}' "$hook?hub.mode=subscribe&hub.challenge=1158201444")" = 403
check "a status without the key is refused (403)" test "$(post "$(status_body "$wamid" delivered)" '')" = 403
check "  and with another key too" test "$(post "$(status_body "$wamid" delivered)" "not-$secret")" = 403
check "  and the message is still sent" test "$(field "$id" status)" = sent
check "\"sent\" from the API changes nothing" test "$(post "$(status_body "$wamid" sent)")" = 200
check "\"delivered\" is answered 200" test "$(post "$(status_body "$wamid" delivered)")" = 200
check "  and the message is delivered" test "$(field "$id" status)" = delivered
check "  at the time Meta says" test "$(field "$id" "extract(epoch from delivered_at)::bigint")" = 1767225600
check "  with one delivery event in the history" \
	test "$(q "select count(*) from cobro.event where message_id = $id and kind = 'delivery' and outcome = 'delivered'")" = 1
check "the same callback again (Meta retries) changes nothing" \
	bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary '$(status_body "$wamid" delivered)' '$hook?key=$secret')\" = 200 ] &&
	         [ \"\$(psql -X -qAt -U postgres -d cobro -c \"select count(*) from cobro.event where message_id = $id and kind = 'delivery'\")\" = 1 ]"
check "\"read\" after delivered changes nothing either" test "$(post "$(status_body "$wamid" read)")" = 200
check "  still delivered, one event" \
	test "$(q "select status || count(e.*) from cobro.message m left join cobro.event e on e.message_id = m.id and e.kind = 'delivery' where m.id = $id group by status")" = delivered1

# ---- a failure, and statuses that are not ours
id2=$(queue)
wait_field "$id2" status sent 15
wamid2=$(field "$id2" provider_id)
check "\"failed\" with Meta's error makes it failed" \
	test "$(post "$(status_body "$wamid2" failed '[{"code":131026,"title":"Message undeliverable"}]')")" = 200
check "  in the database" test "$(field "$id2" status)" = failed
check "a status for an id nobody sent is answered 200 and changes nothing" \
	test "$(post "$(status_body "wamid.nobody-$$" delivered)")" = 200
check "a status for another phone number id is not this gateway's" \
	bash -c "id3=\$(psql -X -q -At -U wana$tag -d cobro -c \"select cobro.message_queue(gen_random_uuid(), $account, $mobile, 'whatsapp', NULL, NULL, 'otra', NULL, NULL, NULL)\");
	         for i in \$(seq 150); do [ \"\$(psql -X -qAt -U postgres -d cobro -c \"select status from cobro.message where id = \$id3\")\" = sent ] && break; sleep 0.1; done
	         w=\$(psql -X -qAt -U postgres -d cobro -c \"select provider_id from cobro.message where id = \$id3\")
	         body=\$(printf '%s' '$(status_body WAMID delivered)' | sed \"s/$phone_id/999999/; s/WAMID/\$w/\")
	         curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary \"\$body\" '$hook?key=$secret'
	         [ \"\$(psql -X -qAt -U postgres -d cobro -c \"select status from cobro.message where id = \$id3\")\" = sent ]"
check "a body that is not JSON is refused (400)" test "$(post '{"object": ')" = 400
check "a body that is not a WhatsApp webhook is refused (400)" test "$(post '{"object":"page","entry":[]}')" = 400
check "a body over 256 KiB is refused (413)" \
	test "$(head -c 300000 /dev/zero | tr '\0' ' ' | curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @- "$hook?key=$secret")" = 413
check "DELETE is not allowed (405)" \
	test "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$hook?key=$secret")" = 405

# ---- a reply, then BAJA, by WhatsApp
check "a debtor's WhatsApp reply is answered 200" test "$(post "$(message_body "wamid.in1-$$" 'Ya pagué ayer')")" = 200
check "  and is in the history, once" \
	test "$(q "select count(*) from cobro.event where debtor_id = $debtor and direction = 'in' and kind = 'whatsapp' and body = 'Ya pagué ayer'")" = 1
check "  the same message again (Meta retries) is recorded once" \
	bash -c "curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary '$(message_body "wamid.in1-$$" 'Ya pagué ayer')' '$hook?key=$secret';
	         [ \"\$(psql -X -qAt -U postgres -d cobro -c \"select count(*) from cobro.event where debtor_id = $debtor and direction = 'in' and body = 'Ya pagué ayer'\")\" = 1 ]"
check "BAJA by WhatsApp is answered 200" test "$(post "$(message_body "wamid.in2-$$" 'BAJA')")" = 200
check "  and opts the number out of WhatsApp" test "$(q "select 'whatsapp' = any(opted_out) from cobro.contact_point where id = $mobile")" = t
check "  not of SMS" test "$(q "select 'sms' = any(opted_out) from cobro.contact_point where id = $mobile")" = f
check "cobrod's log holds no full number and no secret" \
	bash -c "! grep -qE '$digits|$secret' '$svc/cobrod.log'"
check "cobrod logged no error" bash -c "! grep -q ' error: ' '$svc/cobrod.log'"
finish
