#!/usr/bin/env bash
# The dashboard's figures (issue 17, line 9): agent_metrics() for a team of
# 50 over today (target under 50 ms) and for all 500 agents (under 200 ms),
# with 500 agents and 20,000,000 events, each beside the same figures
# computed from the raw history (agent_metrics(..., p_raw => true)) in the
# same run; also the hourly series (agent_hourly) of the team.
#
#   dashboard_team50_today      ms, median of 7 calls after one warm-up,
#                               beside raw_team50_today (info), and the
#                               absolute target in dashboard_team50_today_ms
#   dashboard_all500_today      the same for every agent (target 200 ms)
#   hourly_team50_today         agent_hourly() for the team (info)
#   metrics_history_load        seconds to write the history through the
#                               rollup's trigger (info)
#
# The history is generated here, in SQL: 500 agents in 10 teams of 50, the
# events spread evenly over the 365 days up to now (so today has 1/365 of
# them), 60 % calls (a quarter right party), 20 % messages, 10 % notes,
# 10 % promises made, kept or broken; one visit for every tenth event. The
# accounts the events name do not exist (the history outlives archived
# accounts): amounts count as currency XXX.
#
# Sourced by tests/bench/run.sh, or run alone, niced, on a cluster of its
# own: tests/bench/metrics_bench.sh [EVENTS] (var/bench/metrics-pg, port
# $COBRO_BENCH_METRICS_PGPORT or 54369). EVENTS (BENCH_METRIC_EVENTS) is
# 20000000 by default; a smaller size is for a small machine, and says so
# in the figures' names' note (metrics_events).
metric_events=${BENCH_METRIC_EVENTS:-20000000}

