#!/bin/sh
# Writes a C file holding the schema (src/core/migrate.h): the versioned
# migrations (src/sql/NNN_name.sql) with their versions, and the function
# files (src/sql/functions/NAME.sql), each with its name and text, in the
# order given. File names hold no blanks.
set -eu
echo '#include "migrate.h"'
i=0
for f in "$@"; do
	printf 'static const char sql_%d[] = {' "$i"
	od -An -v -tx1 "$f" | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'
	echo '0};'
	i=$((i + 1))
done
files="$*"
# table NAME COUNT_NAME KIND: the entries of the files of one kind, in order.
table() {
	echo "const struct migration $1[] = {"
	i=0 n=0
	for f in $files; do
		b=$(basename "$f")
		case "$f" in
		*/functions/*.sql) kind=function ;;
		*) kind=migration ;;
		esac
		if [ "$kind" = "$3" ] && [ "$kind" = function ]; then
			printf '\t{ 0, "functions/%s", sql_%d },\n' "$b" "$i"
			n=$((n + 1))
		elif [ "$kind" = "$3" ]; then
			printf '\t{ %d, "%s", sql_%d },\n' "$(echo "$b" | sed 's/^0*\([0-9][0-9]*\)_.*/\1/')" "$b" "$i"
			n=$((n + 1))
		fi
		i=$((i + 1))
	done
	# An empty table still needs one element to compile.
	[ "$n" -gt 0 ] || echo '	{ 0, "", "" },'
	echo '};'
	echo "const int $2 = $n;"
}
table migrations migrations_count migration
table sql_functions sql_functions_count function
