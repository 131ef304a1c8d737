#!/usr/bin/env bash
# The contact policy engine through `cobroctl policy check CASEFILE`: the twelve
# cases of compliance-rules.md (tests/policy/*.case), each jurisdiction's first
# and last allowed minute, holidays, daylight-saving days, every refusal reason
# in both languages, and bad input.
. "$(dirname "$0")/tap.sh"
rules=$top/etc/policy.conf

# ---- the case files: "# expect:" (English) and "# expect-es:" lines
for f in "$top"/tests/policy/*.case; do
	name=$(basename "$f" .case)
	want=$(sed -n 's/^# expect: //p' "$f")
	run "$bindir/cobroctl" policy check --rules "$rules" --lang en "$f"
	check "$name: $want" test "$out" = "$want"
	case "$want" in allowed) code=0 ;; *) code=1 ;; esac
	check "$name: exit status $code" test "$rc" = "$code"
	want_es=$(sed -n 's/^# expect-es: //p' "$f")
	if [ -n "$want_es" ]; then
		run "$bindir/cobroctl" policy check --rules "$rules" --lang es "$f"
		check "$name (es): $want_es" test "$out" = "$want_es"
	fi
done

# Options after the case file, as the usage line writes them.
f=$top/tests/policy/01-co-saturday-after-hours.case
run "$bindir/cobroctl" policy check "$f" --rules "$rules" --lang en
check "options may follow the case file" test "$out" = "$(sed -n 's/^# expect: //p' "$f")"

# ---- generated cases: jurisdiction, zone, instant, channel -> expected line
# case_file JUR ZONE AT CHANNEL [EXTRA-DEBTOR-SETTINGS]
case_file() {
	local f="$scratch/gen.case"
	printf 'debtor = { jurisdiction = "%s"; time_zone = "%s"; %s };\nhistory = ();\ncontact = { at = "%s"; channel = "%s"; };\n' \
		"$1" "$2" "${5:-}" "$3" "$4" >"$f"
	echo "$f"
}
expect() { # DESCRIPTION JUR ZONE AT CHANNEL EXPECTED-FIRST-LINE
	local f
	f=$(case_file "$2" "$3" "$4" "$5")
	run "$bindir/cobroctl" policy check --rules "$rules" --lang en "$f"
	check "$1: $6" test "$out" = "$6"
}

# First and last allowed minute of each jurisdiction's day (Tuesday 2026-11-24),
# and the minutes just outside.
while read -r jur zone off first last before after next_first; do
	expect "$jur first minute" "$jur" "$zone" "2026-11-24T$first:00$off" call allowed
	expect "$jur last minute" "$jur" "$zone" "2026-11-24T$last:00$off" call allowed
	run "$bindir/cobroctl" policy check --rules "$rules" --lang en "$(case_file "$jur" "$zone" "2026-11-24T$before:00$off" call)"
	check "$jur one minute before opening is refused" test "$rc" = 1
	check "$jur before opening: next allowed the same day at $first" grep -qF "next allowed 2026-11-24T$first$off" <<<"$out"
	run "$bindir/cobroctl" policy check --rules "$rules" --lang en "$(case_file "$jur" "$zone" "2026-11-24T$after:00$off" call)"
	check "$jur at closing time is refused" test "$rc" = 1
	check "$jur after closing: next allowed $next_first" grep -qF "next allowed $next_first" <<<"$out"
done <<'TABLE'
CO America/Bogota -05:00 07:00 18:59 06:59 19:00 2026-11-25T07:00-05:00
PE America/Lima -05:00 07:00 19:59 06:59 20:00 2026-11-25T07:00-05:00
MX America/Mexico_City -06:00 07:00 21:59 06:59 22:00 2026-11-25T07:00-06:00
CL America/Santiago -03:00 08:00 19:59 07:59 20:00 2026-11-25T08:00-03:00
AR America/Argentina/Buenos_Aires -03:00 08:00 19:59 07:59 20:00 2026-11-25T08:00-03:00
ES Europe/Madrid +01:00 09:00 20:59 08:59 21:00 2026-11-25T09:00+01:00
US America/New_York -05:00 08:00 20:59 07:59 21:00 2026-11-25T08:00-05:00
US-MA America/New_York -05:00 08:00 20:59 07:59 21:00 2026-11-25T08:00-05:00
TABLE

# Holidays from etc/holidays: closed where the rules close them.
expect "CO holiday (8 December 2026)" CO America/Bogota 2026-12-08T10:00:00-05:00 call \
	"refused CO-HOURS: no contact on a holiday (debtor's local time 10:00, America/Bogota); next allowed 2026-12-09T07:00-05:00"
expect "PE holidays 8 and 9 December 2026 (Ayacucho): next allowed the 10th" PE America/Lima 2026-12-08T10:00:00-05:00 sms \
	"refused PE-HOURS: no contact on a holiday (debtor's local time 10:00, America/Lima); next allowed 2026-12-10T07:00-05:00"
expect "CL holiday (Christmas, Friday) then Saturday" CL America/Santiago 2026-12-25T10:00:00-03:00 call \
	"refused CL-HOURS: no contact on a holiday (debtor's local time 10:00, America/Santiago); next allowed 2026-12-26T08:00-03:00"
expect "ES holiday (8 December 2026)" ES Europe/Madrid 2026-12-08T10:00:00+01:00 email \
	"refused ES-HOURS: no contact on a holiday (debtor's local time 10:00, Europe/Madrid); next allowed 2026-12-09T09:00+01:00"
expect "CO: Saturday after 15:00, next allowed Monday (8 December is Tuesday)" CO America/Bogota 2026-12-05T16:00:00-05:00 call \
	"refused CO-HOURS: outside the allowed hours: Saturday 08:00-15:00 (debtor's local time 16:00, America/Bogota); next allowed 2026-12-07T07:00-05:00"
expect "CO: Monday 2027-01-11 (Reyes, moved) is a holiday" CO America/Bogota 2027-01-09T16:00:00-05:00 call \
	"refused CO-HOURS: outside the allowed hours: Saturday 08:00-15:00 (debtor's local time 16:00, America/Bogota); next allowed 2027-01-12T07:00-05:00"
expect "US holidays keep the US hours (Thanksgiving)" US America/New_York 2026-11-26T10:00:00-05:00 call allowed

# Daylight-saving days.
expect "New York, spring forward: 07:59 EDT refused" US America/New_York 2026-03-08T07:59:00-04:00 call \
	"refused US-HOURS: outside the allowed hours: Sunday 08:00-21:00 (debtor's local time 07:59, America/New_York); next allowed 2026-03-08T08:00-04:00"
expect "New York, spring forward: 08:00 EDT allowed" US America/New_York 2026-03-08T08:00:00-04:00 call allowed
expect "New York, fall back: 07:59 EST refused" US America/New_York 2026-11-01T07:59:00-05:00 call \
	"refused US-HOURS: outside the allowed hours: Sunday 08:00-21:00 (debtor's local time 07:59, America/New_York); next allowed 2026-11-01T08:00-05:00"
expect "New York, fall back: the repeated 01:30 is night" US America/New_York 2026-11-01T01:30:00-05:00 sms \
	"refused US-HOURS: outside the allowed hours: Sunday 08:00-21:00 (debtor's local time 01:30, America/New_York); next allowed 2026-11-01T08:00-05:00"
expect "Santiago, Thursday before Easter: Good Friday, Holy Saturday, Sunday, clocks back, then Monday" CL America/Santiago 2026-04-02T20:00:00-03:00 call \
	"refused CL-HOURS: outside the allowed hours: Thursday 08:00-20:00 (debtor's local time 20:00, America/Santiago); next allowed 2026-04-06T08:00-04:00"
expect "Santiago, clocks forward on 6 September" CL America/Santiago 2026-09-05T20:00:00-04:00 call \
	"refused CL-HOURS: outside the allowed hours: Saturday 08:00-20:00 (debtor's local time 20:00, America/Santiago); next allowed 2026-09-07T08:00-03:00"
expect "Madrid, clocks forward on 29 March" ES Europe/Madrid 2026-03-27T21:00:00+01:00 call \
	"refused ES-HOURS: outside the allowed hours: Friday 09:00-21:00 (debtor's local time 21:00, Europe/Madrid); next allowed 2026-03-30T09:00+02:00"
expect "Madrid, clocks back on 25 October" ES Europe/Madrid 2026-10-23T21:00:00+02:00 call \
	"refused ES-HOURS: outside the allowed hours: Friday 09:00-21:00 (debtor's local time 21:00, Europe/Madrid); next allowed 2026-10-26T09:00+01:00"
expect "Madrid, 09:00 on the Monday after the change is allowed" ES Europe/Madrid 2026-03-30T09:00:00+02:00 call allowed

# ---- JSON
run "$bindir/cobroctl" policy check --rules "$rules" --format json "$top/tests/policy/01-co-saturday-after-hours.case"
check "--format json: refused, with rule, reasons, source and next allowed" bash -c '
	jq -e ".verdict == \"refused\" and .rule == \"CO-HOURS\" and .source == \"Ley 2300 de 2023, art. 3\"
	       and .next_allowed == \"2026-11-30T07:00-05:00\" and (.reason_es | startswith(\"fuera del horario\"))" <<<"$1" >/dev/null' _ "$out"
check "--format json exits 1 when refused" test "$rc" = 1

# ---- bad input: exit 2 and FILE:LINE
bad() { # DESCRIPTION EXPECTED-STDERR-FRAGMENT CASE-TEXT
	printf '%b' "$3" >"$scratch/bad.case"
	run "$bindir/cobroctl" policy check --rules "$rules" "$scratch/bad.case"
	check "$1: exit 2" test "$rc" = 2
	check "$1: $2" grep -qF -- "$2" <<<"$err"
}
ok_debtor='debtor = { jurisdiction = "CO"; time_zone = "America/Bogota"; };\n'
ok_contact='contact = { at = "2026-11-24T10:00:00-05:00"; channel = "call"; };\n'
bad "unknown jurisdiction" "bad.case:1: debtor.jurisdiction: unknown jurisdiction \"XX\"" \
	'debtor = { jurisdiction = "XX"; time_zone = "America/Bogota"; };\n'"$ok_contact"
bad "unknown time zone" "bad.case:1: debtor.time_zone: unknown time zone \"America/Bogot\"" \
	'debtor = { jurisdiction = "CO"; time_zone = "America/Bogot"; };\n'"$ok_contact"
bad "unknown channel" "bad.case:2: contact.channel: unknown channel \"fax\"" \
	"$ok_debtor"'contact = { at = "2026-11-24T10:00:00-05:00"; channel = "fax"; };\n'
bad "unknown kind" "bad.case:2: history: unknown kind \"chat\"" \
	"$ok_debtor"'history = ( { at = "2026-11-24T09:00:00-05:00"; channel = "call"; kind = "chat"; } );\n'"$ok_contact"
bad "malformed time" "bad.case:2: contact.at must be a time" \
	"$ok_debtor"'contact = { at = "2026-02-30T10:00:00-05:00"; channel = "call"; };\n'
bad "syntax error" "bad.case:2: syntax error" "$ok_debtor"'contact = { at = ;\n'

badrules() { # DESCRIPTION EXPECTED-STDERR RULES-TEXT
	printf '%b' "$3" >"$scratch/bad.conf"
	run "$bindir/cobroctl" policy check --rules "$scratch/bad.conf" "$top/tests/policy/04b-pe-monday-1959.case"
	check "rules: $1: exit 2" test "$rc" = 2
	check "rules: $1: $2" grep -qF -- "$2" <<<"$err"
}
head='jurisdictions = ( { id = "PE"; rules = (\n'
badrules "a window that ends before it starts" "bad.conf:2: weekdays: 20:00-07:00 ends before it starts" \
	"$head"'{ id = "PE-H"; type = "hours"; weekdays = "20:00-07:00"; } ); } );\n'
badrules "a cap of zero" "bad.conf:2: max: a max of zero is impossible" \
	"$head"'{ id = "PE-C"; type = "cap"; max = 0; window = "day"; } ); } );\n'
badrules "an unknown rule type" "bad.conf:2: rule PE-X: unknown type \"curfew\"" \
	"$head"'{ id = "PE-X"; type = "curfew"; } ); } );\n'
badrules "an unknown channel" "bad.conf:2: unknown channel \"fax\"" \
	"$head"'{ id = "PE-H"; type = "hours"; channels = ["fax"]; weekdays = "07:00-20:00"; } ); } );\n'
badrules "a duplicate rule id" "rule id PE-H is used twice" \
	"$head"'{ id = "PE-H"; type = "consent"; },\n{ id = "PE-H"; type = "opt_out"; } ); } );\n'
badrules "an unknown parent" "parent XX is not defined" \
	'jurisdictions = ( { id = "PE"; parent = "XX"; rules = ( ); } );\n'
# Issue 14, line 9: libconfig keeps 99999999999999999999 as -1, and the
# message said "max: -1 is out of range"; the number is said as written.
badrules "a max too large for any integer" \
	"bad.conf:2: jurisdictions.rules.max: 99999999999999999999 is too large a number (at most 2147483647)" \
	"$head"'{ id = "PE-C"; type = "cap"; max = 99999999999999999999; window = "day"; } ); } );\n'
badrules "a max that libconfig would wrap to 1" \
	"bad.conf:2: jurisdictions.rules.max: 4294967297 is too large a number (at most 2147483647)" \
	"$head"'{ id = "PE-C"; type = "cap"; max = 4294967297; window = "day"; } ); } );\n'
bad "a number too large in a case file" "bad.case:2: history.n: 99999999999999999999 is too large a number" \
	"$ok_debtor"'history = ( { n = 99999999999999999999; } );\n'"$ok_contact"
printf 'jurisdictions = ( { id = "PE"; rules = ( ); } );\n\0 this part would be ignored' >"$scratch/nul.conf"
run "$bindir/cobroctl" policy check --rules "$scratch/nul.conf" "$top/tests/policy/04b-pe-monday-1959.case"
check "rules: a NUL byte is refused, not taken for the end of the file" eval 'test "$rc" = 2 &&
	err_has "nul.conf: a NUL byte at offset 49; a rules file is text"'
# Files that are not regular files are refused at once (timeout: a hang
# would fail here), rules and case files alike.
mkfifo "$scratch/rules.fifo" "$scratch/case.fifo"
run timeout 10 "$bindir/cobroctl" policy check --rules "$scratch/rules.fifo" "$top/tests/policy/04b-pe-monday-1959.case"
check "a rules file that is a FIFO is refused, not waited on" eval 'test "$rc" = 2 &&
	err_has "$scratch/rules.fifo: a FIFO, not a regular file"'
run timeout 10 "$bindir/cobroctl" policy check --rules "$rules" "$scratch/case.fifo"
check "a case file that is a FIFO is refused, not waited on" eval 'test "$rc" = 2 &&
	err_has "$scratch/case.fifo: a FIFO, not a regular file"'
finish
