-- Shared by the test files (\ir lib.sql right after BEGIN): session settings
-- and small helpers. Helpers live in pg_temp: a login role may create
-- temporary objects (TEMPORARY on the database) but nothing in schema cobro.
SET LOCAL search_path = cobro, public;
SET LOCAL client_min_messages = warning;

-- The number of rows a statement changed; 0 when row-level security hid them.
CREATE FUNCTION pg_temp.affected(sql text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE sql;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;
