#!/usr/bin/env bash
# The workstation opens as a person, shows their accounts, and leaves the
# terminal as it found it, however it exits.
set -u
. "$(dirname "$0")/lib.sh"

# ---- ana sees her accounts, in English
app_start ana "$(cobro_cmd ana)"
total=$(sql_as ana "select count(*) from cobro.account where status = 'active'")
check "ana: the worklist opens with her name in the title" wait_for ana "(ana, norte)"
check "ana: the status line counts her $total active accounts" wait_for ana "$total accounts to work"
# The debtor on the first row is one of ana's (the name column may cut it with …).
row=$(screen ana | sed -n 3p)
first=${row:0:15}
first=${first%%…*} # a name cut by its column ends in an ellipsis
first=${first%"${first##*[! ]}"}
check "ana: the first row ($first) is the debtor of one of her accounts" test "$(sql_as ana \
	"select count(*) from cobro.account a join cobro.debtor d on d.id = a.debtor_id where d.name like '${first//\'/\'\'}%'")" -ge 1
check "ana: the column headers show" line_matches ana 2 'Debtor +DPD +Balance'
check "ana: the key bar is on the last line" line_has ana '$' 'qQuit'
# Nobody else's accounts: every debtor on screen belongs to one of ana's accounts.
mine=$(sql_as ana "select count(*) from cobro.account")
all=$(psql -X -qAt -U postgres -d cobro -c "select count(*) from cobro.account where agent_id = (select id from cobro.agent where login = 'ana')")
check "ana: row-level security shows her exactly her $all accounts" test "$mine" = "$all"

# ---- help is generated from the action table
keys ana '?'
check "ana: ? opens the help with the refresh key" wait_for ana "Reload from the database"
# The help keeps the worklist's status line ("N accounts to work"): back on
# the worklist is its title, with the help's lines gone.
on_worklist() { line_has "$1" 1 "cobro · Worklist" && not screen_has "$1" "Reload from the database"; }
screen_has() { screen "$1" | grep -qF -- "$2"; }
keys ana Escape
check "ana: Esc goes back to the worklist" eventually 5 on_worklist ana
# The account's keys do not fit 80x24: the help says so on the status line,
# a hint that goes with the help screen.
keys ana Enter
wait_screen ana "History (newest first)" >/dev/null
keys ana '?'
check "ana: at 80x24 the account's help says more keys are below" wait_screen ana "More keys below: Down or PgDn"
keys ana Escape
check "ana: back on the account, the help's hint went with it" bash -c "for i in \$(seq 40); do
	s=\$(tmux -L '$E2E_SOCK' capture-pane -p -t ana)
	case \$s in *'History (newest first)'*) case \$s in *'More keys'*) ;; *) exit 0 ;; esac ;; esac
	sleep 0.05; done; exit 1"
keys ana Escape
wait_screen ana "EnterOpen" >/dev/null

# ---- q quits cleanly, terminal restored
keys ana q
check "ana: q exits with status 0" wait_for ana "[exit=0]"
check "ana: the terminal is back in canonical mode with echo" wait_for ana "icanon echo"
check "ana: the alternate screen is off after exit" test "$(tm display -p -t ana '#{alternate_on}')" = 0

# ---- live refresh spares the database: a burst of changes is one reload of
# the worklist, and other windows' leases (a worklist shows none) are none.
# The workstation's statements are counted in the server's log.
pq() { psql -X -qAt -U postgres -d cobro -c "$1"; }
log="$(dirname "$(pq 'show data_directory')")/server.log"
pq "alter role luis set log_min_duration_statement = 0"
app_start live "$(cobro_cmd luis)"
wait_for live "(luis, norte)" >/dev/null
pq "alter role luis reset log_min_duration_statement" # the session keeps it
sleep 1 # the first paint's rehearsal
wpid=$(pq "select pid from pg_stat_activity where usename = 'luis' and application_name = 'cobro'")
reloads_since() { tail -c +$(($1 + 1)) "$log" | grep -c "\[$wpid\].*execute.*cobro\.worklist_page"; }
acct=$(sql_as luis "select id from cobro.account order by id limit 1")
mark=$(stat -c %s "$log")
for i in 1 2 3 4 5 6 7 8 9 10; do
	sql_as luis "select cobro.lease_take($acct, 'e2e-other-window', 60)" >/dev/null
	sql_as luis "select cobro.lease_release($acct, 'e2e-other-window')" >/dev/null
done
sleep 1
check "another window taking and leaving accounts reloads no worklist" test "$(reloads_since "$mark")" = 0
# 200 of luis's accounts change in one statement: the notification says
# nothing, the workstation reads which (cobro.changes_since) and reloads once.
mark=$(stat -c %s "$log")
pq "insert into cobro.event (account_id, debtor_id, kind, body)
    select a.id, a.debtor_id, 'note', 'e2e burst' from cobro.account a join cobro.agent g on g.id = a.agent_id
    where g.login = 'luis' order by a.id limit 200" >/dev/null
