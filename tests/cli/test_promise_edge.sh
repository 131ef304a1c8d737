#!/usr/bin/env bash
# Issue 16, lines 1 and 9, at the database as the real role ana: no promise
# is taken on an account that is not worked because of its debtor (a state
# such as attorney or deceased: DESIGN.md section 5), though the account
# itself is active and hers. The debtor's state is set here as the
# superuser (no role of cobro may write it directly) and put back after.
. "$(dirname "$0")/tap.sh"
q() { psql -X -qAt -v ON_ERROR_STOP=1 -U postgres -d cobro -c "$1"; }
as_ana() { psql -X -qAt -v ON_ERROR_STOP=1 -U ana -d cobro -c "$1" 2>&1; }

acc=$(q "select a.id from cobro.account a join cobro.agent g on g.id = a.agent_id join cobro.debtor d on d.id = a.debtor_id
         where g.login = 'ana' and a.status = 'active' and d.state = 'active' and a.balance > 1000
           and not exists (select 1 from cobro.promise p where p.account_id = a.id and p.status in ('pending', 'awaiting_approval'))
           and not exists (select 1 from cobro.account o where o.debtor_id = a.debtor_id and o.id <> a.id)
         order by a.id limit 1")
deb=$(q "select debtor_id from cobro.account where id = $acc")
restore() { q "update cobro.debtor set state = 'active' where id = $deb" >/dev/null; rm -rf "$scratch"; }
trap restore EXIT
before=$(q "select count(*) from cobro.promise where account_id = $acc")
save="select status from cobro.promise_save($acc, 100, (select today + 1 from cobro.promise_limits_for($acc)), 1, 'once', 0,
       'call', null, null, gen_random_uuid())"

for state in attorney deceased cease; do
	q "update cobro.debtor set state = '$state' where id = $deb" >/dev/null
	out=$(as_ana "$save")
	check "a debtor who is $state: ana's promise on their active account is refused (account_status)" \
		test "${out#*ERROR:  }" != "$out" -a "$(printf '%s\n' "$out" | grep -c "account_status: the debtor is $state")" = 1
done
check "  and nothing was saved" test "$(q "select count(*) from cobro.promise where account_id = $acc")" = "$before"

q "update cobro.debtor set state = 'active' where id = $deb" >/dev/null
out=$(as_ana "begin; $save; rollback")
check "the debtor active again: saved (in a transaction rolled back)" test "$(printf '%s\n' "$out" | grep -cE '^(pending|awaiting_approval)$')" = 1
finish
