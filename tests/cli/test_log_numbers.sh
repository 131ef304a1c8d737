#!/usr/bin/env bash
# PostgreSQL's own log holds no phone number or address from cobro's errors
# (issue 14, line 8): errors are provoked as ana (a collector) and as the
# superuser the migrations and cobroctl demo run as, with real contact points
# of the demo in the failing rows, and the server's log is read after them.
. "$(dirname "$0")/tap.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
as() { local who=$1; shift; psql -X -qAt -U "$who" -d cobro "$@"; }
log="$(dirname "$(q 'show data_directory')")/server.log"
check "the server's log is where pg.sh keeps it" test -f "$log"

# One of ana's debtors' phone numbers and email addresses.
acc=$(q "select a.id from cobro.account a join cobro.agent g on g.id = a.agent_id
         where g.login = 'ana' and exists (select 1 from cobro.contact_point c where c.debtor_id = a.debtor_id
                                           and c.kind in ('phone', 'mobile'))
           and exists (select 1 from cobro.contact_point c where c.debtor_id = a.debtor_id and c.kind = 'email')
         order by a.id limit 1")
phone_id=$(q "select c.id from cobro.contact_point c join cobro.account a on a.debtor_id = c.debtor_id
              where a.id = $acc and c.kind in ('phone', 'mobile') order by c.id limit 1")
phone=$(q "select value from cobro.contact_point where id = $phone_id")
email=$(q "select c.value from cobro.contact_point c join cobro.account a on a.debtor_id = c.debtor_id
           where a.id = $acc and c.kind = 'email' order by c.id limit 1")
check "ana has an account whose debtor has a phone ($phone) and an email" test -n "$phone" -a -n "$email"
digits=${phone#+}

settled() { sleep 0.3; } # the log is written by the server as it goes
mark=$(stat -c %s "$log")

# As ana: a history row that a CHECK refuses, its body the debtor's number and
# address, taken from the table (the statement's own text holds neither).
run as ana -c "insert into cobro.event (account_id, debtor_id, kind, body)
               select a.id, a.debtor_id, 'no such kind', string_agg(c.value, ' ')
               from cobro.account a join cobro.contact_point c on c.debtor_id = a.debtor_id
               where a.id = $acc and c.kind in ('phone', 'mobile', 'email') group by a.id, a.debtor_id"
check "ana's refused row is an error" test "$rc" != 0
# As the superuser: a contact point made invalid, and one made a duplicate.
run q "update cobro.contact_point set value = value || 'x' where id = $phone_id"
check "the superuser's invalid number is an error" test "$rc" != 0
run q "insert into cobro.contact_point (debtor_id, kind, value)
       select debtor_id, kind, value from cobro.contact_point where id = $phone_id"
check "the superuser's duplicate is an error" test "$rc" != 0
settled

tail -c +$((mark + 1)) "$log" >"$scratch/log"
check "the errors are in the log" test "$(grep -c 'ERROR: ' "$scratch/log")" -ge 3
check "but not the phone number" bash -c "! grep -qF -- '$digits' '$scratch/log'"
check "nor the address" bash -c "! grep -qF -- '$email' '$scratch/log'"
check "no DETAIL with a failing row or key" bash -c "! grep -qE 'Failing row|Key \\(' '$scratch/log'"
check "the setting is the database's: log_error_verbosity is terse for ana too" \
	test "$(as ana -c "show log_error_verbosity")" = terse
finish
