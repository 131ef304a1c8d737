#!/usr/bin/env bash
# --help, --version and a wrong option, for each program. None of these may
# read a configuration file or touch a database.
. "$(dirname "$0")/tap.sh"

version=$(sed -n 's/^VERSION *:= *//p' "$top/Makefile")
is_version() { [[ "$1" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; }
check "the Makefile names a version X.Y.Z (\"$version\")" is_version "$version"

# A configuration that would stop any program that read it.
mkdir -p "$XDG_CONFIG_HOME/cobro"
echo 'this is not a configuration' >"$XDG_CONFIG_HOME/cobro/cobro.conf"
echo 'this is not a configuration' >"$XDG_CONFIG_HOME/cobro/cobrod.conf"

for prog in cobro cobrod cobroctl; do
	bin=$bindir/$prog
	check "$prog is built ($bin)" test -x "$bin"

	for opt in --help -h; do
		run "$bin" "$opt"
		check "$prog $opt exits 0" exit_is 0
		check "$prog $opt prints a usage starting \"usage: $prog \" on stdout" out_starts "usage: $prog "
		check "$prog $opt mentions --config and --database" \
			eval '[[ "$out" == *--config* && "$out" == *--database* ]]'
		check "$prog $opt writes nothing on stderr" err_empty
	done

	for opt in --version -V; do
		run "$bin" "$opt"
		check "$prog $opt exits 0" exit_is 0
		check "$prog $opt prints exactly \"$prog $version\"" out_is "$prog $version"
		check "$prog $opt writes nothing on stderr" err_empty
	done

	run "$bin" --no-such-option
	check "$prog --no-such-option exits 2" exit_is 2
	check "$prog --no-such-option names the option on stderr" err_has "no-such-option"
	check "$prog --no-such-option shows the usage on stderr" err_has "usage: $prog "
	check "$prog --no-such-option writes nothing on stdout" out_empty

	run "$bin" -Z
	check "$prog -Z exits 2" exit_is 2
	check "$prog -Z shows the usage on stderr" err_has "usage: $prog "

	run "$bin" --config
	check "$prog --config without its FILE exits 2" exit_is 2
	check "$prog --config without its FILE shows the usage on stderr" err_has "usage: $prog "
done

# Arguments no program takes.
for prog in cobro cobrod; do
	run "$bindir/$prog" stray-argument
	check "$prog stray-argument exits 2" exit_is 2
	check "$prog stray-argument shows the usage on stderr" err_has "usage: $prog "
	check "$prog stray-argument writes nothing on stdout" out_empty
done

run "$bindir/cobroctl"
check "cobroctl without a command exits 2" exit_is 2
check "cobroctl without a command shows the usage on stderr" err_starts "usage: cobroctl "
check "cobroctl without a command writes nothing on stdout" out_empty

run "$bindir/cobroctl" --config /nonexistent/cobro.conf --database host=/nonexistent frobnicate
check "cobroctl with an unknown command exits non-zero" exit_not 0
check "cobroctl with an unknown command fails on its configuration first" \
	err_starts "cobroctl: /nonexistent/cobro.conf: No such file or directory"

run "$bindir/cobroctl" --config /dev/null --database host=/nonexistent frobnicate
check "cobroctl frobnicate exits 2" exit_is 2
check "cobroctl frobnicate says the command is unknown" err_has_line 'cobroctl: unknown command "frobnicate"'
check "cobroctl frobnicate shows the usage on stderr" err_has "usage: cobroctl "

# (The broken cobro.conf above would stop it: "help" is a command, read after
# the configuration.)
run "$bindir/cobroctl" --config /dev/null help
check "cobroctl help exits 0" exit_is 0
check "cobroctl help prints the usage on stdout" out_starts "usage: cobroctl "

finish
