#!/bin/sh
# Writes a C file holding every migration: name, version and text, in order.
set -eu
echo '#include "migrate.h"'
i=0
for f in "$@"; do
	printf 'static const char sql_%d[] = {' "$i"
	od -An -v -tx1 "$f" | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'
	echo '0};'
	i=$((i + 1))
done
echo 'const struct migration migrations[] = {'
i=0
for f in "$@"; do
	b=$(basename "$f")
	printf '\t{ %d, "%s", sql_%d },\n' "$(echo "$b" | sed 's/^0*\([0-9][0-9]*\)_.*/\1/')" "$b" "$i"
	i=$((i + 1))
done
echo '};'
echo "const int migrations_count = $i;"
