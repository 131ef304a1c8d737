#!/usr/bin/env bash
# Real outside services on 127.0.0.1 for cobrod's tests, the demo and the
# benchmark: Kannel (an SMS gateway) with fakesmsc as the operator, and an SMTP
# server that requires AUTH and keeps every message.
#
#   scripts/services.sh start  DIR [kannel] [smtp]   start them (both when none named)
#   scripts/services.sh stop   DIR [kannel] [smtp]   stop them (all when none named)
#   scripts/services.sh status DIR                   what runs; exit 3 when nothing does
#   scripts/services.sh env    DIR                   the settings start used, as exports
#   scripts/services.sh mo     DIR FROM TEXT [TO]    a phone FROM texts TEXT to TO
#                                                    (TO: the short code, KANNEL_SHORTCODE)
#
# Everything lives in DIR (e.g. var/services, var/test/services):
#   kannel.conf          written from the template below on every start
#   services.env         the settings of the last start, sourced by stop/status/mo
#   *.pid                one per running program; removed when it stops
#   log/                 bearerbox.log, smsbox.log, access.log, *.stderr, smtpd.log
#   mo.fifo              fakesmsc's standard input: one MO line per message
#   fakesmsc.out         what the operator received (MT lines, see below)
#   mail/NNNNNN.eml      each email's DATA, byte for byte (tests/lib/smtpd.py)
#   mail/NNNNNN.json     its envelope
#
# Settings, from the environment with these defaults. start records them in
# DIR/services.env; while anything started in DIR runs, that file wins over the
# environment (start then says which variables it ignored), so stop, status and
# mo always reach what runs.
#   KANNEL_ADMIN_PORT=13000 KANNEL_BOX_PORT=13001 KANNEL_SENDSMS_PORT=13013
#   KANNEL_SMSC_PORT=10000  KANNEL_ADMIN_PASSWORD=cobro-admin (also for status)
#   KANNEL_SENDSMS_USER=cobro KANNEL_SENDSMS_PASSWORD=cobro
#   KANNEL_SHORTCODE=12345   default sender of MT, receiver of MO
#   KANNEL_MAX_MESSAGES=3    segments one MT may take; Kannel cuts a longer
#                            text to that many and still answers 202
#   KANNEL_LOG_LEVEL=1       0 debug .. 4 panic (0 costs ~20% of sendsms speed)
#   KANNEL_MAX_PENDING=128   HTTP requests (MO, DLR) smsbox has open at once:
#                            it opens that many keep-alive connections to cobrod
#   KANNEL_HTTP_RETRIES=10 KANNEL_HTTP_RETRY_DELAY=2
#                            an MO or DLR that cobrod did not answer with 200 or
#                            202 (refused, 404, 500, even 204) is tried again
#                            this many times, this many seconds apart
#   KANNEL_STOP_WORDS="stop stopall unsubscribe cancel end quit baja alto parar"
#                            first words Kannel marks kind=stop (cobrod ignores
#                            the mark and reads the text itself)
#   KANNEL_CALLBACK_SECRET   what the MO get-url carries as key= (a random one
#                            when unset): cobrod.conf's callback_secret of the
#                            Kannel transport must be the same
#   COBROD_HTTP=http://127.0.0.1:$COBROD_HTTP_PORT (COBROD_HTTP_PORT=8090)
#   SMTP_PORT=2525 SMTP_USER=cobro SMTP_PASSWORD=cobro
#
# Inbound SMS reach cobrod as
#   GET $COBROD_HTTP/kannel/mo?kind=stop|reply&key=SECRET&from=PHONE&to=SHORTCODE
#       &text=TEXT&coding=C&ts=UNIX_SECONDS&id=KANNEL_UUID&smsc=SMSC_ID
# TEXT is the whole message as sent (spaces and line breaks kept),
# percent-encoded UTF-8 (space as "+"; a phone number's "+" as %2B); C is 0 for
# text (UCS-2 from the phone is recoded to UTF-8, so 0 too) and 1 for binary.
# kind=stop when the first word is one of KANNEL_STOP_WORDS, in any case, as a
# whole word ("STOP.", "baja por favor"; not "Bajaré"); kind=reply otherwise.
# cobrod answers 403 without the key, and decides what is an opt-out from the
# text alone (the kind is a hint for other readers of Kannel's access log).
# Nothing cobrod answers is ever texted back to the phone.
#
# fakesmsc.out holds fakesmsc's log; each MT the operator accepted is a line
#   ... DEBUG: Got message N: <SENDER RECEIVER text TEXT>          (GSM 7-bit, UTF-8)
#   ... DEBUG: Got message N: <SENDER RECEIVER ucs-2 URLENC>       (UTF-16BE)
#   ... DEBUG: Got message N: <SENDER RECEIVER udh URLENC data URLENC>
# the last one per segment of a concatenated MT (tests/lib/services.sh decodes
# all three: fakesmsc_texts). The fake operator acknowledges each MT with
# delivery reports 8 (accepted) then 1 (delivered) within a second, one pair per
# MT however many segments; they may reach the dlr-url in either order.
#
# Runs as root and as an ordinary user; needs kannel, kannel-extras (fakesmsc),
# python3-aiosmtpd and curl (scripts/deps.sh).
set -euo pipefail

