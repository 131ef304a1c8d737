#!/usr/bin/env bash
# The sending benchmark's baseline: what a shell loop of one `curl` process per
# message achieves, into Kannel's sendsms and into the SMTP server. cobrod's
# figures are compared with these.
#
#   tests/bench/curl_baseline.sh [sms] [email]     both when none named
#
# prints, one a line:
#   curl_sms_per_s VALUE      messages accepted by sendsms (HTTP 202) per second
#   curl_email_per_s VALUE    messages accepted by the SMTP server per second
# and exits 1 when any request failed (saying how many on standard error).
#
# The services must run (scripts/services.sh start DIR kannel smtp); where and
# as whom comes from the environment, as scripts/services.sh names it:
#   SERVICES_DIR              when set, DIR/services.env is read first
#   KANNEL_SENDSMS_PORT (13013) KANNEL_SENDSMS_USER, KANNEL_SENDSMS_PASSWORD (cobro)
#   SMTP_PORT (2525) SMTP_USER, SMTP_PASSWORD (cobro)
#   CURL_BASELINE_SMS (1000)  how many SMS;  CURL_BASELINE_EMAILS (500) emails
#
# Each SMS is the same size and coding cobrod sends: a Spanish reminder in
# UCS-2 (coding=2, charset=UTF-8), one segment (at most 70 characters), to a
# new number each time.
# Each email is a small 8-bit UTF-8 message, with AUTH PLAIN on every
# connection, as one curl per message must do.
set -euo pipefail

if [ -n "${SERVICES_DIR:-}" ]; then
	# shellcheck disable=SC1091
	. "$SERVICES_DIR/services.env"
fi
sendsms="http://127.0.0.1:${KANNEL_SENDSMS_PORT:-13013}/cgi-bin/sendsms"
sms_user=${KANNEL_SENDSMS_USER:-cobro} sms_pass=${KANNEL_SENDSMS_PASSWORD:-cobro}
smtp="smtp://127.0.0.1:${SMTP_PORT:-2525}"
smtp_user=${SMTP_USER:-cobro} smtp_pass=${SMTP_PASSWORD:-cobro}
n_sms=${CURL_BASELINE_SMS:-1000}
n_email=${CURL_BASELINE_EMAILS:-500}

export LC_ALL=C.UTF-8
failed=0

# rate COUNT START: COUNT per second since START ($EPOCHREALTIME).
rate() {
	awk -v n="$1" -v t0="$2" -v t1="$EPOCHREALTIME" 'BEGIN { printf "%.1f\n", n / (t1 - t0) }'
}

bench_sms() {
	local i code bad=0 t0 to
	t0=$EPOCHREALTIME
	for ((i = 1; i <= n_sms; i++)); do
		printf -v to '+3460%07d' "$i"
		code=$(curl -s -o /dev/null -w '%{http_code}' -G "$sendsms" \
			--data-urlencode "username=$sms_user" --data-urlencode "password=$sms_pass" \
			--data-urlencode "to=$to" -d coding=2 -d charset=UTF-8 \
			--data-urlencode "text=Hola Núñez, su cuota de 120,50 € (ref. $i) vence hoy. ¿Pagará?") || true
		[ "$code" = 202 ] || bad=$((bad + 1))
	done
	echo "curl_sms_per_s $(rate "$n_sms" "$t0")"
	if [ "$bad" -gt 0 ]; then
		echo "curl_baseline: $bad of $n_sms SMS were not accepted (202) by $sendsms" >&2
		failed=1
	fi
}

bench_email() {
	local i bad=0 t0
	t0=$EPOCHREALTIME
	for ((i = 1; i <= n_email; i++)); do
		printf '%s\r\n' "From: Cobro <cobro@example.com>" "To: <deudor$i@example.net>" \
			"Subject: =?UTF-8?Q?Recordatorio_de_pago_N=C2=BA_$i?=" "MIME-Version: 1.0" \
			"Content-Type: text/plain; charset=UTF-8" "Content-Transfer-Encoding: 8bit" "" \
			"Hola Núñez, le recordamos su cuota de 120,50 € (ref. $i)." |
			curl -s --url "$smtp" --user "$smtp_user:$smtp_pass" --mail-from cobro@example.com \
				--mail-rcpt "deudor$i@example.net" -T - || bad=$((bad + 1))
	done
	echo "curl_email_per_s $(rate "$n_email" "$t0")"
	if [ "$bad" -gt 0 ]; then
		echo "curl_baseline: $bad of $n_email emails were refused by $smtp" >&2
		failed=1
	fi
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
