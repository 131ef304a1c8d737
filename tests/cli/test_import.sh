#!/usr/bin/env bash
# Issue 16, lines 4 to 6, 9 and 10: cobroctl import accounts and import
# payments against the shared database. A CSV full of bad rows, each one
# named FILE:LINE: column: what; a BOM, CRLF, columns in another order,
# quoted commas, quotes and line breaks; --dry-run and --strict changing
# nothing; the rejects file; a re-import that is all duplicates; a queued
# overdue notice refused once the debt is paid; imports refused to anyone
# but an administrator; a progress bar only on a terminal; and an import
# killed half-way leaving nothing. Accounts and payments are this suite's
# own (references IMPCLI-*).
. "$(dirname "$0")/tap.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
ctl() { run "$bindir/cobroctl" --database "dbname=cobro" --user "$1" "${@:2}"; }
anchor=${COBRO_TEST_ANCHOR:-$(date -u +%F)}
late=$(date -u -d "$anchor - 40 days" +%F)
d=$scratch

# ------------------------------------------------------------------ accounts
# Columns in another order, a BOM, CRLF; line 3's name has a quoted comma
# and quotes; line 4's product runs over two lines (refused: a product has
# no line break), so the record after it starts on line 6.
{
	printf '\xEF\xBB\xBF'
	printf 'reference,national_id,debtor_name,mobile,email,jurisdiction,time_zone,language,creditor,product,currency,balance,past_due,due_date,segment,score,agent\r\n'
	printf 'IMPCLI-1,IMPCLI-N1,Rosa Quispe,987 654 321,Rosa.Quispe@Example.COM,PE,America/Lima,es,banco-andino,card,PEN,1500.00,500.00,%s,standard,600,ana\r\n' "$late"
	printf 'IMPCLI-2,IMPCLI-N2,"Pérez, Ana ""la jefa""",,,PE,America/Lima,es,banco-andino,loan,PEN,300,0,,early,,ana\r\n'
	printf 'IMPCLI-3,IMPCLI-N3,Two Lines,,,PE,America/Lima,es,banco-andino,"card\r\nplus",PEN,10,0,,standard,500,ana\r\n'
	printf 'IMPCLI-4,IMPCLI-N4,After Two,,,PE,America/Lima,es,banco-andino,card,PEN,20.5,0,,standard,500,ana\r\n'
	printf 'IMPCLI-5,IMPCLI-N5,Wrong Types,12,x@y,PE,America/Atlantis,xx,nobody,card,PEN,-1,abc,2026-02-30,Bad Seg,2000,zed\r\n'
	printf '\r\n'
	printf 'IMPCLI-6,IMPCLI-N6,Bad \xff\xfe Name,,,PE,America/Lima,es,banco-andino,card,PEN,1,0,,standard,500,ana\r\n'
	printf 'IMPCLI-7,IMPCLI-N7,Too Few,,,PE\r\n'
	printf 'IMPCLI-8,IMPCLI-N8,No Agent,,,PE,America/Lima,es,banco-andino,card,PEN,1,0,,standard,500,\r\n'
	printf 'IMPCLI-9,IMPCLI-N9,"Open quote,,,PE,America/Lima,es,banco-andino,card,PEN,1,0,,standard,500,ana\r\n'
	printf 'IMPCLI-10,IMPCLI-N10,Never Read,,,PE,America/Lima,es,banco-andino,card,PEN,1,0,,standard,500,ana\r\n'
} >"$d/accounts.csv"
f=$d/accounts.csv

ctl admin import accounts --dry-run "$f"
check "accounts --dry-run: exit 3 (rows rejected), nothing made" \
	test "$rc" = 3 -a "$(q "select count(*) from cobro.account where reference like 'IMPCLI-%'")" = 0
