#!/usr/bin/env bash
# The sending benchmark's other baseline: what the gateways themselves accept
# from several parallel clients, each keeping its connection open, on the
# same services cobrod sends into. cobrod's figures are put beside these
# (tests/bench/send_bench.sh).
#
#   tests/bench/gateway_baseline.sh [sms] [email]     both when none named
#
# prints, one a line:
#   gateway_sms_per_s VALUE     SMS accepted by Kannel's sendsms (HTTP 202) per
#                               second, from GATEWAY_CLIENTS curl processes at
#                               once, each sending its share of the URLs over
#                               one kept-alive connection (curl --config)
#   gateway_email_per_s VALUE   emails accepted by the SMTP server per second,
#                               from GATEWAY_CLIENTS smtplib clients at once,
#                               each logging in once and sending its share
#                               over one connection (tests/bench/smtp_clients.py)
# and exits 1 when any message was not accepted (saying how many on standard
# error).
#
# The services must run (scripts/services.sh start DIR kannel smtp); where and
# as whom comes from the environment, as for tests/bench/curl_baseline.sh:
#   SERVICES_DIR              when set, DIR/services.env is read first
#   KANNEL_SENDSMS_PORT (13013) KANNEL_SENDSMS_USER, KANNEL_SENDSMS_PASSWORD (cobro)
#   SMTP_PORT (2525) SMTP_USER, SMTP_PASSWORD (cobro)
#   GATEWAY_SMS (20000)  how many SMS;  GATEWAY_EMAILS (10000) emails
#   GATEWAY_CLIENTS (8)  parallel clients
#
# Each SMS is the size and coding of cobrod's (one UCS-2 segment, a Spanish
# reminder, a new number each time); without a dlr-url, so the figure is the
# gateway's acceptance alone. Each email is a small 8-bit UTF-8 message.
set -euo pipefail

if [ -n "${SERVICES_DIR:-}" ]; then
	# shellcheck disable=SC1091
	. "$SERVICES_DIR/services.env"
fi
sendsms="http://127.0.0.1:${KANNEL_SENDSMS_PORT:-13013}/cgi-bin/sendsms"
sms_user=${KANNEL_SENDSMS_USER:-cobro} sms_pass=${KANNEL_SENDSMS_PASSWORD:-cobro}
n_sms=${GATEWAY_SMS:-20000}
n_email=${GATEWAY_EMAILS:-10000}
clients=${GATEWAY_CLIENTS:-8}
PYTHON=${PYTHON:-/usr/bin/python3}

export LC_ALL=C.UTF-8
failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# rate COUNT START: COUNT per second since START ($EPOCHREALTIME).
rate() {
	awk -v n="$1" -v t0="$2" -v t1="$EPOCHREALTIME" 'BEGIN { printf "%.1f\n", n / (t1 - t0) }'
}

# urlenc TEXT: TEXT percent-encoded (UTF-8 bytes), into $enc.
urlenc() {
	local LC_ALL=C s=$1 i c
	enc=
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[A-Za-z0-9.~_-]) enc+=$c ;;
		*) printf -v c '%%%02X' "'$c"; enc+=$c ;;
		esac
	done
}

bench_sms() {
	local i c t0 ok head tail base
	urlenc "$sms_user"; base="$sendsms?username=$enc"
	urlenc "$sms_pass"; base+="&password=$enc&coding=2&charset=UTF-8"
	urlenc "Hola Núñez, su cuota de 120,50 € (ref. "; head=$enc
	urlenc ") vence hoy. ¿Pagará?"; tail=$enc
	# One config file per client, its URLs one after another on one
	# connection; written before the clock starts.
	for ((c = 0; c < clients; c++)); do
		for ((i = c + 1; i <= n_sms; i += clients)); do
			printf 'url = "%s&to=%%2B3461%07d&text=%s%d%s"\noutput = "/dev/null"\n' \
				"$base" "$i" "$head" "$i" "$tail"
		done >"$work/sms.$c"
	done
	t0=$EPOCHREALTIME
	for ((c = 0; c < clients; c++)); do
		curl -s -K "$work/sms.$c" -w '%{http_code}\n' >"$work/sms.$c.codes" 2>/dev/null &
	done
	wait
	echo "gateway_sms_per_s $(rate "$n_sms" "$t0")"
	ok=$(cat "$work"/sms.*.codes | grep -c '^202$' || true)
	if [ "$ok" != "$n_sms" ]; then
		echo "gateway_baseline: $((n_sms - ok)) of $n_sms SMS were not accepted (202) by $sendsms" >&2
		failed=1
	fi
}

bench_email() {
	local out
	if ! out=$("$PYTHON" "$(dirname "$0")/smtp_clients.py" "$n_email" "$clients"); then
		failed=1
	fi
	echo "$out"
}

[ $# -gt 0 ] || set -- sms email
for what in "$@"; do
	case $what in
	sms) bench_sms ;;
	email) bench_email ;;
	*) echo "usage: $0 [sms] [email]" >&2; exit 2 ;;
	esac
done
exit "$failed"
