-- as: t_gone
-- A collector whose agent row is deactivated (agent.active = false) keeps a
-- LOGIN role and group membership, but reads and writes nothing any more,
-- not even the account still assigned to them.
BEGIN;
\ir lib.sql
SELECT plan(7);

SELECT is(session_user::text, 't_gone', 'runs as the login role t_gone');
SELECT is(my_agent_id(), NULL, 'a deactivated agent has no agent id');
SELECT is_empty('SELECT 1 FROM account', 'a deactivated collector reads no account, not even the one assigned to them');
SELECT is_empty('SELECT 1 FROM debtor UNION ALL SELECT 1 FROM contact_point UNION ALL SELECT 1 FROM event '
                'UNION ALL SELECT 1 FROM message UNION ALL SELECT 1 FROM promise',
                'a deactivated collector reads no debtor, contact point, event, message or promise');
SELECT is_empty('SELECT 1 FROM agent', 'a deactivated collector reads no people');
SELECT throws_ok(format('INSERT INTO event (account_id, debtor_id, kind) VALUES (%s, %s, ''note'')',
                        :acc_gone_1, :deb_gone_1),
                 '42501', 'permission denied for table event',
                 'a deactivated collector cannot add an event to the account still assigned to them');
SELECT throws_ok(format('SELECT cobro.account_add_note(''00000000-0000-4000-8000-0000000000c7'', %s, ''x'')', :acc_gone_1),
                 '42501', 'no such account',
                 'a deactivated collector cannot note their former account through the function either');

SELECT * FROM finish();
ROLLBACK;
