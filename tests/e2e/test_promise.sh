#!/usr/bin/env bash
# The promise form (issue 16, lines 1 and 3), as ana at the workstation: p on
# the account screen; an amount that is no amount, one above the balance and
# a date gone by are refused beside their fields and nothing is saved; a plan
# of 3 monthly installments shows its schedule (the database's own
# promise_schedule() says the same dates) and is saved with its
# installments, its event and the account's next action; a plan beyond the
# team's maximum of installments needs approval and says so before it is
# saved awaiting approval, replacing the active promise only after a yes
# (both recorded); c then opens the send screen with the confirmation chosen,
# and Enter queues it through the policy's check.
set -u
. "$(dirname "$0")/lib.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
# What waits to be saved is kept in this test's own state directory.
XDG_STATE_HOME=$(mktemp -d)
export XDG_STATE_HOME

# ---- an account of ana's in Lima with something past due, no active
# promise, and a mobile that may take an SMS (the confirmation goes there;
# names in GSM-7 letters keep it within the segments allowed)
usable="c.debtor_id = d.id and c.bad_since is null and not 'sms' = any(c.opted_out) and 'sms' = any(c.consent)"
row=$(q "select a.id, a.reference, d.jurisdiction, a.segment, d.language from cobro.account a
         join cobro.debtor d on d.id = a.debtor_id join cobro.agent g on g.id = a.agent_id
         join cobro.creditor cr on cr.id = a.creditor_id
         where g.login = 'ana' and a.workable and a.status = 'active' and d.state = 'active'
           and coalesce(d.first_name, split_part(d.name, ' ', 1)) ~ '^[A-Za-z]+\$' and cr.name ~ '^[A-Za-z ]+\$'
           and d.time_zone = 'America/Lima' and a.past_due > 300 and a.balance > a.past_due and cr.pay_link is not null
           and not exists (select 1 from cobro.promise p where p.account_id = a.id
                           and p.status in ('pending', 'awaiting_approval'))
           and exists (select 1 from cobro.contact_point c where $usable and c.kind = 'mobile' and c.is_primary)
         order by a.id limit 1")
IFS='|' read -r id ref jur seg lang <<<"$row"
check "the demo has an account to promise on ($ref)" test -n "$id"

# The team's limits for this test, a version of its own as cobroctl limits
# load writes one: 120 days ahead, at most 6 installments (so that 3 monthly
# ones are within them whatever the month, and 7 are not), the rest copied.
q "with v as (insert into cobro.promise_limit_set (source, text) values ('e2e test_promise', '# e2e') returning version),
        cur as (select * from cobro.promise_limit where version = (select max(version) from cobro.promise_limit_set
                                                                    where source <> 'e2e test_promise'))
   insert into cobro.promise_limit (version, jurisdiction, segment, horizon_days, min_share_permille,
                                    max_installments, max_discount_permille, grace_days)
   select v.version, cur.jurisdiction, cur.segment, cur.horizon_days, cur.min_share_permille, cur.max_installments,
          cur.max_discount_permille, cur.grace_days from v, cur
   where not (cur.jurisdiction = '$jur' and cur.segment = '$seg')
   union all select v.version, '$jur', '$seg', 120, 250, 6, 300, 2 from v" >/dev/null
limits() { sql_as ana "select $1 from cobro.promise_limits_for($id)"; }
check "ana reads those limits for the account" test "$(limits "horizon_days || ' ' || max_installments")" = "120 6"
today=$(limits "today")
yesterday=$(limits "today - 1")
balance=$(q "select balance from cobro.account where id = $id")
past_due=$(q "select past_due from cobro.account where id = $id")
# Minor units of soles as typed: 12345 -> 123.45
typed() { printf '%d.%02d' $(($1 / 100)) $(($1 % 100)); }

# The confirmation: the shipped templates, if the database has none yet, and
# a running cobrod that sends SMS, as its heartbeat says it.
if [ "$(q "select count(*) from cobro.template where code = 'promise_confirmation' and channel = 'sms'")" = 0 ]; then
	"$COBRO_BIN/cobroctl" --database "dbname=cobro" --user admin template add \
		"$COBRO_TOP/etc/templates/promise_confirmation.sms.es.tpl" \
		"$COBRO_TOP/etc/templates/promise_confirmation.sms.en.tpl" >/dev/null
fi
"$COBRO_BIN/cobroctl" --database "dbname=cobro" --user admin policy load "$COBRO_TOP/etc/policy.conf" >/dev/null
q "insert into cobro.daemon_presence (worker, channels, expires_at) values ('e2e-promise', '{sms}', now() + interval '1 day')
   on conflict (worker) do update set channels = excluded.channels, expires_at = excluded.expires_at" >/dev/null
pgdir=$PGHOST
restart_db() { "$COBRO_TOP/scripts/pg.sh" start "$pgdir" "$PGPORT" >/dev/null 2>&1; }
trap 'restart_db; q "delete from cobro.daemon_presence where worker = '"'e2e-promise'"'" >/dev/null; tmux -L "$E2E_SOCK" kill-server 2>/dev/null; rm -rf "$E2E_CONF" "$XDG_STATE_HOME"' EXIT

promises() { q "select count(*) from cobro.promise where account_id = $id"; }
# The field's line: its label, what is typed, and its message beside it.
field() { screen a | grep -E "^$1 " | head -1; }
field_has() { field "$1" | grep -qF -- "$2"; }

app_start a "$(cobro_cmd ana)"
wait_for a "accounts to work" >/dev/null
keys a /
text a "$ref"
keys a Enter
wait_screen a "1 account matches" >/dev/null
keys a Enter
wait_for a "History (newest first)" >/dev/null

# ---- a right-party call offers the promise, one key away
keys a c
wait_screen a "Call outcome" >/dev/null
keys a 1
check "a right-party call, saved, offers p" wait_screen a "Saved: right party. p records a promise to pay"

# ---- p opens the form: the past-due amount, today, one payment
keys a p
check "p opens the promise form" wait_screen a "Promise to pay"
check "the amount is the past-due amount" eventually 3 field_has Amount "$(typed "$past_due")"
check "the first date is the account's today ($today)" field_has "First date" "$today"
check "the key bar names Enter and the fields" line_has a '$' "Next/Save"
keys a '?'
check "? in the amount is help, which lists the form's keys" wait_screen a "Show the next choice of the field"
keys a Escape
check "  and Esc comes back to the form, the amount as it was" eventually 3 field_has Amount "$(typed "$past_due")"

# ---- refused beside the field: not an amount, above the balance, a past date
before=$(promises)
keys a C-u
text a "12x"
check "an amount that is no amount is refused beside it" eventually 3 field_has Amount "Write an amount such as"
keys a C-u
text a "$(typed $((balance + 100)))"
check "one above the balance too, naming the balance" eventually 3 field_has Amount "Above the balance"
keys a C-u
text a "$(typed "$past_due")"
check "the right amount clears the message" eventually 3 bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -E '^Amount ' | grep -q 'Above'"
keys a Tab
keys a C-u
text a "$yesterday"
check "a date gone by is refused beside it, with today" eventually 3 field_has "First date" "That date has passed: today is $today"
for _ in 1 2 3 4 5 6; do keys a Enter; done
check "Enter on the last field does not save it" wait_screen a "Not saved: fix the fields marked"
check "nothing was saved" test "$(promises)" = "$before"

# ---- 3 monthly installments: the schedule on screen, as the database has it
keys a C-u
text a "$today"
keys a Enter # on to the installments
keys a C-u
text a "3"
keys a Enter # on to how often: monthly is the first choice
check "monthly, 3 payments" eventually 3 field_has "How often" "monthly"
amount=$past_due
check "the schedule is shown before saving" wait_screen a "Schedule: 3 payments"
for s in 1 2 3; do
	due=$(q "select due_date from cobro.promise_schedule('$today', 3, 'monthly', $amount) where seq = $s")
	check "  payment $s on $due, as promise_schedule() has it" eventually 3 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -qE '^ +$s\\. +$due '"
done
keys a Enter # discount
keys a Enter # channel
keys a Enter # note
text a "pagará mañana, quincena"
check "the note takes what is typed, q and ñ too" eventually 3 field_has Note "pagará mañana, quincena"
keys a Enter
check "saved at once: within the limits, nothing to ask" wait_screen a "Saved, pending"
pid=$(q "select max(id) from cobro.promise where account_id = $id")
check "one promise more" test "$(promises)" = $((before + 1))
check "  pending, 3 monthly, the amount, given by call, ana's, the note" \
	test "$(q "select p.status || ' ' || p.installments || ' ' || p.frequency || ' ' || p.amount || ' ' || p.channel || ' ' || g.login || ' ' || p.note
	           from cobro.promise p join cobro.agent g on g.id = p.agent_id where p.id = $pid")" = "pending 3 monthly $amount call ana pagará mañana, quincena"
check "  its installments are the schedule shown" \
	test "$(q "select string_agg(i.seq || ' ' || i.due_date || ' ' || i.amount, ', ' order by i.seq) from cobro.promise_installment i where i.promise_id = $pid")" = \
	"$(q "select string_agg(seq || ' ' || due_date || ' ' || amount, ', ' order by seq) from cobro.promise_schedule('$today', 3, 'monthly', $amount)")"
check "  its event, ana's, in the same transaction" \
	test "$(q "select e.kind || ' ' || e.outcome || ' ' || g.login || ' ' || (e.xmin::text = p.xmin::text)
	           from cobro.event e join cobro.agent g on g.id = e.agent_id join cobro.promise p on p.id = (e.data->>'promise')::bigint
	           where e.account_id = $id and e.kind = 'promise' and (e.data->>'promise')::bigint = $pid")" = "promise pending ana true"
check "  the account's next action is the first date plus the grace days" \
	test "$(q "select (next_action_at at time zone 'America/Lima')::date from cobro.account where id = $id")" = "$(q "select date '$today' + 2")"
keys a Escape
check "Esc goes back to the account" wait_screen a "History (newest first)"

# ---- again: the active promise is shown; 7 installments need approval;
# saving asks once for both, and No saves nothing
keys a p
check "the active promise is shown" wait_screen a "Active promise:"
check "and what Enter would do" wait_screen a "replacing the active promise"
keys a Tab
keys a Tab
keys a C-u
text a "7"
check "7 installments: needs approval, beside the field" eventually 3 field_has Installments "Needs approval: more than 6 installments"
check "  and 7 months beyond the 120 days, beside the date" eventually 3 field_has "First date" "Needs approval: over 120 days away"
# A settlement: the amount may not pass the balance less the discount, and
# the discount must be below the balance.
keys a Tab
keys a Tab
keys a C-u
text a "$(typed $((balance - past_due + 100)))"
check "a settlement's amount above the discounted balance is refused beside it" eventually 3 field_has Amount "Above the discounted balance"
keys a C-u
text a "$(typed "$balance")"
check "a discount of the whole balance is refused beside it" eventually 3 field_has Discount "Zero or more, and below the balance"
keys a C-u
text a 0
keys a Up
keys a Up # back on the installments
check "the last line says how it would be saved" wait_screen a "saves it as awaiting approval"
before=$(promises)
for _ in 1 2 3 4 5; do keys a Enter; done
check "saving asks first, naming both" wait_screen a "Needs approval, and replaces the active promise"
keys a 2
check "No: back to the form, nothing saved" wait_screen a "Not saved: change it, or Esc"
check "  nothing written" test "$(promises)" = "$before"
keys a Enter
wait_screen a "Needs approval, and replaces the active promise" >/dev/null
keys a 1
check "Yes: saved awaiting approval" wait_screen a "Saved, awaiting approval"
check "  nothing to confirm to the debtor until a supervisor decides" wait_screen a "a supervisor decides"
new=$(q "select max(id) from cobro.promise where account_id = $id")
check "  awaiting approval, for the horizon and the installments" \
	test "$(q "select status || ' ' || reasons::text from cobro.promise where id = $new")" = "awaiting_approval {horizon,max_installments}"
check "  the one before cancelled, replaced by it" \
	test "$(q "select status || ' ' || replaced_by from cobro.promise where id = $pid")" = "cancelled $new"
check "  both recorded in the history" \
	test "$(q "select string_agg(outcome, ' ' order by id) from cobro.event where account_id = $id and kind = 'promise'
	           and ((data->>'promise')::bigint = $new or ((data->>'promise')::bigint = $pid and outcome = 'cancelled'))")" = "cancelled awaiting_approval"

# ---- a pending one, and c: the send screen with the confirmation chosen
approve() { sql_as sofia "select cobro.promise_approve($new)" >/dev/null; }
check "sofia, ana's supervisor, approves it" approve
keys a Escape
wait_screen a "History (newest first)" >/dev/null
keys a r
keys a p
wait_screen a "Active promise:" >/dev/null
# A date after the day the policy is asked about (COBRO_NOW, which may be
# days after the database's today): the confirmation's promise is pending.
later=$(q "select greatest(date '$today', ('$COBRO_NOW'::timestamptz at time zone 'America/Lima')::date) + 1")
keys a Tab
keys a C-u
text a "$later"
for _ in 1 2 3 4 5 6; do keys a Enter; done
wait_screen a "Replace the active promise?" >/dev/null
keys a 1
check "saved, pending: c is offered" wait_screen a "c sends the debtor the confirmation"
last=$(q "select max(id) from cobro.promise where account_id = $id")
messages() { q "select count(*) from cobro.message where account_id = $id"; }
m=$(messages)
keys a c
check "c opens the send screen" wait_screen a "SMS to "
check "  with the promise's confirmation chosen" wait_screen a "▶ promise_confirmation"
check "  which the policy allows now" wait_screen a "Enter queues it for"
keys a Enter
check "Enter queues it" wait_screen a "Queued"
check "  one message, the confirmation" \
	test "$(q "select count(*) || ' ' || max(template_code) from cobro.message where account_id = $id and id > 0")" = "$((m + 1)) promise_confirmation"
check "  the account shows the promise pending" wait_screen a "History (newest first)"


# ---- the database goes away as the promise is saved: it waits with the
# workstation's saves, kept on disk, and is saved once when it is back
keys a p
wait_screen a "Active promise:" >/dev/null
keys a Tab
keys a C-u
text a "$(q "select date '$later' + 1")"
for _ in 1 2 3 4 5 6; do keys a Enter; done
wait_screen a "Replace the active promise?" >/dev/null
before=$(promises)
"$COBRO_TOP/scripts/pg.sh" stop "$pgdir" >/dev/null 2>&1
keys a 1
check "offline: the promise waits to be saved, and the status line counts it" wait_screen a "1 waiting to be saved"
check "  back on the account" wait_screen a "History (newest first)"
check "  kept on disk at once" bash -c "grep -q '^promise' '$XDG_STATE_HOME/cobro/pending/ana'"
sleep 1
restart_db
check "once the database is back it is saved" eventually 15 bash -c "[ \"\$(psql -X -qAt -U postgres -d cobro -c 'select count(*) from cobro.promise where account_id = $id')\" = $((before + 1)) ]"
check "  once, replacing the one before, and nothing waits" \
	eventually 5 bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -q 'waiting to be saved' && [ \"\$(psql -X -qAt -U postgres -d cobro -c \"select status from cobro.promise where id = $last\")\" = cancelled ]"
check "  the file is gone" bash -c "! test -e '$XDG_STATE_HOME/cobro/pending/ana'"

tm kill-session -t "=a" 2>/dev/null
finish
