-- The history's monthly partitions. 002_schema.sql made event partitioned by
-- month on "at", with a default partition that takes any row whose month has
-- none (docs/schema.md, "Why it is partitioned"). cobrod keeps the months
-- ahead of the clock with event_partitions_keep() on start and once a day,
-- and cobroctl maintenance partitions does the same on demand.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

-- Creates the partition of p_month's month, event_YYYY_MM, unless it exists;
-- returns the rows it took from event_default, or NULL when it existed.
-- PostgreSQL refuses to create a partition while the default partition holds
-- rows of its range, so those rows move into it first, in the caller's
-- transaction: all of them or, on any error, none. Bounds are midnight in
-- the session's time zone, as every partition's has been. Creating a
-- partition needs ownership of event: this runs as the owner or inside
-- event_partitions_keep().
CREATE OR REPLACE FUNCTION event_partition_add(p_month date) RETURNS bigint
LANGUAGE plpgsql SET search_path = cobro, pg_temp AS $$
DECLARE
	m date := date_trunc('month', p_month)::date;
	next_m date := (date_trunc('month', p_month) + interval '1 month')::date;
	part text := 'event_' || to_char(p_month, 'YYYY_MM');
	moved bigint;
BEGIN
	IF to_regclass('cobro.' || part) IS NOT NULL THEN
		IF NOT EXISTS (SELECT 1 FROM pg_inherits
		               WHERE inhrelid = to_regclass('cobro.' || part) AND inhparent = 'cobro.event'::regclass) THEN
			RAISE EXCEPTION 'cobro.% exists and is not a partition of cobro.event', part USING ERRCODE = '42P07';
		END IF;
		RETURN NULL;
	END IF;
	-- Creating the partition locks event and then its default partition: take
	-- event first, so that the DELETE below does not hold the default
	-- partition while waiting for event (a deadlock with a writer).
	LOCK TABLE cobro.event IN ACCESS EXCLUSIVE MODE;
	-- The month's rows wait in a table of this transaction's own (a
	-- temporary one would need TEMPORARY on the database for the owner). A
	-- row that moves is not news: the copies of event's triggers (the
	-- NOTIFY of each account) on the two partitions keep quiet meanwhile.
	CREATE UNLOGGED TABLE cobro.event_moving (LIKE cobro.event);
	ALTER TABLE cobro.event_default DISABLE TRIGGER USER;
	WITH gone AS (DELETE FROM cobro.event_default WHERE at >= m AND at < next_m RETURNING *)
	INSERT INTO cobro.event_moving SELECT * FROM gone;
	GET DIAGNOSTICS moved = ROW_COUNT;
	ALTER TABLE cobro.event_default ENABLE TRIGGER USER;
	EXECUTE format('CREATE TABLE cobro.%I PARTITION OF cobro.event FOR VALUES FROM (%L) TO (%L)',
	               part, m, next_m);
	-- Partitions are reached through event only, where its grants and
	-- policies apply: nobody holds a privilege on one (003_security.sql).
	EXECUTE format('REVOKE ALL ON cobro.%I FROM PUBLIC, cobro_collector, cobro_supervisor, cobro_lead, '
	               'cobro_admin, cobro_daemon', part);
	IF moved > 0 THEN
		EXECUTE format('ALTER TABLE cobro.%I DISABLE TRIGGER USER', part);
		EXECUTE format('INSERT INTO cobro.%I SELECT * FROM cobro.event_moving', part);
		EXECUTE format('ALTER TABLE cobro.%I ENABLE TRIGGER USER', part);
	END IF;
	DROP TABLE cobro.event_moving;
	RETURN moved;
END
$$;

-- Creates the missing monthly partitions from the month of from_month
-- through the month of to_month; returns how many it created.
CREATE OR REPLACE FUNCTION event_add_partitions(from_month date, to_month date) RETURNS integer
LANGUAGE plpgsql SET search_path = cobro, pg_temp AS $$
DECLARE
	m date := date_trunc('month', from_month);
	n integer := 0;
BEGIN
	WHILE m <= to_month LOOP
		IF event_partition_add(m) IS NOT NULL THEN
			n := n + 1;
		END IF;
		m := (m + interval '1 month')::date;
	END LOOP;
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION event_partition_add(date), event_add_partitions(date, date) FROM PUBLIC;

-- The upkeep: every month that has rows in event_default gets its partition
-- (they move in), and so does every month from the current one to p_ahead
-- months ahead. One row per partition created, with the rows it took.
-- Creating one waits at most 5 s for the lock on event (a long report
-- reading the history): behind a waiting request every new reader of the
-- history would wait too. cobrod tries again a minute later.
CREATE OR REPLACE FUNCTION event_partitions_keep(p_ahead integer)
RETURNS TABLE (partition_name text, moved bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cobro, pg_temp SET lock_timeout = '5s' AS $$
DECLARE
	months date[];
	m date;
	n bigint;
BEGIN
	IF p_ahead IS NULL OR p_ahead < 0 OR p_ahead > 120 THEN
		RAISE EXCEPTION 'months ahead must be from 0 to 120, not %', p_ahead USING ERRCODE = '22023';
	END IF;
	-- Read whole before the first partition is made, which alters the
	-- default partition: no scan of it may be open then.
	SELECT array_agg(x ORDER BY x) INTO months FROM (
		SELECT date_trunc('month', e.at)::date FROM cobro.event_default e WHERE isfinite(e.at)
		UNION
		SELECT generate_series(date_trunc('month', now()),
		                       date_trunc('month', now()) + make_interval(months => p_ahead),
		                       interval '1 month')::date) AS s(x);
	FOREACH m IN ARRAY months LOOP
		n := event_partition_add(m);
		IF n IS NOT NULL THEN
			partition_name := 'event_' || to_char(m, 'YYYY_MM');
			moved := n;
			RETURN NEXT;
		END IF;
	END LOOP;
END
$$;
REVOKE ALL ON FUNCTION event_partitions_keep(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION event_partitions_keep(integer) TO cobro_admin, cobro_daemon;