check "  it says so" out_is "$f: 10 read, 3 would be applied, 0 duplicates, 7 rejected
dry run: nothing was changed"
check "  and writes no rejects file" test ! -e "$f.rejects"
check "line 4: a line break in a quoted field is read, and refused in a product" \
	err_has_line "$f:4: product: has a line break or another control character"
check "line 7: wrong values, each column named" \
	err_has_line "$f:7: time_zone: \"America/Atlantis\" is not a time zone (such as America/Lima)"
check "  language" err_has_line "$f:7: language: \"xx\" is not a language cobro speaks (es, en)"
check "  a negative balance" err_has_line "$f:7: balance: \"-1\" is negative"
check "  a past due amount that is no amount" err_has_line "$f:7: past_due: \"abc\" is not an amount such as 1234.50 (a dot for decimals, no separators)"
check "  2026-02-30" err_has_line "$f:7: due_date: \"2026-02-30\": that day does not exist (2026-02 has 28 days)"
check "  a segment" err_has_line "$f:7: segment: \"Bad Seg\" is not a code (lower case letters, digits, _ and -; at most 32)"
check "  a score out of range" err_has_line "$f:7: score: \"2000\" is not a whole number from 0 to 1000"
check "  a phone that cannot be normalised" err_has "$f:7: mobile: \"12\": "
check "  an email" err_has_line "$f:7: email: \"x@y\": the domain is not a domain such as example.com"
check "  an unknown creditor (one query)" err_has_line "$f:7: creditor: no creditor \"nobody\""
check "  an unknown agent" err_has_line "$f:7: agent: no agent \"zed\""
check "line 8: an empty line" err_has_line "$f:8: record: an empty line"
check "line 9: invalid UTF-8" err_has_line "$f:9: debtor_name: is not valid UTF-8"
check "line 10: a missing column" err_has_line "$f:10: record: 6 fields, the header has 17"
check "line 11: a new account with no agent" \
	err_has_line "$f:11: agent: empty, and a new account needs an agent (or --team)"
check "line 12: an unterminated quote, to the end of the file" \
	err_has_line "$f:12: debtor_name: an unterminated quote: the quoted field runs to the end of the file"
check "  every fault in line order, nothing more" \
	test "$(printf '%s\n' "$err" | sed "s|^$f:||" | cut -d: -f1 | tr '\n' ' ')" = "4 7 7 7 7 7 7 7 7 7 7 7 8 9 10 11 12 "

ctl admin import accounts --strict "$f"
check "accounts --strict with bad rows: exit 3 and nothing made" \
	test "$rc" = 3 -a "$(q "select count(*) from cobro.account where reference like 'IMPCLI-%'")" = 0
check "  it says why" err_has_line "$f:7: balance: \"-1\" is negative"
check "  the summary says nothing was applied" \
	test "$(printf '%s\n' "$out" | tail -n 1)" = "--strict: nothing was applied, as 7 rows were rejected"

ctl admin import accounts "$f"
check "accounts: the good rows applied, exit 3 for the rejected" test "$rc" = 3
check "  summary: read, applied, duplicates, rejected; created; the rejects file" \
	out_is "$f: 10 read, 3 applied, 0 duplicates, 7 rejected (3 created, 0 updated, 0 unchanged, 0 closed; 3 new debtors); rejected rows in $f.rejects"
check "  the accounts" test "$(q "select string_agg(reference || ' ' || balance || ' ' || past_due || ' ' || coalesce(oldest_due::text, '-'), ', ' order by reference) from cobro.account where reference like 'IMPCLI-%'")" = \
	"IMPCLI-1 150000 50000 $late, IMPCLI-2 30000 0 -, IMPCLI-4 2050 0 -"
check "  a quoted comma and quotes in a name" \
	test "$(q "select d.name from cobro.debtor d join cobro.account a on a.debtor_id = d.id where a.reference = 'IMPCLI-2'")" = 'Pérez, Ana "la jefa"'
