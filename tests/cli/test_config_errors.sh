#!/usr/bin/env bash
# A mistake in a configuration file stops the program with
# "PROG: FILE:LINE: setting: what is wrong" on stderr, before any database is
# touched; a file that holds a password others may read draws a warning.
# --database points at a socket directory that does not exist, so no server is
# needed, and reaching the database shows as "cannot connect" (the control
# cases below prove that it would).
. "$(dirname "$0")/tap.sh"

ctl=$bindir/cobroctl
nodb=host=/nonexistent

# conf NAME MODE TEXT: writes $scratch/NAME with TEXT (printf format), chmod MODE.
conf() {
	local f=$scratch/$1
	printf "$3" >"$f"
	chmod "$2" "$f"
	echo "$f"
}

# bad_conf WHAT FILE EXPECTED: cobroctl migrate on FILE fails with exactly
# "cobroctl: EXPECTED" and never reaches the database.
bad_conf() {
	local what=$1 f=$2 want=$3
	run "$ctl" --config "$f" --database "$nodb" migrate
	check "$what: cobroctl migrate exits 1" exit_is 1
	check "$what: stderr is \"cobroctl: ${want//$scratch\//}\"" err_is "cobroctl: $want"
	check "$what: nothing on stdout" out_empty
	check "$what: no database was touched" err_lacks "cannot connect"
}

# --- the controls: a good file goes on to the database, which is not there.
f=$(conf good.conf 600 '# fine\ndatabase = "dbname=cobro";\nui = { language = "es"; color = false; };\n')
run "$ctl" --config "$f" --database "$nodb" migrate
check "control: with a good file cobroctl goes on to the database and fails there" \
	err_starts "cobroctl: cannot connect to the database: "
check "control: ... exiting 1" exit_is 1
check "control: ... with no warning about the file" err_lacks "warning"

run "$ctl" --config "$top/etc/cobro.conf" --database "$nodb" migrate
check "the example etc/cobro.conf is accepted (cobroctl reaches the database)" \
	err_starts "cobroctl: cannot connect to the database: "

# --- mistakes
f=$(conf syntax.conf 600 '# line 1\ndatabase = "dbname=cobro";\nuser = = "ana";\n')
bad_conf "syntax error" "$f" "$f:3: syntax error"

f=$(conf unclosed.conf 600 'database = "dbname=cobro";\nui = {\n\tcolor = true;\n')
bad_conf "unclosed group" "$f" "$f:4: syntax error"

f=$(conf unknown.conf 600 'database = "dbname=cobro";\nui = {\n\tlanguage = "es";\n\tcolour = true;\n};\n')
bad_conf "unknown nested setting" "$f" "$f:4: ui.colour: unknown setting"

f=$(conf unknown-top.conf 600 '\n\ndatabse = "dbname=cobro";\n')
bad_conf "unknown top-level setting" "$f" "$f:3: databse: unknown setting"

f=$(conf type.conf 600 'priority = {\n\tcallback_due = 1e9;\n\tcontact_cost = "high";\n};\n')
bad_conf "wrong type (string for a number)" "$f" "$f:3: priority.contact_cost: must be a number"

f=$(conf type-bool.conf 600 'ui = { color = "yes"; };\n')
bad_conf "wrong type (string for a bool)" "$f" "$f:1: ui.color: must be true or false"

f=$(conf type-str.conf 600 'database = 5432;\n')
bad_conf "wrong type (number for a string)" "$f" "$f:1: database: must be a string in double quotes"

f=$(conf range.conf 600 'priority = {\n\tcontact_cost = -1.5;\n};\n')
bad_conf "out of range" "$f" "$f:2: priority.contact_cost: -1.5 is out of range (0 to 1e+09)"

f=$(conf moved.conf 600 'priority = {\n\tdpd_decay = 0.08;\n};\n')
bad_conf "a setting moved to the database says where" "$f" \
	"$f:2: priority.dpd_decay: is set in the database now, for everyone (cobroctl priority decay VALUE)"

f=$(conf choice.conf 600 'ui = { language = "fr"; };\n')
bad_conf "not among the choices" "$f" "$f:1: ui.language: \"fr\" is not one of \"\", \"es\", \"en\""

bad_conf "missing file" "$scratch/absent.conf" "$scratch/absent.conf: No such file or directory"

# The file found in $XDG_CONFIG_HOME is checked the same way.
mkdir -p "$XDG_CONFIG_HOME/cobro"
printf 'ui = { colour = true; };\n' >"$XDG_CONFIG_HOME/cobro/cobro.conf"
run "$ctl" --database "$nodb" migrate
check "a mistake in \$XDG_CONFIG_HOME/cobro/cobro.conf names that file" \
	err_is "cobroctl: $XDG_CONFIG_HOME/cobro/cobro.conf:1: ui.colour: unknown setting"
