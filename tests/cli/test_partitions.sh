#!/usr/bin/env bash
# The history's monthly partitions kept ahead of the clock: cobroctl init and
# maintenance partitions, and cobrod on start. Rows of a month that had no
# partition wait in event_default and move into the month's partition when
# it is made, in one transaction: nothing lost, nothing duplicated, and on
# an error nothing moved at all. In a database of its own, so that the
# shared demo database keeps its partitions.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/upkeep.sh"

db=cobro_part_$$
tag=$$
psql -X -q -U postgres -d postgres -c "CREATE DATABASE $db" || exit 1
cleanup() {
	upkeep_stop
	psql -X -q -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
	psql -X -q -U postgres -d postgres -c "DROP ROLE IF EXISTS \"robot$tag\"" >/dev/null 2>&1
	rm -rf "$scratch"
}
trap cleanup EXIT
q() { psql -X -qAt -v ON_ERROR_STOP=1 -U postgres -d "$db" -c "$1"; }
ctl() { "$bindir/cobroctl" --database "dbname=$db user=postgres" "$@"; }

# The month names from the server's own clock, as the upkeep reads it.
months() { # FROM TO (months from now)
	q "SELECT string_agg('event_' || to_char(m, 'YYYY_MM'), ' ' ORDER BY m)
	   FROM generate_series(date_trunc('month', now()) + interval '$1 months',
	                        date_trunc('month', now()) + interval '$2 months', interval '1 month') m"
}

# ---- init makes this month and the three after it
run ctl init
check "init succeeds" exit_is 0
want=$(months 0 3)
made=$(printf '%s\n' "$out" | sed -n 's/^created partition \(event_[0-9_]*\)$/\1/p' | tr '\n' ' ' | sed 's/ $//')
check "init made this month's partition and the next three's ($want)" test "$made" = "$want"
run ctl init
check "init again makes none" bash -c "! grep -q '^created partition' <<<'$out'"

# ---- rows whose month has no partition wait in the default one
q "INSERT INTO cobro.event (at, debtor_id, kind, body)
   SELECT t, 1, 'note', 'row ' || n
   FROM unnest(ARRAY['2019-03-05 10:00+00', '2019-03-31 12:00+00', '2031-05-01 12:00+00',
                     '2031-05-20 08:00+00', '2031-06-15 09:30+00', '2031-06-16 09:30+00',
                     '2031-06-17 09:30+00']::timestamptz[]) WITH ORDINALITY AS x(t, n);
   INSERT INTO cobro.event (debtor_id, kind, body) VALUES (2, 'note', 'this month')"
in_default() { q "SELECT count(*) FROM cobro.event WHERE tableoid = 'cobro.event_default'::regclass"; }
census() { q "SELECT count(*) || ' ' || md5(string_agg(e::text, '|' ORDER BY id)) FROM cobro.event e"; }
before=$(census)
check "7 rows of months without a partition are in event_default, today's is not" test "$(in_default)" = 7

# ---- a failure moves nothing: a table in the way of the third month
q "CREATE TABLE cobro.event_2031_06 (x int)"
run ctl maintenance partitions
check "maintenance fails on a table in the way of a partition" exit_not 0
check "  and says which" err_has "cobro.event_2031_06 exists and is not a partition of cobro.event"
check "  and made none of the months before it" \
	test "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('event_2019_03', 'event_2031_05')")" = 0
check "  and every row is where it was" test "$(in_default)" = 7 -a "$(census)" = "$before"
q "DROP TABLE cobro.event_2031_06"

# ---- then each month gets its partition and its rows, once
run ctl maintenance partitions
check "maintenance partitions succeeds" exit_is 0
check "  makes 2019-03 with its 2 rows" grep -qxF "created partition event_2019_03 (2 rows moved in from event_default)" <<<"$out"
check "  2031-05 with its 2" grep -qxF "created partition event_2031_05 (2 rows moved in from event_default)" <<<"$out"
check "  2031-06 with its 3" grep -qxF "created partition event_2031_06 (3 rows moved in from event_default)" <<<"$out"
check "  and says the range" grep -qE "^event partitions from 2019-03 to 2031-06, 3 created now$" <<<"$out"
check "event_default is empty" test "$(in_default)" = 0
check "nothing lost, nothing duplicated: the same rows, ids and all" test "$(census)" = "$before"
check "each row is in its month's partition" test "$(q "SELECT count(*) FROM cobro.event
	WHERE tableoid::regclass::text <> 'cobro.event_' || to_char(at, 'YYYY_MM')")" = 0
check "the partitions' triggers are on again after the move" test "$(q "SELECT count(*) FROM pg_trigger
	WHERE tgrelid = 'cobro.event_2031_06'::regclass AND tgenabled <> 'O'")" = 0
check "  and there are some (event's NOTIFY)" test "$(q "SELECT count(*) FROM pg_trigger
	WHERE tgrelid = 'cobro.event_2031_06'::regclass")" -ge 1
check "a new partition belongs to cobro_owner" test "$(q "SELECT relowner::regrole FROM pg_class
	WHERE oid = 'cobro.event_2031_05'::regclass")" = cobro_owner
check "and is granted to no one, as every partition" test "$(q "SELECT count(*) FROM
	unnest(ARRAY['public', 'cobro_collector', 'cobro_supervisor', 'cobro_lead', 'cobro_admin', 'cobro_daemon']) g,
	unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p
	WHERE has_table_privilege(g, 'cobro.event_2031_05', p)")" = 0

run ctl maintenance partitions
check "again, nothing to make" grep -qE "^event partitions from 2019-03 to 2031-06, 0 created now$" <<<"$out"
run ctl maintenance partitions --ahead 6
check "--ahead 6 makes three months more" test "$(grep -c '^created partition' <<<"$out")" = 3
check "  up to six months ahead" grep -qxF "created partition $(months 6 6)" <<<"$out"
run ctl maintenance partitions --ahead 121
check "--ahead above 120 is refused" exit_not 0
run ctl maintenance
check "maintenance alone says how it is used" exit_is 2

# ---- a row that moves is not news: workstations are not told to reload
listen() { # SQL: what a session listening on cobro_account hears while it runs SQL
	psql -X -q -U postgres -d "$db" -c "LISTEN cobro_account" -c "$1" 2>&1 | grep -c 'Asynchronous notification' || true
}
check "an event written is announced (the check below can hear)" \
	test "$(listen "INSERT INTO cobro.event (at, debtor_id, account_id, kind) VALUES ('2032-02-02 10:00+00', 4, 42, 'note')")" = 1
check "an event moved into its new partition is not" \
	test "$(listen "SELECT * FROM cobro.event_partitions_keep(3)")" = 0
check "  though it moved" test "$(q "SELECT tableoid::regclass FROM cobro.event WHERE account_id = 42")" = cobro.event_2032_02

# ---- cobrod makes them on start
ctl agent add "robot$tag" --name Robot --role daemon >/dev/null 2>&1
q "INSERT INTO cobro.event (at, debtor_id, kind, body) VALUES ('2033-01-10 10:00+00', 3, 'note', 'far')"
before=$(census)
upkeep_start "dbname=$db" "robot$tag"
upkeep_wait "created partition event_2033_01"
check "cobrod makes a missing month's partition on start" \
	grep -qF "created partition event_2033_01 (1 row moved in from event_default)" "$scratch/cobrod.log"
check "  moving its row in, and nothing else changes" test "$(in_default)" = 0 -a "$(census)" = "$before"
upkeep_stop
check "  and stops cleanly" grep -q 'cobrod info: stopped' "$scratch/cobrod.log"
finish
