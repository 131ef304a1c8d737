#!/usr/bin/env bash
# The right message, or none; no message queued forever (issue 15, lines 4
# and 5). The send screen started on the alphabetically first template: it
# proposed "we have not received the payment you arranged" on an account
# whose promise was kept, and "saldo vencido de S/ 0.00" at 0 days past due.
# It proposed a WhatsApp number the policy refused while the account screen
# said WhatsApp was allowed, and a WhatsApp message stayed queued for ever
# because no running cobrod sent WhatsApp. Here: templates whose facts are
# false are greyed with the reason and never proposed; the recipient first
# proposed is one the policy allows; a channel no running cobrod sends is
# refused on the screen, and nothing is queued.
set -u
. "$(dirname "$0")/lib.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }

"$COBRO_BIN/cobroctl" --database "dbname=cobro" --user admin policy load "$COBRO_TOP/etc/policy.conf" >/dev/null

# (An interrupted run's stand-ins go first.)
q "delete from cobro.daemon_presence where worker like 'e2e-%'" >/dev/null
# A running cobrod that sends SMS and email, as its heartbeat says it
# (daemon_heartbeat(), written here as the superuser for the screen to read).
q "insert into cobro.daemon_presence (worker, channels, expires_at) values ('e2e-send-facts', '{sms,email}', now() + interval '1 day')
   on conflict (worker) do update set channels = excluded.channels, expires_at = excluded.expires_at" >/dev/null

# Templates that sort first, each stating its facts, as an administrator adds them.
q "delete from cobro.template where code like 'a_\_e2ef\_%'" >/dev/null
q "insert into cobro.template (code, channel, language, body, requires) values
   ('a0_e2ef_roto', 'sms', 'es', 'No hemos recibido el pago acordado de {promise.amount}.', '{promise_broken}'),
   ('a1_e2ef_vencido', 'sms', 'es', 'Su saldo vencido es {account.past_due}.', '{past_due}'),
   ('a2_e2ef_aviso', 'sms', 'es', 'Su cuota vence el {account.due_date}.', '{not_due}'),
   ('a3_e2ef_hola', 'sms', 'es', 'Hola {debtor.first_name}.', '{}'),
   ('a0_e2ef_wa', 'whatsapp', 'es', 'Hola {debtor.first_name}.', '{}'),
   ('a0_e2ef_wa', 'whatsapp', 'en', 'Hello {debtor.first_name}.', '{}')" >/dev/null

mine="join cobro.debtor d on d.id = a.debtor_id join cobro.agent g on g.id = a.agent_id
      where g.login = 'ana' and a.workable and a.status = 'active' and d.state = 'active' and d.language = 'es'
        and exists (select 1 from cobro.contact_point c where c.debtor_id = d.id and c.kind = 'mobile'
                    and c.bad_since is null and not 'sms' = any(c.opted_out))"
