#!/usr/bin/env bash
# cobroctl template add, list, show, preview and remove against the test
# cluster's demo portfolio: the shipped templates of etc/templates, files that
# are refused whole, what a collector may do, and SMS segments. The shipped
# templates are left loaded for the suites that follow; what this suite adds
# is named t_* and removed.
. "$(dirname "$0")/tap.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
ctl() { run "$bindir/cobroctl" --database "dbname=cobro" --user "$1" "${@:2}"; }
unset COLUMNS
tpl=$top/etc/templates
shipped="code in ('preventive_reminder', 'overdue_notice', 'promise_confirmation', 'broken_promise',
	'payment_received', 'promise_reminder', 'number_update')"
lines() { printf '%s\n' "$out" | grep -cE "$1"; }
ncode() { q "select count(*) from cobro.template where code = '$1'"; }
nl=$'\n'
# The template's body and subject as the database holds them.
stored() {
	q "select md5(body || '|' || coalesce(subject, '-')) from cobro.template
	   where code = '$1' and channel = '$2' and language = '$3'"
}

# What an interrupted run may have left.
q "delete from cobro.message where body = 't_template test message'" >/dev/null
q "delete from cobro.template where code like 't\_%'" >/dev/null
q "alter table cobro.template drop constraint if exists t_template_refuse" >/dev/null 2>&1

# ------------------------------------------------------------------- add
audit_before=$(q "select coalesce(max(id), 0) from cobro.audit")
ctl admin template add "$tpl"
check "template add DIR stores its 40 files" \
	test "$rc" = 0 -a "$(lines '^(added|replaced) [a-z_]+ \((sms|email|whatsapp), (es|en)\)$')" = 40
first_last=$(printf '%s\n' "$out" | sed -n '1s/^[a-z]* //p;$s/^[a-z]* //p' | tr '\n' ,)
check "in the order of their names" \
	test "$first_last" = "broken_promise (email, en),promise_reminder (whatsapp, es),"
check "all 40 are in the database" test "$(q "select count(*) from cobro.template where $shipped")" = 40
check "the changes are audited" \
	test "$(q "select count(*) from cobro.audit where tbl = 'template' and id > $audit_before")" -ge 40

sms_es="code = 'overdue_notice' and channel = 'sms' and language = 'es'"
id_before=$(q "select id from cobro.template where $sms_es")
q "update cobro.template set updated_at = updated_at - interval '1 day' where id = $id_before" >/dev/null
ctl admin template add "$tpl/overdue_notice.sms.es.tpl"
check "adding a stored template again replaces it" out_is "replaced overdue_notice (sms, es)"
check "keeping its id and setting its update time" \
	test "$(q "select id || ' ' || (updated_at > now() - interval '1 hour') from cobro.template where $sms_es")" = \
	"$id_before true"

# ------------------------------------------------------------------ list
ctl ana template list
check "a collector may list the templates" \
	test "$rc" = 0 -a "$(lines '')" = "$(($(q "select count(*) from cobro.template") + 1))"
check "under a heading" out_starts "CODE "
row='^overdue_notice +sms +es +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}  admin +\{creditor\.name\}: Hola'
check "a row: code, channel, language, updated, by, first line" grep -qE "$row" <<<"$out"
check "cut to 100 columns" test "$(wc -L <<<"$out")" -le 100
COLUMNS=200 ctl ana template list --channel email --language en
check "list --channel --language shows the email subjects (COLUMNS=200)" \
	grep -qE '^overdue_notice +email +en .*admin +Your account \{account\.reference\} is past due$' <<<"$out"
check "and only those" test "$(lines ' email +en ')" = "$(($(lines '') - 1))"
ctl ana template list --channel letter
check "an empty list says so and exits 0" test "$rc" = 0 -a "$out" = "no templates (letter)"
ctl ana template list --channel fax
check "an unknown channel is a usage error" \
	eval 'test "$rc" = 2 && err_has "--channel is sms, email, whatsapp or letter"'

