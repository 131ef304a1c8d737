#!/usr/bin/env bash
# Sourced by tests/bench/run.sh (the cluster runs, PG* set, $log, $ctl, bench_*
# from lib.sh): cobrod's dispatcher into a real Kannel (fakesmsc as the
# operator) and the local SMTP server, beside a shell loop of one curl process
# per message into the same services (tests/bench/curl_baseline.sh).
#
#   sms_per_s        SMS accepted by Kannel per second, 20,000 queued at once,
#                    from the first message settled to the last (sent_at)
#   sms_per_s_abs    the same against the 500/s the issue asks for
#   email_per_s      emails accepted by the SMTP server per second, 2,000
#   email_per_s_abs  against 100/s
# Each ratio against the curl loop must be 10 or more.
#
# The messages go to one debtor of the bench's own (team and daemon
# "bench-send"; the debtor and its rows are removed at the end), put in the
# queue by SQL as a strategy run would: no
# history event each, so the contact policy (checked for every message, as
# always) does not cap them; what is measured is the dispatcher.
send_svc=$BENCH_DIR/services
send_sms=${BENCH_SEND_SMS:-20000}
send_emails=${BENCH_SEND_EMAILS:-2000}
send_port=${BENCH_COBROD_PORT:-8091}
cobrod_bin=${COBROD:-bin/cobrod}

