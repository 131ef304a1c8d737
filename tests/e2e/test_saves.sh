#!/usr/bin/env bash
# Nothing typed is ever lost (issue 15, line 1). With the database stopped, a
# note typed on an account and a call outcome chosen after it (c while a
# save waits used to be ignored) are kept by the workstation when the
# person goes back to the worklist (Esc used to drop the note), the status
# line says how many wait, and each is saved once when the database is
# back. q with saves waiting asks; SIGTERM keeps them in a file of the
# person's own (0600, $XDG_STATE_HOME/cobro/pending/LOGIN), and the next
# start of the same login saves them once and removes the file.
set -u
. "$(dirname "$0")/lib.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
pgdir=$(dirname "$PGHOST")/$(basename "$PGHOST")
start_db() { "$COBRO_TOP/scripts/pg.sh" start "$pgdir" "$PGPORT" >/dev/null 2>&1; }
stop_db() { "$COBRO_TOP/scripts/pg.sh" stop "$pgdir" >/dev/null 2>&1; }
state=$(mktemp -d)
trap 'start_db; tmux -L "$E2E_SOCK" kill-server 2>/dev/null; rm -f "$E2E_CONF"; rm -rf "$state"' EXIT
export XDG_STATE_HOME=$state
kept=$state/cobro/pending/carla
cmd="XDG_STATE_HOME=$state $(cobro_cmd carla)"
shows() { screen "$1" | grep -qF -- "$2"; }
count_body() { q "select count(*) from cobro.event where body = '$1'"; }
saved_once() { test "$(count_body "$1")" = 1; }
# The reference shown on the account's second line, and its account's id.
open_ref() { screen "$1" | sed -n 2p | sed 's/.*·  //; s/ *$//'; }
account_of() { q "select id from cobro.account where reference = '$1'"; }

# --- Esc to the worklist, and c while a save waits ----------------------------
app_start a "$cmd" 100 30
wait_for a "accounts to work" >/dev/null
keys a Enter
wait_for a "History (newest first)" >/dev/null
ref=$(open_ref a)
acc=$(account_of "$ref")
since=$(q "select now()")
note="Nota que no se pierde $$"

stop_db
keys a o
wait_screen a "Note:" >/dev/null
text a "$note"
keys a Enter
check "with the database away, the status line says one save waits" wait_screen a "1 waiting to be saved" 10
keys a c
check "c while a save waits opens the call outcomes (it was ignored)" wait_screen a "Call outcome"
keys a 3
check "the outcome waits behind the note: 2 waiting" wait_screen a "2 waiting to be saved"
keys a Escape
check "back on the worklist" eventually 10 line_has a 1 "Worklist"
check "the worklist's status line still says 2 waiting" wait_screen a "2 waiting to be saved"
sleep 1
start_db
check "once the database is back, they are saved" eventually 20 saved_once "$note"
check "nothing waits any more" eventually 5 not shows a "waiting to be saved"
check "the note is in cobro.event exactly once" test "$(count_body "$note")" = 1
check "... in the account's history, as carla's" \
	test "$(q "select count(*) from cobro.event e join cobro.agent g on g.id = e.agent_id
	          where e.account_id = $acc and e.kind = 'note' and e.body = '$note' and g.login = 'carla'")" = 1
check "the call chosen while the note waited is in cobro.event exactly once" \
	test "$(q "select count(*) from cobro.event where account_id = $acc and kind = 'call'
	          and outcome = 'no_answer' and at >= '$since'")" = 1
check "the file they waited in is gone once they are saved" test ! -e "$kept"

# --- q with saves waiting asks ------------------------------------------------
keys a Enter
wait_for a "History (newest first)" >/dev/null
ref2=$(open_ref a)
note2="Nota guardada al salir con q $$"
stop_db
keys a o
wait_screen a "Note:" >/dev/null
text a "$note2"
keys a Enter
wait_screen a "1 waiting to be saved" 10 >/dev/null
keys a q
check "q with a save waiting asks first" wait_screen a "Keep them on disk and quit"
keys a 3
check "Stay: the question goes" eventually 5 not shows a "Keep them on disk and quit"
check "... the workstation goes on, the save still waiting" wait_screen a "1 waiting to be saved"
keys a q
wait_screen a "Keep them on disk and quit" >/dev/null
keys a 1
check "Keep them on disk and quit: cobro ends" wait_for a "[exit=0]" 10
check "... keeping the note in \$XDG_STATE_HOME/cobro/pending/carla" grep -qF "$note2" "$kept"
check "... readable by the person alone (0600)" test "$(stat -c %a "$kept")" = 600

# --- SIGTERM keeps them; the next start saves them once ----------------------
start_db
check "the note kept by q is not saved yet" test "$(count_body "$note2")" = 0
# The workstation that quit while the database was away could not give its
# lease back; it runs out by itself in minutes (lease_setting). Gone now.
q "delete from cobro.lease where agent_id = (select id from cobro.agent where login = 'carla')" >/dev/null
app_start b "$cmd" 100 30
tm kill-session -t "=a" 2>/dev/null
check "the next start saves what was kept" eventually 20 saved_once "$note2"
check "the note kept by q is in cobro.event exactly once" test "$(count_body "$note2")" = 1
check "... on its account" test "$(q "select count(*) from cobro.event where body = '$note2'
	                                 and account_id = $(account_of "$ref2")")" = 1
check "the file is gone once saved" eventually 5 test ! -e "$kept"

