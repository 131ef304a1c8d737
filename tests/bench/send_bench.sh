#!/usr/bin/env bash
# Sourced by tests/bench/run.sh (the cluster runs, PG* set, $log, $ctl, bench_*
# from lib.sh): cobrod's dispatcher into a real Kannel (fakesmsc as the
# operator) and the local SMTP server (tests/lib/smtpd.py), beside, in the same
# run and into the same services, the gateways' own acceptance rate from
# parallel clients (tests/bench/gateway_baseline.sh) and a shell loop of one
# curl process per message (tests/bench/curl_baseline.sh).
#
#   sms_per_s            SMS accepted by Kannel per second, BENCH_SEND_SMS
#                        (50,000) queued at once, from the first message
#                        settled to the last (sent_at), beside the curl loop
#                        (target: 10 times it)
#   sms_per_s_gateway    the same beside Kannel's own rate from 8 parallel
#                        keep-alive curl clients (the ratio, for information)
#   sms_per_s_abs        the same against the 2,000/s issue 18 asks for
#   sms_per_s_final_dlr  the same SMS again with dlr_mask = 19: the final
#                        reports only (delivered, undelivered, smsc reject),
#                        one a message instead of two: what an operator
#                        sending in bulk gets (docs/operations.md), against
#                        the 2,000/s issue 18 asks for
#   sms_per_s_nodlr      the same SMS again without delivery reports (no
#                        dlr_url), beside Kannel's own rate: what Kannel's two
#                        reports a message (handled by smsbox, taken in by
#                        cobrod's listener) cost, for information
#   email_per_s          emails accepted by the SMTP server per second,
#                        BENCH_SEND_EMAILS (20,000), beside the curl loop
#   email_per_s_gateway  beside the server's own rate from 8 parallel smtplib
#                        clients, each sending many mails on one connection
#   email_per_s_abs      against 1,000/s
#
# The messages are a day's ladder run's: one to each of that many debtors of
# the bench's own (team and daemon "bench-send", accounts BENCH-SEND-N; its
# debtors and their rows are removed at the end), put in the queue by SQL with
# the `out` event message_queue() writes. cobrod checks each against the
# contact policy at send time, as always (allowed hours, caps, consent: each
# debtor's first contact of the day), reads each one's facts, and asks Kannel
# for delivery reports, which it then takes in while sending.
send_sms=${BENCH_SEND_SMS:-50000}
send_emails=${BENCH_SEND_EMAILS:-20000}
send_port=${BENCH_COBROD_PORT:-8091}
cobrod_bin=${COBROD:-bin/cobrod}