check "  the mobile in E.164, the email in lower case" \
	test "$(q "select string_agg(kind || ' ' || value, ', ' order by kind) from cobro.contact_point c join cobro.account a using (debtor_id) where a.reference = 'IMPCLI-1'")" = \
	"email rosa.quispe@example.com, mobile +51987654321"
# The rejects file: the header, then each refused record as it was (its
# every line), but the empty line.
{
	sed -n '1p;4,5p;7p;9,13p' "$f"
} >"$d/expected.rejects"
check "  the rejects file holds the header and the rejected records as they were" \
	cmp -s "$f.rejects" "$d/expected.rejects"

ctl admin import accounts --rejects "$d/again.rejects" "$f"
check "the same file again: nothing created, nothing changed" \
	test "$rc" = 3 -a "$(q "select count(*) from cobro.account where reference like 'IMPCLI-%'")" = 3
check "  summary" out_is "$f: 10 read, 3 applied, 0 duplicates, 7 rejected (0 created, 0 updated, 3 unchanged, 0 closed; 0 new debtors); rejected rows in $d/again.rejects"

ctl admin import accounts --rejects "$f" "$f"
check "the rejects file is never the file imported" \
	test "$rc" = 1 -a "$err" = "cobroctl: $f: the rejects file would overwrite the file imported"

printf 'reference,debtor_name\nX,Y\n' >"$d/short.csv"
ctl admin import accounts "$d/short.csv"
check "a header without a required column: exit 1, FILE:1: header: what" \
	test "$rc" = 1 -a "$err" = "cobroctl: $d/short.csv:1: header: missing column \"national_id\""
printf 'reference,amount,paid_at,method,external_id,amount\n' >"$d/twice.csv"
ctl admin import payments "$d/twice.csv"
check "a column twice" test "$rc" = 1 -a "$err" = "cobroctl: $d/twice.csv:1: header: column \"amount\" appears twice"
printf 'reference,amount,paid_at,method,external_id,bank\n' >"$d/unknown.csv"
ctl admin import payments "$d/unknown.csv"
check "an unknown column" test "$rc" = 1 -a "$err" = "cobroctl: $d/unknown.csv:1: header: unknown column \"bank\""

