-- The state the contact policy judges an account by: the account's status
-- when it is not active (a dispute, a legal hold or a cease stops every
-- contact about it), the debtor's state otherwise (cease, attorney, sued,
-- ...). An account unknown (a message filed under no account: NULL) is
-- judged by the debtor's. The account screen and the policy's own queries
-- (src/core/policy_store.c) read it here.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE OR REPLACE FUNCTION policy_state(p_account_status text, p_debtor_state text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN p_account_status <> 'active' THEN p_account_status ELSE p_debtor_state END;
