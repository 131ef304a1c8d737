#!/usr/bin/env bash
# Issue 16, lines 4 and 6, as an attacker and a compliance officer would
# try them: a payment beyond the balance (and on a paid account) is not
# lost: the balance stops at zero and the excess is an `overpaid` event the
# summary names; a rejects file that cannot be written stops the import
# before anything is committed (the good rows are not applied with the bad
# ones lost behind an error); and values strict parsers refuse are refused
# here too (an amount past due whose due date is still to come; exponents,
# full-width digits, signs, a leap second, 24:00, the
# years 0000 and 10000, an overlong or surrogate UTF-8 sequence, text after
# a closing quote). Accounts and payments are this suite's own (IMPEDGE-*).
. "$(dirname "$0")/tap.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
ctl() { run "$bindir/cobroctl" --database "dbname=cobro" --user "$1" "${@:2}"; }
anchor=${COBRO_TEST_ANCHOR:-$(date -u +%F)}
day=$(date -u -d "$anchor - 2 days" +%F)
d=$scratch

{
	printf 'reference,debtor_name,national_id,mobile,email,jurisdiction,time_zone,language,creditor,product,currency,balance,past_due,due_date,segment,score,agent\n'
	printf 'IMPEDGE-1,Eva Over,IMPEDGE-N1,,,PE,America/Lima,es,banco-andino,card,PEN,100.00,0,,standard,500,ana\n'
} >"$d/accounts.csv"
ctl admin import accounts "$d/accounts.csv"
check "setup: an account owing 100.00" test "$rc" = 0 -a \
	"$(q "select balance from cobro.account where reference = 'IMPEDGE-1'")" = 10000

# ------------------------------------------------------------------ rejects file first
{
	printf 'reference,amount,paid_at,method,external_id\n'
	printf 'IMPEDGE-1,150.00,%s,cash,IMPEDGE-P1\n' "$day"
	printf 'IMPEDGE-404,1.00,%s,cash,IMPEDGE-P2\n' "$day"
} >"$d/pay.csv"
ctl admin import payments --rejects "$d/no/such/dir/pay.rejects" "$d/pay.csv"
check "a rejects file that cannot be written: exit 1" test "$rc" = 1
check "  it says so, and that nothing was applied" \
	err_has_line "cobroctl: $d/no/such/dir/pay.rejects: No such file or directory: nothing was applied (the rejects file is written first)"
check "  and nothing was: no payment, the balance as it was" \
	test "$(q "select count(*) from cobro.payment where external_id like 'IMPEDGE-%'")/$(q "select balance from cobro.account where reference = 'IMPEDGE-1'")" = 0/10000

# ------------------------------------------------------------------ overpayment
ctl admin import payments --rejects "$d/pay.rejects" "$d/pay.csv"
check "150.00 on a balance of 100.00: applied, exit 3 for the unknown reference" test "$rc" = 3
check "  the summary names the account paid beyond its balance and the excess" \
	out_is "$d/pay.csv: 2 read, 1 applied, 0 duplicates, 1 rejected (1 account; 0 queued messages refused as no longer true; 1 account paid beyond the balance, 5000 minor units in all (overpaid events)); rejected rows in $d/pay.rejects"
check "  the balance stops at zero, the account paid" \
	test "$(q "select balance || ' ' || status from cobro.account where reference = 'IMPEDGE-1'")" = "0 paid"
check "  the payment is kept whole" \
	test "$(q "select amount from cobro.payment where external_id = 'IMPEDGE-P1'")" = 15000
check "  the 50.00 above the balance is an overpaid event on the account's timeline" \
	test "$(q "select string_agg(e.amount::text, ',') from cobro.event e join cobro.account a on a.id = e.account_id
	           where a.reference = 'IMPEDGE-1' and e.kind = 'payment' and e.outcome = 'overpaid'")" = 5000
check "  the rejects file holds the bad row" test "$(cat "$d/pay.rejects")" = "reference,amount,paid_at,method,external_id
IMPEDGE-404,1.00,$day,cash,IMPEDGE-P2"

printf 'reference,amount,paid_at,method,external_id\nIMPEDGE-1,7.00,%s,cash,IMPEDGE-P3\n' "$day" >"$d/paid.csv"
ctl admin import payments "$d/paid.csv"
check "a payment on the account now paid: all of it overpaid" test "$rc" = 0 -a \
	"$(q "select sum(e.amount) from cobro.event e join cobro.account a on a.id = e.account_id
	      where a.reference = 'IMPEDGE-1' and e.kind = 'payment' and e.outcome = 'overpaid'")" = 5700
