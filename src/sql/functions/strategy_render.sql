-- What a strategy run needs to write its messages (issue 18, line 4;
-- src/core/strategy_run.c): for the accounts that have a message on a day,
-- the data their templates are rendered with, the facts a
-- template's requirements are tested against (template_fits(), as the
-- send screen and cobrod test them). One statement for a batch of the
-- day's accounts. The contact point is strategy_facts()' own
-- (functions/strategy.sql).
--
-- The data are those the send screen renders with (src/core/outbox.c):
-- the installment a reminder speaks of is the one due on the account's
-- oldest unpaid date, else the first not paid in full; the promise is the
-- pending one, else the latest; the payment the latest.
-- For cobrod's daemon login and administrators (cobroctl strategy run).
-- uses: functions/session.sql
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE OR REPLACE FUNCTION strategy_message_data(p_accounts bigint[])
RETURNS TABLE (account_id bigint, debtor_id bigint, name text, first_name text, language text,
               jurisdiction text, reference text, currency text, balance bigint, past_due bigint,
               oldest_due text, unpaid boolean, due_date text, due_amount bigint,
               promise_status text, promise_amount bigint, promise_currency text, promise_date text,
               payment_amount bigint, payment_currency text, payment_date text,
               creditor text, pay_link text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cobro, pg_temp AS $$
	SELECT a.id, d.id, d.name, d.first_name, d.language, d.jurisdiction, a.reference, a.currency::text,
	       a.balance, a.past_due, coalesce(to_char(a.oldest_due, 'YYYY-MM-DD'), ''),
	       EXISTS (SELECT 1 FROM installment i WHERE i.account_id = a.id AND i.paid < i.amount),
	       coalesce(to_char(due.due_date, 'YYYY-MM-DD'), ''), coalesce(due.amount - due.paid, 0),
	       coalesce(pr.status, ''), coalesce(pr.amount, 0), coalesce(pr.currency::text, ''),
	       coalesce(to_char(pr.due_date, 'YYYY-MM-DD'), ''),
	       coalesce(py.amount, 0), coalesce(py.currency::text, ''),
	       coalesce(to_char(py.paid_at AT TIME ZONE d.time_zone, 'YYYY-MM-DD'), ''),
	       cr.name, coalesce(cr.pay_link || a.reference, '')
	FROM unnest(p_accounts) AS x(id)
	JOIN account a ON a.id = x.id
	JOIN debtor d ON d.id = a.debtor_id
	JOIN creditor cr ON cr.id = a.creditor_id
	LEFT JOIN LATERAL (SELECT i.due_date, i.amount, i.paid FROM installment i
	                   WHERE i.account_id = a.id AND i.paid < i.amount
	                   ORDER BY i.due_date = a.oldest_due DESC, i.seq LIMIT 1) due ON true
	LEFT JOIN LATERAL (SELECT r.status, r.amount, r.currency, r.due_date FROM promise r
	                   WHERE r.account_id = a.id
	                   ORDER BY r.status = 'pending' DESC, r.created_at DESC, r.id DESC LIMIT 1) pr ON true
	LEFT JOIN LATERAL (SELECT y.amount, y.currency, y.paid_at FROM payment y WHERE y.account_id = a.id
	                   ORDER BY y.paid_at DESC, y.id DESC LIMIT 1) py ON true
	ORDER BY a.id
$$;
REVOKE ALL ON FUNCTION strategy_message_data(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION strategy_message_data(bigint[]) TO cobro_admin, cobro_daemon;