check "... and stops before the database" exit_is 1
rm "$XDG_CONFIG_HOME/cobro/cobro.conf"

# The workstation and the daemon stop the same way, each on its own settings.
f=$(conf cobro-unknown.conf 600 'user = "ana";\nkeys = {\n\tnext_account = 110;\n};\n')
run "$bindir/cobro" --config "$f" --database "$nodb"
check "cobro: stderr is \"cobro: FILE:3: keys.next_account: must be a string in double quotes\"" \
	err_is "cobro: $f:3: keys.next_account: must be a string in double quotes"
check "cobro: exits 1" exit_is 1

f=$(conf cobrod-wrong.conf 600 'log = {\n\tlevel = "verbose";\n};\n')
run "$bindir/cobrod" --config "$f" --database "$nodb"
check "cobrod: stderr names the level and the choices" \
	err_is "cobrod: $f:2: log.level: \"verbose\" is not one of \"error\", \"warning\", \"info\", \"debug\""
check "cobrod: exits 1" exit_is 1

f=$(conf cobrod-ui.conf 600 'database = "";\nui = { color = true; };\n')
run "$bindir/cobrod" --config "$f" --database "$nodb"
check "cobrod: a workstation setting is unknown to the daemon" err_is "cobrod: $f:2: ui: unknown setting"

# A Kannel dlr_mask without delivered (1) would leave every SMS's outcome
# unknown: refused at its line before the database, like any transport mistake.
kannel='transports = {\n\tkannel = {\n\t\ttype = "kannel";\n\t\turl = "http://127.0.0.1:13013/cgi-bin/sendsms";\n\t\tusername = "cobro"; password = "x";\n\t\tdlr_url = "http://127.0.0.1:8090/kannel/dlr";\n'
f=$(conf cobrod-dlr-mask.conf 600 "$kannel"'\t\tdlr_mask = 18;\n\t};\n};\n')
run "$bindir/cobrod" --config "$f" --database "$nodb"
check "cobrod: a dlr_mask without delivered is refused at its line" \
	err_is "cobrod: $f:7: transports.kannel.dlr_mask: 1 to 31 and holding 1 (delivered) and 2 (undelivered), e.g. 19 for the final reports only or 31 for all"
check "cobrod: ... exiting 1" exit_is 1
f=$(conf cobrod-dlr-mask-ok.conf 600 "$kannel"'\t\tdlr_mask = 19;\n\t};\n};\n')
run "$bindir/cobrod" --config "$f" --database "$nodb"
check "control: dlr_mask = 19 is accepted (cobrod goes on to the database)" \
	err_has "cannot connect to the database"

# --- a password others may read
secret='host=/nonexistent password=x'
f=$(conf exposed.conf 644 "database = \"$secret\";\n")
run "$ctl" --config "$f" migrate
check "0644 file with a password: a warning line containing \"chmod 600\"" \
	err_has_line "cobroctl: warning: $f holds a password and others may read it (chmod 600 $f)"
check "0644 file with a password: the warning comes first" \
	err_starts "cobroctl: warning: "
check "0644 file with a password: the password itself is not shown" err_lacks "password=x"
check "0644 file with a password: then the database is tried (and is not there)" \
	err_has "cobroctl: cannot connect to the database: "

chmod 640 "$f"
run "$ctl" --config "$f" migrate
check "0640 file with a password: warned too (group-readable)" err_has "chmod 600 $f"

chmod 600 "$f"
run "$ctl" --config "$f" migrate
check "0600 file with a password: no warning" err_lacks "warning"
check "0600 file with a password: still goes on to the database" \
	err_starts "cobroctl: cannot connect to the database: "

f=$(conf nopassword.conf 644 'database = "host=/nonexistent dbname=cobro";\n')
run "$ctl" --config "$f" migrate
check "0644 file without a password: no warning" err_lacks "warning"

f=$(conf exposed-ws.conf 644 "database = \"$secret\";\n")
run "$bindir/cobro" --config "$f"
check "cobro warns too on a 0644 file with a password" \
	err_has_line "cobro: warning: $f holds a password and others may read it (chmod 600 $f)"

# The daemon's file is the one most likely to hold a password.
f=$(conf exposed-d.conf 644 "database = \"$secret\";\n")
run "$bindir/cobrod" --config "$f"
check "cobrod warns too on a 0644 file with a password" \
	err_has_line "cobrod: warning: $f holds a password and others may read it (chmod 600 $f)"

finish
