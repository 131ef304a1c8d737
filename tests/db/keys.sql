-- Names and numbers the test files use as psql variables (:acc_col1_1 ...).
-- tests/db/run.sh runs this as the superuser and passes each row as
-- "-v name=value": a login role cannot look up the rows it must not see.
-- One "name value" per row; every value is an integer.
SELECT 'acc_' || replace(substr(reference, 5), '-', '_'), id FROM cobro.account WHERE reference LIKE 'TFX-%'
UNION ALL
SELECT 'deb_' || replace(substr(national_id, 5), '-', '_'), id FROM cobro.debtor WHERE national_id LIKE 'TFX-%'
UNION ALL
SELECT 'cp_' || replace(substr(d.national_id, 5), '-', '_') || '_' || c.kind, c.id
FROM cobro.contact_point c JOIN cobro.debtor d ON d.id = c.debtor_id WHERE d.national_id LIKE 'TFX-%'
UNION ALL
SELECT 'ag_' || substr(login, 3), id FROM cobro.agent WHERE login LIKE 't\_%'
UNION ALL
SELECT 'team_' || substr(code, 3), id FROM cobro.team WHERE code LIKE 't\_%'
UNION ALL
SELECT 'msg_' || replace(substr(a.reference, 5), '-', '_'), m.id
FROM cobro.message m JOIN cobro.account a ON a.id = m.account_id WHERE a.reference LIKE 'TFX-%'
UNION ALL
SELECT 'prom_' || replace(substr(a.reference, 5), '-', '_'), p.id
FROM cobro.promise p JOIN cobro.account a ON a.id = p.account_id WHERE a.reference LIKE 'TFX-%'
UNION ALL
-- The fixtures' first event of each kind on each account (ev_note_col1_1),
-- and on each debtor filed under no account (evd_sms_col2_1).
SELECT 'ev_' || e.kind || '_' || replace(substr(a.reference, 5), '-', '_'), min(e.id)
FROM cobro.event e JOIN cobro.account a ON a.id = e.account_id
WHERE a.reference LIKE 'TFX-%' AND e.kind IN ('call', 'note') GROUP BY 1
UNION ALL
SELECT 'evd_' || e.kind || '_' || replace(substr(d.national_id, 5), '-', '_'), min(e.id)
FROM cobro.event e JOIN cobro.debtor d ON d.id = e.debtor_id
WHERE d.national_id LIKE 'TFX-%' AND e.account_id IS NULL AND e.kind = 'sms' GROUP BY 1
UNION ALL
-- A note and a call of ana's (team norte, the demo's), for the other team's
-- collectors to be refused.
SELECT 'ev_ana_' || e.kind, max(e.id)
FROM cobro.event e JOIN cobro.account a ON a.id = e.account_id JOIN cobro.agent g ON g.id = a.agent_id
WHERE g.login = 'ana' AND e.kind IN ('call', 'note') GROUP BY 1
UNION ALL
-- An account of a demo collector (acc_luis, acc_diego): a teammate's and
-- another team's account for ana's tests.
SELECT 'acc_' || g.login, min(a.id) FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id
WHERE g.login IN ('ana', 'luis', 'diego') GROUP BY g.login
UNION ALL
-- The demo's people by login (agent_ana): whose worklist a supervisor reads.
SELECT 'agent_' || login, id FROM cobro.agent WHERE login IN ('ana', 'luis', 'diego', 'sofia', 'marta')
UNION ALL
-- The strategy version of the fixtures (strategy_fixture_version).
SELECT 'strategy_fixture_version', version FROM cobro.strategy_version WHERE file = 'tests/db/fixtures.sql'
UNION ALL
SELECT 'n_' || t, n FROM (VALUES
	('account', (SELECT count(*) FROM cobro.account)),
	('debtor', (SELECT count(*) FROM cobro.debtor)),
	('contact_point', (SELECT count(*) FROM cobro.contact_point)),
	('installment', (SELECT count(*) FROM cobro.installment)),
	('payment', (SELECT count(*) FROM cobro.payment)),
	('promise', (SELECT count(*) FROM cobro.promise)),
	('promise_installment', (SELECT count(*) FROM cobro.promise_installment)),
	('message', (SELECT count(*) FROM cobro.message)),
	('event', (SELECT count(*) FROM cobro.event)),
	('agent', (SELECT count(*) FROM cobro.agent)),
	('audit', (SELECT count(*) FROM cobro.audit))) AS v(t, n)
ORDER BY 1;
