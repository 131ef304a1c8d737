#!/usr/bin/env bash
# The Spanish catalogue is complete: every message the source marks for
# translation has a Spanish text, and the format directives agree; po/es.po
# as it is kept has no untranslated or fuzzy entry; counts take ngettext.
. "$(dirname "$0")/tap.sh"
cd "$top"
pot=$scratch/cobro.pot
xgettext --from-code=UTF-8 -k_ -kN_ -kNC_:1c,2 --package-name=cobro --no-location -o "$pot" $(find screens src -name "*.[ch]" | LC_ALL=C sort)
run msgmerge -q --no-fuzzy-matching -o "$scratch/es.po" po/es.po "$pot"
check "po/es.po merges with the current sources" test "$rc" = 0
run msgfmt -c --statistics -o /dev/null "$scratch/es.po"
check "every message is translated (msgfmt: $err)" bash -c '! grep -qE "untranslated|fuzzy" <<<"$1"' _ "$err"
check "msgfmt -c finds no format mismatch" test "$rc" = 0
run msgfmt -c --statistics -o /dev/null po/es.po
check "po/es.po itself has no untranslated or fuzzy entry (msgfmt: $err)" \
	bash -c 'test "$1" = 0 && ! grep -qE "untranslated|fuzzy" <<<"$2"' _ "$rc" "$err"
check "po/es.po says Spanish's plural forms (one, and the rest)" \
	grep -qF '"Plural-Forms: nplurals=2; plural=(n != 1);\n"' po/es.po
# A number before a plural noun ("%lld accounts match") is a count: one
# message for every number reads "1 accounts match"; ngettext gives "1
# account matches" its own (msgid_plural in the catalogue).
run msggrep --no-wrap -K -E -e '%(l|ll|z)?[du] [a-z]+s\b' "$pot"
counts=$(printf '%s\n' "$out" | grep -c '^msgid_plural')
singles=$(printf '%s\n' "$out" | awk '/^msgid "[^"]/ { id = $0 } /^msgid_plural/ { id = "" } /^msgstr/ && id { print id; id = "" }')
check "every count takes ngettext (${singles:-none without}); $counts do" test -z "$singles" -a "$counts" -gt 0
# What cobro says outside its screens speaks the person's language too: the
# usage, and why it could not start.
run env LANGUAGE=es "$bindir/cobro" --help
check "LANGUAGE=es cobro --help: the usage in Spanish" bash -c 'test "$1" = 0 && head -n 1 <<<"$2" | grep -q "^uso: cobro " && grep -qF "Pulse ? en cualquier pantalla" <<<"$2"' _ "$rc" "$out"
run env LANGUAGE=es "$bindir/cobro" --database "host=/nonexistent port=1" --login
check "LANGUAGE=es cobro --login without a terminal says so in Spanish" \
	bash -c 'test "$1" = 1 && grep -qx "cobro: --login necesita una terminal" <<<"$2"' _ "$rc" "$err"
run env LANGUAGE=es "$bindir/cobro" --database "host=/nonexistent port=1"
check "LANGUAGE=es: a database out of reach is said in Spanish" \
	bash -c 'test "$1" = 1 && grep -q "^cobro: no se puede conectar a la base de datos: " <<<"$2"' _ "$rc" "$err"
run "$bindir/cobro" --help
check "without a language the usage stays English" bash -c 'head -n 1 <<<"$1" | grep -q "^usage: cobro "' _ "$out"
finish