usage() {
	echo "usage: $0 start|stop DIR [kannel] [smtp] | status|env DIR | mo DIR FROM TEXT [TO]" >&2
	exit 2
}

die() {
	echo "services.sh: $*" >&2
	exit 1
}

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BEARERBOX=${BEARERBOX:-/usr/sbin/bearerbox}
SMSBOX=${SMSBOX:-/usr/sbin/smsbox}
FAKESMSC=${FAKESMSC:-/usr/lib/kannel/test/fakesmsc}
PYTHON=${PYTHON:-/usr/bin/python3} # Debian's: the one that sees python3-aiosmtpd

# ---------------------------------------------------------------- settings

# Settings come from the environment, DIR/services.env (what the last start
# used) and the defaults. While anything started in DIR still runs, the file
# comes first: stop, status and mo must talk to what runs, whatever the caller's
# environment says. Otherwise (a fresh start) the environment comes first.
load_settings() {
	local saved="$dir/services.env" name
	local -a names=(KANNEL_ADMIN_PORT KANNEL_BOX_PORT KANNEL_SENDSMS_PORT KANNEL_SMSC_PORT
		KANNEL_ADMIN_PASSWORD KANNEL_SENDSMS_USER KANNEL_SENDSMS_PASSWORD KANNEL_SHORTCODE
		KANNEL_MAX_MESSAGES KANNEL_LOG_LEVEL KANNEL_STOP_WORDS KANNEL_MAX_PENDING
		KANNEL_HTTP_RETRIES KANNEL_HTTP_RETRY_DELAY KANNEL_CALLBACK_SECRET COBROD_HTTP_PORT COBROD_HTTP
		SMTP_PORT SMTP_USER SMTP_PASSWORD)
	declare -A from_env=()
	env_differs=""
	for name in "${names[@]}"; do
		if [ -n "${!name+set}" ]; then from_env[$name]=${!name}; fi
	done
	if [ -f "$saved" ]; then
		# shellcheck disable=SC1090
		. "$saved"
		if anything_runs; then
			for name in "${!from_env[@]}"; do
				[ "${from_env[$name]}" = "${!name:-}" ] || env_differs+=" $name"
			done
			from_env=()
		fi
	fi
	for name in "${!from_env[@]}"; do printf -v "$name" '%s' "${from_env[$name]}"; done

	KANNEL_ADMIN_PORT=${KANNEL_ADMIN_PORT:-13000}
	KANNEL_BOX_PORT=${KANNEL_BOX_PORT:-13001}
	KANNEL_SENDSMS_PORT=${KANNEL_SENDSMS_PORT:-13013}
	KANNEL_SMSC_PORT=${KANNEL_SMSC_PORT:-10000}
	KANNEL_ADMIN_PASSWORD=${KANNEL_ADMIN_PASSWORD:-cobro-admin}
	KANNEL_SENDSMS_USER=${KANNEL_SENDSMS_USER:-cobro}
	KANNEL_SENDSMS_PASSWORD=${KANNEL_SENDSMS_PASSWORD:-cobro}
	KANNEL_SHORTCODE=${KANNEL_SHORTCODE:-12345}
	KANNEL_MAX_MESSAGES=${KANNEL_MAX_MESSAGES:-3}
	KANNEL_LOG_LEVEL=${KANNEL_LOG_LEVEL:-1}
	KANNEL_MAX_PENDING=${KANNEL_MAX_PENDING:-128}
	KANNEL_HTTP_RETRIES=${KANNEL_HTTP_RETRIES:-10}
	KANNEL_HTTP_RETRY_DELAY=${KANNEL_HTTP_RETRY_DELAY:-2}
	KANNEL_STOP_WORDS=${KANNEL_STOP_WORDS:-stop stopall unsubscribe cancel end quit baja alto parar}
	# Not guessable: whoever has it speaks for the gateway to cobrod.
	KANNEL_CALLBACK_SECRET=${KANNEL_CALLBACK_SECRET:-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')}
	COBROD_HTTP_PORT=${COBROD_HTTP_PORT:-8090}
	COBROD_HTTP=${COBROD_HTTP:-http://127.0.0.1:$COBROD_HTTP_PORT}
	SMTP_PORT=${SMTP_PORT:-2525}
	SMTP_USER=${SMTP_USER:-cobro}
	SMTP_PASSWORD=${SMTP_PASSWORD:-cobro}
	settings=("${names[@]}")
}

# The settings as sourceable shell (printf %q keeps spaces and quotes intact).
print_settings() {
	local name
	for name in "${settings[@]}"; do printf 'export %s=%q\n' "$name" "${!name}"; done
	printf 'export KANNEL_SENDSMS_URL=%q\n' "http://127.0.0.1:$KANNEL_SENDSMS_PORT/cgi-bin/sendsms"
	printf 'export KANNEL_STATUS_URL=%q\n' "http://127.0.0.1:$KANNEL_ADMIN_PORT/status.txt?password=$KANNEL_ADMIN_PASSWORD"
}

# ---------------------------------------------------------------- processes

# pid_of NAME: the PID in DIR/NAME.pid when that process still runs and is
# still ours (its command line, or its standard input, names DIR), so a stale
# file whose PID the system gave to another program is never signalled.
pid_of() {
	local name=$1 file="$dir/$1.pid" pid cmd
	[ -f "$file" ] || return 1
	pid=$(cat "$file")
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	# A zombie (exited, not yet reaped by whoever inherited it) counts as gone.
	alive "$pid" || return 1
	cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
	case $name in
	bearerbox) [[ $cmd == *bearerbox*" $dir/kannel.conf " ]] ;;
	smsbox) [[ $cmd == *smsbox*" $dir/kannel.conf " ]] ;;
	# fakesmsc's command line names no file of DIR, its standard input does.
	fakesmsc) [[ $cmd == *fakesmsc* ]] && [ "$(readlink "/proc/$pid/fd/0" 2>/dev/null)" = "$dir/mo.fifo" ] ;;
	smtpd) [[ $cmd == *"smtpd.py $dir --host "* ]] ;;
	*) return 1 ;;
	esac || return 1
	echo "$pid"
}