send_bench() {
	local tag=bench-send n conf pid sms sms_final sms_nodlr email base_sms base_email gw_sms gw_email
	# Here, not when sourced: run alone, BENCH_DIR is set by bench_alone.
	local send_svc=$BENCH_DIR/services
	export COBROD_HTTP_PORT=$send_port KANNEL_LOG_LEVEL=1
	scripts/services.sh stop "$send_svc" >/dev/null 2>&1
	rm -rf "$send_svc"
	scripts/services.sh start "$send_svc" kannel smtp >"$log/services.log" 2>&1 || {
		echo "bench: the services would not start: $(tail -n 3 "$log/services.log")" >&2
		return 1
	}
	# shellcheck disable=SC1091
	. "$send_svc/services.env"

	"$ctl" --database dbname=cobro --user postgres team add "$tag" --name "Bench send" >/dev/null 2>&1
	"$ctl" --database dbname=cobro --user postgres agent add "$tag" --name "Bench daemon" --role daemon >/dev/null 2>&1
	if [ "$(psql -X -At -d cobro -c "select count(*) from cobro.contact_policy")" = 0 ]; then
		"$ctl" --database dbname=cobro --user postgres policy load etc/policy.conf >/dev/null
	fi
	send_clean
	# Debtors 1..SMS get the SMS, the next EMAILS the emails: one message
	# each, as a day's run sends.
	n=$((send_sms + send_emails))
	psql -X -q -At -v ON_ERROR_STOP=1 -d cobro >"$log/send-setup.log" 2>&1 <<-EOF || { echo "bench: send setup failed: $(tail -n 3 "$log/send-setup.log")" >&2; return 1; }
		WITH d AS (
			INSERT INTO cobro.debtor (name, first_name, language, jurisdiction, time_zone)
			SELECT 'Núñez Peña Bench ' || g, 'Núñez', 'es', 'PE', 'America/Lima' FROM generate_series(1, $n) g
			RETURNING id
		), g AS (SELECT id, row_number() OVER (ORDER BY id) AS k FROM d
		), a AS (
			INSERT INTO cobro.account (debtor_id, creditor_id, product, reference, currency, balance, team_id)
			SELECT id, (SELECT min(id) FROM cobro.creditor), 'loan', 'BENCH-SEND-' || k, 'PEN', 100000,
			       (SELECT id FROM cobro.team WHERE code = '$tag') FROM g
			RETURNING 1
		)
		INSERT INTO cobro.contact_point (debtor_id, kind, value, consent)
		SELECT id, 'mobile', '+5198' || lpad(k::text, 7, '0'), '{sms}'::text[] FROM g WHERE k <= $send_sms
		UNION ALL
		SELECT id, 'email', 'bench' || k || '@example.com', '{email}'::text[] FROM g WHERE k > $send_sms;
		ANALYZE cobro.debtor; ANALYZE cobro.account; ANALYZE cobro.contact_point;
	EOF

	conf=$log/cobrod-bench.conf
	cat >"$conf" <<-EOF
		name = "bench";
		transports = {
			kannel = { type = "kannel"; url = "$KANNEL_SENDSMS_URL"; username = "$KANNEL_SENDSMS_USER";
			           password = "$KANNEL_SENDSMS_PASSWORD"; from = "12345";
			           dlr_url = "http://127.0.0.1:$send_port/kannel/dlr";
			           callback_secret = "$KANNEL_CALLBACK_SECRET"; };
			mail = { type = "smtp"; url = "smtp://127.0.0.1:$SMTP_PORT"; username = "$SMTP_USER";
			         password = "$SMTP_PASSWORD"; starttls = false; from = "cobranzas@example.com"; };
		};
		channels = { sms = { transport = "kannel"; rate = 10000.0; }; email = { transport = "mail"; rate = 5000.0; }; };
		outbox = { parallel = 32; lease = 300; };
		listen = { address = "127.0.0.1"; port = $send_port; };
	EOF
	chmod 600 "$conf"
	# The same asking Kannel for the final reports only.
	sed 's|\(dlr_url = "[^"]*";\)|\1 dlr_mask = 19;|' "$conf" >"$conf.final"
	chmod 600 "$conf.final"
	# The same without delivery reports (no dlr_url): what the reports cost.
	sed '/dlr_url = /d' "$conf" >"$conf.nodlr"
	chmod 600 "$conf.nodlr"

	# The bench's SMS and their events go, for the same SMS to be sent again.
	# The messages just written are not analysed yet: the planner, expecting
	# one, would scan the events once per message (minutes for 50,000).
	send_forget_sms() {
		psql -X -q -d cobro -c "SET enable_nestloop = off" -c "DELETE FROM cobro.event WHERE message_id IN (SELECT id FROM cobro.message
			WHERE channel = 'sms' AND body LIKE 'bench-send %')" -c "DELETE FROM cobro.message
			WHERE channel = 'sms' AND body LIKE 'bench-send %'" >>"$log/send-setup.log" 2>&1
	}
	# send_run CHANNEL KIND COUNT: queue one message of CHANNEL to each
	# bench debtor with a contact point of KIND, run cobrod until all are
	# sent (and, for SMS, their delivery reports in), print the rate.
	send_run() {
		local n d
		psql -X -q -At -v ON_ERROR_STOP=1 -d cobro -c "with m as (insert into cobro.message (account_id,
			debtor_id, contact_point_id, channel, recipient, subject, body)
			select a.id, a.debtor_id, cp.id, '$1', cp.value,
			case when '$1' = 'email' then 'Aviso ' || a.id end,
			'bench-send ' || a.id || ' Hola Núñez, su cuota de S/ 120.50 vence hoy. ¿Pagará?'
			from cobro.account a join cobro.contact_point cp on cp.debtor_id = a.debtor_id and cp.kind = '$2'
			where a.reference like 'BENCH-SEND-%' returning id, account_id, debtor_id, body)
			insert into cobro.event (account_id, debtor_id, kind, direction, message_id, body)
			select account_id, debtor_id, '$1', 'out', id, body from m" >>"$log/send-setup.log" 2>&1
		COBRO_NOW=2026-11-24T15:00:00Z "$cobrod_bin" --config "${send_conf:-$conf}" --database dbname=cobro --user "$tag" \
			>"$log/cobrod-$1${send_conf:+-${send_conf##*.}}.log" 2>&1 &
		pid=$!
		# Until none waits (an index's count, once a second: the poll must
		# not take the database's time from what it measures).
		for _ in $(seq 900); do
			sleep 1
			n=$(psql -X -At -d cobro -c "select count(*) from cobro.message
				where channel = '$1' and status in ('queued', 'sending') and body like 'bench-send %'")
			[ "$n" = 0 ] && break
			kill -0 "$pid" 2>/dev/null || break
		done
		# The delivery reports still coming: taken in before cobrod stops,
		# so that Kannel is not still calling it during the baselines.
		if [ "$1" = sms ] && [ "${send_conf:-$conf}" != "$conf.nodlr" ]; then
			for _ in $(seq 60); do
				d=$(psql -X -At -d cobro -c "select count(*) from cobro.message where channel = '$1'
					and body like 'bench-send %' and status = 'delivered'")
				[ "$d" -ge "$3" ] && break
				kill -0 "$pid" 2>/dev/null || break
				sleep 1
			done
			echo "bench:   $d of $3 SMS delivered (reports in)" >&2
		fi
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		psql -X -At -d cobro -c "select case when count(*) = $3 then round(count(*) /
			greatest(extract(epoch from max(sent_at) - min(sent_at)), 0.001), 1) end
			from cobro.message where channel = '$1' and body like 'bench-send %' and status in ('sent', 'delivered')"
	}
	echo "bench:   cobrod, $send_sms SMS into Kannel"
	sms=$(send_run sms mobile "$send_sms")
	echo "bench:   $sms SMS/s"
	echo "bench:   cobrod, the same SMS again with the final delivery reports only (dlr_mask = 19)"
	send_forget_sms
	sms_final=$(send_conf=$conf.final send_run sms mobile "$send_sms")
	echo "bench:   $sms_final SMS/s"
	echo "bench:   cobrod, the same SMS again without delivery reports"
	send_forget_sms
	sms_nodlr=$(send_conf=$conf.nodlr send_run sms mobile "$send_sms")
	echo "bench:   $sms_nodlr SMS/s"
	echo "bench:   cobrod, $send_emails emails into the SMTP server"
	email=$(send_run email email "$send_emails")
	echo "bench:   $email emails/s"
	echo "bench:   the gateways' own rate, 8 parallel clients each on one connection"
	GATEWAY_CLIENTS=8 GATEWAY_SMS=20000 GATEWAY_EMAILS=10000 SERVICES_DIR=$send_svc tests/bench/gateway_baseline.sh \
		>"$log/gateway_baseline.txt" 2>>"$log/gateway_baseline.log"
	echo "bench:   a loop of one curl per message"
	CURL_BASELINE_SMS=500 CURL_BASELINE_EMAILS=200 SERVICES_DIR=$send_svc tests/bench/curl_baseline.sh \
		>"$log/curl_baseline.txt" 2>>"$log/curl_baseline.log"
	base_sms=$(awk '$1 == "curl_sms_per_s" { print $2 }' "$log/curl_baseline.txt")
	base_email=$(awk '$1 == "curl_email_per_s" { print $2 }' "$log/curl_baseline.txt")
	gw_sms=$(awk '$1 == "gateway_sms_per_s" { print $2 }' "$log/gateway_baseline.txt")
	gw_email=$(awk '$1 == "gateway_email_per_s" { print $2 }' "$log/gateway_baseline.txt")
	bench_record sms_per_s "${sms:--}" msg/s curl_sms_per_s "${base_sms:--}" ">=10"
	bench_record sms_per_s_gateway "${sms:--}" msg/s gateway_sms_per_s "${gw_sms:--}" -
	bench_record sms_per_s_abs "${sms:--}" msg/s - - ">=2000"
	bench_record sms_per_s_final_dlr "${sms_final:--}" msg/s - - ">=2000"
	bench_record sms_per_s_nodlr "${sms_nodlr:--}" msg/s gateway_sms_per_s "${gw_sms:--}" -
	bench_record email_per_s "${email:--}" msg/s curl_email_per_s "${base_email:--}" ">=10"
	bench_record email_per_s_gateway "${email:--}" msg/s gateway_email_per_s "${gw_email:--}" -
	bench_record email_per_s_abs "${email:--}" msg/s - - ">=1000"
	send_clean
	scripts/services.sh stop "$send_svc" >/dev/null 2>&1
}

