#!/usr/bin/env bash
# Opening and leaving an account without waiting for the database: the account
# under the worklist's cursor is read ahead and painted at once on Enter, its
# lease taken just after; Esc paints the worklist before the lease goes back;
# n and N paint the next account with only the worklist's page read.
# To see what is painted before the database answers, a psql session holds
# the lease row (or the place for it) in an open transaction, so that the
# workstation's lease statement waits for as long as the test wants.
set -u
. "$(dirname "$0")/lib.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }

fifo=$(mktemp -u)
mkfifo "$fifo"
blocker_pid=
trap 'tmux -L "$E2E_SOCK" kill-server 2>/dev/null; rm -f "$E2E_CONF" "$fifo"; [ -n "$blocker_pid" ] && kill "$blocker_pid" 2>/dev/null' EXIT

# block SQL: a psql session runs SQL in a transaction it keeps open until
# unblock COMMIT|ROLLBACK; returns once SQL has run.
block() {
	psql -X -q -U postgres -d cobro -v ON_ERROR_STOP=1 <"$fifo" >/dev/null &
	blocker_pid=$!
	exec 7>"$fifo"
	echo "BEGIN; $1; SET application_name = 'e2e-blocker';" >&7
	local deadline=$((SECONDS + 5))
	until [ "$(q "select count(*) from pg_stat_activity where application_name = 'e2e-blocker' and state = 'idle in transaction'")" = 1 ]; do
		[ $SECONDS -gt $deadline ] && { echo "# the blocker never started" >&2; return 1; }
		sleep 0.05
	done
}
unblock() {
	echo "$1;" >&7
	exec 7>&-
	wait "$blocker_pid"
	blocker_pid=
}
# title_is NAME TEXT [SECONDS]: the title line names the screen on top.
title_is() {
	local deadline=$((SECONDS + ${3:-5}))
	until screen "$1" | sed -n 1p | grep -qF -- "cobro · $2"; do
		[ $SECONDS -gt $deadline ] && return 1
		sleep 0.05
	done
}
# not_within SECONDS NAME TEXT: TEXT does not show on the screen for that long.
not_within() {
	local deadline=$((SECONDS + $1))
	while [ $SECONDS -le $deadline ]; do
		screen "$2" | grep -qF -- "$3" && return 1
		sleep 0.1
	done
}

app_start a "$(cobro_cmd carla)" 100 32
wait_for a "accounts to work" >/dev/null
# Which account is under the cursor: open it once, the usual way.
keys a Enter
wait_for a "History (newest first)" >/dev/null
ref=$(screen a | sed -n 2p | sed 's/.*·  //; s/ *$//')
id=$(q "select id from cobro.account where reference = '$ref'")
check "carla's first account is known ($ref)" test -n "$id"
check "  and its lease is hers" until_true 5 "select exists (select 1 from cobro.lease l join cobro.agent g on g.id = l.agent_id where l.account_id = $id and g.login = 'carla')"

# Esc paints the worklist first: diego's session holds carla's lease row, so
# giving it back waits, and the worklist is there all the same.
block "SELECT 1 FROM cobro.lease WHERE account_id = $id FOR UPDATE"
keys a Escape
check "Esc paints the worklist while the lease is still being given back" title_is a Worklist 2
check "  (the lease is still hers then)" test "$(q "select count(*) from cobro.lease where account_id = $id")" = 1
unblock COMMIT
check "  and it is given back once the database answers" until_true 5 "select not exists (select 1 from cobro.lease where account_id = $id)"

# Enter paints the account read ahead at once: diego's session is inserting
# a lease for it, so carla's lease statement waits until that transaction ends.
diego=$(q "select id from cobro.agent where login = 'diego'")
block "INSERT INTO cobro.lease (account_id, agent_id, session, expires_at) VALUES ($id, $diego, 'e2e', now() + interval '1 minute')"
keys a Enter
check "Enter paints the account before its lease is taken" title_is a Account 2
keys a o
check "  a key that needs the lease waits for it" not_within 1 a "Note:"
unblock COMMIT
check "  and then finds diego on the account" wait_screen a "Diego Núñez Araya is on this account"
check "  and does not open the note" not_within 1 a "Note:"
check "the lease stays diego's" test "$(q "select g.login from cobro.lease l join cobro.agent g on g.id = l.agent_id where l.account_id = $id")" = diego
q "delete from cobro.lease where account_id = $id" >/dev/null
keys a Escape
title_is a Worklist >/dev/null

# A change to the account read ahead is never painted from the old copy: a
# note added in psql must be on the first paint of the account, whether it
# was read again after the change or waits for the database.
debtor=$(q "select debtor_id from cobro.account where id = $id")
mark="e2e-ahead-$$"
q "insert into cobro.event (account_id, debtor_id, kind, body) values ($id, $debtor, 'note', '$mark')" >/dev/null
sleep 1
block "INSERT INTO cobro.lease (account_id, agent_id, session, expires_at) VALUES ($id, $diego, 'e2e', now() + interval '1 minute')"
keys a Enter
sleep 1
first=$(screen a)
unblock ROLLBACK
if echo "$first" | grep -qF "History (newest first)"; then
	check "the account painted before the lease shows the note added meanwhile" grep -qF "$mark" <<<"$first"
else
	check "the account waited for the database and shows the note" wait_screen a "$mark"
