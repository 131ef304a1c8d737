#!/usr/bin/env bash
# Everything on the screens can be read (issue 15, lines 9, 10 and 12), at
# 80x24: Enter on a history row shows the item whole (a long note; a message
# with the steps of its delivery and their times); every contact point of
# the debtor in a pane of their own; a payment's row says its amount, a
# callback's row its moment and whose clock; no "delivery delivered" row
# under the message's own; no stray separator for a debtor without a
# national id; a callback typed "mañana 10:00" is tomorrow at 10:00 on the
# debtor's clock; the worklist's amounts in several currencies each carry
# their own symbol (US$, MX$), and its call times say whose clock they are.
set -u
. "$(dirname "$0")/lib.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }

# An account of ana's in Lima, in her worklist, in soles.
row=$(q "select a.id, a.reference, d.id, d.name, coalesce(d.national_id, '') from cobro.account a
         join cobro.debtor d on d.id = a.debtor_id join cobro.agent g on g.id = a.agent_id
         where g.login = 'ana' and a.workable and a.status = 'active' and d.state = 'active'
           and a.currency = 'PEN' and d.time_zone = 'America/Lima' and d.national_id is not null
         order by a.id limit 1")
IFS='|' read -r id ref debtor name nid <<<"$row"
check "the demo has an account of ana's in Lima ($ref)" test -n "$id"

# Rows made here go when the test ends; the debtor's national id comes back.
points=
cleanup_readable() {
	[ -n "$points" ] && q "delete from cobro.contact_point where id in ($points)" >/dev/null
	q "update cobro.debtor set national_id = '$nid' where id = $debtor" >/dev/null
}
trap 'cleanup_readable; tmux -L "$E2E_SOCK" kill-server 2>/dev/null; rm -f "$E2E_CONF"' EXIT

long_email="cobranzas.seguimiento.del.deudor.e2e-readable.$$@correo-muy-largo.example.com"
n=$(printf '%06d' $(($$ % 1000000)))
q "update cobro.debtor set national_id = null where id = $debtor" >/dev/null
points=$(q "insert into cobro.contact_point (debtor_id, kind, value, consent)
            values ($debtor, 'email', '$long_email', '{email}'),
                   ($debtor, 'phone', '+51140$n', '{call}'),
                   ($debtor, 'mobile', '+51987$n', '{call,sms}') returning id" | paste -sd,)
check "three more contact points for the debtor ($points)" test -n "$points"
# A payment, and an SMS delivered a few minutes ago (queued, sent, then the
# operator's report), as cobrod would have written them.
q "insert into cobro.event (account_id, debtor_id, kind, amount, at)
   values ($id, $debtor, 'payment', 26100, now() - interval '20 minutes')" >/dev/null
sms_body="Estimado cliente, le recordamos que su cuenta $ref tiene un saldo pendiente que puede pagar en cualquier agencia o por la web; si ya pago, ignore este mensaje. FIN-DEL-MENSAJE"
mid=$(q "insert into cobro.message (account_id, debtor_id, channel, recipient, body, status, created_at, sent_at, delivered_at)
         values ($id, $debtor, 'sms', '+51987000111', '$sms_body', 'delivered', now() - interval '10 minutes',
                 now() - interval '9 minutes', now() - interval '8 minutes') returning id")
q "insert into cobro.event (account_id, debtor_id, kind, direction, message_id, body, at)
   values ($id, $debtor, 'sms', 'out', $mid, '$sms_body', now() - interval '10 minutes');
   insert into cobro.event (account_id, debtor_id, kind, outcome, message_id, at)
   values ($id, $debtor, 'delivery', 'delivered', $mid, now() - interval '8 minutes')" >/dev/null
steps=$(q "select to_char(created_at, 'YYYY-MM-DD HH24:MI:SS') || '|' || to_char(sent_at, 'YYYY-MM-DD HH24:MI:SS')
           || '|' || to_char(delivered_at, 'YYYY-MM-DD HH24:MI:SS') from cobro.message where id = $mid")
IFS='|' read -r queued_at sent_at delivered_at <<<"$steps"

# --- the worklist: money and time that cannot be misread ---------------------
app_start a "env TZ=Asia/Tokyo $(cobro_cmd ana)"
wait_for a "accounts to work" >/dev/null
currencies=$(q "select count(distinct a.currency) from cobro.account a join cobro.agent g on g.id = a.agent_id
                where g.login = 'ana' and a.workable")
check "ana's worklist mixes currencies ($currencies)" test "$currencies" -gt 1
check "the call times' column says whose clock (the debtor's)" line_matches a 2 'Their time +Segment'
check "no amount on the worklist is a bare \$" bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t a | sed -n '3,22p' | grep -qE '(^|[^A-Z])\\\$[0-9]'"
for cur in USD MXN; do
	sym=${cur:0:2}\$
	shown=$(q "select count(*) from cobro.account a join cobro.agent g on g.id = a.agent_id
	           where g.login = 'ana' and a.workable and a.currency = '$cur'")
	if [ "$shown" -gt 0 ]; then
		# Somewhere in her worklist: End shows the last page, paging finds it.
		found=no
		for _ in $(seq 30); do
			if screen a | sed -n '3,22p' | grep -qF "$sym"; then found=yes; break; fi
			keys a PageDown
			sleep 0.1
		done
		check "$cur amounts carry $sym ($shown of ana's accounts)" test "$found" = yes
		keys a Home
	fi
done

# --- the account ---------------------------------------------------------------
keys a /
text a "$ref"
keys a Enter
wait_screen a "1 account matches" >/dev/null
keys a Enter
wait_for a "History (newest first)" >/dev/null
check "a debtor without a national id: no stray separator" line_has a 2 "$name  ·  PE America/Lima  ·  $ref"
check "the payment's row says its amount" bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -E ' payment ' | grep -qF 'S/ 261.00'"
check "the SMS's row says it was delivered" bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -qE ' SMS +delivered '"
check "  and no delivery row says it again" bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -qE ' delivery +delivered'"

# A note longer than the row, read whole with Enter.
note="Llamó la hermana del deudor desde otro número; dice que él viaja hasta fin de mes y que pagará la cuota vencida apenas cobre su sueldo; pidió que no lo llamemos al trabajo sino al celular después de las seis de la tarde. FIN-DE-NOTA"
keys a o
wait_screen a "Note:" >/dev/null
text a "$note"
keys a Enter
check "the long note is saved" wait_for a "Saved"
check "  its row is cut at the screen's edge" bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -qF 'FIN-DE-NOTA'"
keys a Home
keys a Enter
check "Enter on the note's row opens it whole" wait_screen a "FIN-DE-NOTA"
check "  every word of it, wrapped" bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t a | sed -n '2,23p' | sed 's/^ *//; s/ *\$//' | tr '\n' ' ' | grep -qF '$note'"
check "  on a screen of its own" line_has a 1 "History item"
keys a Escape
wait_screen a "History (newest first)" >/dev/null

# The SMS: its row, then Enter: its text whole and every step with its time.
sms_line=$(screen a | grep -nE ' SMS +delivered ' | head -n 1 | cut -d: -f1)
hist_line=$(screen a | grep -n 'History (newest first)' | cut -d: -f1)
check "the SMS is in the history (line $sms_line)" test -n "$sms_line"
keys a Home
for _ in $(seq $((sms_line - hist_line - 1))); do keys a Down; done
keys a Enter
check "Enter on the SMS shows how it was delivered" wait_screen a "Delivery (times in "
check "  saying whose clock the times are on (the session's, $(psql -X -qAt -U ana -d cobro -c 'show timezone'))" \
	wait_screen a "Delivery (times in $(psql -X -qAt -U ana -d cobro -c 'show timezone')):"
check "  queued at $queued_at" bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -qE '$queued_at +queued'"
check "  sent at $sent_at" bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -qE '$sent_at +sent'"
check "  delivered at $delivered_at" bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -qE '$delivered_at +delivered'"
check "  to whom" wait_screen a "To: +51987000111"
check "  and its whole text" bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t a | sed 's/^ *//; s/ *\$//' | tr '\n' ' ' | grep -qF 'FIN-DEL-MENSAJE'"
keys a Escape
wait_screen a "History (newest first)" >/dev/null
check "the history says whose clock its times are on" wait_screen a "History (newest first)  ·  times in $(psql -X -qAt -U ana -d cobro -c 'show timezone')"

# Every contact point, whole, at 80 columns: a value wider than the screen
# goes on under itself.
keys a Tab
keys a Tab
keys a Tab
check "Tab shows the contact points" wait_screen a "Contact points ("
# The pane's lines, the kinds taken off and the lines joined again.
pane() { screen a | sed -n '/Contact points (/,$p' | sed '1d; $d' | sed -E 's/^[^ ]* +//' | tr -d '\n'; }
all=yes
while IFS= read -r value; do
	if ! pane | grep -qF -- "$value"; then
		all=no
		echo "# not shown whole: $value" >&2
	fi
done < <(q "select value from cobro.contact_point where debtor_id = $debtor order by id")
check "  every one of them whole" test "$all" = yes
check "  the email wider than the screen too (${#long_email} characters)" bash -c "$(declare -f screen tm pane); E2E_SOCK='$E2E_SOCK' E2E_CONF='$E2E_CONF'; pane | grep -qF '$long_email'"
check "  which the debtor's line cuts" bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t a | sed -n 4p | grep -qF '$long_email'"
keys a Tab
wait_screen a "History (newest first)" >/dev/null

# A callback for tomorrow, typed in Spanish, on the debtor's clock.
keys a b
wait_screen a "Callback time in" >/dev/null
keys a 1
wait_screen a "debtor's time (America/Lima" >/dev/null
text a "mañana 10:00"
keys a Enter
check "\"mañana 10:00\" is taken" wait_for a "Saved"
check "  as tomorrow 10:00 in Lima, whatever the collector's own zone" until_true 5 \
	"select exists (select 1 from cobro.callback where account_id = $id and due_at =
	   (date_trunc('day', now() at time zone 'America/Lima') + interval '1 day 10 hours') at time zone 'America/Lima')"
tomorrow=$(q "select to_char(now() at time zone 'America/Lima' + interval '1 day', 'YYYY-MM-DD')")
check "  and its row says when, on whose clock" bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -E ' callback ' | grep -qF '$tomorrow 10:00 Lima'"
keys a b
wait_screen a "Callback time in" >/dev/null
keys a 1
text a "viernes 09:30"
keys a Enter
check "a weekday is taken too (viernes 09:30)" wait_for a "Saved"
check "  as the next Friday 09:30 in Lima" until_true 5 \
	"select exists (select 1 from cobro.callback where account_id = $id and due_at at time zone 'America/Lima' =
	   date_trunc('day', now() at time zone 'America/Lima')
	   + make_interval(days => (4 - (extract(isodow from now() at time zone 'America/Lima')::int - 1) + 6) % 7 + 1)
	   + interval '9 hours 30 minutes')"
keys a b
wait_screen a "Callback time in" >/dev/null
keys a 1
text a "pasado mañana"
keys a Enter
check "what is not a moment is refused, saying what is" wait_screen a "Write 10:00, tomorrow 10:00, friday 10:00"
keys a Escape
keys a q
wait_for a "[exit=0]" >/dev/null
finish
