#!/usr/bin/env bash
# Issue 17, line 1: a workstation that died stops beating; cobrod sweeps its
# expired presence on start and every 30 s, so the person is offline for
# every dashboard and their team hears it (change_log kind presence); a live
# row stays. In a database of its own.
. "$(dirname "$0")/tap.sh"

db=cobro_presence_$$
psql -X -q -U postgres -d postgres -c "CREATE DATABASE $db" || exit 1
daemon=
cleanup() {
	[ -n "$daemon" ] && kill -TERM "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null
	psql -X -q -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$scratch"
}
trap cleanup EXIT
q() { psql -X -qAt -v ON_ERROR_STOP=1 -U postgres -d "$db" -c "$1"; }
"$bindir/cobroctl" --database "dbname=$db user=postgres" init >/dev/null || exit 1
"$bindir/cobroctl" --database "dbname=$db user=postgres" agent add t_psweep --name "Sweeper" --role daemon \
	>/dev/null || exit 1
q "insert into cobro.team (code, name) values ('ps', 'Presence')" || exit 1
q "insert into cobro.agent (login, name, role, team_id) select x, x, 'collector', (select id from cobro.team where code = 'ps')
   from unnest(array['ps_dead', 'ps_live']) x" || exit 1
# As presence_beat() writes them: ps_dead last beat 2 minutes ago (expired
# after 90 s), ps_live a moment ago.
q "insert into cobro.presence (agent_id, team_id, screen, since, logged_in_at, seen_at, expires_at)
   select g.id, g.team_id, 'worklist', now() - interval '1 hour', now() - interval '1 hour', s, s + interval '90 seconds'
   from cobro.agent g cross join lateral (select case g.login when 'ps_dead' then now() - interval '2 minutes'
                                                              else now() end as s) t
   where g.login like 'ps\_%'" || exit 1

printf 'database = "dbname=%s";\nlog = { level = "info"; };\npromises = { evaluate_every = 0; };\n' "$db" >"$scratch/c.conf"
"$bindir/cobrod" --config "$scratch/c.conf" --user t_psweep 2>"$scratch/c.log" &
daemon=$!
gone() { [ "$(q "select count(*) from cobro.presence p join cobro.agent g on g.id = p.agent_id where g.login = 'ps_dead'")" = 0 ]; }
for _ in $(seq 1 100); do gone && break; sleep 0.1; done
check "cobrod sweeps the dead workstation's presence on start" gone
check "  the live one stays" test "$(q "select count(*) from cobro.presence")" = 1
check "  its team hears it" test "$(q "select count(*) from cobro.change_log where kind = 'presence'
                                       and was_team = (select id from cobro.team where code = 'ps')")" -ge 1
check "  cobrod logs it" grep -q "presence: 1 workstation gone silent, now offline" "$scratch/c.log"
kill -TERM "$daemon"; wait "$daemon"
check "cobrod stops on SIGTERM" test $? = 0
daemon=
finish
