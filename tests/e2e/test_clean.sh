#!/usr/bin/env bash
# Issue 18, lines 3 and 10: the cleaning flow, from a wrong number to a new
# confirmed one. A debtor whose only mobile is marked wrong, and whose
# WhatsApp number keeps failing, is asked for a current number
# (`cobroctl strategy clean --at`, the moment the test's clock, for the
# test's own team: the shared demo has such debtors too): a real
# cobrod sends the email to a real SMTP server and the WhatsApp to the
# Cloud API's stand-in (tests/lib/gateway.py); a second run the same day
# asks nothing. The debtor's WhatsApp reply "mi número nuevo es 987 654 321"
# comes through cobrod's listener as Meta POSTs it, and +51987654321 appears
# as a proposed contact point, unusable; the collector confirms it on the
# account screen (v) in tmux, and the send screen then offers it.
#
# Its rows (a team, a collector, a daemon login, a debtor, its account and
# the templates under a code of its own) are its own and removed after.
set -u
. "$(dirname "$0")/lib.sh"
. "$COBRO_TOP/tests/lib/services.sh"
q() { psql -X -qAt -v ON_ERROR_STOP=1 -U postgres -d cobro -c "$1"; }
ctl() { "$COBRO_BIN/cobroctl" --database "dbname=cobro" "$@"; }

if [ ! -x "$services_py" ]; then
	echo "1..0 # SKIP $services_py missing"
	exit 0
fi
tag=c$$
code=e2e_number_update_$$
svc=$(mktemp -d "${TMPDIR:-/tmp}/cobro-e2e-clean-XXXXXX")
cobrod_pid='' debtor=''
cleanup_clean() {
	[ -n "$cobrod_pid" ] && kill -TERM "$cobrod_pid" 2>/dev/null && wait "$cobrod_pid" 2>/dev/null
	py_stop gateway "$svc"
	services_down "$svc"
	if [ -n "$debtor" ]; then
		q "delete from cobro.cleaning_request where debtor_id = $debtor;
		   delete from cobro.event where debtor_id = $debtor;
		   delete from cobro.message where debtor_id = $debtor;
		   delete from cobro.lease where account_id in (select id from cobro.account where debtor_id = $debtor);
		   delete from cobro.account where debtor_id = $debtor;
		   delete from cobro.contact_point where debtor_id = $debtor;
		   delete from cobro.debtor where id = $debtor" >/dev/null 2>&1
	fi
	q "delete from cobro.template where code = '$code'" >/dev/null 2>&1
	[ -d "${COBRO_TEST_LOG:-}" ] && [ -f "$svc/cobrod.log" ] && cp "$svc/cobrod.log" "$COBRO_TEST_LOG/cobrod_clean.log"
	rm -rf "$svc"
}
trap 'cleanup_clean; tmux -L "$E2E_SOCK" kill-server 2>/dev/null; rm -f "$E2E_CONF"' EXIT

# ---- the services: an SMTP server, the WhatsApp Cloud API's stand-in
export SMTP_PORT SMTP_USER=cobro SMTP_PASSWORD="smtp-$$"
SMTP_PORT=$(free_port $((14100 + ($$ % 9) * 10)) 14199)
if ! services_up "$svc" smtp; then
	echo "not ok 1 - the SMTP server would not start (its standard error says why)"
	echo "1..1"
	exit 1
fi
export T_WA_TOKEN="EAAclean-$$" GATEWAY_WA_TOKEN="EAAclean-$$" T_SMTP_PW="$SMTP_PASSWORD"
phone_id=106540352242922
export GATEWAY_PHONE_ID=$phone_id
gw_port=$(free_port $((14200 + ($$ % 9) * 10)) 14299)
http_port=$(free_port $((14300 + ($$ % 9) * 10)) 14399)
if ! py_start gateway "$svc" "$COBRO_TOP/tests/lib/gateway.py" "$svc" "$gw_port"; then
	echo "not ok 1 - the stand-in gateway would not start (its standard error says why)"
	echo "1..1"
	exit 1
fi

# ---- the people, the rules, the templates (the shipped number_update, under a code of this run)
ctl --user admin team add "cl$tag" --name "Cleaning $tag" >/dev/null
ctl --user admin agent add "clc$tag" --name "Clara León" --role collector --team "cl$tag" >/dev/null
ctl --user admin agent add "clbot$tag" --name "Robot" --role daemon >/dev/null
if [ "$(q "select count(*) from cobro.contact_policy")" = 0 ]; then
	ctl --user admin policy load "$COBRO_TOP/etc/policy.conf" >/dev/null
fi
for f in "$COBRO_TOP"/etc/templates/number_update.*.tpl; do
	sed "s/^code: number_update\$/code: $code/" "$f" >"$svc/$(basename "$f")"