fi
check "  and, the lease free again, it is carla's" until_true 5 "select exists (select 1 from cobro.lease l join cobro.agent g on g.id = l.agent_id where l.account_id = $id and g.login = 'carla')"
q "delete from cobro.event where account_id = $id and body = '$mark'" >/dev/null

keys a Escape
title_is a Worklist >/dev/null

# Someone else on the account read ahead is on its first paint: diego takes
# the lease (committed; his workstation would), carla's copy is dropped and
# read again, holder and all. With contact points locked, her opening cannot
# ask the database, so whatever shows came from the copy.
q "insert into cobro.lease (account_id, agent_id, session, expires_at) values ($id, $diego, 'e2e', now() + interval '1 minute')" >/dev/null
sleep 1 # heard, and read again once carla rests
block "LOCK TABLE cobro.contact_point IN ACCESS EXCLUSIVE MODE"
keys a Enter
check "Enter paints diego on the account at once, from the account read ahead" wait_screen a "Diego Núñez Araya is on this account" 2
check "  and says so on the status line" wait_screen a "diego is on this account" 1
unblock COMMIT
check "  which the database then confirms" not_within 1 a "The account is free"
check "  (the lease is still diego's)" test "$(q "select g.login from cobro.lease l join cobro.agent g on g.id = l.agent_id where l.account_id = $id")" = diego
keys a Escape
title_is a Worklist >/dev/null
check "  back on the worklist, the message went with the account" bash -c "screen_line() { tmux -L '$E2E_SOCK' capture-pane -p -t a | tail -n 2 | head -n 1; }; for i in \$(seq 40); do screen_line | grep -qF 'accounts to work' && ! screen_line | grep -qF 'on this account' && exit 0; sleep 0.05; done; exit 1"
# And once he leaves, the copy says so too: his lease going is heard, and
# the account is read again.
q "delete from cobro.lease where account_id = $id" >/dev/null
sleep 1
block "LOCK TABLE cobro.contact_point IN ACCESS EXCLUSIVE MODE"
keys a Enter
check "after diego leaves, Enter paints the account from the copy read again" title_is a Account 2
check "  and no one is on it" not_within 1 a "is on this account"
unblock COMMIT
check "  and the lease is carla's" until_true 5 "select exists (select 1 from cobro.lease l join cobro.agent g on g.id = l.agent_id where l.account_id = $id and g.login = 'carla')"
keys a Escape
title_is a Worklist >/dev/null

# n opens the next account without waiting for the contact policy: the
# answers to "may we call now?" are kept until something changes, and the
# next account is read ahead. With contact points locked (the policy's facts
# and the account screen read them; the worklist's page does not), n still
# paints the next account, and its second reading waits for the lock.
# reference_on NAME: the account shown (the title line's reference).
reference_on() { screen "$1" | sed -n 2p | sed 's/.*·  //; s/ *$//'; }
sleep 1 # the worklist reloads after the note went, and reads ahead
block "LOCK TABLE cobro.contact_point IN ACCESS EXCLUSIVE MODE"
# The blocker holds the lock (asked of pg_locks, not by timing a read out:
# under a clock libfaketime moves ahead, PostgreSQL's statement_timeout fires
# that much late; see tests/run.sh).
check "(the lock keeps contact points from being read)" test "$(q "select count(*) from pg_locks l join pg_stat_activity a on a.pid = l.pid
	where a.application_name = 'e2e-blocker' and l.relation = 'cobro.contact_point'::regclass and l.mode = 'AccessExclusiveLock' and l.granted")" = 1
keys a n
check "n paints the next account while the contact policy's facts are locked" title_is a Account 2
unblock COMMIT
title_is a Account >/dev/null
next_ref=$(reference_on a)
check "  and it is not the account just worked ($next_ref)" test -n "$next_ref" -a "$next_ref" != "$ref"

# While an account is open, a change elsewhere (here diego's account) may
# turn any answer, so they are forgotten; the worklist under the account
# reads them again once carla pauses, so that N (save and next) finds the
# next account ready all the same.
other=$(q "select a.id from cobro.account a join cobro.agent g on g.id = a.agent_id where g.login = 'diego' limit 1")
q "insert into cobro.event (account_id, debtor_id, kind, body) select id, debtor_id, 'note', '$mark' from cobro.account where id = $other" >/dev/null
sleep 3 # the worklist's quiet reload: 2 s after the last, once carla paused
block "LOCK TABLE cobro.contact_point IN ACCESS EXCLUSIVE MODE"
keys a N
check "N paints the next account while the facts are locked" bash -c "for i in \$(seq 40); do
	r=\$(tmux -L '$E2E_SOCK' capture-pane -p -t a | sed -n 2p | sed 's/.*·  //; s/ *\$//')
	[ -n \"\$r\" ] && [ \"\$r\" != '$next_ref' ] && tmux -L '$E2E_SOCK' capture-pane -p -t a | sed -n 1p | grep -qF 'cobro · Account' && exit 0
	sleep 0.05; done; exit 1"
unblock COMMIT
q "delete from cobro.event where account_id = $other and body = '$mark'" >/dev/null

keys a Escape
keys a q
check "quits cleanly" wait_for a "[exit=0]"
check "and gives the leases back" until_true 5 "select not exists (select 1 from cobro.lease l join cobro.agent g on g.id = l.agent_id where g.login = 'carla')"
finish
