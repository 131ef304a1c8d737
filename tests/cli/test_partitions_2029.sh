#!/usr/bin/env bash
# The demo started with the clock in 2029 works as it does today, and its
# history lands in monthly partitions, none of it in event_default. A
# cluster of its own, with every process (PostgreSQL too, cobroctl, cobrod)
# under libfaketime at an offset from the real clock, so they agree on the
# time: first 2029-03-14, then the server restarted in 2029-09 as if months
# had passed, when cobrod's upkeep makes the months ahead.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/upkeep.sh"

. "$top/tests/lib/faketime.sh"
if ! ls /usr/lib/*/faketime/libfaketimeMT.so.1 >/dev/null 2>&1; then
	check "libfaketime is installed (the faketime package: scripts/deps.sh check)" false
	finish
fi

# A directory the postgres user can enter (pg.sh runs the server as postgres
# when we are root), short enough for the socket's path.
dir=$(mktemp -d /tmp/cobro-2029-XXXXXX) || exit 1
chmod 755 "$dir"
port=$((54400 + RANDOM % 400))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
	port=$((port + 1))
done
export PGHOST=$dir/pg PGPORT=$port PGDATABASE=cobro PGUSER=postgres
cleanup() {
	upkeep_stop
	faketime_off
	"$top/scripts/pg.sh" stop "$dir/pg" >/dev/null 2>&1
	rm -rf "$dir" "$scratch"
}
trap cleanup EXIT

# clock_to "YYYY-MM-DD HH:MM:SS": from here on, `at CMD...` runs CMD with the
# clock there, as an offset from the real time so that it keeps running. One
# holder of libfaketime's shared memory per moment (tests/lib/faketime.sh):
# a semaphore that each program made for itself would be root's, and the
# server, which runs as postgres, could not open one it inherited the name of.
clock_to() {
	faketime_on "+$(($(date -u -d "$1" +%s) - $(date +%s)))s" || exit 1
}
at() { env "${faketime_env[@]}" "$@"; }
q() { psql -X -qAt -v ON_ERROR_STOP=1 -c "$1"; }
in_default() { q "SELECT count(*) FROM cobro.event WHERE tableoid = 'cobro.event_default'::regclass"; }

# ---- March 2029: the cluster, init and the demo
march="2029-03-14 10:00:00"
clock_to "$march"
run at "$top/scripts/pg.sh" start "$dir/pg" "$port"
check "a cluster starts with the clock in 2029" exit_is 0
check "  and the server's own clock says so (the environment reached it)" \
	test "$(q "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')")" = 2029-03-14
run at "$bindir/cobroctl" init
check "cobroctl init" exit_is 0
check "  makes March 2029 and the three months after it" \
	test "$(grep -c '^created partition event_2029_0[3-6]$' <<<"$out")" = 4
run at "$bindir/cobroctl" demo --accounts 300 --seed 5 --quiet
check "cobroctl demo loads the portfolio" exit_is 0
check "  whose history is of the two months up to 14 March 2029" \
	test "$(q "SELECT to_char(min(at), 'YYYY-MM') || ' ' || (max(at) BETWEEN '2029-03-01' AND '2029-03-14 10:01+00')
	           FROM cobro.event")" = "2029-01 true"
check "  each event in its month's partition, none in event_default" \
	test "$(q "SELECT count(*) FROM cobro.event WHERE tableoid::regclass::text <> 'cobro.event_' || to_char(at, 'YYYY_MM')")" \
	= 0 -a "$(in_default)" = 0

# As it does today: ana's worklist and an account of it, through the
# functions the workstation calls, with the days past due of March 2029.
ana() { psql -X -qAt -v ON_ERROR_STOP=1 -U ana -c "$1"; }
check "ana's worklist has a page of 50" \
	test "$(ana "SELECT count(*) FROM cobro.worklist_page(0, 50, 1e9, 1e8, 150)")" = 50
top_account=$(ana "SELECT id FROM cobro.worklist_page(0, 1, 1e9, 1e8, 150)")
check "  and the first account opens with its history" \
	test "$(ana "SELECT json_array_length(cobro.account_screen($top_account, 50, now() - interval '400 days') -> 'events') > 0")" = t
check "  days past due counted from March 2029" \
	test "$(ana "SELECT bool_and(dpd = greatest(0, date '2029-03-14' - a.oldest_due))
	             FROM cobro.worklist_page(0, 50, 1e9, 1e8, 150) w JOIN cobro.account a ON a.id = w.id")" = t

# ---- September 2029: the server restarted months later, cobrod's upkeep
september="2029-09-20 09:00:00"
clock_to "$september"
run at "$top/scripts/pg.sh" restart "$dir/pg" "$port"
check "the server restarts in September 2029" \
	test "$rc" = 0 -a "$(q "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM')")" = 2029-09
at "$bindir/cobroctl" agent add "robot$$" --name Robot --role daemon >/dev/null 2>&1
# env itself, not the shell function at: a function would run in a subshell
# whose pid upkeep_stop would end, leaving cobrod running.
upkeep_start "dbname=cobro" "robot$$" env "${faketime_env[@]}"
upkeep_wait "created partition event_2029_12"
check "cobrod makes September 2029 and the three months after it on start" \
	test "$(grep -c 'created partition event_2029_\(09\|10\|11\|12\)' "$scratch/cobrod.log")" = 4
account=$(ana "SELECT a.id FROM cobro.account a JOIN cobro.contact_point c ON c.debtor_id = a.debtor_id
               WHERE c.kind = 'mobile' AND c.bad_since IS NULL AND NOT ('sms' = ANY (c.opted_out))
               ORDER BY a.id LIMIT 1")
point=$(ana "SELECT c.id FROM cobro.account a JOIN cobro.contact_point c ON c.debtor_id = a.debtor_id
             WHERE a.id = $account AND c.kind = 'mobile' AND c.bad_since IS NULL
               AND NOT ('sms' = ANY (c.opted_out)) ORDER BY c.id LIMIT 1")
# This cluster's cobrod sends nothing (no transport): a heartbeat stands
# for one that sends SMS (message_queue() refuses a channel none sends).
q "INSERT INTO cobro.daemon_presence (worker, channels, expires_at) VALUES ('sms-2029', '{sms}', now() + interval '1 hour')" >/dev/null
run ana "SELECT cobro.message_queue(gen_random_uuid(), $account, $point, 'sms', NULL, NULL, 'Hola', NULL, 1, 'gsm7');
         SELECT cobro.account_add_note(gen_random_uuid(), $account, 'September')"
check "ana queues an SMS and writes a note in September 2029" exit_is 0
check "  both events land in September's partition" \
	test "$(q "SELECT count(*) FROM cobro.event_2029_09 WHERE account_id = $account AND kind IN ('sms', 'note')")" = 2
# (cobrod's promise keeper, months on, may write a broken promise there too)
check "  and event_default holds nothing" test "$(in_default)" = 0
upkeep_stop
finish
