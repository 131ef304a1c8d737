#!/usr/bin/env bash
# make install honours PREFIX and DESTDIR, and what it installs runs.
set -u
cd "$COBRO_TOP"
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
if make -s install PREFIX=/opt/cobro DESTDIR="$dest" >"$dest/make.log" 2>&1; then
	ok "make install PREFIX=/opt/cobro DESTDIR=..."
else
	not_ok "make install: $(tail -n 3 "$dest/make.log")"
fi
root=$dest/opt/cobro
for p in cobro cobrod cobroctl; do
	check "$p is installed under PREFIX/bin, executable" test -x "$root/bin/$p"
	check "the installed $p answers --version" bash -c "'$root/bin/$p' --version | grep -qx '$p [0-9.]*'"
done
for m in man1/cobro.1 man1/cobroctl.1 man5/cobro.conf.5 man8/cobrod.8; do
	check "man page $m is installed" test -f "$root/share/man/$m"
done
check "example configuration is installed" test -f "$root/share/doc/cobro/examples/cobro.conf"
check "the contact rules and holiday calendars are installed" test -f "$root/share/doc/cobro/examples/policy.conf" -a -f "$root/share/doc/cobro/examples/holidays/CO.conf"
check "the message templates are installed" test -f "$root/share/doc/cobro/examples/templates/overdue_notice.sms.es.tpl" -a -f "$root/share/doc/cobro/examples/templates/README"
check "the installed cobroctl finds the installed rules by itself" bash -c \
	"'$root/bin/cobroctl' policy check '$COBRO_TOP/tests/policy/14-co-holiday.case' | grep -q '^refused CO-HOURS: no contact on a holiday'"
pkglib=$(pg_config --pkglibdir)
check "the database's contact-policy check is installed in the server's pkglibdir" test -f "$dest$pkglib/cobro_policy.so"
check "and exports its function to the server" bash -c "nm -D --defined-only '$dest$pkglib/cobro_policy.so' | grep -qw cobro_policy_verify"
check "but none of the core's symbols" bash -c "! nm -D --defined-only '$dest$pkglib/cobro_policy.so' | grep -qw policy_parse"
check "the Spanish catalogue is installed" test -f "$root/share/locale/es/LC_MESSAGES/cobro.mo"
check "nothing is written outside DESTDIR" test ! -e /opt/cobro
echo "1..$n"
[ "$failed" -eq 0 ]
