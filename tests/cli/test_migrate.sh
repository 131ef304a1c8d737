#!/usr/bin/env bash
# cobroctl migrate: versioned migrations once, function files whenever their
# text is not the one recorded (as Flyway's repeatable migrations), in one
# transaction that a failure rolls back whole, naming the file. In a
# database of its own; the ledger is edited by hand here to stand for a
# function file whose text changed in a new release.
. "$(dirname "$0")/tap.sh"

db=cobro_migrate_$$
psql -X -q -U postgres -d postgres -c "CREATE DATABASE $db" || exit 1
cleanup() {
	psql -X -q -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$scratch"
}
trap cleanup EXIT
q() { psql -X -qAt -v ON_ERROR_STOP=1 -U postgres -d "$db" -c "$1"; }
ctl() { "$bindir/cobroctl" --database "dbname=$db user=postgres" "$@"; }
nfiles=$(ls "$top"/src/sql/functions/*.sql | wc -l)
nmigrations=$(ls "$top"/src/sql/[0-9]*.sql | wc -l)
latest=$(ls "$top"/src/sql/[0-9]*.sql | sed -n '$s|.*/0*\([0-9]*\)_.*|\1|p')

# ---- from nothing
run ctl migrate --status
check "--status on an empty database: everything pending (exit 1)" exit_is 1
check "  every file listed" test "$(grep -c '^pending   ' <<<"$out")" = "$((nmigrations + nfiles))"
check "  and the version" grep -qxF "schema version 0 of $latest, $((nmigrations + nfiles)) files to apply or accept" <<<"$out"
run ctl init
check "init applies every migration and function file" \
	grep -qxF "schema is at version $latest ($((nmigrations + nfiles)) applied now)" <<<"$out"
check "  the helpers a migration's policies call, just before it" \
	grep -qxF "applied functions/session.sql (used by 003_security.sql)" <<<"$out"
check "  the other function files after the migrations" \
	test "$(grep -n 'functions/worklist_page.sql' <<<"$out" | cut -d: -f1)" -gt \
	"$(grep -n "^applied 0*${latest}_" <<<"$out" | cut -d: -f1)"
check "  each recorded with its checksum" test "$(q "SELECT count(*) FROM cobro.schema_function")" = "$nfiles"
check "every function of cobro is in the ledger's files (none made elsewhere)" \
	test "$(q "SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'cobro'::regnamespace")" -ge "$nfiles"
run ctl migrate --status
check "then --status says so (exit 0)" exit_is 0
check "  in one line" out_is "schema version $latest of $latest, functions up to date"
run ctl migrate
check "migrate again applies nothing" grep -qxF "schema is at version $latest (0 applied now)" <<<"$out"

# ---- a function file whose text changed is applied again, alone
q "CREATE OR REPLACE FUNCTION cobro.policy_state(p_account_status text, p_debtor_state text) RETURNS text
   LANGUAGE sql IMMUTABLE RETURN 'stale';
   UPDATE cobro.schema_function SET checksum = 'an older text' WHERE file = 'functions/policy_state.sql'"
run ctl migrate --status
check "--status lists the changed file (exit 1)" exit_is 1
check "  as changed" grep -qxF "changed   functions/policy_state.sql: its text changed since it was applied: applied again" <<<"$out"
run ctl migrate
check "migrate applies it again" grep -qxF "applied functions/policy_state.sql (changed)" <<<"$out"
check "  and only it" grep -qxF "schema is at version $latest (1 applied now)" <<<"$out"
check "  so the function is the file's again" test "$(q "SELECT cobro.policy_state('dispute', 'active')
	|| ' ' || cobro.policy_state('active', 'cease') || ' ' || cobro.policy_state(NULL, 'sued')")" = "dispute cease sued"
check "  and the ledger records its text" test "$(q "SELECT checksum <> 'an older text' FROM cobro.schema_function
	WHERE file = 'functions/policy_state.sql'")" = t

# ---- a failing file rolls every function file back and says which
q "UPDATE cobro.schema_function SET checksum = 'older' WHERE file IN ('functions/fold.sql', 'functions/worklist_page.sql');
   SET ROLE cobro_owner;
   DROP FUNCTION cobro.worklist_page(integer, integer, float8, float8, float8);
   CREATE FUNCTION cobro.worklist_page(integer, integer, float8, float8, float8) RETURNS integer
   LANGUAGE sql RETURN 0"
run ctl migrate
check "a function file that fails stops migrate" exit_not 0
check "  naming the file and why" err_has "functions/worklist_page.sql"
check "  (PostgreSQL's reason)" err_has "cannot change return type of existing function"
check "  and the files before it in the same run are rolled back" \
	test "$(q "SELECT count(*) FROM cobro.schema_function WHERE checksum = 'older'")" = 2
q "DROP FUNCTION cobro.worklist_page(integer, integer, float8, float8, float8)"
run ctl migrate
check "once the obstacle is gone, both are applied" grep -qxF "schema is at version $latest (2 applied now)" <<<"$out"
check "  with their grants" test "$(q "SELECT has_function_privilege('cobro_collector',
	'cobro.worklist_page(integer, integer, float8, float8, float8)', 'EXECUTE')
	AND NOT has_function_privilege('cobro_daemon', 'cobro.worklist_page(integer, integer, float8, float8, float8)', 'EXECUTE')")" = t

# ---- history is not rewritten without saying so
q "UPDATE cobro.schema_migration SET checksum = 'another text' WHERE version = 5;
   UPDATE cobro.schema_function SET checksum = 'older' WHERE file = 'functions/fold.sql'"
run ctl migrate --status
check "--status: a migration changed after it was applied is refused" \
	grep -qxF "refused   005_workstation.sql: changed after it was applied: write a new migration instead" <<<"$out"
run ctl migrate
check "migrate refuses it" exit_not 0
check "  naming it" err_has "migration 005_workstation.sql was changed after it was applied; write a new migration instead"
check "  before doing anything else" \
	test "$(q "SELECT checksum FROM cobro.schema_function WHERE file = 'functions/fold.sql'")" = older
# The text a rewritten migration supersedes is accepted: 008 lists the one
# it had before its function moved out.
old008=$(sed -n 's/^-- supersedes: \([0-9a-f]*\)$/\1/p' "$top/src/sql/008_account_screen.sql")
sum005=$(md5sum <"$top/src/sql/005_workstation.sql" | cut -c1-32)
q "UPDATE cobro.schema_migration s SET checksum = m.c FROM (VALUES (5, '$sum005'), (8, '$old008')) m(v, c)
   WHERE s.version = m.v"
run ctl migrate --status
check "--status: a migration recorded with a text it supersedes, to accept" \
	grep -qxF "rewritten 008_account_screen.sql: supersedes the text applied before: accepted as it is" <<<"$out"
run ctl migrate
check "migrate accepts it without running it" \
	grep -qxF "accepted 008_account_screen.sql: rewritten, it supersedes the text applied before" <<<"$out"
check "  records its present text" test "$(q "SELECT checksum FROM cobro.schema_migration WHERE version = 8")" = \
	"$(md5sum <"$top/src/sql/008_account_screen.sql" | cut -c1-32)"
check "  and applies the function file left over" grep -qxF "applied functions/fold.sql (changed)" <<<"$out"
finish
