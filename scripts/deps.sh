#!/usr/bin/env bash
# Installs the Debian packages cobro needs, or says exactly how to.
# Usage: scripts/deps.sh build|run|check|bench
# Only packages that are missing are installed; nothing happens when all are there.
# postgresql-server-dev-15: the server's headers, for lib/cobro_policy.so
# (src/pgext/), the contact-policy check the database runs itself.
set -euo pipefail

build="gcc make pkg-config libncurses-dev libpq-dev libssl-dev libcurl4-openssl-dev libconfig-dev
       libcsv-dev libjansson-dev libmicrohttpd-dev libutf8proc-dev gettext
       postgresql-server-dev-15"
server="postgresql-15 postgresql-client-15 postgresql-contrib"
# clang and llvm: the fuzz targets (libFuzzer, make fuzz; a short run in make check).
# groff-base: the man pages rendered with warnings on (cli-test_man_pages).
# python3-phonenumbers: Google's libphonenumber, which phone normalisation is held to
# (cli-test_phone_libphonenumber; scripts/phone-tables.py makes cobro's tables from it).
check="libcmocka-dev postgresql-15-pgtap tmux curl jq kannel kannel-extras python3-aiosmtpd faketime
       clang llvm libclang-rt-dev groff-base python3-phonenumbers"

case "${1:-build}" in
build) want="$build" ;;
run) want="$build $server kannel kannel-extras python3-aiosmtpd curl" ;;
check|bench) want="$build $server $check" ;;
*) echo "usage: $0 build|run|check|bench" >&2; exit 2 ;;
esac

missing=()
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "cobro needs these Debian packages: ${missing[*]}" >&2
	echo "Run as root:  apt-get update && $line" >&2
	exit 1
fi
echo "Installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