done
check "the shipped number_update templates load (email and WhatsApp, es and en)" \
	bash -c "'$COBRO_BIN/cobroctl' --database dbname=cobro --user admin template add '$svc'/number_update.*.tpl >/dev/null"
# The shipped strategy, its cleaning asking with this run's templates and an incentive.
awk '/^cleaning = \{/ { skip = 1 } !skip { print } skip && /^\};/ { skip = 0 }' "$COBRO_TOP/etc/strategy.conf" >"$svc/strategy.conf"
cat >>"$svc/strategy.conf" <<CONF
cleaning = { after_failures = 3; channels = ["email", "whatsapp"]; template = "$code";
             incentive = "Si nos responde esta semana, le ofrecemos un 10% de descuento."; every_days = 7; };
CONF

# ---- the debtor: the mobile marked wrong, the WhatsApp number failing three times
n7=$(printf '%07d' $(($$ % 10000000)))
wa_digits="5194$n7"
debtor=$(q "insert into cobro.debtor (name, first_name, language, jurisdiction, time_zone)
            values ('Carmen Núñez Peña', 'Carmen', 'es', 'PE', 'America/Lima') returning id")
account=$(q "insert into cobro.account (debtor_id, creditor_id, product, reference, currency, balance, past_due,
                 oldest_due, team_id, agent_id)
             select $debtor, (select min(id) from cobro.creditor), 'card', 'CL-$tag', 'PEN', 123450, 12050,
                    current_date - 20, (select id from cobro.team where code = 'cl$tag'),
                    (select id from cobro.agent where login = 'clc$tag')
             returning id")
q "insert into cobro.contact_point (debtor_id, kind, value, consent, is_primary, bad_since)
   values ($debtor, 'mobile', '+5193$n7', '{call,sms}', true, now() - interval '3 days')" >/dev/null
q "insert into cobro.contact_point (debtor_id, kind, value, consent) values ($debtor, 'email', 'carmen.$tag@example.test', '{email}')" >/dev/null
wa=$(q "insert into cobro.contact_point (debtor_id, kind, value, consent)
        values ($debtor, 'whatsapp', '+$wa_digits', '{whatsapp}') returning id")
q "insert into cobro.message (account_id, debtor_id, contact_point_id, channel, recipient, body, status, created_at)
   select $account, $debtor, $wa, 'whatsapp', '+$wa_digits', 'anterior ' || k, 'failed', now() - make_interval(days => 10 - k)
   from generate_series(1, 3) k" >/dev/null

# ---- cobrod: email by SMTP, WhatsApp by the Cloud API, the listener
secret="clean-hook-$$-0123456789abcdef"
cat >"$svc/cobrod.conf" <<CONF
name = "clean-$tag";
transports = {
	mail = { type = "smtp"; url = "smtp://127.0.0.1:$SMTP_PORT"; username = "$SMTP_USER";
	         password_env = "T_SMTP_PW"; starttls = false; from = "cobranzas@example.com";
	         from_name = "Cobranzas"; reply_to = "ayuda@example.com";
	         unsubscribe_url = "https://example.com/baja/{key}"; };
	wa = { type = "whatsapp"; url = "http://127.0.0.1:$gw_port/v19.0"; phone_number_id = "$phone_id";
	       token_env = "T_WA_TOKEN"; callback_secret = "$secret"; connect_timeout = 2; timeout = 5; };
};
channels = { email = { transport = "mail"; }; whatsapp = { transport = "wa"; }; };
listen = { address = "127.0.0.1"; port = $http_port; };
CONF
chmod 600 "$svc/cobrod.conf"
"$COBRO_BIN/cobrod" --config "$svc/cobrod.conf" --database "dbname=cobro" --user "clbot$tag" >"$svc/cobrod.log" 2>&1 &
cobrod_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$http_port/health" >/dev/null && break; sleep 0.1; done

# ---- the cleaning run, at the test's moment
out=$(ctl --user admin strategy clean --dry-run --file "$svc/strategy.conf" --at "$COBRO_NOW" --team "cl$tag" 2>&1)
check "a dry run says what it would ask (email, WhatsApp) and queues nothing" \
	bash -c "grep -qx 'would ask 2' <<<'$out' && grep -q 'CL-$tag: would ask for a number by whatsapp' <<<'$out' &&
	         [ \"\$(psql -X -qAt -U postgres -d cobro -c \"select count(*) from cobro.message where debtor_id = $debtor and ladder = 'cleaning'\")\" = 0 ]"
out=$(ctl --user admin strategy clean --file "$svc/strategy.conf" --at "$COBRO_NOW" --team "cl$tag" 2>&1)
check "the run asks the debtor by email and by WhatsApp (queued 2)" grep -qx "queued 2" <<<"$out"
check "  naming the account, never the number" bash -c "grep -q 'CL-$tag: asked for a number by email' <<<'$out' && ! grep -q '$n7' <<<'$out'"
check "cobrod sends the email to the SMTP server" smtp_wait_count "$svc" 1 20
# eventually re-runs its command: the count is read again each time.
check "  and the WhatsApp to the Cloud API" eventually 20 bash -c "[ \"\$(psql -X -qAt -U postgres -d cobro -c \"select count(*) from cobro.message where debtor_id = $debtor and ladder = 'cleaning' and channel = 'whatsapp' and provider_id like 'wamid.%'\")\" = 1 ]"
check "  both recorded sent" eventually 20 bash -c "[ \"\$(psql -X -qAt -U postgres -d cobro -c \"select count(*) from cobro.message where debtor_id = $debtor and ladder = 'cleaning' and status in ('sent', 'delivered')\")\" = 2 ]"
mail=$(cat "$svc"/mail/*.eml 2>/dev/null || cat "$svc"/mail/* 2>/dev/null)
check "  the email asks for a current number, with the incentive" \
	bash -c "grep -q 'CL-$tag' <<<\"\$1\" && grep -qi 'descuento' <<<\"\$1\"" _ "$mail"
out=$(ctl --user admin strategy clean --file "$svc/strategy.conf" --at "$COBRO_NOW" --team "cl$tag" 2>&1)
check "a second run the same day asks nothing (every_days)" grep -qx "queued 0" <<<"$out"

# ---- the reply, through cobrod's listener as Meta POSTs it
body=$(printf '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"%s"},"contacts":[{"profile":{"name":"Carmen"},"wa_id":"%s"}],"messages":[{"from":"%s","id":"wamid.clean-%s","timestamp":"1767225600","type":"text","text":{"body":"mi número nuevo es 987 654 321"}}]}}]}]}' \
	"$phone_id" "$wa_digits" "$wa_digits" "$$")
check "the debtor's WhatsApp reply is taken (200)" \
	test "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "$body" "http://127.0.0.1:$http_port/whatsapp?key=$secret")" = 200
new="+51987654321"
check "  +51987654321 is a contact point proposed by WhatsApp" \
	test "$(q "select kind || ' ' || proposal || ' ' || proposed_via from cobro.contact_point where debtor_id = $debtor and value = '$new'")" = "mobile proposed whatsapp"
check "  not usable: the collector cannot write to it yet" \
	bash -c "! psql -X -qAt -U clc$tag -d cobro -c \"select cobro.message_queue(gen_random_uuid(), $account, (select id from cobro.contact_point where debtor_id = $debtor and value = '$new'), 'whatsapp', NULL, NULL, 'hola', NULL, NULL, NULL)\" >/dev/null 2>&1"

# ---- the collector confirms it in the workstation
app_start clc "$(cobro_cmd "clc$tag")" 80 24
wait_for clc "Carmen" >/dev/null
keys clc /
text clc "CL-$tag"
keys clc Enter
sleep 0.3
keys clc Enter
check "the account's history says the number was proposed" \
	eventually 5 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=clc:' | grep -qE 'contact point ← +proposed .*${new#+}'"
keys clc Tab
keys clc Tab
keys clc Tab
check "  its contact points show it proposed, v to decide" wait_screen clc "$new  [proposed: v to confirm or reject]"
keys clc v
check "v asks: confirm or reject" wait_screen clc "Number $new, proposed by the debtor"
keys clc 1
check "  confirmed, it says" wait_screen clc "$new confirmed: it may be used now"
check "the point is usable now, with consent for WhatsApp, the channel it came by" \
	test "$(q "select coalesce(proposal, '-') || ' ' || array_to_string(consent, ',') from cobro.contact_point where debtor_id = $debtor and value = '$new'")" = "- whatsapp"
check "  an event of the collector's on the account" \
	test "$(q "select count(*) from cobro.event e join cobro.agent g on g.id = e.agent_id where e.account_id = $account and e.kind = 'contact_point' and e.outcome = 'confirmed' and g.login = 'clc$tag'")" = 1
check "  and a row on the audit chain" \
	test "$(q "select count(*) from cobro.audit where action = 'NUMBER CONFIRMED' and row_id = (select id from cobro.contact_point where debtor_id = $debtor and value = '$new')")" = 1
check "  the wrong mobile stays wrong" \
	test "$(q "select count(*) from cobro.contact_point where debtor_id = $debtor and kind = 'mobile' and bad_since is not null")" = 1
keys clc w
wait_screen clc "WhatsApp" >/dev/null
offered=false
for _ in 1 2 3 4; do
	if screen clc | grep -qF "To: $new"; then offered=true; break; fi
	keys clc t
	sleep 0.3
done
check "the send screen offers the new number for WhatsApp" $offered
check "cobrod's log holds no full number and no secret" bash -c "! grep -qE '$n7|987654321|$secret' '$svc/cobrod.log'"
finish
