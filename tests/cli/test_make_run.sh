#!/usr/bin/env bash
# What `make run` starts and `make stop` stops (scripts/demo.sh up and down),
# in a directory and on ports of its own: the database with a small demo and
# the shipped templates, Kannel with its fake operator, the SMTP server and
# cobrod; an SMS queued as ana goes out and comes back delivered, an email
# reaches the SMTP server with its List-Unsubscribe; down leaves
# none of those processes behind.
. "$(dirname "$0")/tap.sh"
. "$top/tests/lib/services.sh"
cd "$top"

for need in /usr/sbin/bearerbox /usr/sbin/smsbox /usr/lib/kannel/test/fakesmsc; do
	if [ ! -x "$need" ]; then
		echo "1..0 # SKIP $need missing (scripts/deps.sh check installs it)"
		exit 0
	fi
done

# A space in the directory, as in a checkout under "My projects": every path
# and connection string on the way must be quoted.
d="$top/var/test/demo run-$$"
# The demo anchored as the shared one is, and the contact policy asked about
# a working Tuesday, 10:00 in Lima, after it (tests/lib/clock.sh).
. "$top/tests/lib/clock.sh"
clock_init || exit 1
export COBRO_DEMO_DIR="$d" COBRO_DEMO_ACCOUNTS=300 COBRO_DEMO_ANCHOR=$COBRO_TEST_ANCHOR COBRO_NOW=$COBRO_TEST_NOW
COBRO_DEMO_PGPORT=$(free_port 54400 54499)
services_ports $((13600 + ($$ % 9) * 10)) 13699
SMTP_PORT=$(free_port $((2800 + $$ % 50)) 2899)
export COBRO_DEMO_PGPORT SMTP_PORT
unset COBROD_HTTP KANNEL_SHORTCODE KANNEL_MAX_MESSAGES KANNEL_STOP_WORDS
trap 'scripts/demo.sh down >/dev/null 2>&1; rm -rf "$d" "$scratch"' EXIT

run scripts/demo.sh up
check "up: the database, the demo, Kannel, SMTP and cobrod start" test "$rc" = 0
check "  and says where they are" grep -q "Kannel, SMTP and cobrod run" <<<"$out"
pids="$(cat "$d/cobrod.pid" 2>/dev/null) $(services_pids "$d/services" | tr '\n' ' ')"
check "cobrod runs" kill -0 "$(cat "$d/cobrod.pid")"
check "  connected to the demo database" bash -c "for i in \$(seq 50); do grep -q 'connected as cobrod' '$d/cobrod.log' && exit 0; sleep 0.1; done; exit 1"
run scripts/services.sh status "$d/services"
check "Kannel (with the fake operator online) and the SMTP server run" \
	test "$rc" = 0 -a -n "$(grep -x 'kannel: fake SMSC online' <<<"$out")"
eval "$(scripts/pg.sh env "$d/pg" "$COBRO_DEMO_PGPORT")"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
check "the shipped templates and contact rules are loaded" \
	test "$(q "select count(*) from cobro.template")" = "$(ls etc/templates/*.tpl | wc -l)" -a "$(q "select count(*) > 0 from cobro.contact_policy")" = t
check "  and the shipped strategies, etc/strategy.conf, are the version in force" \
	test "$(q "select digest from cobro.strategy_version order by version desc limit 1")" = "$(sha256sum <etc/strategy.conf | cut -d' ' -f1)"

# An SMS as ana would queue it from the send screen, to a Lima debtor who
# consented, at 10:00 there (COBRO_NOW, which cobrod inherits).
row=$(q "select a.id, c.id from cobro.account a join cobro.debtor d on d.id = a.debtor_id
         join cobro.agent g on g.id = a.agent_id
         join cobro.contact_point c on c.debtor_id = d.id and c.kind = 'mobile' and c.bad_since is null
              and 'sms' = any(c.consent) and not 'sms' = any(c.opted_out)
         where g.login = 'ana' and a.status = 'active' and d.state = 'active' and d.time_zone = 'America/Lima'
         order by a.id limit 1")
IFS='|' read -r account point <<<"$row"
check "the demo has an account of ana's to text" test -n "$account"
id=$(psql -X -qAt -U ana -d cobro -c "select cobro.message_queue(gen_random_uuid(), $account, $point, 'sms', NULL, NULL,
        'Hola, prueba de make run', NULL, 1, 'gsm7')")
for _ in $(seq 150); do
	[ "$(q "select status from cobro.message where id = ${id:-0}")" = delivered ] && break
	sleep 0.1
done
check "an SMS queued as ana goes queued, sent, delivered" test "$(q "select status from cobro.message where id = ${id:-0}")" = delivered
check "  through the fake operator" fakesmsc_wait_text "$d/services" "Hola, prueba de make run" 10

# An email as ana would queue it: the demo's SMTP server keeps it, and it
# carries List-Unsubscribe though the demo configures no unsubscribe setting
# (issue 15, line 13): a mailto to the creditor's reply address.
row=$(q "select a.id, c.id, coalesce(nullif(k.reply_to, ''), nullif(k.email_from, ''), 'cobranzas@example.com')
         from cobro.account a join cobro.debtor d on d.id = a.debtor_id
         join cobro.agent g on g.id = a.agent_id join cobro.creditor k on k.id = a.creditor_id
         join cobro.contact_point c on c.debtor_id = d.id and c.kind = 'email' and c.bad_since is null
              and 'email' = any(c.consent) and not 'email' = any(c.opted_out)
         where g.login = 'ana' and a.status = 'active' and d.state = 'active' and d.time_zone = 'America/Lima'
         order by a.id limit 1")
IFS='|' read -r account point reply <<<"$row"
check "the demo has an account of ana's to email" test -n "$account" -a -n "$reply"
eid=$(psql -X -qAt -U ana -d cobro -c "select cobro.message_queue(gen_random_uuid(), $account, $point, 'email', NULL,
        'Prueba de make run', 'Hola, prueba de make run', NULL, NULL, NULL)")
for _ in $(seq 150); do
	[ "$(q "select status from cobro.message where id = ${eid:-0}")" = sent ] && break
	sleep 0.1
done
check "an email queued as ana is sent" test "$(q "select status from cobro.message where id = ${eid:-0}")" = sent
mail=$(grep -l "Prueba de make run" "$d"/services/mail/*.eml 2>/dev/null | head -n 1)
check "  and the demo's SMTP server has it" test -n "$mail"
run /usr/bin/python3 tests/lib/mail_check.py "$mail"
check "  it parses strictly (email.policy.strict, no header defect, lines of 78 at most)" test "$rc" = 0
check "  List-Unsubscribe is a mailto to the creditor's reply address; no one-click without a URL" \
	test "$out" = "mailto:$reply?subject=unsubscribe"

run scripts/demo.sh down
check "down stops everything" test "$rc" = 0
alive=
for p in $pids; do
	# A zombie is gone, and so is one reaped between looking and reading.
	state=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null) && [ "$state" != Z ] && alive="$alive $p"
done
check "  no process of up is left (cobrod, Kannel, fakesmsc, SMTP)" test -z "$alive"
check "  and the database is stopped" bash -c "! scripts/pg.sh status '$d/pg' '$COBRO_DEMO_PGPORT' >/dev/null 2>&1"

finish
