-- Accent- and case-insensitive search (debtor_name_fold_idx, the worklist's
-- search). unaccent() is STABLE (it reads a dictionary); an index needs
-- IMMUTABLE, so this wrapper names the dictionary and promises what the
-- dictionary keeps.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE OR REPLACE FUNCTION fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS
$$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$;
GRANT EXECUTE ON FUNCTION fold(text) TO cobro_collector, cobro_supervisor, cobro_admin, cobro_daemon;