# ------------------------------------------------------------------ show
ctl ana template show overdue_notice --channel email --language es
printf '%s\n' "$out" >"$scratch/shown.tpl"
check "show prints the file without its comments" \
	diff <(awk 'body || !/^#/ { body = 1; print }' "$tpl/overdue_notice.email.es.tpl") "$scratch/shown.tpl"
before=$(stored overdue_notice email es)
ctl admin template add "$scratch/shown.tpl"
check "what show prints adds back" out_is "replaced overdue_notice (email, es)"
check "as the same subject and body" test "$(stored overdue_notice email es)" = "$before"
ctl ana template show overdue_notice --channel email --language es
check "and shows the same, byte for byte" diff <(printf '%s\n' "$out") "$scratch/shown.tpl"

ctl ana template show overdue_notice
check "show CODE prints its 6 templates" test "$rc" = 0 -a "$(lines '^code: overdue_notice$')" = 6
check "with --- between them" test "$(lines '^---$')" = 5
mkdir -p "$scratch/parts"
printf '%s\n' "$out" | awk -v dir="$scratch/parts" '/^---$/ { n++; next } { print > (dir "/part" n ".tpl") }'
ctl admin template add "$scratch/parts"
check "each piece between the --- lines is a file add takes" \
	test "$rc" = 0 -a "$(lines '^replaced overdue_notice ')" = 6
ctl ana template show no_such_template
check "show of an unknown template exits 1" \
	eval 'test "$rc" = 1 && err_is "cobroctl: no template no_such_template"'
ctl ana template show overdue_notice --channel letter
check "also when only the channel does not match" \
	eval 'test "$rc" = 1 && err_is "cobroctl: no template overdue_notice (letter)"'

# -------------------------------------------------------- refused files
mkdir -p "$scratch/bad"
printf '# fine\ncode: t_good\nchannel: sms\nlanguage: es\n\nHola {debtor.first_name}\n' >"$scratch/bad/a_good.tpl"
printf 'code: t_typo\nchannel: sms\nlanguage: es\n\nHola,\nHola {debtor.firstname}, pague.\n' \
	>"$scratch/bad/b_typo.tpl"
typo_err="$scratch/bad/b_typo.tpl:6:6: unknown placeholder {debtor.firstname}; did you mean {debtor.first_name}?"
none_stored() { test "$(q "select count(*) from cobro.template where code like 't\_%'")" = 0; }

ctl admin template add "$scratch/bad/b_typo.tpl"
check "an unknown placeholder is refused with file:line:column and a suggestion" \
	eval 'test "$rc" = 1 && err_has_line "$typo_err"'
check "and nothing was stored" eval 'test -z "$out" && err_has_line "cobroctl: nothing was stored" && none_stored'
ctl admin template add "$scratch/bad/a_good.tpl" "$scratch/bad/b_typo.tpl"
check "when the second of two files is wrong, the first is not stored either" \
	eval 'test "$rc" = 1 -a -z "$out" && err_has_line "$typo_err" && none_stored'
ctl admin template add "$scratch/bad"
check "nor when they come from a directory" eval 'test "$rc" = 1 && err_has_line "$typo_err" && none_stored'

printf 'code: t_nosubject\nchannel: email\nlanguage: en\n\nDear {debtor.name},\n' >"$scratch/nosubject.tpl"
ctl admin template add "$scratch/nosubject.tpl"
check "an email without a subject is refused" eval 'test "$rc" = 1 &&
	err_has_line "$scratch/nosubject.tpl:4: an email template needs a \"subject:\" line" && none_stored'
# Issue 15, line 4: a template states the facts it needs, from a closed set.
printf 'code: t_facts\nchannel: sms\nlanguage: en\nrequires: promise_broken overdue\n\nHi\n' >"$scratch/facts.tpl"
ctl admin template add "$scratch/facts.tpl"
check "an unknown fact in requires: is refused with file:line" eval 'test "$rc" = 1 &&
	err_has_line "$scratch/facts.tpl:4: requires: unknown fact \"overdue\"; the facts are past_due, not_due, promise_pending, promise_broken, promise_kept, payment" && none_stored'