metrics_bench() {
	local db=cobro_metrics ours base load
	fresh_db "$db"
	echo "bench: writing 500 agents and $metric_events events (through the rollup's trigger)"
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" >"$log/metrics-setup.log" 2>&1 <<-'EOF' || { echo "bench: metrics setup failed: $(tail -n 3 "$log/metrics-setup.log")" >&2; return 1; }
		SET ROLE cobro_owner;
		SELECT cobro.event_add_partitions((now() - interval '13 months')::date, (now() + interval '1 month')::date);
		INSERT INTO cobro.team (code, name) SELECT 'mt' || lpad(t::text, 2, '0'), 'Metrics ' || t FROM generate_series(1, 10) t;
		INSERT INTO cobro.agent (login, name, role, team_id)
		SELECT 'mb' || lpad(a::text, 3, '0'), 'Agent ' || a, 'collector',
		       (SELECT id FROM cobro.team WHERE code = 'mt' || lpad((1 + (a - 1) / 50)::text, 2, '0'))
		FROM generate_series(1, 500) a;
		RESET ROLE;
	EOF
	bench_time load psql -X -q -v ON_ERROR_STOP=1 -d "$db" -v n="$metric_events" >"$log/metrics-load.log" 2>&1 <<-'EOF' || { echo "bench: metrics load failed: $(tail -n 3 "$log/metrics-load.log")" >&2; return 1; }
		SET ROLE cobro_owner;
		CREATE TEMP TABLE ag AS SELECT row_number() OVER (ORDER BY id) AS k, id FROM cobro.agent WHERE login LIKE 'mb%';
		-- One statement per 10 days, as a busy floor writes them (each
		-- statement rolls up its own rows).
		-- The screens' NOTIFY of each changed account is not what is
		-- measured here (cobroctl demo turns it off the same way); the
		-- rollup's trigger stays on.
		ALTER TABLE cobro.event DISABLE TRIGGER notify_account_insert;
		SELECT set_config('bench.n', :'n', false);
		DO $$
		DECLARE
			n bigint := current_setting('bench.n')::bigint;
			per bigint := ceil(n / 36.5);
			d integer;
		BEGIN
			FOR d IN 0 .. 36 LOOP
				INSERT INTO cobro.event (at, account_id, debtor_id, agent_id, kind, direction, outcome, amount)
				SELECT t, acc, acc, ag.id, x.kind, x.dir, x.outcome, x.amount
				FROM (SELECT now() - (d * 10 + random() * 10) * interval '1 day' AS t,
				             1 + (random() * 199999)::bigint AS acc, 1 + (random() * 499)::int AS k, random() AS r
				      FROM generate_series(1, least(per, n - d * per))) g
				JOIN ag ON ag.k = g.k
				CROSS JOIN LATERAL (SELECT
					CASE WHEN g.r < 0.60 THEN 'call' WHEN g.r < 0.70 THEN 'sms' WHEN g.r < 0.75 THEN 'email'
					     WHEN g.r < 0.80 THEN 'whatsapp' WHEN g.r < 0.90 THEN 'note' ELSE 'promise' END AS kind,
					CASE WHEN g.r < 0.80 THEN 'out' END AS dir,
					CASE WHEN g.r < 0.15 THEN 'right_party' WHEN g.r < 0.60 THEN 'no_answer'
					     WHEN g.r < 0.80 THEN 'delivered' WHEN g.r < 0.90 THEN NULL
					     WHEN g.r < 0.95 THEN 'pending' WHEN g.r < 0.975 THEN 'kept' ELSE 'broken' END AS outcome,
					CASE WHEN g.r >= 0.90 THEN 1000 + (g.r * 100000)::bigint END AS amount) x
				WHERE g.t <= now();
				INSERT INTO cobro.account_visit (agent_id, account_id, started_at, ended_at)
				SELECT ag.id, 1 + (random() * 199999)::bigint, t, t + random() * interval '5 minutes'
				FROM (SELECT now() - (d * 10 + random() * 10) * interval '1 day' - interval '5 minutes' AS t,
				             1 + (random() * 499)::int AS k
				      FROM generate_series(1, least(per, n - d * per) / 10)) g JOIN ag ON ag.k = g.k;
			END LOOP;
		END
		$$;
		ALTER TABLE cobro.event ENABLE TRIGGER notify_account_insert;
		RESET ROLE;
		VACUUM ANALYZE;
	EOF
	echo "bench:   $load s; $(psql -X -At -d "$db" -c "SELECT count(*) || ' events, ' || (SELECT count(*) FROM cobro.metric_hour) || ' rollup rows' FROM cobro.event")"
	bench_record metrics_history_load "$load" s - - -

	# ms TEAM RAW FUNCTION: the median of 7 timed calls after a warm-up,
	# over today (midnight of the session's zone to now).
	psql -X -q -d "$db" >>"$log/metrics-setup.log" 2>&1 <<-'EOF'
		CREATE FUNCTION public.bench_ms(p_team text, p_raw boolean, p_fn text) RETURNS numeric
		LANGUAGE plpgsql AS $$
		DECLARE
			t0 timestamptz;
			ms numeric[] := '{}';
			f timestamptz := date_trunc('day', now());
		BEGIN
			FOR i IN 0 .. 7 LOOP
				t0 := clock_timestamp();
				IF p_fn = 'hourly' THEN
					PERFORM count(*) FROM cobro.agent_hourly(f, now(), p_team, p_raw);
				ELSE
					PERFORM count(*) FROM cobro.agent_metrics(f, now(), p_team, p_raw);
				END IF;
				IF i > 0 THEN
					ms := ms || (extract(epoch FROM clock_timestamp() - t0) * 1000)::numeric;
				END IF;
			END LOOP;
			RETURN round((SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(ms) x), 1);
		END
		$$;
	EOF
	ms() { psql -X -At -d "$db" -c "SELECT public.bench_ms($1, $2, '$3')"; }
	ours=$(ms "'mt01'" false metrics) base=$(ms "'mt01'" true metrics)
	bench_record dashboard_team50_today "$ours" ms raw_team50_today "$base" -
	bench_record dashboard_team50_today_ms "$ours" ms - - "<=50"
	ours=$(ms NULL false metrics) base=$(ms NULL true metrics)
	bench_record dashboard_all500_today "$ours" ms raw_all500_today "$base" -
	bench_record dashboard_all500_today_ms "$ours" ms - - "<=200"
	ours=$(ms "'mt01'" false hourly) base=$(ms "'mt01'" true hourly)
	bench_record hourly_team50_today "$ours" ms raw_hourly_team50 "$base" -
	bench_record metrics_events "$metric_events" events - - -
	# BENCH_KEEP_METRICS_DB=1 keeps it, to look at the plans.
	[ -n "${BENCH_KEEP_METRICS_DB:-}" ] || psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null 2>&1
}

# Run alone: a cluster of its own, this part only.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	cd "$(dirname "$0")/../.."
	. tests/bench/lib.sh
	[ $# -gt 0 ] && metric_events=$1
	bench_alone metrics 54369 metrics_bench
fi
