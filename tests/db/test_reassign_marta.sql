-- as: marta
-- Issue 17, lines 5 and 7, as a lead (marta, team norte): count, preview
-- (changes nothing), apply (even by count, even by balance, to the pool),
-- each move's event and notification, undo; an absence and the return;
-- nothing of team sur, to or from.
BEGIN;
\ir lib.sql
SELECT plan(33);

SELECT is(session_user::text, 'marta', 'runs as the login role marta');

-- The open accounts of an agent, and those over 30 days past due, straight
-- from the table (row security: marta reads her team's).
CREATE FUNCTION pg_temp.open_of(login text, dpd_from integer DEFAULT 0) RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*) FROM account a JOIN agent g ON g.id = a.agent_id
	WHERE g.login = $1 AND a.status NOT IN ('paid', 'closed')
	  AND coalesce(greatest(0, current_date - a.oldest_due), 0) >= $2
$$;

CREATE TEMP TABLE before_luis AS SELECT pg_temp.open_of('luis', 31) AS over30, pg_temp.open_of('luis') AS open,
	pg_temp.open_of('ana') AS ana;
SELECT ok((SELECT over30 FROM before_luis) >= 4, 'luis has accounts over 30 days past due');
SELECT is((SELECT sum(accounts) FROM reassign_count('{"agent": "luis", "dpd_from": 31}'))::bigint,
          (SELECT over30 FROM before_luis), 'the count is the table''s');
SELECT is((SELECT sum(balance) FILTER (WHERE currency = 'USD') FROM reassign_count('{"agent": "luis", "dpd_from": 31}'))::bigint,
          (SELECT sum(a.balance) FROM account a JOIN agent g ON g.id = a.agent_id JOIN debtor d ON d.id = a.debtor_id
           WHERE g.login = 'luis' AND a.status NOT IN ('paid', 'closed') AND a.currency = 'USD'
             AND coalesce(greatest(0, current_date - a.oldest_due), 0) >= 31)::bigint,
          '  and so is its total, per currency');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_count('{"agent": "luis", "colour": "red"}')$$), '22023',
          'an unknown filter is refused');

-- Preview changes nothing.
SELECT is((SELECT sum(accounts)::bigint FROM reassign_preview('{"agent": "luis", "dpd_from": 31}', '{ana,luis}', 'count'))::bigint,
          (SELECT over30 FROM before_luis) * 1, 'the preview shares every picked account');
SELECT is(pg_temp.open_of('luis'), (SELECT open FROM before_luis), '  and moves none');
SELECT is((SELECT count(*) FROM reassign_batch)::int, 0, '  and writes no batch');

-- Even by count: luis's over-30 accounts between ana and luis.
SELECT pg_current_snapshot()::text AS snap \gset
CREATE TEMP TABLE applied AS
	SELECT * FROM reassign_apply('{"agent": "luis", "dpd_from": 31}', '{ana,luis}', 'count');
SELECT ok((SELECT min(batch) = max(batch) AND min(batch) IS NOT NULL FROM applied), 'apply gives one batch id');
SELECT ok((SELECT abs(sum(accounts) FILTER (WHERE login = 'ana') - sum(accounts) FILTER (WHERE login = 'luis')) <= 1
           FROM applied), 'even by count: the shares differ by one at most');
SELECT is(pg_temp.open_of('ana'), (SELECT ana FROM before_luis) + (SELECT sum(accounts)::bigint FROM applied WHERE login = 'ana'),
          'ana has her share now');
SELECT is(pg_temp.open_of('luis'), (SELECT open FROM before_luis) - (SELECT sum(accounts)::bigint FROM applied WHERE login = 'ana'),
          'luis kept his');
SELECT is((SELECT count(*) FROM event e WHERE e.kind = 'assignment' AND e.outcome = 'reassigned'
             AND (e.data->>'batch')::bigint = (SELECT min(batch) FROM applied)),
          (SELECT sum(accounts)::bigint FROM applied WHERE login = 'ana'), 'one event per account moved');
