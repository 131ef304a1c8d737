#!/usr/bin/env bash
# No English on a Spanish screen: every golden screen captured with
# LANGUAGE=es (tests/e2e/golden/*-es-*.screen) is read word by word, and a
# word of the catalogue's English texts that no Spanish text uses
# ("mobile", "delivered", "mid") fails the test, and so does a status or a
# segment cut short ("incumpli…") (tests/lib/english_words.py;
# the few words that may stay are in tests/lib/english_allowed.tsv, each
# with its reason). The catalogue is read from the sources as they are now,
# so a string added without its translation shows here as soon as a Spanish
# screen shows it.
. "$(dirname "$0")/tap.sh"
cd "$top"
pot=$scratch/cobro.pot
xgettext --from-code=UTF-8 -k_ -kN_ -kNC_:1c,2 --package-name=cobro --no-location -o "$pot" \
	$(find screens src -name "*.[ch]" | LC_ALL=C sort)
msgmerge -q --no-fuzzy-matching -o "$scratch/es.po" po/es.po "$pot"
run "$bindir/cobro" --keys
check "cobro --keys lists the keys" test "$rc" = 0 -a -n "$out"
printf '%s\n' "$out" >"$scratch/keys"
words() { /usr/bin/python3 tests/lib/english_words.py "$pot" "$scratch/es.po" "$scratch/keys" "${allow:-tests/lib/english_allowed.tsv}" "$@"; }

es=$(ls tests/e2e/golden/*-es-*.screen 2>/dev/null)
check "there are Spanish golden screens" test -n "$es"
missing=
for en in tests/e2e/golden/*-en-*.screen; do
	[ -f "${en/-en-/-es-}" ] || missing+=" $(basename "$en")"
done
check "every English golden screen has its Spanish twin (${missing:-all there})" test -z "$missing"
run words $es
check "no English word, and no status or segment cut short, on a Spanish golden screen" test "$rc" = 0 -a -z "$out"

# The reader finds what was seen (issue 15) and passes over what is no word.
cat >"$scratch/seen-es-80x24.screen" <<'SCREEN'
Saldo $932.000,00  Mora 65  Energía del Norte  electricity  active
address Avenida Boyacá 1512, Bogotá  ·  mobile +573209558763
2026-11-16 23:26  SMS           delivered         diego    Hola Lorena
1 accounts match
Lorena Herrera Carreño                                65     $932.000,00 incumpli… 2026-11-16 23:26 ahora     preventi…
SCREEN
run words "$scratch/seen-es-80x24.screen"
check "it finds electricity, active, address, mobile, delivered, accounts, match" bash -c '
	test "$1" = 1 || exit 1
	for w in electricity active address mobile delivered accounts match; do grep -q "\"$w\" is English" <<<"$2" || exit 1; done' _ "$rc" "$out"
check "and the words cut short: incumpli… for incumplida, preventi… for preventiva" bash -c '
	grep -q "\"incumpli…\" is \"incumplida\" cut short" <<<"$1" && grep -q "\"preventi…\" is \"preventiva\" cut short" <<<"$1"' _ "$out"
cat >"$scratch/codes-es-80x24.screen" <<'SCREEN'
whatsapp: rechazado ALL-CONSENT  ·  Vista previa · UCS-2 · GSM-7
▶ broken_promise          {creditor.name}: Hola {debtor.first_name}, no hemos recibido {promise.amo…
Para: lorena.herrera76@example.com  https://energianorte.example.com/pago/EDN-CO-000000142
  payment_received        {creditor.name}: Gracias, {debtor.first_name}. Recibi…
SCREEN
run words "$scratch/codes-es-80x24.screen"
check "codes, identifiers, placeholders, addresses, links and a sentence cut are no words" test "$rc" = 0 -a -z "$out"
# An allowed word needs its reason, and must still be needed.
printf 'mobile\nzzzz\tno such word\n' >"$scratch/allow"
allow=$scratch/allow run words "$scratch/codes-es-80x24.screen"
check "the allow-list refuses a word without a reason, and one not needed" bash -c '
	test "$1" = 1 && grep -q "\"mobile\" is allowed without a reason" <<<"$2" && grep -q "\"zzzz\" is in no English text" <<<"$2"' _ "$rc" "$out"
finish