printf 'code: t_facts\nchannel: sms\nlanguage: en\nrequires: promise_broken, past_due\n\nHi\n' >"$scratch/facts.tpl"
ctl admin template add "$scratch/facts.tpl"
check "the facts are stored with the template" \
	test "$(q "select array_to_string(requires, ' ') from cobro.template where code = 't_facts'")" = "past_due promise_broken"
ctl ana template show t_facts
check "and shown in the .tpl format" out_starts "code: t_facts${nl}channel: sms${nl}language: en${nl}requires: past_due promise_broken${nl}${nl}Hi"
ctl admin template remove t_facts
ctl admin template add "$scratch/bad/a_good.tpl" "$scratch/bad/a_good.tpl"
check "the same template twice in one add is refused" \
	eval 'test "$rc" = 1 && err_has "the same template as" && none_stored'

# Issue 14, line 9: a bare CR in an email subject (every later send failed),
# ESC and BEL in an SMS body, and a FIFO that hung the command. Each is
# refused with FILE:LINE:COLUMN (or FILE: what it is), and nothing stored; a
# hang fails here through timeout (exit 124), not the suite's time.
ctl_t() { run timeout 10 "$bindir/cobroctl" --database "dbname=cobro" --user "$1" "${@:2}"; }
printf 'code: t_cr\nchannel: email\nlanguage: en\nsubject: Hello\rBcc: x@evil.example\n\nBody\n' >"$scratch/cr.tpl"
ctl_t admin template add "$scratch/cr.tpl"
check "a bare CR in an email subject is refused with file:line:column" eval 'test "$rc" = 1 &&
	err_has_line "$scratch/cr.tpl:4:15: control character U+000D (carriage return): a carriage return is allowed only before a line feed" &&
	none_stored'
printf 'code: t_esc\nchannel: sms\nlanguage: es\n\nHola \033[31mrojo\a\n' >"$scratch/esc.tpl"
ctl_t admin template add "$scratch/esc.tpl"
check "ESC in an SMS body is refused, and not echoed to the terminal" eval 'test "$rc" = 1 &&
	err_has_line "$scratch/esc.tpl:5:6: control character U+001B (escape): a template is printable text" &&
	[[ "$err" != *$'"'"'\033'"'"'* ]] && none_stored'
printf 'code: t_bel\nchannel: sms\nlanguage: es\n\nHola\a\n' >"$scratch/bel.tpl"
ctl_t admin template add "$scratch/bel.tpl"
check "and BEL" eval 'test "$rc" = 1 &&
	err_has_line "$scratch/bel.tpl:5:5: control character U+0007 (bell): a template is printable text" && none_stored'
mkfifo "$scratch/fifo.tpl"
ctl_t admin template add "$scratch/fifo.tpl"
check "a FIFO is refused at once, not waited on" eval 'test "$rc" = 1 &&
	err_has_line "cobroctl: $scratch/fifo.tpl: a FIFO, not a regular file" && none_stored'
mkdir -p "$scratch/withfifo"
cp "$scratch/bad/a_good.tpl" "$scratch/withfifo/"
mkfifo "$scratch/withfifo/b_fifo.tpl"
ctl_t admin template add "$scratch/withfifo"
check "also when a directory holds it, and nothing of the directory is stored" eval 'test "$rc" = 1 &&
	err_has_line "cobroctl: $scratch/withfifo/b_fifo.tpl: a FIFO, not a regular file" && none_stored'
ctl_t admin template add /dev/zero
check "a device is refused without reading it" eval 'test "$rc" = 1 &&
	err_has_line "cobroctl: /dev/zero: a character device, not a regular file" && none_stored'

# A refusal by the database itself, on the second of two templates, undoes
# the first: all of them go in one transaction.
printf 'code: t_refused\nchannel: sms\nlanguage: en\n\nHello\n' >"$scratch/refused.tpl"
q "alter table cobro.template add constraint t_template_refuse check (code <> 't_refused') not valid" >/dev/null
ctl admin template add "$scratch/bad/a_good.tpl" "$scratch/refused.tpl"
q "alter table cobro.template drop constraint t_template_refuse" >/dev/null
check "a template the database refuses undoes the whole add" eval 'test "$rc" = 1 -a -z "$out" &&
	err_has "t_template_refuse" && err_has_line "cobroctl: nothing was stored" && none_stored'

