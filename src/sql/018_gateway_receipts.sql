-- Receipts only from the gateway that sent the message (issue 14, line 6;
-- docs/security.md, "The listener"). message_dlr() now takes the gateway's
-- channel and no operator text (functions/message_dlr.sql); its old form,
-- message_dlr(id, status, answer, at), took any message of any channel with
-- the answer written into the history. A function file cannot drop a
-- function, so this migration drops the old form.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

DROP FUNCTION IF EXISTS message_dlr(bigint, integer, text, timestamptz);