# The bench's debtors and their rows go: the kept portfolio must count as it
# was built (run.sh rebuilds it when the number of accounts differs).
send_clean() {
	psql -X -q -v ON_ERROR_STOP=1 -d cobro >>"$log/send-setup.log" 2>&1 <<-EOF
		CREATE TEMP TABLE bench_debtor AS
			SELECT DISTINCT debtor_id AS id FROM cobro.account WHERE reference LIKE 'BENCH-SEND%';
		DELETE FROM cobro.event WHERE debtor_id IN (SELECT id FROM bench_debtor);
		DELETE FROM cobro.message WHERE debtor_id IN (SELECT id FROM bench_debtor);
		DELETE FROM cobro.account WHERE debtor_id IN (SELECT id FROM bench_debtor);
		DELETE FROM cobro.contact_point WHERE debtor_id IN (SELECT id FROM bench_debtor);
		DELETE FROM cobro.debtor WHERE id IN (SELECT id FROM bench_debtor);
	EOF
}

# Run alone: a cluster of its own with a small demo portfolio (a creditor and
# the contact policy), this part only: tests/bench/send_bench.sh [SMS [EMAILS]].
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	cd "$(dirname "$0")/../.."
	. tests/bench/lib.sh
	[ $# -gt 0 ] && send_sms=$1
	[ $# -gt 1 ] && send_emails=$2
	send_alone() {
		fresh_db cobro || { echo "bench: cannot initialise database cobro" >&2; return 1; }
		"$ctl" --database dbname=cobro demo --accounts 100 --seed 1 --quiet >"$log/send-demo.log" 2>&1 ||
			{ echo "bench: demo failed: $(tail -n 3 "$log/send-demo.log")" >&2; return 1; }
		send_bench
	}
	bench_alone send 54373 send_alone
fi