# ------------------------------------------------------------ collectors
updated() { q "select updated_at from cobro.template where $sms_es"; }
before=$(updated)
ctl ana template add "$tpl/overdue_notice.sms.es.tpl"
check "a collector may not add templates, and is told why" eval 'test "$rc" = 1 &&
	err_has_line "cobroctl: template add: only an administrator may change templates (ana is not one)"'
check "and nothing changed" test "$(updated)" = "$before"
ctl ana template remove overdue_notice
check "nor remove them" eval 'test "$rc" = 1 &&
	err_has_line "cobroctl: template remove: only an administrator may change templates (ana is not one)" &&
	test "$(ncode overdue_notice)" = 6'

# --------------------------------------------------------------- preview
ctl ana template preview overdue_notice --channel sms --language es
check "preview renders the SMS with sample data" eval 'test "$rc" = 0 &&
	grep -qF "Hola Maximiliano Alejandro, su cuenta tiene un saldo vencido de S/ 987,654.32." <<<"$out"'
check "and says its encoding and segments" grep -qx "encoding: GSM-7, 2 segments (153 per segment)" <<<"$out"
check "and that it is within the limit" \
	grep -qx "limit: within the limit of 3 segments (sms.max_segments)" <<<"$out"
printf 'sms = { max_segments = 1; };\n' >"$scratch/cobro.conf"
run "$bindir/cobroctl" --config "$scratch/cobro.conf" --database dbname=cobro --user ana \
	template preview overdue_notice --channel sms --language es
check "over sms.max_segments it says so and exits 1" eval 'test "$rc" = 1 &&
	grep -qx "limit: exceeds the limit of 1 segment (sms.max_segments): it would not be sent" <<<"$out"'

printf 'code: t_ucs2\nchannel: sms\nlanguage: es\n\nAtención {debtor.first_name}: su cuenta está vencida.\n' \
	>"$scratch/ucs2.tpl"
ctl admin template add "$scratch/ucs2.tpl"
ctl ana template preview t_ucs2 --channel sms --language es
check "an SMS with an accent outside GSM-7 is UCS-2" eval 'test "$rc" = 0 &&
	grep -qx "encoding: UCS-2, 1 segment (70 per segment)" <<<"$out"'

# Issue 15, line 14: 65 characters, a thumb with its skin tone (4 UTF-16
# units, one character to the reader), 64 more. Split inside the thumb it
# would fit 2 segments (67 + 66); whole, it opens the second, and the text
# takes 3.
printf 'code: t_thumb\nchannel: sms\nlanguage: es\n\n%s\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd%s\n' \
	'Hola, le escribimos de Cobranzas Andinas por su cuota de este mes' \
	' gracias por su pago puntual; su siguiente cuota vence el 30/12.' >"$scratch/thumb.tpl"
ctl admin template add "$scratch/thumb.tpl"
ctl ana template preview t_thumb --channel sms --language es
check "an emoji with its skin tone at a segment boundary is not split: 3 segments, not 2" eval 'test "$rc" = 0 &&
	grep -qx "encoding: UCS-2, 3 segments (67 per segment)" <<<"$out" &&
	grep -qx "length: 131 characters, 133 UTF-16 units, 66 left in the last segment" <<<"$out"'
ctl admin template remove t_thumb

ctl ana template preview overdue_notice --channel email --language en
check "an email preview starts with its subject" eval 'test "$rc" = 0 &&
	out_starts "subject: Your account LCS-US-000123456 is past due${nl}${nl}Dear Christopher Alexander"'
ctl ana template preview overdue_notice --channel sms
check "preview needs the channel and the language" test "$rc" = 2
ctl ana template preview no_such_template --channel sms --language es
check "preview of an unknown template exits 1" \
	eval 'test "$rc" = 1 && err_has "no template no_such_template (sms, es)"'