send_bench() {
	local tag=bench-send debtor account mobile mail conf pid t0 base_sms base_email sms email
	export COBROD_HTTP_PORT=$send_port KANNEL_LOG_LEVEL=1
	scripts/services.sh stop "$send_svc" >/dev/null 2>&1
	rm -rf "$send_svc"
	scripts/services.sh start "$send_svc" kannel smtp >"$log/services.log" 2>&1 || {
		echo "bench: the services would not start: $(tail -n 3 "$log/services.log")" >&2
		return 1
	}
	# shellcheck disable=SC1091
	. "$send_svc/services.env"

	psql -X -q -At -v ON_ERROR_STOP=1 -d cobro >"$log/send-setup.log" 2>&1 <<-EOF || { echo "bench: send setup failed" >&2; return 1; }
		DELETE FROM cobro.message WHERE body LIKE 'bench-send %';
	EOF
	"$ctl" --database dbname=cobro --user postgres team add "$tag" --name "Bench send" >/dev/null 2>&1
	"$ctl" --database dbname=cobro --user postgres agent add "$tag" --name "Bench daemon" --role daemon >/dev/null 2>&1
	if [ "$(psql -X -At -d cobro -c "select count(*) from cobro.contact_policy")" = 0 ]; then
		"$ctl" --database dbname=cobro --user postgres policy load etc/policy.conf >/dev/null
	fi
	debtor=$(psql -X -At -d cobro -c "select d.id from cobro.debtor d join cobro.account a on a.debtor_id = d.id
	                                   where a.reference = 'BENCH-SEND'")
	if [ -z "$debtor" ]; then
		debtor=$(psql -X -At -d cobro -c "insert into cobro.debtor (name, first_name, language, jurisdiction, time_zone)
			values ('Núñez Peña Bench', 'Núñez', 'es', 'PE', 'America/Lima') returning id" | head -n 1)
		psql -X -q -At -d cobro -c "insert into cobro.account (debtor_id, creditor_id, product, reference, currency,
			balance, team_id) select $debtor, min(id), 'loan', 'BENCH-SEND', 'PEN', 100000,
			(select id from cobro.team where code = '$tag') from cobro.creditor"
		psql -X -q -At -d cobro -c "insert into cobro.contact_point (debtor_id, kind, value, consent)
			values ($debtor, 'mobile', '+51987000001', '{sms}'), ($debtor, 'email', 'bench@example.com', '{email}')"
	fi
	account=$(psql -X -At -d cobro -c "select id from cobro.account where reference = 'BENCH-SEND'")
	mobile=$(psql -X -At -d cobro -c "select id from cobro.contact_point where debtor_id = $debtor and kind = 'mobile'")
	mail=$(psql -X -At -d cobro -c "select id from cobro.contact_point where debtor_id = $debtor and kind = 'email'")

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
		channels = { sms = { transport = "kannel"; rate = 5000.0; }; email = { transport = "mail"; rate = 1000.0; }; };
		outbox = { parallel = 16; lease = 300; };
		listen = { address = "127.0.0.1"; port = $send_port; };
	EOF
	chmod 600 "$conf"

	# send CHANNEL COUNT POINT RECIPIENT: queue, run cobrod until all are sent, rate.
	send_run() {
		local n
		# With the `out` event message_queue() writes: cobrod refuses a
		# message without one (docs/security.md, "Messages").
		psql -X -q -At -d cobro -c "with m as (insert into cobro.message (account_id, debtor_id, contact_point_id,
			channel, recipient, subject, body) select $account, $debtor, $3, '$1', '$4',
			case when '$1' = 'email' then 'Aviso ' || g end,
			'bench-send ' || g || ' Hola Núñez, su cuota de S/ 120.50 vence hoy. ¿Pagará?'
			from generate_series(1, $2) g returning id, body)
			insert into cobro.event (account_id, debtor_id, kind, direction, message_id, body)
			select $account, $debtor, '$1', 'out', id, body from m"
		COBRO_NOW=2026-11-24T15:00:00Z "$cobrod_bin" --config "$conf" --database dbname=cobro --user "$tag" \
			>"$log/cobrod-$1.log" 2>&1 &
		pid=$!
		for _ in $(seq 1200); do
			n=$(psql -X -At -d cobro -c "select count(*) from cobro.message where channel = '$1'
				and body like 'bench-send %' and status in ('sent', 'delivered')")
			[ "$n" -ge "$2" ] && break
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.25
		done
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		psql -X -At -d cobro -c "select case when count(*) = $2 then round(count(*) /
			greatest(extract(epoch from max(sent_at) - min(sent_at)), 0.001), 1) end
			from cobro.message where channel = '$1' and body like 'bench-send %' and status in ('sent', 'delivered')"
	}
	sms=$(send_run sms "$send_sms" "$mobile" +51987000001)
	email=$(send_run email "$send_emails" "$mail" bench@example.com)
	CURL_BASELINE_SMS=500 CURL_BASELINE_EMAILS=200 SERVICES_DIR=$send_svc tests/bench/curl_baseline.sh \
		>"$log/curl_baseline.txt" 2>>"$log/curl_baseline.log"
	base_sms=$(awk '$1 == "curl_sms_per_s" { print $2 }' "$log/curl_baseline.txt")
	base_email=$(awk '$1 == "curl_email_per_s" { print $2 }' "$log/curl_baseline.txt")
	bench_record sms_per_s "${sms:--}" msg/s curl_sms_per_s "${base_sms:--}" ">=10"
	bench_record sms_per_s_abs "${sms:--}" msg/s - - ">=500"
	bench_record email_per_s "${email:--}" msg/s curl_email_per_s "${base_email:--}" ">=10"
	bench_record email_per_s_abs "${email:--}" msg/s - - ">=100"
	# Its rows go: the kept portfolio must count as it was built (run.sh
	# rebuilds it when the number of accounts differs).
	psql -X -q -d cobro -c "DELETE FROM cobro.event WHERE debtor_id = $debtor" \
		-c "DELETE FROM cobro.message WHERE debtor_id = $debtor" \
		-c "DELETE FROM cobro.account WHERE debtor_id = $debtor" \
		-c "DELETE FROM cobro.contact_point WHERE debtor_id = $debtor" \
		-c "DELETE FROM cobro.debtor WHERE id = $debtor" >/dev/null
	scripts/services.sh stop "$send_svc" >/dev/null 2>&1
}
