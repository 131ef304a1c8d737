-- as: admin
-- Issue 18, as an administrator: a strategy version is loaded (never an
-- empty one, its digest checked, on the audit chain) and is the one in
-- force; the facts of every account for a day; a day's decisions applied
-- once: messages queued with their out events and the strategy's names, a
-- worklist move (an account open on a workstation waits for its lease), an
-- agency placement once, skipped and refused steps recorded with an event,
-- a change of segment an event; the same day again changes nothing, and a
-- step done is never done again on another day.
BEGIN;
\ir lib.sql
SELECT plan(50);

SELECT is(session_user::text, 'admin', 'runs as the login role admin');

-- ---------------------------------------------------------------- versions
SELECT is(pg_temp.refusal($$SELECT strategy_load('s.conf', E' \n\t', encode(sha256(convert_to(E' \n\t', 'UTF8')), 'hex'), NULL)$$),
          '22023 a strategy file is never empty', 'an empty strategy is refused');
SELECT is(pg_temp.refusal($$SELECT strategy_load('s.conf', 'segments = ();', repeat('0', 64), NULL)$$),
          '22023 the digest is not the SHA-256 of the text', 'a digest that is not the text''s is refused');
SELECT strategy_load('etc/strategy.conf', E'segments = ( { name = "standard"; } );\n',
                     encode(sha256(convert_to(E'segments = ( { name = "standard"; } );\n', 'UTF8')), 'hex'),
                     E'-segments = ( { name = "fixture"; } );\n+segments = ( { name = "standard"; } );') AS v \gset
SELECT cmp_ok(:v, '>', :strategy_fixture_version, 'a version is stored, after the one there was');
SELECT is((SELECT row(version, file, loaded_by)::text FROM strategy_in_force()), row(:v, 'etc/strategy.conf', 'admin')::text, 'it is the version in force, who loaded it kept');
SELECT is((SELECT diff FROM strategy_version WHERE version = :v),
          E'-segments = ( { name = "fixture"; } );\n+segments = ( { name = "standard"; } );', '  with its diff');
SELECT is((SELECT count(*) FROM audit WHERE tbl = 'strategy_version' AND row_id = :v AND actor = 'admin')::int, 1,
          '  on the audit chain');
SELECT is(pg_temp.refused_code($$INSERT INTO strategy_version (file, text, digest) VALUES ('x', 'x', 'x')$$), '42501',
          'strategy_version is not written directly');
SELECT is(pg_temp.refused_code($$UPDATE account_strategy SET segment = 'x'$$), '42501', 'nor account_strategy');

-- ---------------------------------------------------------------- facts
SELECT is((SELECT count(*) FROM strategy_facts(date '2030-01-15'))::int,
          (SELECT count(*) FROM account WHERE status NOT IN ('paid', 'closed'))::int,
          'the facts: one row per open account');
SELECT is((SELECT row(team, agent, point_sms, point_email, point_whatsapp, point_letter, promise_active,
                           oldest_due = (SELECT x.oldest_due - date '1970-01-01' FROM account x WHERE x.id = :acc_col1_1))::text
            FROM strategy_facts(date '2030-01-15') WHERE account_id = :acc_col1_1),
          row('t_a', 't_col1', :cp_col1_1_mobile::bigint, :cp_col1_1_email::bigint,
              :cp_col1_1_mobile::bigint, NULL::bigint, true, true)::text,
          '  an account''s team, agent, usable points per channel, promise, oldest due day');
SELECT is((SELECT last_reply FROM strategy_facts(current_date) WHERE account_id = :acc_col2_1),
          (SELECT (max(e.at) AT TIME ZONE 'Europe/Madrid')::date - date '1970-01-01' FROM event e
           WHERE e.debtor_id = :deb_col2_1 AND e.direction = 'in' AND e.kind = 'sms')::int,
          '  the last reply: the debtor''s, filed under no account, its day in the debtor''s zone');
SELECT is((SELECT done FROM strategy_facts(date '2000-01-05') WHERE account_id = :acc_ana),
          'fixture:tfx_step:' || (date '2000-01-01' - date '1970-01-01'), '  the steps it went through');