SELECT is((SELECT DISTINCT e.body || ' ' || (e.data->>'from') || '/' || (e.data->>'to') || '/' || (e.data->>'by') || ' ' || g.login
           FROM event e JOIN agent g ON g.id = e.agent_id
           WHERE e.kind = 'assignment' AND (e.data->>'batch')::bigint = (SELECT min(batch) FROM applied)),
          'luis → ana luis/ana/marta marta', '  "from luis to ana by marta"');
SELECT is((SELECT count(*) FROM changes_since(:'snap') c JOIN event e ON e.account_id = c.account_id
           WHERE c.kind = 'account' AND e.kind = 'assignment' AND (e.data->>'batch')::bigint = (SELECT min(batch) FROM applied)),
          (SELECT sum(accounts)::bigint FROM applied WHERE login = 'ana'), 'every moved account is announced (change_log)');
SELECT is((SELECT count(*) FROM change_log c WHERE c.xid = pg_current_xact_id()
             AND c.was_agent = (SELECT id FROM agent WHERE login = 'luis')),
          (SELECT sum(accounts)::bigint FROM applied WHERE login = 'ana'),
          '  written down for luis too, who had them (was_agent)');
SELECT is((SELECT moved FROM reassign_batches(NULL, 1)), (SELECT sum(accounts)::bigint FROM applied WHERE login = 'ana'),
          'the batch lists what it moved');

-- Undo the last batch.
SELECT is((SELECT worked FROM reassign_undo_check(0)), 0::bigint, 'nothing worked since');
SELECT is((SELECT restored FROM reassign_undo(0)), (SELECT sum(accounts)::bigint FROM applied WHERE login = 'ana'),
          'undo restores every account');
SELECT is(pg_temp.open_of('luis'), (SELECT open FROM before_luis), '  luis has them all back');
SELECT is((SELECT count(*) FROM event e WHERE e.kind = 'assignment' AND e.outcome = 'undone' AND e.body = 'ana → luis'
             AND (e.data->>'batch')::bigint = (SELECT min(batch) FROM applied)),
          (SELECT sum(accounts)::bigint FROM applied WHERE login = 'ana'), '  each with its event');
SELECT is(pg_temp.refused_code(format('SELECT * FROM reassign_undo(%s)', (SELECT min(batch) FROM applied))), '55000',
          'a batch is undone once');

-- Even by balance: per currency, the totals are as close as the accounts allow.
CREATE TEMP TABLE by_balance AS
	SELECT * FROM reassign_preview('{"agent": "luis"}', '{ana,luis}', 'balance');
SELECT ok((SELECT bool_and(abs(x.a - x.l) <= (SELECT max(a.balance) FROM account a JOIN agent g ON g.id = a.agent_id
                                               WHERE g.login = 'luis' AND a.currency = x.currency))
           FROM (SELECT currency, sum(balance) FILTER (WHERE login = 'ana') AS a, sum(balance) FILTER (WHERE login = 'luis') AS l
                 FROM by_balance GROUP BY currency) x),
          'even by balance: each currency''s totals differ by less than one account');

-- To the team's pool, and the absence.
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_absent('luis', current_date)$$), '22023',
          'an absence ends after today');
CREATE TEMP TABLE away AS SELECT * FROM reassign_absent('luis', current_date + 3);
SELECT is((SELECT moved FROM away), (SELECT open FROM before_luis), 'luis absent: all his open accounts to the pool');
SELECT is(pg_temp.open_of('luis'), 0::bigint, '  he has none');
SELECT is((SELECT absent_until FROM reassign_agents(NULL) WHERE login = 'luis'), current_date + 3, '  the agents list says until when');
SELECT is((SELECT returned FROM reassign_present('luis')), (SELECT open FROM before_luis), 'back: every untouched account returns');
SELECT is(pg_temp.open_of('luis'), (SELECT open FROM before_luis), '  he has them all again');

-- Team sur: neither from nor to, nor the team.
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_count('{"agent": "carla"}')$$), '42501', 'carla''s accounts (team sur): refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_apply('{"agent": "luis"}', '{carla}', 'one')$$), '42501',
          'to carla (team sur): refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_count('{"team": "sur"}')$$), '42501', 'team sur: refused');
SELECT is(pg_temp.refused_code($$SELECT * FROM reassign_absent('diego', current_date + 2)$$), '42501',
          'diego (team sur) absent: refused');

SELECT * FROM finish();
ROLLBACK;
