-- as: diego
-- A history item whole (issue 15, line 9), from another team of the demo:
-- diego (team sur) reads his own items with cobro.event_detail(), and none of
-- ana's (team norte): the same refusal as an item that is not there.
BEGIN;
\ir lib.sql
SELECT plan(5);

SELECT is(session_user::text, 'diego', 'runs as the login role diego');
SELECT ok((SELECT count(*) FROM event e JOIN account a ON a.id = e.account_id
           WHERE a.agent_id = my_agent_id() AND e.kind = 'call') > 0, 'diego has calls of his own');
SELECT is((SELECT count(*)::int FROM event e JOIN account a ON a.id = e.account_id
           WHERE a.agent_id = my_agent_id() AND e.kind = 'call'
             AND event_detail(e.id)->>'outcome' IS DISTINCT FROM e.outcome),
          0, 'diego reads each of his calls, its outcome as the history has it');
SELECT throws_ok(format('SELECT cobro.event_detail(%s)', :ev_ana_call), '42501', 'no such item',
                 'ana''s call (team norte) is refused to diego (team sur)');
SELECT throws_ok(format('SELECT cobro.event_detail(%s)', :ev_ana_note), '42501', 'no such item',
                 'ana''s note is refused too');

SELECT * FROM finish();
ROLLBACK;
