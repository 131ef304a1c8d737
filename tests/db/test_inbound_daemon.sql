-- as: t_daemon
-- Issue 15, line 7: one inbound message is one event per debtor, whatever
-- the number's uses. A BAJA from a number that is both a debtor's mobile and
-- their WhatsApp was recorded twice (two optout and two sms rows, and cobrod
-- logged "2 debtors"): message_inbound() made an event per contact point.
-- As the daemon, which calls it from its listener (functions/
-- message_inbound.sql). Fixtures: TFX-orphan's number is their mobile and
-- their WhatsApp, and TFX-kin's mobile; TFX-shared has two accounts.
BEGIN;
\ir lib.sql
SELECT plan(27);

SELECT is(session_user::text, 't_daemon', 'runs as the login role t_daemon');

-- The texts of this file, to count only its own events.
CREATE FUNCTION pg_temp.events(p_debtor bigint, p_kind text, p_body text) RETURNS bigint
LANGUAGE sql AS $$
	SELECT count(*) FROM cobro.event WHERE debtor_id = p_debtor AND kind = p_kind AND direction = 'in'
	                                   AND body = p_body
$$;
CREATE FUNCTION pg_temp.num(p_point bigint) RETURNS text LANGUAGE sql AS $$
	SELECT value FROM cobro.contact_point WHERE id = p_point
$$;

SELECT ok(pg_temp.num(:cp_orphan_mobile) = pg_temp.num(:cp_orphan_whatsapp)
          AND pg_temp.num(:cp_orphan_mobile) = pg_temp.num(:cp_kin_mobile),
          'fixture: one number is TFX-orphan''s mobile and WhatsApp, and TFX-kin''s mobile');

-- ------------------------------------------------------------ a BAJA from a mobile that is WhatsApp too
SELECT is(cobro.message_inbound('sms', pg_temp.num(:cp_orphan_mobile), '12345', 'BAJA t15', now(), true),
          2, 'a BAJA from the number reaches its 2 debtors (not 3 contact points)');
SELECT is(pg_temp.events(:deb_orphan, 'sms', 'BAJA t15'), 1::bigint,
          '  one sms event for the debtor whose mobile and WhatsApp it is');
SELECT is(pg_temp.events(:deb_orphan, 'optout', 'BAJA t15'), 1::bigint, '  and one optout event');
SELECT is((SELECT data->'contact_points' FROM event WHERE debtor_id = :deb_orphan AND kind = 'optout'
           AND body = 'BAJA t15'),
          jsonb_build_array(:cp_orphan_mobile, :cp_orphan_whatsapp), '  which names both contact points');
SELECT is(pg_temp.events(:deb_kin, 'sms', 'BAJA t15'), 1::bigint, '  one sms event for the relative who gave the number');
SELECT is(pg_temp.events(:deb_kin, 'optout', 'BAJA t15'), 1::bigint, '  and one optout event');
SELECT is((SELECT count(*) FROM contact_point WHERE id IN (:cp_orphan_mobile, :cp_orphan_whatsapp, :cp_kin_mobile)
           AND 'sms' = ANY (opted_out) AND opted_out_at IS NOT NULL),
          3::bigint, '  every contact point with that number is opted out of SMS');
SELECT is((SELECT count(*) FROM contact_point WHERE id IN (:cp_orphan_mobile, :cp_orphan_whatsapp, :cp_kin_mobile)
           AND array_length(opted_out, 1) = 1),
          3::bigint, '  once each, and of SMS only');
SELECT is((SELECT count(*) FROM event WHERE debtor_id IN (:deb_orphan, :deb_kin) AND body = 'BAJA t15'
           AND account_id IS NOT NULL),
          0::bigint, '  filed on the debtors, who have no account');

-- Again: recorded as a reply again, but nothing left to opt out.
SELECT is(cobro.message_inbound('sms', pg_temp.num(:cp_orphan_mobile), '12345', 'BAJA t15', now(), true),
          2, 'the same BAJA again reaches the same 2 debtors');
SELECT is(pg_temp.events(:deb_orphan, 'sms', 'BAJA t15'), 2::bigint, '  one more sms event each');
SELECT is(pg_temp.events(:deb_orphan, 'optout', 'BAJA t15') + pg_temp.events(:deb_kin, 'optout', 'BAJA t15'),
          2::bigint, '  and no optout event: nothing was opted in');

-- STOP over WhatsApp: the same number, the other channel.
SELECT is(cobro.message_inbound('whatsapp', pg_temp.num(:cp_orphan_whatsapp), '', 'STOP t15', now(), true),
          2, 'a WhatsApp STOP from the number reaches its 2 debtors');
SELECT is(pg_temp.events(:deb_orphan, 'whatsapp', 'STOP t15') + pg_temp.events(:deb_orphan, 'optout', 'STOP t15'),
          2::bigint, '  one whatsapp and one optout event for the debtor');
SELECT is((SELECT count(*) FROM contact_point WHERE id IN (:cp_orphan_mobile, :cp_orphan_whatsapp, :cp_kin_mobile)
           AND opted_out @> '{sms,whatsapp}'),
          3::bigint, '  and every point with the number is opted out of WhatsApp too');

-- ------------------------------------------------------------ a debtor with one account, and with two
SELECT is(cobro.message_inbound('sms', pg_temp.num(:cp_col1_1_mobile), '12345', 'Pago el lunes t15', now(), false),
          1, 'a reply from a debtor with one account reaches 1 debtor');
SELECT is((SELECT array_agg(account_id) FROM event WHERE debtor_id = :deb_col1_1 AND body = 'Pago el lunes t15'),
          ARRAY[:acc_col1_1]::bigint[], '  one event, filed under the account');
SELECT ok((SELECT replied_at IS NOT NULL FROM account WHERE id = :acc_col1_1), '  which is marked replied');
SELECT is(cobro.message_inbound('sms', pg_temp.num(:cp_shared_mobile), '12345', 'Ya pagué t15', now(), false),
          1, 'a reply from a debtor with two accounts reaches 1 debtor');
SELECT is((SELECT array_agg(coalesce(account_id, 0)) FROM event WHERE debtor_id = :deb_shared AND body = 'Ya pagué t15'),
          ARRAY[0]::bigint[], '  one event, on the debtor, which both accounts'' histories show');
SELECT is((SELECT count(*) FROM account WHERE debtor_id = :deb_shared AND replied_at IS NOT NULL), 2::bigint,
          '  and both accounts are marked replied');

-- ------------------------------------------------------------ a gateway's retry, a stranger
SELECT is(cobro.message_inbound('sms', pg_temp.num(:cp_orphan_mobile), '12345', 'Hola t15', now(), false, 'kid-t15'),
          2, 'with the gateway''s id: 2 debtors');
SELECT is(cobro.message_inbound('sms', pg_temp.num(:cp_orphan_mobile), '12345', 'Hola t15', now(), false, 'kid-t15'),
          -1, '  the same id again: already recorded');
SELECT is(pg_temp.events(:deb_orphan, 'sms', 'Hola t15') + pg_temp.events(:deb_kin, 'sms', 'Hola t15'), 2::bigint,
          '  one event per debtor in all');
SELECT is(cobro.message_inbound('sms', '+34609999999', '12345', 'Hola t15', now(), true), 0,
          'a number nobody gave: 0 debtors, nothing recorded');

SELECT * FROM finish();
ROLLBACK;
