#!/usr/bin/env bash
# Notifications leak nothing (issue 14, line 8): anyone who can connect may
# LISTEN to cobro's channels, so they carry no payload; what changed is read
# with cobro.changes_since(), under row security, as the real people: ana and
# luis (collectors, norte), carla (collector, sur), sofia (supervisor,
# norte), and a role with no right on the schema.
. "$(dirname "$0")/tap.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
as() { local who=$1; shift; psql -X -qAt -U "$who" -d cobro "$@"; }
stranger=cobro_test_stranger

q "DROP ROLE IF EXISTS $stranger" >/dev/null 2>&1
q "CREATE ROLE $stranger LOGIN" >/dev/null
trap 'q "DROP ROLE IF EXISTS '$stranger'" >/dev/null 2>&1; rm -rf "$scratch"' EXIT

acc_ana=$(q "select a.id from cobro.account a join cobro.agent g on g.id = a.agent_id where g.login = 'ana' order by a.id limit 1")
acc_ana2=$(q "select a.id from cobro.account a join cobro.agent g on g.id = a.agent_id where g.login = 'ana' order by a.id offset 1 limit 1")
acc_carla=$(q "select a.id from cobro.account a join cobro.agent g on g.id = a.agent_id where g.login = 'carla' order by a.id limit 1")
check "the demo has accounts for ana (2) and carla" test -n "$acc_ana" -a -n "$acc_ana2" -a -n "$acc_carla"

# A note on an account, written by the superuser (as another program would):
# a row this test creates, announced at commit.
note() {
	q "insert into cobro.event (account_id, debtor_id, kind, body)
	   select id, debtor_id, 'note', 'test_notifications' from cobro.account where id = $1" >/dev/null
}
# The snapshot to read from, as NAME would first take it.
snap() { as "$1" -c "select snapshot from cobro.changes_since(null) where kind is null"; }
# What NAME reads since SNAPSHOT, of the accounts listed: "kind:id" sorted.
read_as() {
	as "$1" -c "select kind || ':' || coalesce(account_id::text, '*') from cobro.changes_since('$2')
	            where kind is not null and (account_id is null or account_id in ($3)) order by 1" | tr '\n' ' ' | sed 's/ $//'
}

# ---- a stranger listening hears that something changed, never what
as "$stranger" -c "select 1" >/dev/null 2>&1
check "a role with no right on the schema can connect (PostgreSQL's default)" test $? = 0
as "$stranger" -c "LISTEN cobro_account" -c "LISTEN cobro_lease" -c "LISTEN cobro_policy" -c "select pg_sleep(2)" \
	>"$scratch/listen.out" 2>&1 &
listener=$!
sleep 0.7
note "$acc_ana"
note "$acc_carla"
q "delete from cobro.lease where account_id = $acc_ana" >/dev/null
q "insert into cobro.lease (account_id, agent_id, session, expires_at)
   select $acc_ana, id, 'test_notifications', now() + interval '1 minute' from cobro.agent where login = 'luis'" >/dev/null
q "delete from cobro.lease where session = 'test_notifications'" >/dev/null
wait "$listener"
check "the stranger heard the changes on cobro_account and cobro_lease" \
	bash -c "grep -q 'notification \"cobro_account\"' '$scratch/listen.out' && grep -q 'notification \"cobro_lease\"' '$scratch/listen.out'"
check "but no notification carries an account's id (no payload at all)" \
	bash -c "! grep -q 'with payload' '$scratch/listen.out'"

run as "$stranger" -c "select * from cobro.changes_since(null)"
check "the stranger cannot ask what changed" grep -q "permission denied" <<<"$err"
run as "$stranger" -c "select * from cobro.change_log"
check "nor read the change log" grep -q "permission denied" <<<"$err"

# ---- each person reads the changes of what they see, and nothing else
s_ana=$(snap ana) s_carla=$(snap carla) s_sofia=$(snap sofia)
check "a person's first reading is only the snapshot to read from" \
	test -n "$s_ana" -a "$(as ana -c "select count(*) from cobro.changes_since(null)")" = 1
