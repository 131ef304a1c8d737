-- as: t_daemon
-- Receipts by the gateway's own id (functions/message_receipt.sql: the
-- WhatsApp Cloud API's statuses), as the daemon: found by channel and
-- provider id, with message_dlr()'s rules (delivered once, a repeat or a
-- late word changes nothing, another channel's id is unknown).
BEGIN;
\ir lib.sql
SELECT plan(9);

SELECT is(session_user::text, 't_daemon', 'runs as the login role t_daemon');

CREATE TEMP TABLE got AS SELECT * FROM cobro.message_claim('t-rcpt', 'sms', 100000, 60);
SELECT is(cobro.message_settle('t-rcpt', ARRAY[:msg_col1_1]::bigint[], '{sent}', '{prov-rcpt-1}', '{""}', '{""}',
                               '{0}'), 1, 'a claimed SMS is settled sent, with the gateway''s id');
SELECT is(cobro.message_receipt('whatsapp', 'prov-rcpt-1', 'delivered', now()), 'unknown',
          'a receipt on another channel does not find it');
SELECT is(cobro.message_receipt('sms', 'prov-rcpt-1', 'seen', now()), 'unknown',
          'a word that is no status is unknown');
SELECT is(cobro.message_receipt(NULL, 'prov-rcpt-1', 'delivered', now()), 'refused',
          'a gateway that sends on no channel now is refused');
SELECT is(cobro.message_receipt('sms', 'prov-rcpt-1', 'sent', now()), 'ignored',
          '"sent" is intermediate: nothing changes');
SELECT is(cobro.message_receipt('sms', 'prov-rcpt-1', 'read', '2026-01-01 00:00Z'), 'delivered',
          '"read" (or "delivered") delivers it');
SELECT is((SELECT status || ' ' || delivered_at::text FROM message WHERE id = :msg_col1_1),
          'delivered 2026-01-01 00:00:00+00', '  at the receipt''s time');
SELECT is(cobro.message_receipt('sms', 'prov-rcpt-1', 'failed', now())
          || ' ' || (SELECT count(*) FROM event WHERE message_id = :msg_col1_1 AND kind = 'delivery'),
          'ignored 1', 'a late "failed" changes nothing: one delivery event');

SELECT * FROM finish();
ROLLBACK;