anything_runs() {
	local name
	for name in bearerbox smsbox fakesmsc smtpd; do
		if pid_of "$name" >/dev/null; then return 0; fi
	done
	return 1
}

# port_open PORT: something accepts connections on 127.0.0.1:PORT.
port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_up NAME SECONDS CMD...: poll CMD every 0.1 s until it succeeds; give up
# after SECONDS, or at once when the program NAME has died (a bad
# configuration, a port taken meanwhile).
wait_up() {
	local name=$1 tries=$(($2 * 10))
	shift 2
	while ! "$@"; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		pid_of "$name" >/dev/null || return 1
		sleep 0.1
	done
}

# alive PID: the process exists and has not exited (a zombie has).
alive() {
	local state
	state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [ "$state" != Z ]
}

# stop_pids NAME...: SIGTERM to each that runs, all at once (Kannel's boxes take
# up to 3 s to shut down), then SIGKILL whatever is left after 10 s. The wait is
# on the PIDs themselves: an exiting process soon stops looking like ours
# (its command line and files go first) but is not gone yet.
stop_pids() {
	local name pid deadline=$((SECONDS + 10)) killed=0
	local -A victims=()
	for name in "$@"; do
		if pid=$(pid_of "$name"); then
			kill -TERM "$pid" 2>/dev/null || true
			victims[$pid]=$name
		fi
	done
	while [ ${#victims[@]} -gt 0 ]; do
		for pid in "${!victims[@]}"; do
			alive "$pid" || unset "victims[$pid]"
		done
		[ ${#victims[@]} -gt 0 ] || break
		if [ "$SECONDS" -ge "$deadline" ]; then
			if [ "$killed" = 1 ]; then
				echo "services.sh: pids ${!victims[*]} survive SIGKILL; giving up on them" >&2
				break
			fi
			killed=1
			for pid in "${!victims[@]}"; do
				echo "services.sh: ${victims[$pid]} (pid $pid) ignored SIGTERM for 10 s: SIGKILL" >&2
				kill -KILL "$pid" 2>/dev/null || true
			done
			deadline=$((SECONDS + 5))
		fi
		sleep 0.1
	done
	for name in "$@"; do rm -f "$dir/$name.pid"; done
}

# refuse_taken PORT WHAT: a clear message instead of a daemon dying on bind.
refuse_taken() {
	if port_open "$1"; then
		die "port $1 ($2) is already taken on 127.0.0.1; stop what holds it or choose another (see the header of $0)"
	fi
}

# ---------------------------------------------------------------- kannel

# Kannel matches a keyword as the regex "^[ ]*(word|alias...)[ ]*" on the whole
# text, case-insensitively: a prefix, so "stop" would also catch "stopped" and
# "baja" "bajaré". keyword-regex with our own pattern ends the word properly:
# the keyword, then a space, ASCII punctuation or the end. keyword-regex is
# case-sensitive, so each letter becomes a [xX] class.
stop_regex() {
	local word alts="" i c w
	for word in $KANNEL_STOP_WORDS; do
		w=""
		for ((i = 0; i < ${#word}; i++)); do
			c=${word:i:1}
			if [[ $c == [[:alpha:]] ]]; then w+="[${c,,}${c^^}]"; else w+=$c; fi
		done
		alts+="${alts:+|}$w"
	done
	printf '^[[:space:]]*(%s)([[:space:][:punct:]]|$)' "$alts"
}

kannel_conf() {
	local mo="$COBROD_HTTP/kannel/mo" args
	# %p is the phone (Kannel swaps sender and receiver for MO), %P our short
	# code, %b the whole text as received, %c its coding, %T Unix seconds, %I
	# Kannel's id, %i the SMSC id. %b rather than %a: %a squeezes spaces and
	# line breaks. smsbox's mo-recode turns UCS-2 texts into UTF-8 first.
	args="key=$KANNEL_CALLBACK_SECRET&from=%p&to=%P&text=%b&coding=%c&ts=%T&id=%I&smsc=%i"
	# No blank line may stand inside a group: Kannel ends a group there.
	cat <<CONF
# Written by scripts/services.sh; edits are lost on the next start.
group = core
admin-port = $KANNEL_ADMIN_PORT
admin-interface = 127.0.0.1
admin-password = "$KANNEL_ADMIN_PASSWORD"
status-password = "$KANNEL_ADMIN_PASSWORD"
admin-allow-ip = "127.0.0.1"
admin-deny-ip = "*.*.*.*"
smsbox-port = $KANNEL_BOX_PORT
smsbox-interface = 127.0.0.1
box-allow-ip = "127.0.0.1"
box-deny-ip = "*.*.*.*"
dlr-storage = internal
log-file = "$dir/log/bearerbox.log"
log-level = $KANNEL_LOG_LEVEL
access-log = "$dir/log/access.log"

group = smsc
smsc = fake
smsc-id = fake1
port = $KANNEL_SMSC_PORT
our-host = 127.0.0.1
connect-allow-ip = "127.0.0.1"

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = $KANNEL_BOX_PORT
sendsms-port = $KANNEL_SENDSMS_PORT
sendsms-interface = 127.0.0.1
mo-recode = true
max-pending-requests = $KANNEL_MAX_PENDING
http-request-retry = $KANNEL_HTTP_RETRIES
http-queue-delay = $KANNEL_HTTP_RETRY_DELAY
log-file = "$dir/log/smsbox.log"
log-level = $KANNEL_LOG_LEVEL
access-log = "$dir/log/smsbox-access.log"

group = sendsms-user
username = "$KANNEL_SENDSMS_USER"
password = "$KANNEL_SENDSMS_PASSWORD"
user-allow-ip = "127.0.0.1"
default-sender = "$KANNEL_SHORTCODE"
concatenation = true
max-messages = $KANNEL_MAX_MESSAGES

# An opt-out: STOP, BAJA... as the first word. max-messages = 0: cobrod's
# answer is never texted back to the phone.
group = sms-service
name = stop
keyword-regex = "$(stop_regex)"
get-url = "$mo?kind=stop&$args"
catch-all = true
max-messages = 0

# Every other inbound text: a reply.
group = sms-service
keyword = default
get-url = "$mo?kind=reply&$args"
catch-all = true
max-messages = 0
CONF
}

# show_tail FILE: the last lines of a log, for a failed start.
show_tail() {
	if [ -s "$1" ]; then tail -n 5 "$1" | sed "s|^|  $(basename "$1"): |" >&2; fi
}

# abort_kannel MESSAGE: a start that failed half-way leaves nothing running.
abort_kannel() {
	stop_pids fakesmsc smsbox bearerbox
	show_tail "$dir/log/bearerbox.stderr"
	show_tail "$dir/log/smsbox.stderr"
	show_tail "$dir/fakesmsc.out"
	die "$@"
}

# kannel_online: bearerbox reports the fake SMSC online and smsbox connected.
kannel_online() {
	local st
	st=$(curl -fsS --max-time 2 "http://127.0.0.1:$KANNEL_ADMIN_PORT/status.txt?password=$KANNEL_ADMIN_PASSWORD" 2>/dev/null) &&
		grep -q "FAKE:$KANNEL_SMSC_PORT (online" <<<"$st" &&
		grep -q "smsbox:.*(on-line" <<<"$st"
}

start_kannel() {
	if [ ! -x "$BEARERBOX" ] || [ ! -x "$SMSBOX" ]; then
		die "bearerbox/smsbox missing: apt-get install kannel"
	fi
	[ -x "$FAKESMSC" ] || die "$FAKESMSC missing: apt-get install kannel-extras"
	if pid_of bearerbox >/dev/null && pid_of smsbox >/dev/null && pid_of fakesmsc >/dev/null; then
		echo "kannel: already running"
		return 0
	fi
	# Half a gateway (one box died): start it afresh.
	stop_pids fakesmsc smsbox bearerbox
	refuse_taken "$KANNEL_ADMIN_PORT" "KANNEL_ADMIN_PORT, bearerbox admin"
	refuse_taken "$KANNEL_BOX_PORT" "KANNEL_BOX_PORT, bearerbox smsbox link"
	refuse_taken "$KANNEL_SENDSMS_PORT" "KANNEL_SENDSMS_PORT, smsbox sendsms"
	refuse_taken "$KANNEL_SMSC_PORT" "KANNEL_SMSC_PORT, the fake SMSC"

	(umask 077 && kannel_conf >"$dir/kannel.conf") # it holds passwords
	: >"$dir/fakesmsc.out"
	# Each program is the background job itself (not "cd x && prog &", which
	# would record a subshell), with its terminal output in log/.
	"$BEARERBOX" -v 2 "$dir/kannel.conf" </dev/null >"$dir/log/bearerbox.stderr" 2>&1 &
	echo $! >"$dir/bearerbox.pid"
	wait_up bearerbox 15 port_open "$KANNEL_ADMIN_PORT" ||
		abort_kannel "bearerbox did not open its admin port $KANNEL_ADMIN_PORT; see $dir/log/bearerbox.stderr"
	wait_up bearerbox 15 port_open "$KANNEL_BOX_PORT" ||
		abort_kannel "bearerbox did not open its box port $KANNEL_BOX_PORT; see $dir/log/bearerbox.log"

	"$SMSBOX" -v 2 "$dir/kannel.conf" </dev/null >"$dir/log/smsbox.stderr" 2>&1 &
	echo $! >"$dir/smsbox.pid"
	wait_up smsbox 15 port_open "$KANNEL_SENDSMS_PORT" ||
		abort_kannel "smsbox did not open its sendsms port $KANNEL_SENDSMS_PORT; see $dir/log/smsbox.stderr"

	# The operator. Its standard input is the MO FIFO opened read-write, so it
	# never reads end-of-file (fakesmsc crashes on it) when a writer closes;
	# stdbuf -i0, or lines written in one burst sit in stdio's buffer unseen.
	# stdbuf execs fakesmsc, so $! is fakesmsc's PID. -v 0 prints each MT;
	# -i 0 sends each MO line the moment it is read.
	[ -p "$dir/mo.fifo" ] || { rm -f "$dir/mo.fifo" && mkfifo -m 600 "$dir/mo.fifo"; }
	stdbuf -i0 "$FAKESMSC" -H 127.0.0.1 -r "$KANNEL_SMSC_PORT" -i 0 -v 0 \
		<>"$dir/mo.fifo" >"$dir/fakesmsc.out" 2>&1 &
	echo $! >"$dir/fakesmsc.pid"
	if ! wait_up fakesmsc 15 kannel_online; then
		abort_kannel "the fake SMSC did not come online; see $dir/fakesmsc.out and $dir/log/bearerbox.log"
	fi
	echo "kannel: sendsms on 127.0.0.1:$KANNEL_SENDSMS_PORT, admin $KANNEL_ADMIN_PORT, fake SMSC $KANNEL_SMSC_PORT; MO to $COBROD_HTTP/kannel/mo"
}

# ---------------------------------------------------------------- smtp

start_smtp() {
	if pid_of smtpd >/dev/null; then
		echo "smtp: already running"
		return 0
	fi
	"$PYTHON" -c 'import aiosmtpd' 2>/dev/null || die "$PYTHON cannot import aiosmtpd: apt-get install python3-aiosmtpd"
	refuse_taken "$SMTP_PORT" "SMTP_PORT, the SMTP server"
	SMTP_USER=$SMTP_USER SMTP_PASSWORD=$SMTP_PASSWORD \
		"$PYTHON" -u "$top/tests/lib/smtpd.py" "$dir" --host 127.0.0.1 --port "$SMTP_PORT" \
		</dev/null >"$dir/log/smtpd.log" 2>&1 &
	echo $! >"$dir/smtpd.pid"
	if ! wait_up smtpd 15 grep -q '^smtpd: ready' "$dir/log/smtpd.log"; then
		stop_pids smtpd
		show_tail "$dir/log/smtpd.log"
		die "the SMTP server did not start; see $dir/log/smtpd.log"
	fi
	echo "smtp: 127.0.0.1:$SMTP_PORT, user $SMTP_USER, mail in $dir/mail"
}

# ---------------------------------------------------------------- commands

# which_services ARGS...: the services named, checked; both when none.
which_services() {
	local s
	[ $# -gt 0 ] || set -- kannel smtp
	for s in "$@"; do
		case $s in kannel | smtp) echo "$s" ;; *) usage ;; esac
	done
}

cmd=${1:-}
[ $# -ge 2 ] || usage
dir=$2
shift 2
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
load_settings

case $cmd in
start)
	services=$(which_services "$@")
	mkdir -p "$dir/log"
	if [ -n "$env_differs" ]; then
		echo "services.sh: services already run in $dir with the settings of $dir/services.env;" \
			"ignoring the environment's$env_differs (stop them first to change it)" >&2
	else
		(umask 077 && print_settings >"$dir/services.env") # it holds passwords
	fi
	for s in $services; do "start_$s"; done
	;;
stop)
	for s in $(which_services "$@"); do
		case $s in
		kannel) stop_pids fakesmsc smsbox bearerbox ;;
		smtp) stop_pids smtpd ;;
		esac
	done
	;;
status)
	[ $# -eq 0 ] || usage
	running=0
	for name in bearerbox smsbox fakesmsc smtpd; do
		if pid=$(pid_of "$name"); then
			echo "$name: running (pid $pid)"
			running=1
		else
			echo "$name: stopped"
		fi
	done
	if pid_of bearerbox >/dev/null; then
		st=$(curl -fsS --max-time 2 "http://127.0.0.1:$KANNEL_ADMIN_PORT/status.txt?password=$KANNEL_ADMIN_PASSWORD" 2>/dev/null) || st=""
		if grep -q "FAKE:$KANNEL_SMSC_PORT (online" <<<"$st"; then echo "kannel: fake SMSC online"; else echo "kannel: fake SMSC offline"; fi
		if grep -q "smsbox:.*(on-line" <<<"$st"; then echo "kannel: smsbox connected"; else echo "kannel: smsbox not connected"; fi
	fi
	[ "$running" = 1 ] || exit 3
	;;
env)
	[ $# -eq 0 ] || usage
	print_settings
	;;
mo)
	if [ $# -lt 2 ] || [ $# -gt 3 ]; then usage; fi
	from=$1 text=$2 to=${3:-$KANNEL_SHORTCODE}
	pid_of fakesmsc >/dev/null || die "fakesmsc does not run in $dir (start DIR kannel first)"
	# As a phone does it: plain ASCII goes as 7-bit text, anything else
	# (accents, line breaks) as UCS-2, which fakesmsc takes URL-encoded
	# UTF-16BE; smsbox's mo-recode hands cobrod UTF-8 either way.
	line="$from $to text $text"
	if LC_ALL=C grep -q '[^ -~]' <<<"$text" || [[ $text == *$'\n'* ]]; then
		ucs2=$("$PYTHON" -c 'import sys, urllib.parse as u
print(u.quote(sys.argv[1].encode("utf-16-be"), safe=""))' "$text")
		if [ ${#ucs2} -lt 200 ] || [[ $text == *$'\n'* ]]; then line="$from $to ucs2 $ucs2"; fi
	fi
	# fakesmsc reads its input with fgets into 256 bytes: a longer line would
	# arrive as two messages.
	len=$(LC_ALL=C && echo ${#line})
	[ "$len" -lt 255 ] || die "this MO takes $len bytes as a fakesmsc line; the limit is 254 (shorten it)"
	# fakesmsc holds the FIFO open, so this open does not block; timeout in case.
	# shellcheck disable=SC2016 # $1 and $2 are the inner shell's
	timeout 5 bash -c 'printf "%s\n" "$1" >"$2"' _ "$line" "$dir/mo.fifo" ||
		die "could not write to $dir/mo.fifo"
	;;
*) usage ;;
esac
