#!/usr/bin/env bash
# Logging in: the form asks for user and password when the database wants a
# password libpq has none of; a wrong one is said beside the field and the
# user is kept; the right one opens the worklist; libpq's password file and
# service file are used without asking; Esc leaves with the terminal restored.
. "$(dirname "$0")/lib.sh"

who=t_login_e2e
pw='Clave-ñ-9'
tcp="host=127.0.0.1 port=$PGPORT dbname=cobro"
scratch=$(mktemp -d)
trap 'tmux -L "$E2E_SOCK" kill-server 2>/dev/null; rm -rf "$E2E_CONF" "$scratch"' EXIT

# A person with a password, in ana's team, with one of ana's accounts.
if [ -z "$(psql -X -qAt -U postgres -d cobro -c "select 1 from cobro.agent where login = '$who'")" ]; then
	printf '%s\n' "$pw" | "$COBRO_BIN/cobroctl" --database "dbname=cobro" --user postgres agent add "$who" \
		--name "Prueba Ingreso" --role collector --team "$(psql -X -qAt -U postgres -d cobro -c \
		"select t.code from cobro.agent g join cobro.team t on t.id = g.team_id where g.login = 'ana'")" \
		--password >/dev/null
fi
# No password anywhere libpq looks: the test's own empty password file.
export PGPASSFILE=$scratch/pgpass
: >"$PGPASSFILE"
chmod 600 "$PGPASSFILE"

# Every login is on the audit chain (issue 17, line 6): one LOGIN row each.
logins() {
	psql -X -qAt -U postgres -d cobro -c "select count(*) from cobro.audit where action = 'LOGIN' and actor = '$who'
		and new->>'program' = 'cobro' and new->>'client' = '127.0.0.1' and row_id = (select id from cobro.agent where login = '$who')"
}
before=$(logins)
app_start login "$COBRO_BIN/cobro --database '$tcp' --user $who"
check "the form asks for the password of the user given" wait_screen login "cobro: log in"
check "the user field holds $who" wait_screen login "$who"
text login "not-the-password"
keys login Enter
check "a wrong password is said beside the form" wait_screen login "The user or the password is wrong"
check "the password is never shown" bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t login | grep -q 'not-the-password'"
check "the user is kept" wait_screen login "$who"
text login "$pw"
keys login Enter
check "the right password opens the worklist" wait_screen login "accounts to work" 10
check "  and the login is audited, in $who's name, from the workstation" test "$(logins)" = $((before + 1))
keys login q
check "quits cleanly" wait_for login "[exit=0]"

# --login asks for the user too.
app_start login2 "$COBRO_BIN/cobro --database '$tcp' --login"
check "--login asks for the user" wait_screen login2 "cobro: log in"
keys login2 Enter
check "an empty user is refused" wait_screen login2 "Type your user name"
text login2 "$who"
keys login2 Enter
text login2 "$pw"
keys login2 Enter
check "and logs in as who was typed" wait_screen login2 "accounts to work" 10
check "  audited too" test "$(logins)" = $((before + 2))
keys login2 q

# An unknown user on the socket, where the server trusts and never asks for
# a password: the server's refusal is said in the form, which asks again
# (issue 15), instead of cobro exiting.
app_start login6 "$COBRO_BIN/cobro --database 'host=$PGHOST port=$PGPORT dbname=cobro' --login"
check "--login on the socket shows the form" wait_screen login6 "cobro: log in"
text login6 "nadie"
keys login6 Enter
keys login6 Enter
check "an unknown user is said in the form" wait_screen login6 'Could not log in: role "nadie" does not exist'
check "the form asks again" wait_screen login6 "cobro: log in"
check "cobro did not exit" bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -S - -t '=login6:' | grep -qF '[exit='"
check "the socket's path is not repeated in the message" bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t '=login6:' | grep -qF 'failed:'"
keys login6 C-u
text login6 "ana"
keys login6 Enter
keys login6 Enter
check "then a user it knows logs in" wait_screen login6 "accounts to work" 10
keys login6 q
check "and quits cleanly" wait_for login6 "[exit=0]"

# Esc leaves, and the terminal is as it was.
app_start login3 "$COBRO_BIN/cobro --database '$tcp' --user $who"
check "the form again" wait_screen login3 "cobro: log in"
keys login3 Escape
check "Esc quits with an error" wait_for login3 "cannot connect to the database: login cancelled"
check "exit status 1" wait_for login3 "[exit=1]"
check "the terminal echoes again" wait_for login3 "icanon echo"

# The password file is used without asking.
printf '127.0.0.1:%s:cobro:%s:%s\n' "$PGPORT" "$who" "$pw" >"$PGPASSFILE"
app_start login4 "$COBRO_BIN/cobro --database '$tcp' --user $who"
check "with ~/.pgpass no form is shown" wait_screen login4 "accounts to work" 10
keys login4 q

# So is a service file.
printf '[cobro_e2e]\nhost=127.0.0.1\nport=%s\ndbname=cobro\nuser=%s\n' "$PGPORT" "$who" >"$scratch/pg_service.conf"
app_start login5 "PGSERVICEFILE=$scratch/pg_service.conf $COBRO_BIN/cobro --database service=cobro_e2e"
check "a service file names the database and the user" wait_screen login5 "accounts to work" 10
keys login5 q

# Without a terminal there is nobody to ask: the error is plain.
: >"$PGPASSFILE"
out=$("$COBRO_BIN/cobro" --database "$tcp" --user "$who" </dev/null 2>&1)
check "without a terminal a missing password is an error" grep -q "cannot connect to the database" <<<"$out"

finish