# A Spanish-speaking debtor of ana's with a past-due amount in soles.
IFS='|' read -r ref first money < <(q "select a.reference, d.first_name,
	'S/ ' || to_char(a.past_due / 100.0, 'FM999,999,999,990.00')
	from cobro.account a join cobro.debtor d on d.id = a.debtor_id join cobro.agent g on g.id = a.agent_id
	join cobro.creditor c on c.id = a.creditor_id
	where g.login = 'ana' and a.currency = 'PEN' and a.past_due > 0 and d.language = 'es'
	  and c.pay_link is not null
	order by a.id limit 1")
ctl ana template preview overdue_notice --channel sms --language es --account "$ref"
check "preview --account $ref renders the debtor's first name ($first)" eval 'test "$rc" = 0 -a -n "$ref" &&
	grep -qF "Hola $first, su cuenta" <<<"$out"'
check "and the past-due amount in the account's currency ($money)" grep -qF "saldo vencido de $money." <<<"$out"
check "and its payment link" grep -qF "$ref o responder" <<<"$out"

noprom=$(q "select a.reference from cobro.account a join cobro.agent g on g.id = a.agent_id
	where g.login = 'ana' and not exists (select 1 from cobro.promise p where p.account_id = a.id)
	order by a.id limit 1")
ctl ana template preview promise_confirmation --channel sms --language es --account "$noprom"
check "data the account lacks is refused with the reason" eval 'test "$rc" = 1 &&
	err_has "{promise.amount}: the account has no promise to pay"'
ctl ana template preview overdue_notice --channel sms --language es --account NO-SUCH-REF
check "an account that does not exist (or is not theirs) is an error" eval 'test "$rc" = 1 &&
	err_has "no account NO-SUCH-REF (or not one you may see)"'

# ---------------------------------------------------------------- remove
ctl admin template remove t_ucs2
check "remove prints how many" eval 'test "$rc" = 0 -a "$out" = "removed 1 template" -a "$(ncode t_ucs2)" = 0'

# A template that messages were sent from may go: they keep their text.
ctl admin template add "$scratch/bad/a_good.tpl"
q "insert into cobro.message (debtor_id, channel, recipient, body, template_id, template_code, status)
	select d.id, 'sms', '+51999999999', 't_template test message', t.id, t.code, 'sent'
	from cobro.debtor d, cobro.template t where t.code = 't_good' order by d.id limit 1" >/dev/null
# One the strategy in force sends may not (tests/cli/test_strategy_load.sh,
# in a database of its own: the shared demo's strategy stays as it is).
ctl admin template remove t_good --channel sms --language es
check "a template messages were sent from is removed" test "$rc" = 0 -a "$out" = "removed 1 template"
check "and the message keeps its text and code" test "$(q "select template_id is null, template_code, body
	from cobro.message where body = 't_template test message'")" = "t|t_good|t_template test message"
q "delete from cobro.message where body = 't_template test message'" >/dev/null

ctl admin template remove overdue_notice --channel whatsapp --language en
check "remove --channel --language removes one" test "$rc" = 0 -a "$out" = "removed 1 template"
ctl admin template remove overdue_notice
check "remove CODE removes the rest of the code" \
	eval 'test "$rc" = 0 -a "$out" = "removed 5 templates" -a "$(ncode overdue_notice)" = 0'
ctl admin template remove overdue_notice
check "removing what is not there exits 1" \
	eval 'test "$rc" = 1 && err_has_line "cobroctl: no template overdue_notice"'
ctl admin template remove no_such_template --channel sms
check "also for an unknown code" \
	eval 'test "$rc" = 1 && err_has_line "cobroctl: no template no_such_template (sms)"'

# The shipped templates stay for the suites that follow.
ctl admin template add "$tpl"
check "the shipped templates are loaded again" test "$rc" = 0 -a "$(lines '^added overdue_notice ')" = 6 -a \
	"$(q "select count(*) from cobro.template where $shipped")" = 40
check "and nothing of this suite's is left" none_stored

finish