-- ---------------------------------------------------------------- a day
INSERT INTO template (code, channel, language, body) VALUES ('tfx_notice', 'sms', 'es', 'Hola {first_name}'),
	('tfx_notice', 'sms', 'en', 'Hello {first_name}'),
	('tfx_notice', 'email', 'en', 'Hello'), ('tfx_notice', 'email', 'es', 'Hola');
UPDATE template SET subject = 'Aviso' WHERE code = 'tfx_notice' AND channel = 'email';
SELECT strategy_stage();
-- The day's rows, kept to stage them again.
CREATE TEMP TABLE day_rows (kind text, account_id bigint, segment text, ladder text, variant text, state text,
	state_reason text, last_step text, next_step text, next_step_on date, step text, anchor date, outcome text,
	reason text, channel text, template text, point_id bigint, scheduled_at timestamptz, subject text, body text,
	params jsonb, segments integer, encoding text, assign text, agency text, agency_file text) ON COMMIT DROP;
INSERT INTO day_rows (kind, account_id, segment, ladder, variant, state, last_step, next_step, next_step_on) VALUES
	('segment', :acc_col1_1, 'early', 'retail', 'A', 'running', 'dpd1', 'dpd5', date '2030-01-19'),
	('segment', :acc_ana, 'early', 'retail', 'B', 'paused', NULL, NULL, NULL);
INSERT INTO day_rows (kind, account_id, ladder, step, anchor, outcome, reason, channel, template, point_id,
                      scheduled_at, subject, body, segments, encoding, assign, agency, agency_file, segment, variant)
VALUES ('action', :acc_col1_1, 'retail', 'dpd1', date '2030-01-14', 'send', NULL, 'sms', 'tfx_notice', :cp_col1_1_mobile,
        timestamptz '2030-01-15 15:00Z', NULL, 'Hola Fixture', 1, 'gsm7', NULL, NULL, NULL, 'early', 'A'),
       ('action', :acc_col1_2, 'retail', 'due0', date '2030-01-15', 'send', NULL, 'email', 'tfx_notice', :cp_col1_2_email,
        timestamptz '2030-01-15 16:00Z', 'Aviso', 'Hola', NULL, NULL, NULL, NULL, NULL, 'early', 'A'),
       ('action', :acc_col1_1, 'retail', 'dpd5', date '2030-01-14', 'send', NULL, 'whatsapp', 'tfx_missing', :cp_col1_1_mobile,
        timestamptz '2030-01-15 15:00Z', NULL, 'Hola', NULL, NULL, NULL, NULL, NULL, 'early', 'A'),
       ('action', :acc_pool_a, 'retail', 'dpd15', date '2030-01-01', 'assign', NULL, 'worklist', NULL, NULL,
        NULL, NULL, NULL, NULL, NULL, 'agent:t_col1', NULL, NULL, 'early', 'A'),
       ('action', :acc_col2_2, 'retail', 'dpd15', date '2030-01-01', 'assign', NULL, 'worklist', NULL, NULL,
        NULL, NULL, NULL, NULL, NULL, 'pool', NULL, NULL, 'early', 'A'),
       ('action', :acc_col2_1, 'late', 'dpd90', date '2029-10-01', 'place', NULL, 'agency', NULL, NULL,
        NULL, NULL, NULL, NULL, NULL, NULL, 'externa', 'var/placements/externa-20300115.csv', 'late', NULL),
       ('action', :acc_shared_a, 'retail', 'pre3', date '2030-01-20', 'skip', 'stale', 'sms', 'tfx_notice', NULL,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'early', 'A');
INSERT INTO pg_temp.strategy_in SELECT * FROM day_rows;
SELECT strategy_apply('ladder', date '2030-01-15', :v, 'pgtap') AS counts \gset
SELECT is((:'counts'::jsonb) #> '{outcomes}',
          '{"queued": 2, "assigned": 2, "placed": 1, "skipped": 1, "refused": 1}'::jsonb, 'the counts: what each step did');
SELECT is((:'counts'::jsonb) - '{run,day,version,kind,outcomes,segments,channels,reasons}'::text[],
          '{"accounts": 2, "written": 2, "segment_changes": 1, "steps": 7, "already_done": 0, "moved": 1}'::jsonb,
          '  accounts written, a change of segment, steps, moves');
