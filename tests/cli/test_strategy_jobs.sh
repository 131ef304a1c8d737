#!/usr/bin/env bash
# The facts read over several connections at once (cobroctl strategy
# dry-run|run --jobs N, issue 18, line 11): each connection streams a share
# of the accounts, all in one snapshot, and the decisions are ordered by
# account before anything is spread over the day; so the day's counts, its
# messages per hour among them, are the same for any N. On a demo portfolio
# of its own (anchored on a fixed day: a strategy run changes what it
# decides from), with the shipped templates, policy and strategy.
. "$(dirname "$0")/tap.sh"
cd "$top"

db=cobro_strategy_jobs_$$
psql -X -q -U postgres -d postgres -c "CREATE DATABASE $db" || exit 1
cleanup() {
	psql -X -q -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$scratch"
}
trap cleanup EXIT
q() { psql -X -qAt -v ON_ERROR_STOP=1 -U postgres -d "$db" -c "$1"; }
ctl() { run "$bindir/cobroctl" --database "dbname=$db" --user "$1" "${@:2}"; }
"$bindir/cobroctl" --database "dbname=$db user=postgres" init >/dev/null || exit 1
"$bindir/cobroctl" --database "dbname=$db" demo --accounts 1500 --seed 7 --anchor 2030-03-04 --quiet >/dev/null ||
	exit 1
"$bindir/cobroctl" --database "dbname=$db" --user admin template add etc/templates/*.tpl >/dev/null || exit 1
[ "$(q "select count(*) from cobro.contact_policy")" != 0 ] ||
	"$bindir/cobroctl" --database "dbname=$db" --user admin policy load etc/policy.conf >/dev/null || exit 1
"$bindir/cobroctl" --database "dbname=$db" --user admin strategy load etc/strategy.conf >/dev/null || exit 1
mkdir -p "$scratch"
cd "$scratch" || exit 1 # the agencies' placement files

# The anchor's run first, so that the next day's decisions stand on a day
# of history (segments, steps done).
export COBRO_NOW=2030-03-04T06:00:00Z
ctl admin strategy run --date 2030-03-04 --format json --jobs 3
check "the run of the anchor's day over 3 connections: exit 0" exit_is 0

export COBRO_NOW=2030-03-05T06:00:00Z
for n in 1 2 3; do
	ctl admin strategy dry-run --date 2030-03-05 --format json --jobs $n
	printf -v "dry$n" '%s' "$out"
	check "the dry run of the next day with --jobs $n: exit 0" exit_is 0
done
open=$(q "select count(*) from cobro.strategy_facts('2030-03-05')")
check "  --jobs 1 decides every account the facts name ($open), some messages planned per hour" \
	eval 'test "$open" -gt 1000 && grep -qF "\"accounts\":$open," <<<"$dry1" && grep -qE "\"hourly\":\[\{\"hour\"" <<<"$dry1"'
check "  --jobs 2 says what --jobs 1 says" test "$dry2" = "$dry1"
check "  --jobs 3 says what --jobs 1 says" test "$dry3" = "$dry1"
# Three shares of the ids, the first and last open-ended, as the run cuts them.
read -r b1 b2 <<<"$(q "select min(id) + (max(id) - min(id)) / 3, min(id) + 2 * (max(id) - min(id)) / 3 from cobro.account" | tr '|' ' ')"
check "each share's facts are its accounts, every account in one share" \
	test "$(q "select count(*) || ' ' || count(distinct account_id) from (
	           select account_id from cobro.strategy_facts('2030-03-05', NULL, $b1) where account_id < $b1 union all
	           select account_id from cobro.strategy_facts('2030-03-05', $b1, $b2) where account_id >= $b1 and account_id < $b2 union all
	           select account_id from cobro.strategy_facts('2030-03-05', $b2, NULL) where account_id >= $b2) x")" = "$open $open"
# Each row as JSON, its steps done (in no order) sorted.
check "  with the same facts as every account's" \
	test "$(q "create function pg_temp.norm(f anyelement) returns jsonb language sql as \$\$
	           select to_jsonb(f) - 'done' || jsonb_build_object('done', (select string_agg(x, ',' order by x)
	           from unnest(string_to_array(to_jsonb(f)->>'done', ',')) x)) \$\$;
	           select count(*) from (
	           (select pg_temp.norm(f) from cobro.strategy_facts('2030-03-05') f except all
	            select pg_temp.norm(f) from cobro.strategy_facts('2030-03-05', NULL, $b1) f) except all
	           (select pg_temp.norm(f) from cobro.strategy_facts('2030-03-05', $b1, $b2) f union all
	            select pg_temp.norm(f) from cobro.strategy_facts('2030-03-05', $b2, NULL) f)) x")" = 0
ctl admin strategy run --date 2030-03-05 --format json --jobs 2
check "the real run over 2 connections reports what the dry runs said" test "$out" = "$dry1"

ctl admin strategy dry-run --date 2030-03-05 --jobs 0
check "--jobs 0 is refused (exit 2)" \
	eval 'test "$rc" = 2 && err_is "cobroctl: --jobs: a number of connections from 1 to 16, not \"0\""'
ctl admin segment run --dry-run --date 2030-03-05 --jobs 17
check "--jobs above 16 is refused (exit 2)" exit_is 2
finish