# ------------------------------------------------------------------ payments
# An overdue notice queued for IMPCLI-1, and one reminder that needs nothing.
tpl=$(q "insert into cobro.template (code, channel, language, body, requires) values ('impcli_overdue', 'sms', 'es', 'Debe', '{past_due}') returning id")
tpl2=$(q "insert into cobro.template (code, channel, language, body) values ('impcli_hello', 'sms', 'es', 'Hola') returning id")
msg=$(q "insert into cobro.message (account_id, debtor_id, contact_point_id, channel, recipient, body, template_id)
         select a.id, a.debtor_id, c.id, 'sms', c.value, 'Debe', $tpl from cobro.account a
         join cobro.contact_point c on c.debtor_id = a.debtor_id and c.kind = 'mobile' where a.reference = 'IMPCLI-1' returning id")
msg2=$(q "insert into cobro.message (account_id, debtor_id, contact_point_id, channel, recipient, body, template_id)
          select a.id, a.debtor_id, c.id, 'sms', c.value, 'Hola', $tpl2 from cobro.account a
          join cobro.contact_point c on c.debtor_id = a.debtor_id and c.kind = 'mobile' where a.reference = 'IMPCLI-1' returning id")
{
	printf 'external_id,reference,amount,paid_at,method\n'
	printf 'IMPCLI-P1,IMPCLI-1,200.00,%sT10:00:00-05:00,transfer\n' "$late"
	printf 'IMPCLI-P2,IMPCLI-1,-5.00,%s,cash\n' "$late"
	printf 'IMPCLI-P3,IMPCLI-404,5.00,%s,cash\n' "$late"
	printf 'IMPCLI-P4,IMPCLI-1,12.345,%s,cash\n' "$late"
	printf 'IMPCLI-P5,IMPCLI-1,five,2026-02-30,cash\n'
	printf 'IMPCLI-P1,IMPCLI-2,1.00,%s,cash\n' "$late"
	printf 'IMPCLI-P6,IMPCLI-1,1300.00,%s,cash\n' "$late"
} >"$d/payments.csv"
p=$d/payments.csv
before=$(q "select count(*) from cobro.payment")
ctl admin import payments --dry-run "$p"
check "payments --dry-run: nothing written" test "$rc" = 3 -a "$(q "select count(*) from cobro.payment")" = "$before"
check "  a negative amount" err_has_line "$p:3: amount: \"-5.00\" is negative"
check "  an unknown reference, found by one query" err_has_line "$p:4: reference: no account \"IMPCLI-404\""
check "  more decimals than the account's currency" err_has_line "$p:5: amount: \"12.345\" has more than 2 decimals"
check "  wrong types" err_has_line "$p:6: amount: \"five\" is not an amount such as 1234.50 (a dot for decimals, no separators)"
check "  2026-02-30" err_has_line "$p:6: paid_at: \"2026-02-30\": that day does not exist (2026-02 has 28 days)"
check "  the same external id twice in a file" err_has_line "$p:7: external_id: \"IMPCLI-P1\" is the external id of line 2 too"
check "  summary" out_is "$p: 7 read, 2 would be applied, 0 duplicates, 5 rejected
dry run: nothing was changed"

ctl admin import payments "$p"
check "payments: applied, exit 3 for the rejected" test "$rc" = 3
check "  summary" out_is "$p: 7 read, 2 applied, 0 duplicates, 5 rejected (1 account; 1 queued message refused as no longer true); rejected rows in $p.rejects"
check "  IMPCLI-1 paid off" \
	test "$(q "select balance || ' ' || past_due || ' ' || status from cobro.account where reference = 'IMPCLI-1'")" = "0 0 paid"
check "  a payment event each" \
	test "$(q "select count(*) from cobro.event e join cobro.account a on a.id = e.account_id where a.reference = 'IMPCLI-1' and e.kind = 'payment'")" = 2
check "  the queued overdue notice is refused, with its reason" \
	test "$(q "select status || ' ' || refused_rule || ': ' || error from cobro.message where id = $msg")" = \
	'refused payment: a payment made the template'"'"'s fact "past_due" untrue'
check "  a message whose facts still hold stays queued" \
	test "$(q "select status from cobro.message where id = $msg2")" = queued
check "  the rejects file" test "$(cat "$p.rejects")" = "$(sed -n '1p;3,7p' "$p")"

after=$(q "select count(*) from cobro.payment")
ctl admin import payments "$p"
check "the same payments again: duplicates, nothing changes" \
	test "$rc" = 3 -a "$(q "select count(*) from cobro.payment")" = "$after"
check "  summary" out_is "$p: 7 read, 0 applied, 2 duplicates, 5 rejected (0 accounts; 0 queued messages refused as no longer true); rejected rows in $p.rejects"
printf 'reference,amount,paid_at,method,external_id\nIMPCLI-2,300,%s,cash,IMPCLI-P9\n' "$late" >"$d/clean.csv"
ctl admin import payments --strict "$d/clean.csv"
check "a clean file: exit 0, no rejects file" test "$rc" = 0 -a ! -e "$d/clean.csv.rejects"
check "  summary" out_is "$d/clean.csv: 1 read, 1 applied, 0 duplicates, 0 rejected (1 account; 0 queued messages refused as no longer true)"

# ------------------------------------------------------------------ who may
denied() { [ "$rc" = 1 ] && [[ $err == *"only an administrator may import files; nothing was applied (permission denied for function import_stage)"* ]]; }
for who in ana sofia marta; do
	ctl "$who" import payments "$d/clean.csv"
	check "$who cannot import payments (the database refuses)" denied
	ctl "$who" import accounts "$f"
	check "$who cannot import accounts" denied
done

# ------------------------------------------------------------------ progress
run script -qec "$bindir/cobroctl --database dbname=cobro --user admin import payments $p" /dev/null
bar() { [ "$rc" = 3 ] && [[ $out == *"reading ["*"100%"* ]]; }
check "on a terminal, a progress bar" bar
ctl admin import payments "$p"
check "  and none when stderr is no terminal" err_lacks "reading ["

# ------------------------------------------------------------------ bulk
# Above a thousand rows the row triggers stand aside for the transaction
# (functions/import.sql, import_bulk()): what they would have written is
# written once.
awk 'BEGIN { print "reference,amount,paid_at,method,external_id";
             for (i = 0; i < 2000; i++) printf "IMPCLI-4,0.01,2026-01-01,cash,IMPCLI-B%d\n", i }' >"$d/bulk.csv"
audits=$(q "select count(*) from cobro.audit")
ctl admin import payments "$d/bulk.csv"
check "2,000 payments at once" test "$rc" = 0 -a "$(q "select count(*) from cobro.payment where external_id like 'IMPCLI-B%'")" = 2000
check "  the balance down by 20.00" test "$(q "select balance from cobro.account where reference = 'IMPCLI-4'")" = 50
check "  an event each" test "$(q "select count(*) from cobro.event where kind = 'payment' and data->>'external_id' like 'IMPCLI-B%'")" = 2000
check "  the workstations hear of the account" \
	test "$(q "select count(*) from cobro.change_log l join cobro.account a on a.id = l.account_id where a.reference = 'IMPCLI-4'")" -ge 1
check "  one audit line for the import, with its digest, not one a payment" \
	test "$(q "select count(*) from cobro.audit")" -le $((audits + 3)) -a \
	"$(q "select count(*) from cobro.audit where tbl = 'import_run' and new->>'file' = '$d/bulk.csv' and new->>'digest' is not null")" = 1
check "  and every trigger on again" test "$(q "select count(*) from pg_trigger where tgenabled = 'D' and tgrelid::regclass::text like 'cobro.%'")" = 0
# What account_derive() keeps (functions/account_derived.sql), written by
# the bulk statements themselves while it stands aside: the rank of the
# balance, score and oldest date as of today, and whether it is worked.
derived_wrong() { # the accounts matching $1 whose derived columns are not the trigger's
	q "select count(*) from cobro.account a join cobro.debtor d on d.id = a.debtor_id
	   where a.reference like '$1' and (a.rank_day is distinct from current_date
	      or a.rank_value <> cobro.rank_value(a.balance, a.score, a.oldest_due, current_date,
	                                          (select dpd_decay from cobro.priority_setting))
	      or a.workable <> (a.status = 'active' and d.state = 'active'))"
}
ctl admin import payments "$d/bulk.csv"
check "  the same 2,000 again: all duplicates, nothing changed" \
	test "$rc" = 0 -a "$(q "select count(*) from cobro.payment where external_id like 'IMPCLI-B%'")" = 2000 -a \
	"$(q "select balance from cobro.account where reference = 'IMPCLI-4'")" = 50
check "    and said so" \
	out_is "$d/bulk.csv: 2000 read, 0 applied, 2000 duplicates, 0 rejected (0 accounts; 0 queued messages refused as no longer true)"
# The duplicates are staged and joined with the rest (one pass for the
# counts), so none of them may reach the statements that write.
# A report that applies nothing looks the external ids up itself (an
# import that applies has import_payments() count them).
ctl admin import payments --dry-run "$d/bulk.csv"
check "    and a dry run of them says they are duplicates" test "$rc" = 0 -a "$out" = "$d/bulk.csv: 2000 read, 0 would be applied, 2000 duplicates, 0 rejected
dry run: nothing was changed"
check "    and no event, no overpaid line for them" \
	test "$(q "select count(*) from cobro.event where kind = 'payment' and data->>'external_id' like 'IMPCLI-B%'")" = 2000 -a \
	"$(q "select count(*) from cobro.event e join cobro.account a on a.id = e.account_id
	      where a.reference = 'IMPCLI-4' and e.kind = 'payment' and e.outcome = 'overpaid'")" = 0
check "  the account paid is ranked anew, as its trigger would" test "$(derived_wrong IMPCLI-4)" = 0 -a \
	"$(q "select rank_value > 0 from cobro.account where reference = 'IMPCLI-4'")" = t

# 1,500 accounts at once: new debtors, and two accounts of known debtors
# (IMPCLI-N1's, who gets a second mobile; IMPCLI-N2's, who may not be
# contacted for now, so that account is not worked). A team of their own
# and no agent, so that nobody's worklist changes for the suites after.
q "insert into cobro.team (code, name) values ('impcli', 'Import CLI')" >/dev/null
q "update cobro.debtor set state = 'cease' where national_id = 'IMPCLI-N2'" >/dev/null
awk -v late="$late" 'BEGIN {
	print "reference,debtor_name,national_id,mobile,email,jurisdiction,time_zone,language,creditor,product,currency,balance,past_due,due_date,segment,score"
	print "IMPCLI-RK1,Rosa Quispe,IMPCLI-N1,987 000 111,,PE,America/Lima,es,banco-andino,loan,PEN,70.00,0,,standard,300"
	print "IMPCLI-RK2,Ana Perez,IMPCLI-N2,,,PE,America/Lima,es,banco-andino,loan,PEN,80.00,0,,standard,300"
	for (i = 0; i < 1498; i++)
		printf "IMPCLI-R%d,Bulk %d Debtor,IMPCLI-RN%d,987%06d,bulk%d@example.com,PE,America/Lima,es,banco-andino,card,PEN,%d.50,%s,%s,standard,%d\n",
			i, i, i, i, i, 100 + i, i % 3 ? "0" : "10.00", i % 3 ? "" : late, i % 500
}' >"$d/bulk-accounts.csv"
ctl admin import accounts --team impcli "$d/bulk-accounts.csv"
check "1,500 accounts at once" test "$rc" = 0 -a "$(q "select count(*) from cobro.account where reference like 'IMPCLI-R%'")" = 1500
check "  1,498 new debtors, the known ones found by national id" \
	out_is "$d/bulk-accounts.csv: 1500 read, 1500 applied, 0 duplicates, 0 rejected (1500 created, 0 updated, 0 unchanged, 0 closed; 1498 new debtors)"