SELECT is((:'counts'::jsonb) -> 'reasons', '{"stale": 1, "no_template": 1}'::jsonb, '  why');
SELECT is((SELECT counts FROM strategy_run WHERE kind = 'ladder' AND day = date '2030-01-15'), :'counts'::jsonb,
          '  kept in the run''s row');

SELECT is((SELECT row(channel, recipient, template_code, language, agent_id, next_attempt_at, ladder, step, segment,
                           variant, status)::text FROM message WHERE account_id = :acc_col1_1 AND ladder IS NOT NULL), row('sms', (SELECT value FROM contact_point WHERE id = :cp_col1_1_mobile), 'tfx_notice', 'es',
                            NULL::bigint, timestamptz '2030-01-15 15:00Z', 'retail', 'dpd1', 'early', 'A', 'queued')::text,
                  'an SMS queued: to the point, the template in the debtor''s language, nobody''s, at its moment, the strategy''s names');
SELECT is((SELECT row(e.kind, e.direction, e.at, e.agent_id)::text FROM event e JOIN message m ON m.id = e.message_id
                    WHERE m.account_id = :acc_col1_1 AND m.ladder IS NOT NULL), row('sms', 'out', timestamptz '2030-01-15 15:00Z', NULL::bigint)::text,
                  '  with its out event at that moment (the contact policy counts it)');
SELECT is((SELECT d.message_id FROM strategy_step_done d WHERE d.account_id = :acc_col1_1 AND d.step = 'dpd1'),
          (SELECT id FROM message WHERE account_id = :acc_col1_1 AND ladder IS NOT NULL), '  and the step names it');
SELECT is((SELECT row(channel, subject, body)::text FROM message WHERE account_id = :acc_col1_2 AND ladder IS NOT NULL), row('email', 'Aviso', 'Hola')::text, 'an email queued');
SELECT is((SELECT row(outcome, reason, message_id)::text FROM strategy_step_done WHERE account_id = :acc_col1_1 AND step = 'dpd5'), row('refused', 'no_template', NULL::bigint)::text, 'no template of that code and channel: refused, no message');
SELECT is((SELECT count(*) FROM event WHERE account_id = :acc_col1_1 AND kind = 'strategy' AND outcome = 'refused'
            AND data->>'reason' = 'no_template')::int, 1, '  with an event');

SELECT is((SELECT g.login FROM account a JOIN agent g ON g.id = a.agent_id WHERE a.id = :acc_pool_a), 't_col1',
          'a worklist step: the pool''s account to the agent named');
SELECT is((SELECT row(e.outcome, e.body)::text FROM event e WHERE e.account_id = :acc_pool_a AND e.kind = 'assignment'), row('strategy', '(t_a) → t_col1')::text, '  an assignment event');
SELECT is((SELECT count(*) FROM reassign_batch b JOIN reassign_move m ON m.batch_id = b.id
           WHERE b.kind = 'strategy' AND m.account_id = :acc_pool_a AND m.state = 'done')::int, 1,
          '  through a reassignment batch of the strategy''s');
SELECT is((SELECT agent_id FROM account WHERE id = :acc_col2_2), :ag_col2::bigint,
          'an account open on a workstation does not move under the person''s hands');
SELECT is((SELECT m.state FROM reassign_move m JOIN reassign_batch b ON b.id = m.batch_id
           WHERE b.kind = 'strategy' AND m.account_id = :acc_col2_2), 'pending', '  it waits for the lease');

SELECT is((SELECT row(agency, file)::text FROM placement WHERE account_id = :acc_col2_1), row('externa', 'var/placements/externa-20300115.csv')::text, 'an agency step: the account placed');
SELECT is((SELECT status FROM account WHERE id = :acc_col2_1), 'agency', '  its status agency');
SELECT is((SELECT count(*) FROM event WHERE account_id = :acc_col2_1 AND kind = 'strategy' AND outcome = 'placed')::int, 1,
          '  an event');
SELECT is((SELECT row(outcome, reason)::text FROM strategy_step_done WHERE account_id = :acc_shared_a), row('skipped', 'stale')::text, 'a stale step: recorded skipped, with why');
SELECT is((SELECT count(*) FROM event WHERE account_id = :acc_shared_a AND kind = 'strategy' AND outcome = 'skipped')::int, 0,
          '  and no event: nothing happened to the debtor (the history is theirs)');