# An account whose promise (the latest, none pending) was kept, with money past due.
kept=$(q "select a.reference from cobro.account a $mine
          and a.past_due > 0 and a.oldest_due < current_date
          and (select r.status from cobro.promise r where r.account_id = a.id
               order by r.status = 'pending' desc, r.created_at desc, r.id desc limit 1) = 'kept'
          order by a.id limit 1")
check "the demo has an account of ana's whose promise was kept ($kept)" test -n "$kept"
# An account 0 days past due: its oldest unpaid installment is not due yet.
zero=$(q "select a.reference from cobro.account a $mine
          and (a.oldest_due is null or a.oldest_due >= current_date)
          and exists (select 1 from cobro.installment i where i.account_id = a.id and i.paid < i.amount)
          order by a.id limit 1")
check "and one 0 days past due ($zero)" test -n "$zero"
# A debtor whose first WhatsApp point (in the screen's order: primary first)
# has no WhatsApp consent, and a later one has it.
row=$(q "with p as (select c.debtor_id, c.id, c.value, 'whatsapp' = any(c.consent) as ok,
                           row_number() over (partition by c.debtor_id order by c.is_primary desc, c.kind, c.id) as n
                    from cobro.contact_point c
                    where c.kind in ('mobile', 'whatsapp') and c.bad_since is null and not 'whatsapp' = any(c.opted_out))
         select a.reference, (select value from p where p.debtor_id = a.debtor_id and p.ok order by n limit 1)
         from cobro.account a $mine
           and exists (select 1 from p where p.debtor_id = a.debtor_id and p.n = 1 and not p.ok)
           and exists (select 1 from p where p.debtor_id = a.debtor_id and p.ok)
         order by a.id limit 1")
IFS='|' read -r waref wanum <<<"$row"
check "and one whose first WhatsApp number has no consent and another has ($waref, $wanum)" test -n "$waref"

open() {
	keys "$1" /
	keys "$1" C-u
	text "$1" "$2"
	keys "$1" Enter
	wait_screen "$1" "1 accounts match" >/dev/null
	keys "$1" Enter
	wait_for "$1" "History (newest first)" >/dev/null
}
back() { keys "$1" Escape; wait_screen "$1" "History (newest first)" >/dev/null; keys "$1" Escape; sleep 0.3; }
# greyed NAME CODE REASON: CODE's row is greyed, not for this account, with REASON.
greyed() { eventually 5 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=$1:' | grep -qE '^ +$2 +not for this account: $3'"; }

app_start a "$(cobro_cmd ana)"
wait_for a "accounts to work" >/dev/null

# ---- line 4: the promise was kept
open a "$kept"
keys a s
wait_screen a "SMS templates in Spanish" >/dev/null
check "kept promise: the broken-promise template is not proposed (it was: it sorts first)" \
	bash -c "[ \"\$(tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -m1 '▶' | awk '{print \$2}')\" != a0_e2ef_roto ]"
check "  a template whose facts hold is: the past-due one" wait_screen a "▶ a1_e2ef_vencido"
check "  the broken-promise one is greyed with the reason" greyed a a0_e2ef_roto "the promise was kept"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do keys a Down; done
sleep 0.3
check "  Down never lands on a greyed one" bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -q '▶ a0_e2ef_roto'"
back a

# ---- line 4: 0 days past due
open a "$zero"
keys a s
wait_screen a "SMS templates in Spanish" >/dev/null
check "0 DPD: the reminder of a coming due date is proposed first" wait_screen a "▶ a2_e2ef_aviso"
check "  the past-due one is greyed: nothing is past due" greyed a a1_e2ef_vencido "nothing is past due"
check "  and no \"S/ 0.00\" past due is shown anywhere" bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -q 'saldo vencido es S/ 0.00'"
check "  SMS can be queued: a cobrod sends it" wait_screen a "Enter queues it for "
# Queued, and then found late by cobrod (message_late() marks it): the
# history says so.
keys a Enter
check "  with a cobrod back, it is queued" wait_screen a "Queued"
q "update cobro.message set late_at = now() where id = (select max(id) from cobro.message where channel = 'sms')" >/dev/null
keys a r
check "  a message cobrod found late reads late in the history" \
	eventually 5 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -A1 'History (newest first)' | tail -n 1 | grep -qE 'SMS +late +ana'"
keys a Escape
sleep 0.3

# ---- line 5: the WhatsApp recipient, and no cobrod that sends WhatsApp
open a "$waref"
keys a w
wait_screen a "WhatsApp to " >/dev/null
check "WhatsApp: the recipient first proposed is the number the policy allows ($wanum)" wait_screen a "To: $wanum "
check "  the policy's verdict on it is not a consent refusal" bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -q 'ALL-CONSENT'"
check "  no running cobrod sends WhatsApp: the screen says so" wait_screen a "No running cobrod can send WhatsApp messages now"
n=$(q "select count(*) from cobro.message where channel = 'whatsapp'")
keys a Enter
sleep 0.5
check "  Enter queues nothing" test "$(q "select count(*) from cobro.message where channel = 'whatsapp'")" = "$n"
keys a Escape
wait_screen a "History (newest first)" >/dev/null
# A cobrod that sends WhatsApp starts: the screen offers Enter; it stops
# before Enter is pressed: Enter is refused with the reason.
q "update cobro.daemon_presence set channels = '{sms,email,whatsapp}' where worker = 'e2e-send-facts'" >/dev/null
keys a w
check "  with a cobrod that sends WhatsApp, Enter would queue it" wait_screen a "Enter queues it for $wanum"
q "update cobro.daemon_presence set channels = '{sms,email}' where worker = 'e2e-send-facts'" >/dev/null
keys a Enter
check "  it stopped meanwhile: Enter says no running cobrod sends WhatsApp" wait_screen a "No running cobrod can send WhatsApp messages now"
check "  and nothing is queued" test "$(q "select count(*) from cobro.message where channel = 'whatsapp'")" = "$n"
back a
keys a q
wait_for a "[exit=0]" >/dev/null

# ---- in Spanish: the late message, and a greyed template's reason
app_start es "env LANGUAGE=es $(cobro_cmd ana)"
wait_for es "cuentas por gestionar" >/dev/null
keys es /
keys es C-u
text es "$zero"
keys es Enter
wait_screen es "1 cuentas coinciden" >/dev/null
keys es Enter
check "es: the late message reads atrasado in the history" \
	eventually 5 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t es | grep -qE 'SMS +atrasado +ana'"
keys es s
check "es: a greyed template says why in Spanish" \
	eventually 5 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t es | grep -qE '^ +a1_e2ef_vencido +no es para esta cuenta: no hay nada vencido'"
keys es Escape
keys es Escape
keys es q
wait_for es "[exit=0]" >/dev/null

q "delete from cobro.template where code like 'a_\_e2ef\_%'" >/dev/null
q "delete from cobro.daemon_presence where worker = 'e2e-send-facts'" >/dev/null
finish