sleep 1.5
n=$(reloads_since "$mark")
check "200 changes at once reload the worklist once, not 200 times ($n)" test "$n" -ge 1 -a "$n" -le 2
pq "delete from cobro.event where kind = 'note' and body = 'e2e burst'" >/dev/null
sleep 1.2
# Anyone who can connect may NOTIFY cobro's channels (PostgreSQL has no
# privilege on it): a role with no right on the schema sends 1,800 forged
# notifications over some 3 seconds, on every channel the workstation hears.
# They cost no reload, and at most one reading of what changed a second.
readings_since() { tail -c +$(($1 + 1)) "$log" | grep -c "\[$wpid\].*execute.*cobro\.changes_since"; }
pq "drop role if exists e2e_stranger" >/dev/null 2>&1
pq "create role e2e_stranger login" >/dev/null
mark=$(stat -c %s "$log")
t0=$(date +%s%N)
for i in $(seq 30); do
	psql -X -q -U e2e_stranger -d cobro -c "select count(pg_notify(c, g::text)) from
		unnest(array['$(channel NOTIFY_ACCOUNT)', '$(channel NOTIFY_LEASE)', '$(channel NOTIFY_POLICY)']) c,
		generate_series(1, 20) g" >/dev/null
	sleep 0.05
done
sleep 1.2
secs=$((($(date +%s%N) - t0) / 1000000000 + 1))
n=$(reloads_since "$mark") r=$(readings_since "$mark")
# (The 30-second tick reloads the list on top, and may fall in the window;
# before, these notifications reloaded it every WORKLIST_RELOAD_GAP, 0.5 s.)
check "a stranger's 1,800 notifications reload no worklist (at most the tick's: $n)" test "$n" -le 1
check "and the workstation read what changed at most once a second ($r readings in under $secs s)" \
	test "$r" -ge 1 -a "$r" -le "$secs"
pq "drop role e2e_stranger" >/dev/null
keys live q
wait_for live "[exit=0]" >/dev/null

# ---- SIGTERM also restores the terminal
app_start term "$(cobro_cmd luis)"
wait_for term "(luis, norte)" >/dev/null
pid=$(cobro_pid term)
kill -TERM "$pid"
check "SIGTERM: cobro exits with 128+15" wait_for term "[exit=143]"
check "SIGTERM: the terminal is restored" wait_for term "icanon echo"

# ---- SIGTERM while a statement is running is taken when it returns, not after
# the next wait for a key. Here the statement is the rehearsal of opening the
# first account, held up by a lock on the lease table for three seconds.
psql -X -q -U postgres -d cobro -c "BEGIN" -c "LOCK TABLE cobro.lease IN SHARE MODE" \
	-c "SELECT pg_sleep(3)" -c "COMMIT" >/dev/null 2>&1 &
locker=$!
sleep 0.5
app_start busy "$(cobro_cmd luis)"
wait_for busy "(luis, norte)" >/dev/null
pid=$(cobro_pid busy)
kill -TERM "$pid"
check "SIGTERM in a statement: cobro exits once it returns" wait_for busy "[exit=143]" 8
wait "$locker"

# ---- a terminal that goes away (tmux closes the pane, as a dropped ssh does)
# ends cobro, online or not; it never spins on the dead terminal.
app_start gone "$(cobro_cmd luis)"
wait_for gone "(luis, norte)" >/dev/null
pid=$(cobro_pid gone)
tm kill-session -t gone
check "a closed terminal ends cobro" bash -c "for i in \$(seq 50); do kill -0 $pid 2>/dev/null || exit 0; sleep 0.1; done; exit 1"
kill -KILL "$pid" 2>/dev/null

# ---- Spanish from the locale
app_start es "env LANGUAGE=es $(cobro_cmd carla)"
check "carla (es): the worklist speaks Spanish" wait_for es "cuentas por gestionar"
check "carla (es): Spanish column headers" wait_for es "Deudor"
keys es q

# ---- keys are rebound by action name in cobro.conf
conf=$(mktemp)
printf 'keys = { quit = "x"; refresh = "^R"; };\n' >"$conf"
app_start keys "$(cobro_cmd diego) --config $conf"
check "keys: the key bar shows the rebound quit key" wait_for keys "xQuit"
keys keys '?'
check "keys: help shows ^R for reload" wait_for keys "^R       refresh"
keys keys Escape
keys keys x
check "keys: the rebound key quits" wait_for keys "[exit=0]"
printf 'keys = {\n  frobnicate = "z";\n};\n' >"$conf"
app_start badkey "$(cobro_cmd diego) --config $conf"
check "keys: an unknown action is refused with FILE:LINE" wait_for badkey "$conf:2: keys.frobnicate: no action of that name"
# What shows that Esc goes back (above) would see it if it did not: with Esc
# bound to reload, the help stays, and on_worklist says so.
printf 'keys = { refresh = "Esc"; };\n' >"$conf"
app_start noesc "$(cobro_cmd ana) --config $conf"
wait_for noesc "accounts to work" >/dev/null
keys noesc '?'
wait_screen noesc "Reload from the database" >/dev/null
keys noesc Escape
check "keys: with Esc bound to reload, Esc leaves the help up, and the check above sees it" not eventually 2 on_worklist noesc
check "  (the help is still there)" line_has noesc 1 "cobro · Help"
keys noesc q
rm -f "$conf"

# ---- a person who is not an agent gets a clear message, not a screen
app_start nobody "$COBRO_BIN/cobro --database 'host=$PGHOST port=$PGPORT dbname=cobro' --user postgres"
check "a login that is no agent is told so" wait_for nobody "is not a cobro agent"
check "and exits with status 1" wait_for nobody "[exit=1]"

finish