check "  each ranked and worked as its trigger would" test "$(derived_wrong 'IMPCLI-R%')" = 0
check "  one not worked: its debtor may not be contacted" \
	test "$(q "select string_agg(reference, ' ') from cobro.account where reference like 'IMPCLI-R%' and not workable")" = IMPCLI-RK2
check "  a mobile and an email for each new debtor, a second mobile for the known one" \
	test "$(q "select count(*) from cobro.contact_point c join cobro.debtor d on d.id = c.debtor_id where d.national_id like 'IMPCLI-RN%'")" = 2996 -a \
	"$(q "select string_agg(c.value, ' ' order by c.value) from cobro.contact_point c join cobro.debtor d on d.id = c.debtor_id where d.national_id = 'IMPCLI-N1' and c.kind = 'mobile'")" = "+51987000111 +51987654321"
check "  an assignment event each" \
	test "$(q "select count(*) from cobro.event e join cobro.account a on a.id = e.account_id where a.reference like 'IMPCLI-R%' and e.kind = 'assignment'")" = 1500
check "  the workstations hear of each" \
	test "$(q "select count(*) from cobro.change_log l join cobro.account a on a.id = l.account_id where a.reference like 'IMPCLI-R%'")" = 1500
sed -i 's/,standard,[0-9]*$/,standard,777/' "$d/bulk-accounts.csv"
ctl admin import accounts --team impcli "$d/bulk-accounts.csv"
check "  again with every score changed: each updated" \
	out_is "$d/bulk-accounts.csv: 1500 read, 1500 applied, 0 duplicates, 0 rejected (0 created, 1500 updated, 0 unchanged, 0 closed; 0 new debtors)"
