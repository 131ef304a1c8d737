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

-- What a statement the caller may not make answers: 'done' when it went
-- through, else the refusal. refused_code: the SQLSTATE alone ('42501');
-- refusal: the SQLSTATE and the message up to its first colon ('42501 no
-- such account'), the part that names the rule, not the row; refusal_whole:
-- the SQLSTATE and the whole message ('55000 decided already: cleared by
-- sofia').
CREATE FUNCTION pg_temp.refused_code(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE sql;
	RETURN 'done';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;
CREATE FUNCTION pg_temp.refusal(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE sql;
	RETURN 'done';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ' ' || split_part(SQLERRM, ':', 1);
END
$$;
CREATE FUNCTION pg_temp.refusal_whole(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE sql;
	RETURN 'done';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ' ' || SQLERRM;
END
$$;

-- Queues a message to each of up to 40 mobiles and emails that are marked
-- bad or opted out of the channel, of the caller's own accounts (p_scope
-- 'own'), their team's ('team') or every account they read ('all'), and
-- says what message_queue() answered each: NULL when it queued (a hole),
-- else the refusal.
CREATE FUNCTION pg_temp.queue_refusals(p_scope text) RETURNS TABLE (point bigint, value text, err text)
LANGUAGE plpgsql AS $$
DECLARE
	c record;
BEGIN
	FOR c IN SELECT DISTINCT ON (p.id) p.id, p.value, a.id AS account,
	                CASE p.kind WHEN 'email' THEN 'email' ELSE 'sms' END AS ch
	         FROM contact_point p JOIN account a ON a.debtor_id = p.debtor_id
	         WHERE CASE p_scope WHEN 'own' THEN a.agent_id = my_agent_id()
	                            WHEN 'team' THEN a.team_id = my_team_id()
	                            ELSE true END
	           AND p.kind IN ('mobile', 'email')
	           AND (p.bad_since IS NOT NULL OR CASE p.kind WHEN 'email' THEN 'email' ELSE 'sms' END = ANY (p.opted_out))
	         ORDER BY p.id LIMIT 40
	LOOP
		point := c.id;
		value := c.value;
		BEGIN
			PERFORM message_queue(gen_random_uuid(), c.account, c.id, c.ch, NULL,
			                      CASE c.ch WHEN 'email' THEN 's' END, 'x', NULL, NULL, NULL);
			err := NULL;
		EXCEPTION WHEN OTHERS THEN
			err := SQLERRM;
		END;
		RETURN NEXT;
	END LOOP;
END
$$;