note "$acc_ana"
note "$acc_carla"
ids="$acc_ana, $acc_carla"
check "ana reads the change to her account, not carla's (team sur)" test "$(read_as ana "$s_ana" "$ids")" = "account:$acc_ana"
check "carla reads the change to hers, not ana's (team norte)" test "$(read_as carla "$s_carla" "$ids")" = "account:$acc_carla"
check "sofia (supervisor, norte) reads ana's, not carla's" test "$(read_as sofia "$s_sofia" "$ids")" = "account:$acc_ana"
next=$(as ana -c "select snapshot from cobro.changes_since('$s_ana') where kind is null")
check "read once: from the new snapshot nothing is new" test "$(read_as ana "$next" "$ids")" = ""

# ---- a transaction that commits after a later one is not missed
s_ana=$(snap ana)
psql -X -q -U postgres -d cobro >/dev/null 2>&1 <<EOF &
begin;
insert into cobro.event (account_id, debtor_id, kind, body)
select id, debtor_id, 'note', 'test_notifications late' from cobro.account where id = $acc_ana;
select pg_sleep(2);
commit;
EOF
late=$!
sleep 0.7
note "$acc_ana2"
mid=$(as ana -c "select snapshot from cobro.changes_since('$s_ana') where kind is null")
check "while an earlier transaction is open, ana reads the later one's change" \
	test "$(read_as ana "$s_ana" "$acc_ana, $acc_ana2")" = "account:$acc_ana2"
wait "$late"
check "and, from the snapshot she read then, the earlier one's once it commits" \
	test "$(read_as ana "$mid" "$acc_ana, $acc_ana2")" = "account:$acc_ana"

# ---- an account that leaves a collector: she hears that it left
s_ana=$(snap ana) s_luis=$(snap luis)
luis_id=$(q "select id from cobro.agent where login = 'luis'")
ana_id=$(q "select id from cobro.agent where login = 'ana'")
q "update cobro.account set agent_id = $luis_id where id = $acc_ana2" >/dev/null
check "ana reads that the account she lost changed" test "$(read_as ana "$s_ana" "$acc_ana2")" = "account:$acc_ana2"
check "luis reads that he has it" test "$(read_as luis "$s_luis" "$acc_ana2")" = "account:$acc_ana2"
check "ana no longer reads the account itself" test "$(as ana -c "select count(*) from cobro.account where id = $acc_ana2")" = 0
q "update cobro.account set agent_id = $ana_id where id = $acc_ana2" >/dev/null

# ---- a new contact policy version is read by everyone, with no id
s_ana=$(snap ana)
q "select cobro.change_note('policy', null)" >/dev/null
check "a policy change is read by ana as one for everybody" test "$(read_as ana "$s_ana" "0")" = "policy:*"

# ---- the session that wrote a change reads it as its own; others do not
own=$(psql -X -qAt -U postgres -d cobro <<EOF
select snapshot as s from cobro.changes_since(null) where kind is null \gset
insert into cobro.event (account_id, debtor_id, kind, body)
select id, debtor_id, 'note', 'test_notifications own' from cobro.account where id = $acc_carla;
select own from cobro.changes_since(:'s') where account_id = $acc_carla;
EOF
)
check "a change is its writer's own" test "$own" = t
s_carla=$(snap carla)
note "$acc_carla"
check "and not another session's" test "$(as carla -c "select own from cobro.changes_since('$s_carla') where account_id = $acc_carla")" = f

# ---- the log prunes itself: every thousandth row written drops the rows
# older than an hour
q "insert into cobro.change_log (kind, account_id, at) values ('account', -1, now() - interval '2 hours')" >/dev/null
q "select count(cobro.change_note('account', -1 - g)) from generate_series(1, 1000) g" >/dev/null
check "a thousand rows written prune the rows older than an hour" \
	test "$(q "select count(*) from cobro.change_log where account_id = -1")" = 0
check "and keep the new ones" test "$(q "select count(*) from cobro.change_log where account_id < -1")" = 1000
q "delete from cobro.change_log where account_id < 0" >/dev/null

# ---- the notes this test wrote go
q "delete from cobro.event where kind = 'note' and body like 'test_notifications%'" >/dev/null
finish