keys b Enter
wait_for b "History (newest first)" >/dev/null
note3="Nota guardada antes de SIGTERM $$"
stop_db
keys b o
wait_screen b "Note:" >/dev/null
text b "$note3"
keys b Enter
wait_screen b "1 waiting to be saved" 10 >/dev/null
kill -TERM "$(cobro_pid b)"
check "SIGTERM with a save waiting ends cobro with 143" wait_for b "[exit=143]" 10
check "... the terminal restored" wait_for b "icanon echo"
check "... and says where the save was kept" wait_for b "1 waiting to be saved, kept in $kept"
check "the note is kept in the file" grep -qF "$note3" "$kept"
check "... 0600" test "$(stat -c %a "$kept")" = 600
check "... in a directory of the person's own (0700)" test "$(stat -c %a "$(dirname "$kept")")" = 700
check "no temporary file is left beside it" test "$(ls -A "$(dirname "$kept")" | wc -l)" = 1
start_db
app_start c "$cmd" 100 30
tm kill-session -t "=b" 2>/dev/null
check "the next start saves it" eventually 20 saved_once "$note3"
check "the note kept by SIGTERM is in cobro.event exactly once" test "$(count_body "$note3")" = 1
check "the file is removed" eventually 5 test ! -e "$kept"
keys c q
check "nothing waits: q quits at once" wait_for c "[exit=0]" 10
app_start d "$cmd" 100 30
tm kill-session -t "=c" 2>/dev/null
wait_for d "accounts to work" >/dev/null
keys d q
wait_for d "[exit=0]" 10 >/dev/null
check "a later start saves nothing again" test "$(count_body "$note3")" = 1

# --- q, then "wait for the database": cobro quits once all is saved ---------
q "delete from cobro.lease where agent_id = (select id from cobro.agent where login = 'carla')" >/dev/null
app_start e "$cmd" 100 30
tm kill-session -t "=d" 2>/dev/null
wait_for e "accounts to work" >/dev/null
keys e Enter
wait_for e "History (newest first)" >/dev/null
note4="Nota de quien espera para salir $$"
stop_db
keys e o
wait_screen e "Note:" >/dev/null
text e "$note4"
keys e Enter
wait_screen e "1 waiting to be saved" 10 >/dev/null
keys e q
wait_screen e "Wait for the database, then quit" >/dev/null
keys e 2
sleep 1
check "Wait: cobro is still there while the database is away" not shows e "[exit="
start_db
check "once the database is back, cobro saves and quits by itself" wait_for e "[exit=0]" 20
check "the note is in cobro.event exactly once" test "$(count_body "$note4")" = 1
check "and no file was kept" test ! -e "$kept"

# --- a file that is not one is put aside, and said ---------------------------
mkdir -p "$(dirname "$kept")"
printf 'not a file of saves\n' >"$kept"
app_start f "$cmd" 100 30
tm kill-session -t "=e" 2>/dev/null
check "a file that cannot be read is said" wait_for f "Could not read what was kept to save" 10
check "... and put aside, not written over" eventually 5 test -e "$(ls "$kept".unreadable.* 2>/dev/null | head -n 1)"
keys f q
wait_for f "[exit=0]" 10 >/dev/null

# --- what the database refuses is said, and kept aside ------------------------
# A save kept on disk for an account that is no longer carla's (here, one of
# luis's): refused when saved, and written to pending/carla.refused.
other=$(q "select a.id from cobro.account a join cobro.agent g on g.id = a.agent_id where g.login = 'luis' limit 1")
note5="Nota para una cuenta que ya no es suya $$"
rm -f "$kept".unreadable.*
printf 'cobro pending saves 1\nlogin\tcarla\nnote\t%s\t%s\t-\t0\t0\t-\t+%s\n' \
	"$(cat /proc/sys/kernel/random/uuid)" "$other" "$note5" >"$kept"
chmod 600 "$kept"
app_start g "$cmd" 200 30
tm kill-session -t "=f" 2>/dev/null
check "a save the database refuses is said, with where it is kept" wait_for g "Not saved: no such account (kept in $kept.refused)" 10
check "... it is not in cobro.event" test "$(count_body "$note5")" = 0
check "... it is kept in pending/carla.refused" grep -qF "$note5" "$kept.refused"
check "... and the pending file is gone" eventually 5 test ! -e "$kept"
keys g q
check "nothing waits: q quits at once" wait_for g "[exit=0]" 10

# --- not even SIGKILL loses it: it is on disk while it waits ------------------
q "delete from cobro.lease where agent_id = (select id from cobro.agent where login = 'carla')" >/dev/null
app_start h "$cmd" 100 30
tm kill-session -t "=g" 2>/dev/null
wait_for h "accounts to work" >/dev/null
keys h Enter
wait_for h "History (newest first)" >/dev/null
note6="Nota que sobrevive a SIGKILL $$"
stop_db
keys h o
wait_screen h "Note:" >/dev/null
text h "$note6"
keys h Enter
wait_screen h "1 waiting to be saved" 10 >/dev/null
check "a save that waits is on disk at once" grep -qF "$note6" "$kept"
kill -KILL "$(cobro_pid h)"
wait_for h "[exit=137]" 10 >/dev/null
start_db
q "delete from cobro.lease where agent_id = (select id from cobro.agent where login = 'carla')" >/dev/null
app_start i "$cmd" 100 30
tm kill-session -t "=h" 2>/dev/null
check "after SIGKILL, the next start saves it" eventually 20 saved_once "$note6"
check "... and removes the file" eventually 5 test ! -e "$kept"
keys i q
wait_for i "[exit=0]" 10 >/dev/null
finish
