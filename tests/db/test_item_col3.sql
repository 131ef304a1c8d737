-- as: t_col3
-- A history item whole (issue 15, line 9), from the other team: t_col3 (team
-- t_b) reads their own items with cobro.event_detail(), but none of team t_a's,
-- not even on the debtor both teams share: each is the same refusal as an
-- item that is not there.
BEGIN;
\ir lib.sql
SELECT plan(8);

SELECT is(session_user::text, 't_col3', 'runs as the login role t_col3');
SELECT is(event_detail(:ev_note_col3_1)->>'body', 'fixture note col3-1', 't_col3 reads their own note');
SELECT is(event_detail(:ev_call_shared_b)->>'outcome', 'no_answer',
          't_col3 reads their own call on the shared debtor');
SELECT is(event_detail(:evd_sms_col3_1)->>'body', 'fixture reply col3',
          't_col3 reads their debtor''s reply filed under no account');
SELECT throws_ok(format('SELECT cobro.event_detail(%s)', :ev_note_shared_a), '42501', 'no such item',
                 'team t_a''s note on the shared debtor is refused');
SELECT throws_ok(format('SELECT cobro.event_detail(%s)', :ev_call_shared_a), '42501', 'no such item',
                 'team t_a''s call on the shared debtor is refused');
SELECT throws_ok(format('SELECT cobro.event_detail(%s)', :ev_note_col1_1), '42501', 'no such item',
                 'team t_a''s note on another debtor is refused');
SELECT is((SELECT count(*)::int FROM generate_series(1, 1) WHERE EXISTS (SELECT 1 FROM event)), 1,
          't_col3 reads events at all (the refusals above are not for want of any)');

SELECT * FROM finish();
ROLLBACK;