check "  said in the summary" \
	out_is "$d/paid.csv: 1 read, 1 applied, 0 duplicates, 0 rejected (1 account; 0 queued messages refused as no longer true; 1 account paid beyond the balance, 700 minor units in all (overpaid events))"

# ------------------------------------------------------------------ past due, not yet due
# An amount past due with a due date still to come (the debtor's today, in
# their zone) is refused: the account would have negative days past due.
fut=$(date -u -d "$anchor + 30 days" +%F)
{
	printf 'reference,debtor_name,national_id,mobile,email,jurisdiction,time_zone,language,creditor,product,currency,balance,past_due,due_date,segment,score,agent\n'
	printf 'IMPEDGE-2,Ida Future,IMPEDGE-N2,,,PE,America/Lima,es,banco-andino,card,PEN,100.00,50.00,%s,standard,500,ana\n' "$fut"
	printf 'IMPEDGE-3,Ida Future,IMPEDGE-N3,,,PE,America/Lima,es,banco-andino,card,PEN,100.00,0,%s,standard,500,ana\n' "$fut"
} >"$d/future.csv"
ctl admin import accounts --dry-run "$d/future.csv"
check "past due with a due date to come: rejected" \
	err_has "$d/future.csv:2: due_date: \"$fut\" is after the debtor's today ("
check "  nothing past due, a due date to come: fine" \
	out_is "$d/future.csv: 2 read, 1 would be applied, 0 duplicates, 1 rejected
dry run: nothing was changed"

# ------------------------------------------------------------------ strict values
{
	printf 'reference,amount,paid_at,method,external_id\n'
	printf 'IMPEDGE-1,1e3,%s,cash,IMPEDGE-S2\n' "$day"
	printf 'IMPEDGE-1,\xef\xbc\x91\xef\xbc\x90,%s,cash,IMPEDGE-S3\n' "$day"
	printf 'IMPEDGE-1,+10,%s,cash,IMPEDGE-S4\n' "$day"
	printf 'IMPEDGE-1,.5,%s,cash,IMPEDGE-S5\n' "$day"
	printf 'IMPEDGE-1,10,2026-12-31T23:59:60Z,cash,IMPEDGE-S6\n'
	printf 'IMPEDGE-1,10,2026-12-01T24:00:00,cash,IMPEDGE-S7\n'
	printf 'IMPEDGE-1,10,0000-01-01,cash,IMPEDGE-S8\n'
	printf 'IMPEDGE-1,10,10000-01-01,cash,IMPEDGE-S9\n'
	printf 'IMPEDGE-1,10,%s,\xc0\xaf,IMPEDGE-S10\n' "$day"
	printf 'IMPEDGE-1,10,%s,\xed\xa0\x80,IMPEDGE-S11\n' "$day"
	printf '"IMPEDGE-1" ,10,%s,cash,IMPEDGE-S12\n' "$day"
	printf 'IMPEDGE-1,10,2999-01-01,cash,IMPEDGE-S13\n'
} >"$d/strict.csv"
f=$d/strict.csv
ctl admin import payments --dry-run "$f"
check "strict values: all 12 rejected" out_is "$f: 12 read, 0 would be applied, 0 duplicates, 12 rejected
dry run: nothing was changed"
check "  1e3" err_has_line "$f:2: amount: \"1e3\" is not an amount such as 1234.50 (a dot for decimals, no separators)"
check "  full-width digits" err_has_line "$f:3: amount: \"１０\" is not an amount such as 1234.50 (a dot for decimals, no separators)"
check "  +10" err_has_line "$f:4: amount: \"+10\" is not an amount such as 1234.50 (a dot for decimals, no separators)"
check "  .5" err_has_line "$f:5: amount: \".5\" is not an amount such as 1234.50 (a dot for decimals, no separators)"
check "  a leap second" err_has_line "$f:6: paid_at: \"2026-12-31T23:59:60Z\": that time does not exist"
check "  24:00" err_has_line "$f:7: paid_at: \"2026-12-01T24:00:00\": that time does not exist"
check "  the year 0000" err_has_line "$f:8: paid_at: \"0000-01-01\": the year is out of range"
check "  the year 10000" err_has_line "$f:9: paid_at: \"10000-01-01\" is not a date such as 2026-03-31 (YYYY-MM-DD)"
check "  an overlong UTF-8 sequence" err_has_line "$f:10: method: is not valid UTF-8"
check "  a surrogate in UTF-8" err_has_line "$f:11: method: is not valid UTF-8"
check "  text after a closing quote" \
	err_has_line "$f:12: reference: a quote inside a field that does not start with one, or text after a closing quote"
check "  a payment dated in the future (the keeper would count it only then)" \
	err_has "$f:13: paid_at: \"2999-01-01\" has not come yet (today is "

finish
