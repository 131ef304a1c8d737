#!/usr/bin/env bash
# Phone normalisation held to Google's libphonenumber (Debian's
# python3-phonenumbers), country by country: tests/lib/phone_cases.py writes
# a few hundred numbers of each supported country (libphonenumber's example
# of every type, numbers drawn from each type's pattern, invalid ones: a
# digit short or long, unassigned ranges, random digits) in the ways people
# type them (national with the trunk prefix, spaces, dashes, parentheses,
# +CC, 00CC and the country's own international prefixes, MX's 044/045/01
# and +52 1, AR's 15, CO's carrier codes), with what phonenumbers.parse,
# is_valid_number and format_number(E164) make of each; `cobroctl phone
# normalize` must give the same E.164, or refuse what libphonenumber refuses
# or places in a country cobro does not serve. Seeded: the same numbers
# every run (PHONE_SEED=N tries others). Every disagreement is printed.
. "$(dirname "$0")/tap.sh"
py=/usr/bin/python3
cases=$top/tests/lib/phone_cases.py
seed=${PHONE_SEED:-16}

if ! $py -c 'import phonenumbers' 2>/dev/null; then
	check "python3-phonenumbers is installed (scripts/deps.sh check)" false
	finish
fi

# The tables come from the installed metadata: else scripts/phone-tables.py
# must be run again (the disagreements below would say where).
want="libphonenumber $($py -c 'import phonenumbers; print(phonenumbers.__version__)'): PE MX CO CL AR ES US"
run "$bindir/cobroctl" phone metadata
check "cobro's tables come from the installed libphonenumber ($want)" test "$out" = "$want"
# And they are what the script makes of it, not edited by hand.
$py "$top/scripts/phone-tables.py" >"$scratch/phone_tables.c" 2>"$scratch/phone_tables.err"
run diff "$top/src/core/phone_tables.c" "$scratch/phone_tables.c"
check "src/core/phone_tables.c is what scripts/phone-tables.py writes" test "$rc" = 0

for country in PE MX CO CL AR ES US; do
	$py "$cases" cases "$country" "$seed" >"$scratch/$country.tsv"
	total=$(wc -l <"$scratch/$country.tsv")
	valid=$(grep -c $'\t+[0-9]*$' "$scratch/$country.tsv")
	sed "s/\t[^\t]*$//" "$scratch/$country.tsv" | "$bindir/cobroctl" phone normalize "$country" >"$scratch/$country.got"
	$py "$cases" compare "$scratch/$country.tsv" "$scratch/$country.got" >"$scratch/$country.diff"
	rc=$?
	sed "s/^/# $country: /" "$scratch/$country.diff" | head -n 200
	check "$country: $total writings ($valid valid, the rest refused) agree with libphonenumber" \
		test "$rc" = 0 -a "$total" -gt 1000 -a "$valid" -gt 300
done

# The same numbers once more with no default country: what carries its
# country code (+, or 00) is read as with any country, the rest refused.
grep -E $'^\\+[^\t]*\t' "$scratch/PE.tsv" | head -n 300 >"$scratch/none.tsv"
sed "s/\t[^\t]*$//" "$scratch/none.tsv" | "$bindir/cobroctl" phone normalize - >"$scratch/none.got"
$py "$cases" compare "$scratch/none.tsv" "$scratch/none.got" >"$scratch/none.diff"
rc=$?
sed 's/^/# no country: /' "$scratch/none.diff" | head -n 50
check "no default country: numbers written with + agree with libphonenumber" test "$rc" = 0

# Numbers given as arguments, and the exit status.
run "$bindir/cobroctl" phone normalize AR "011 15 1234-5678" "(0351) 423-4567"
check "phone normalize AR NUMBER...: one line each" test "$out" = $'+5491112345678\n+543514234567' -a "$rc" = 0
run "$bindir/cobroctl" phone normalize PE "98765432"
check "a refused number: its reason, exit status 1" \
	test "$out" = "! too short for PE: mobiles have 9 digits starting with 9, landlines 8 digits: 1 and 7 digits in Lima, an area code from 41 to 84 and 6 digits elsewhere" -a "$rc" = 1
run "$bindir/cobroctl" phone normalize
check "phone normalize without a country: usage, exit status 2" test "$rc" = 2

finish
