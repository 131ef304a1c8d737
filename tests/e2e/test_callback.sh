#!/usr/bin/env bash
# A callback scheduled from the account screen tops the worklist once due.
set -u
. "$(dirname "$0")/lib.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }

app_start a "env TZ=Asia/Tokyo $(cobro_cmd luis)" 100 30
wait_for a "accounts to work" >/dev/null
# An account low on the screen: whether it may be called now moves no row
# (issue 15), so a due callback tops the worklist whatever its debtor's hours.
line=$(screen a | awk 'NR >= 3 && NR <= 26 && NF { n = NR } END { print n + 0 }')
check "there is an account far from the top (line $line)" test "$line" -gt 8
for i in $(seq $((line - 3))); do keys a Down; done
keys a Enter
wait_for a "History (newest first)" >/dev/null
ref=$(screen a | sed -n 2p | sed 's/.*·  //; s/ *$//')
name=$(q "select d.name from cobro.account a join cobro.debtor d on d.id = a.debtor_id where a.reference = '$ref'")
check "the chosen account ($ref) is not first before its callback" bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t a | sed -n 3p | grep -qF '${name:0:20}'"
keys a b
wait_screen a "Callback time in" >/dev/null
keys a 1
text a "$(date -u -d '+1 day' +%Y-%m-%d) 10:00"
keys a Enter
check "the callback is scheduled" wait_for a "Saved"
keys a Escape
keys a Home
# Time passes: the callback falls due (moved into the past here, as the clock
# would), and the change is announced like any other.
q "update cobro.callback set due_at = now() - interval '1 minute' where account_id = (select id from cobro.account where reference = '$ref');
   update cobro.account set next_action_at = now() - interval '1 minute' where reference = '$ref'" >/dev/null
# Due callbacks form the top tier, ordered among themselves by expected value.
# The demo portfolio has a few of luis's next actions due already (and an
# earlier run of this test leaves one), so "on top" is: within that tier, above
# every account whose next action is not due.
due=$(q "select count(*) from cobro.account a join cobro.agent g on g.id = a.agent_id
         where g.login = 'luis' and a.next_action_at <= now()")
check "once due, the callback's account is on top of the worklist, among the $due due" bash -c "
	for i in \$(seq 50); do
		n=\$(tmux -L '$E2E_SOCK' capture-pane -p -t a | awk -v s='${name:0:20}' 'NR >= 3 && index(\$0, s) { print NR; exit }')
		[ -n \"\$n\" ] && [ \"\$n\" -le $((2 + due)) ] && exit 0
		sleep 0.1
	done; exit 1"
keys a q
wait_for a "[exit=0]" >/dev/null
finish