check "  and ranked anew" test "$(derived_wrong 'IMPCLI-R%')" = 0 -a \
	"$(q "select count(*) from cobro.account where reference like 'IMPCLI-R%' and score <> 777")" = 0
q "update cobro.debtor set state = 'active' where national_id = 'IMPCLI-N2'" >/dev/null

# Past 10,000 accounts the workstations are not told which: one row for
# all of them (import_announce()).
awk 'BEGIN {
	print "reference,debtor_name,national_id,mobile,email,jurisdiction,time_zone,language,creditor,product,currency,balance,past_due,due_date,segment,score"
	for (i = 0; i < 10001; i++)
		printf "IMPCLI-M%d,Many %d,IMPCLI-MN%d,,,PE,America/Lima,es,banco-andino,card,PEN,5,0,,standard,500\n", i, i, i
}' >"$d/many-accounts.csv"
t0=$(q "select now()")
ctl admin import accounts --team impcli "$d/many-accounts.csv"
check "10,001 accounts at once" test "$rc" = 0 -a "$(q "select count(*) from cobro.account where reference like 'IMPCLI-M%'")" = 10001
check "  the workstations told once to read everything again" \
	test "$(q "select count(*) from cobro.change_log where kind = 'account' and account_id is null and at >= '$t0'")" = 1 -a \
	"$(q "select count(*) from cobro.change_log l join cobro.account a on a.id = l.account_id where a.reference like 'IMPCLI-M%'")" = 0
