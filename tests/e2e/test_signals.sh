#!/usr/bin/env bash
# Every signal that ends the workstation leaves the terminal as the shell had
# it (issue 14, line 9: Ctrl-\ left it in curses mode): out of the alternate
# screen, echo and canonical mode back. The signals that can wait (SIGQUIT,
# SIGTERM, SIGHUP, SIGINT, SIGUSR1) end it through the loop, with 128+N; the
# fatal ones (SIGABRT, SIGSEGV) restore in the handler and end it by the
# default action, core and all.
set -u
. "$(dirname "$0")/lib.sh"

alternate_off() { test "$(tm display -p -t "=$1:" '#{alternate_on}')" = 0; }
alternate_on() { test "$(tm display -p -t "=$1:" '#{alternate_on}')" = 1; }

# ends_restored SIGNAL EXIT [HOW]: cobro started, sent SIGNAL (kill, or the
# keys HOW), ends with EXIT and the terminal restored.
ends_restored() {
	local sig=$1 want=$2 how=${3:-} name
	name=s$(tr 'A-Z' 'a-z' <<<"$sig")${how:+k}
	app_start "$name" "ulimit -c 0; $(cobro_cmd luis)"
	if ! wait_for "$name" "(luis, norte)" 10 >/dev/null; then
		not_ok "$sig${how:+ ($how)}: the workstation did not start"
		return
	fi
	check "$sig${how:+ ($how)}: the screen is in curses' alternate screen first" alternate_on "$name"
	if [ -n "$how" ]; then
		keys "$name" "$how"
	else
		kill "-$sig" "$(cobro_pid "$name")"
	fi
	check "$sig${how:+ ($how)}: cobro ends with $want" wait_for "$name" "[exit=$want]" 8
	check "$sig${how:+ ($how)}: echo and canonical mode are back" wait_for "$name" "icanon echo"
	check "$sig${how:+ ($how)}: the alternate screen is left" alternate_off "$name"
	tm kill-session -t "=$name" 2>/dev/null
}

ends_restored QUIT 131
ends_restored QUIT 131 'C-\'
ends_restored TERM 143
ends_restored HUP 129
ends_restored USR1 138
ends_restored ABRT 134
ends_restored SEGV 139
# Ctrl-C: the workstation's own quit, status 0.
ends_restored INT 0

# The message says why it stopped.
app_start why "$(cobro_cmd luis) 2>/tmp/cobro-e2e-why.$$"
wait_for why "(luis, norte)" 10 >/dev/null
kill -QUIT "$(cobro_pid why)"
wait_for why "[exit=131]" 8 >/dev/null
check "SIGQUIT: stderr says cobro stopped by signal 3" grep -qx "cobro: stopped by signal 3" "/tmp/cobro-e2e-why.$$"
rm -f "/tmp/cobro-e2e-why.$$"

# Ctrl-Z in a shell with job control: the workstation stops with the
# terminal as the shell had it, and fg repaints it whole.
app_start tstp "env PS1='$ ' bash --norc --noprofile -i"
sleep 0.3
text tstp "$(cobro_cmd luis)"
keys tstp Enter
if wait_screen tstp "(luis, norte)" 10 >/dev/null; then
	keys tstp C-z
	check "SIGTSTP (C-z): the shell says the workstation stopped" wait_for tstp "Stopped" 5
	check "SIGTSTP: the alternate screen is left while it is stopped" eventually 3 alternate_off tstp
	# (bash puts its own terminal modes back when a job stops, so the
	# modes are not checked here: the alternate screen is curses' alone.)
	keys tstp C-l
	text tstp fg
	keys tstp Enter
	check "SIGCONT (fg): the workstation comes back in the alternate screen" eventually 5 alternate_on tstp
	check "SIGCONT: and paints its screen again" wait_screen tstp "(luis, norte)" 5
	keys tstp q
	check "and quits as usual" eventually 5 alternate_off tstp
else
	not_ok "SIGTSTP: the workstation did not start in the interactive shell"
fi
finish
