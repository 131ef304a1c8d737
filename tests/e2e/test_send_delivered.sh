#!/usr/bin/env bash
# The whole way of one SMS: ana presses s and Enter on an account; a real
# cobrod sends it through a real Kannel to its fake operator; the operator's
# delivery report comes back to cobrod's listener; and the account screen,
# still open, shows the message delivered in its history, live.
set -u
. "$(dirname "$0")/lib.sh"
. "$COBRO_TOP/tests/lib/services.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }

for need in /usr/sbin/bearerbox /usr/sbin/smsbox /usr/lib/kannel/test/fakesmsc; do
	if [ ! -x "$need" ]; then
		echo "1..0 # SKIP $need missing (scripts/deps.sh check installs it)"
		exit 0
	fi
done

svc=$(mktemp -d "${TMPDIR:-/tmp}/cobro-e2e-svc-XXXXXX")
cobrod_pid=
cleanup_send() {
	[ -n "$cobrod_pid" ] && kill -TERM "$cobrod_pid" 2>/dev/null && wait "$cobrod_pid" 2>/dev/null
	services_down "$svc"
	rm -rf "$svc"
}
trap 'cleanup_send; tmux -L "$E2E_SOCK" kill-server 2>/dev/null; rm -f "$E2E_CONF"' EXIT

p=$((13500 + ($$ % 9) * 10))
services_ports "$p" 13599
unset COBROD_HTTP KANNEL_SHORTCODE KANNEL_MAX_MESSAGES KANNEL_STOP_WORDS
if ! services_up "$svc" kannel; then
	echo "not ok 1 - Kannel would not start (its standard error says why)"
	echo "1..1"
	exit 1
fi

"$COBRO_BIN/cobroctl" --database "dbname=cobro" --user admin policy load "$COBRO_TOP/etc/policy.conf" >/dev/null
"$COBRO_BIN/cobroctl" --database "dbname=cobro" --user postgres agent add e2e_cobrod --name "cobrod" --role daemon \
	>/dev/null 2>&1
q "delete from cobro.template where code = 'a0_e2e_entrega'" >/dev/null
q "insert into cobro.template (code, channel, language, body) values
   ('a0_e2e_entrega', 'sms', 'es', 'Hola {debtor.first_name}, su cuenta {account.reference} tiene saldo vencido.')" >/dev/null

# An account of ana's in Lima (Tuesday 10:00 there: inside the hours) with a
# usable primary mobile that consented to SMS, and no SMS already today.
row=$(q "select a.id, a.reference, c.value from cobro.account a join cobro.debtor d on d.id = a.debtor_id
         join cobro.agent g on g.id = a.agent_id
         join cobro.contact_point c on c.debtor_id = d.id and c.kind = 'mobile' and c.is_primary
              and c.bad_since is null and 'sms' = any(c.consent) and not 'sms' = any(c.opted_out)
         where g.login = 'ana' and a.workable and a.status = 'active' and d.state = 'active'
           and d.language = 'es' and d.time_zone = 'America/Lima'
           and not exists (select 1 from cobro.message m where m.debtor_id = d.id)
         order by a.id desc limit 1")
IFS='|' read -r id ref mobile <<<"$row"
check "the demo has an account to send from ($ref, $mobile)" test -n "$id"

cat >"$svc/cobrod.conf" <<EOF
name = "e2e";
transports = {
	kannel = { type = "kannel"; url = "$KANNEL_SENDSMS_URL"; username = "$KANNEL_SENDSMS_USER";
	           password = "$KANNEL_SENDSMS_PASSWORD"; from = "$KANNEL_SHORTCODE";
	           dlr_url = "http://127.0.0.1:$COBROD_HTTP_PORT/kannel/dlr";
	           callback_secret = "$KANNEL_CALLBACK_SECRET"; };
};
channels = { sms = { transport = "kannel"; }; };
listen = { address = "127.0.0.1"; port = $COBROD_HTTP_PORT; };
EOF
chmod 600 "$svc/cobrod.conf"
"$COBRO_BIN/cobrod" --config "$svc/cobrod.conf" --database "dbname=cobro" --user e2e_cobrod \
	>"$svc/cobrod.log" 2>&1 &
cobrod_pid=$!

app_start a "$(cobro_cmd ana)"
wait_for a "accounts to work" >/dev/null
keys a /
text a "$ref"
keys a Enter
wait_screen a "1 account matches" >/dev/null
keys a Enter
wait_for a "History (newest first)" >/dev/null
keys a s
check "s opens the send screen, the template first" wait_screen a "a0_e2e_entrega"
keys a Enter
check "Enter queues it" wait_screen a "Queued"
mid=$(q "select max(id) from cobro.message where account_id = $id")
body=$(q "select body from cobro.message where id = $mid")
check "the operator receives the text the collector saw" fakesmsc_wait_text "$svc" "$body" 20
# The history's newest line: the SMS, whose status follows the message; the
# delivery report is a step of it, not a row of its own.
newest() { tmux -L "$E2E_SOCK" capture-pane -p -t a | grep -A1 'History (newest first)' | tail -n 1; }
delivered=no
for _ in $(seq 200); do
	if newest | grep -qE 'SMS +delivered +ana'; then delivered=yes; break; fi
	sleep 0.1
done
[ "$delivered" = yes ] || tmux -L "$E2E_SOCK" capture-pane -p -t a | sed "s/^/#   /"
check "the open account screen shows it delivered, live" test "$delivered" = yes
check "  and no delivery row says it again" bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -qE ' delivery +delivered'"
check "  as the database says, with the delivery time" \
	test "$(q "select status || ' ' || (delivered_at is not null) from cobro.message where id = $mid")" = "delivered true"
# Enter on it: each step with its time, as cobrod and the report wrote them.
times=$(q "select to_char(created_at, 'YYYY-MM-DD HH24:MI:SS') || '|' || to_char(sent_at, 'YYYY-MM-DD HH24:MI:SS')
           || '|' || to_char(delivered_at, 'YYYY-MM-DD HH24:MI:SS') from cobro.message where id = $mid")
IFS='|' read -r queued_at sent_at delivered_at <<<"$times"
keys a Home
keys a Enter
check "Enter on the SMS shows its delivery" wait_screen a "Delivery (times in "
check "  queued at $queued_at, sent at $sent_at, delivered at $delivered_at" bash -c "
	s=\$(tmux -L '$E2E_SOCK' capture-pane -p -t a)
	grep -qE '$queued_at +queued' <<<\"\$s\" && grep -qE '$sent_at +sent' <<<\"\$s\" && grep -qE '$delivered_at +delivered' <<<\"\$s\""
keys a Escape
check "cobrod logged no error" bash -c "! grep -q ' error: ' '$svc/cobrod.log'"
keys a q
q "delete from cobro.template where code = 'a0_e2e_entrega'" >/dev/null
finish