check "  ranked as their trigger would" test "$(derived_wrong 'IMPCLI-M%')" = 0
check "  every trigger on again" test "$(q "select count(*) from pg_trigger where tgenabled = 'D' and tgrelid::regclass::text like 'cobro.%'")" = 0

# ------------------------------------------------------------------ killed
# 400,000 payments for IMPCLI-4, killed once the database is applying
# them: nothing of them stays.
awk 'BEGIN { print "reference,amount,paid_at,method,external_id";
             for (i = 0; i < 400000; i++) printf "IMPCLI-4,0.01,2026-01-01,cash,IMPCLI-K%d\n", i }' >"$d/big.csv"
balance=$(q "select balance from cobro.account where reference = 'IMPCLI-4'")
"$bindir/cobroctl" --database dbname=cobro --user admin import payments "$d/big.csv" >/dev/null 2>&1 &
pid=$!
seen=
for _ in $(seq 1 600); do
	if [ -n "$(q "select 1 from pg_stat_activity where application_name = 'cobroctl' and state = 'active'
	              and (query like 'COPY%' or query like '%import_payments%')")" ]; then
		seen=1
		break
	fi
	sleep 0.05
done
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
for _ in $(seq 1 100); do
	[ -z "$(q "select 1 from pg_stat_activity where application_name = 'cobroctl'")" ] && break
	sleep 0.1
done
check "an import killed while the database applies it ($( [ -n "$seen" ] && echo caught || echo missed))" test -n "$seen"
check "  leaves no payment" test "$(q "select count(*) from cobro.payment where external_id like 'IMPCLI-K%'")" = 0
check "  no import record" test "$(q "select count(*) from cobro.import_run where file = '$d/big.csv'")" = 0
check "  the balance as it was" test "$(q "select balance from cobro.account where reference = 'IMPCLI-4'")" = "$balance"
check "  and every trigger on" test "$(q "select count(*) from pg_trigger where tgenabled = 'D' and tgrelid::regclass::text like 'cobro.%'")" = 0
finish