SELECT is((SELECT row(segment, ladder, variant, state, last_step, next_step, next_step_on, version)::text FROM account_strategy WHERE account_id = :acc_col1_1), row('early', 'retail', 'A', 'running', 'dpd1', 'dpd5', date '2030-01-19', :v)::text,
                  'where an account stands is written');
SELECT is((SELECT row(data)::text FROM event WHERE account_id = :acc_ana AND kind = 'strategy' AND outcome = 'segment'), row('{"old": {"ladder": "fixture", "segment": "fixture", "variant": null},
                              "new": {"ladder": "retail", "segment": "early", "variant": "B"}}'::jsonb
                            || jsonb_build_object('run', (SELECT id FROM strategy_run WHERE day = date '2030-01-15'), 'version', :v))::text,
                  'a change of segment is an event, old and new');
SELECT is((SELECT count(*) FROM event WHERE account_id = :acc_col1_1 AND kind = 'strategy' AND outcome = 'segment')::int, 0,
          '  an account''s first segment is not a change');

-- ---------------------------------------------------------------- again
SELECT count(*) AS msgs FROM message WHERE ladder IS NOT NULL \gset
SELECT strategy_stage();
INSERT INTO pg_temp.strategy_in SELECT * FROM day_rows;
SELECT is(strategy_apply('ladder', date '2030-01-15', :v, 'another') - 'counts',
          jsonb_build_object('already', true, 'run', (SELECT id FROM strategy_run WHERE day = date '2030-01-15'),
                             'worker', 'pgtap'),
          'the same day again: done already, by whom');
SELECT is((SELECT count(*) FROM message WHERE ladder IS NOT NULL)::int, :msgs, '  nothing queued again');
SELECT is((SELECT count(*) FROM strategy_run WHERE kind = 'ladder' AND day = date '2030-01-15')::int, 1, '  one run');
SELECT strategy_stage();
INSERT INTO pg_temp.strategy_in SELECT * FROM day_rows;
SELECT strategy_apply('ladder', date '2030-01-16', :v, 'pgtap') AS counts2 \gset
SELECT is((:'counts2'::jsonb)->'already_done', '7', 'the next day, the same steps (same anchors): all done already');
SELECT is((:'counts2'::jsonb)->'outcomes', '{}'::jsonb, '  none done again');
SELECT is((SELECT count(*) FROM message WHERE ladder IS NOT NULL)::int, :msgs, '  nothing queued twice');
SELECT is((SELECT count(*) FROM placement WHERE account_id = :acc_col2_1)::int, 1, '  placed once');
SELECT is((SELECT count(*) FROM strategy_step_done WHERE account_id = :acc_col1_1 AND ladder = 'retail')::int, 2,
          '  each step once');
SELECT is((:'counts2'::jsonb)->'segment_changes', '0', '  no change of segment when nothing changed');
SELECT is((SELECT count(*) FROM strategy_run WHERE kind = 'segment' AND day = date '2030-01-16')::int, 0,
          'a segment run is another run of the day');

SELECT is(pg_temp.refusal(format($$SELECT strategy_apply('ladder', date '2030-01-17', %s, 'pgtap')$$, :v)),
          '55000 strategy_apply', 'nothing staged: refused');
SELECT strategy_stage();
SELECT is(pg_temp.refusal(format($$SELECT strategy_apply('weekly', date '2030-01-17', %s, 'pgtap')$$, :v)),
          '22023 strategy_apply', 'a kind that is not segment or ladder: refused');
SELECT is(pg_temp.refusal($$SELECT strategy_apply('ladder', date '2030-01-17', 0, 'pgtap')$$),
          '22023 strategy_apply', 'a version that does not exist: refused');
SELECT strategy_stage();
SELECT strategy_apply('segment', date '2030-01-17', :v, 'pgtap') AS c3 \gset
SELECT is(pg_temp.refusal(format($$SELECT strategy_apply('ladder', date '2030-01-17', %s, 'pgtap')$$, :v)),
          '55000 strategy_apply', 'what was staged is applied once: staged again for another run');

SELECT * FROM finish();
ROLLBACK;
