#!/usr/bin/env bash
# The Spanish catalogue is complete: every message the source marks for
# translation has a Spanish text, and the format directives agree.
. "$(dirname "$0")/tap.sh"
cd "$top"
pot=$scratch/cobro.pot
xgettext --from-code=UTF-8 -k_ -kN_ -kNC_:1c,2 --package-name=cobro --no-location -o "$pot" $(find screens src -name "*.[ch]" | LC_ALL=C sort)
run msgmerge -q --no-fuzzy-matching -o "$scratch/es.po" po/es.po "$pot"
check "po/es.po merges with the current sources" test "$rc" = 0
run msgfmt -c --statistics -o /dev/null "$scratch/es.po"
check "every message is translated (msgfmt: $err)" bash -c '! grep -qE "untranslated|fuzzy" <<<"$1"' _ "$err"
check "msgfmt -c finds no format mismatch" test "$rc" = 0
finish
