#!/usr/bin/env bash
# Database security tests: pgTAP files run as cobro's real LOGIN roles.
#
# Needs PGHOST/PGPORT/PGDATABASE of a database where `cobroctl init` ran, and
# a superuser (PGUSER, default postgres) for the setup only:
#   1. as the superuser: CREATE EXTENSION pgtap, load fixtures.sql and then each
#      part's fixtures_NAME.sql (idempotent), read the fixture ids and the
#      table totals (keys.sql);
#   2. each tests/db/test_*.sql names its login on its first line ("-- as: t_col1")
#      and runs as that role, never a superuser, inside BEGIN ... ROLLBACK, with
#      the ids as psql variables (-v acc_col1_1=...).
#   3. as the superuser again: each teardown_NAME.sql, taking away what must
#      not outlive the files (a strategy version would be "in force" after).
# Prints one TAP stream on stdout, numbered across files, plan at the end. A file
# whose psql fails, that runs no test, or that runs fewer tests than it planned
# adds a "not ok" line. Exit status 0 only when every test passed.
# TESTS="test_collector.sql ..." runs only those files.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
su=${COBRO_TEST_SUPERUSER:-${PGUSER:-postgres}}

n=0 failed=0
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
diag() { sed 's/^/# /'; }
finish() { echo "1..$n"; [ "$failed" -eq 0 ]; exit $?; }

su_psql() { psql -X -q -v ON_ERROR_STOP=1 -U "$su" "$@"; }

# --- setup, as the superuser ---------------------------------------------------
if ! out=$(su_psql -c 'CREATE EXTENSION IF NOT EXISTS pgtap' 2>&1); then
	notok "setup: CREATE EXTENSION pgtap"
	echo "$out" | diag
	finish
fi
if ! out=$(su_psql -f "$here/fixtures.sql" 2>&1); then
	notok "setup: load fixtures.sql"
	echo "$out" | diag
	finish
fi
# A part's own hand-built rows (fixtures_NAME.sql), after the shared ones.
for fx in "$here"/fixtures_*.sql; do
	[ -e "$fx" ] || continue
	if ! out=$(su_psql -f "$fx" 2>&1); then
		notok "setup: load $(basename "$fx")"
		echo "$out" | diag
		finish
	fi
done
if ! keys=$(su_psql -At -F ' ' -f "$here/keys.sql" 2>&1); then
	notok "setup: read fixture keys (keys.sql)"
	echo "$keys" | diag
	finish
fi
vars=()
while read -r k v; do
	[ -n "$k" ] && vars+=(-v "$k=$v")
done <<<"$keys"

# --- the test files, each as its login role -----------------------------------
files=()
if [ -n "${TESTS:-}" ]; then
	for f in $TESTS; do files+=("$here/$(basename "$f")"); done
else
	for f in "$here"/test_*.sql; do [ -e "$f" ] && files+=("$f"); done
fi
[ ${#files[@]} -gt 0 ] || { notok "no tests/db/test_*.sql found"; finish; }

for f in "${files[@]}"; do
	name=$(basename "$f" .sql)
	login=$(sed -n '1,5s/^-- as: *\([^ ]*\).*/\1/p' "$f" | head -n 1)
	echo "# $name as ${login:-?}"
	if [ -z "$login" ]; then
		notok "$name: names no login role (first line \"-- as: LOGIN\")"
		continue
	fi
	# Never as a superuser, nor as a role that bypasses row-level security.
	rs=$(su_psql -At -v login="$login" 2>&1 <<<"SELECT rolcanlogin AND NOT rolsuper AND NOT rolbypassrls FROM pg_roles WHERE rolname = :'login'")
	if [ "$rs" != t ]; then
		notok "$name: $login must be an existing LOGIN role, neither superuser nor BYPASSRLS"
		continue
	fi
	errf=$(mktemp)
	out=$(PGOPTIONS='-c client_min_messages=warning' \
		psql -X -q -t -A -v ON_ERROR_STOP=1 -P pager=off "${vars[@]}" -U "$login" -f "$f" 2>"$errf")
	rc=$?
	planned="" ran=0
	while IFS= read -r line; do
		case "$line" in
		'ok '[0-9]* | 'not ok '[0-9]*)
			[[ "$line" =~ ^(not\ )?ok\ [0-9]+(.*)$ ]]
			ran=$((ran + 1))
			n=$((n + 1))
			if [ -n "${BASH_REMATCH[1]}" ]; then
				failed=$((failed + 1))
				echo "not ok $n${BASH_REMATCH[2]}"
			else
				echo "ok $n${BASH_REMATCH[2]}"
			fi
			;;
		1..[0-9]*) planned=${line#1..} ;;
		'') ;;
		'#'*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done <<<"$out"
	if [ "$rc" -ne 0 ]; then
		notok "$name: psql as $login exited $rc"
		diag <"$errf"
	elif [ "$ran" -eq 0 ]; then
		notok "$name: ran no test"
	elif [ -n "$planned" ] && [ "$planned" != "$ran" ]; then
		notok "$name: planned $planned tests, ran $ran"
	elif [ -s "$errf" ]; then
		grep -v '^$' "$errf" | diag
	fi
	rm -f "$errf"
done
# What a part's fixtures must not leave behind for the suites after this one.
for td in "$here"/teardown_*.sql; do
	[ -e "$td" ] || continue
	if ! out=$(su_psql -f "$td" 2>&1); then
		notok "teardown: $(basename "$td")"
		echo "$out" | diag
	fi
done
finish
