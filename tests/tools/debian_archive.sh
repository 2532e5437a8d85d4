#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# tools/debian-archive.sh reads the archive address from apt sources in both
# formats: the machine's own release's source wins over security, -updates,
# disabled stanzas, deb-src lines and other suites.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
check() {  # name expected
    got=$(MSTURN_APT_ETC=$tmp/etc MSTURN_OS_RELEASE=$tmp/os-release \
          sh "$top/tools/debian-archive.sh" 2>"$tmp/err") || got="(exit $?: $(cat "$tmp/err"))"
    if [ "$got" = "$2" ]; then
        echo "ok   $1: $got"
    else
        echo "FAIL $1: expected '$2', got '$got'"
        bad=1
    fi
}
reset() {
    rm -rf "$tmp/etc"
    mkdir -p "$tmp/etc/sources.list.d"
    printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_CODENAME=bookworm\n' > "$tmp/os-release"
}

reset
cat > "$tmp/etc/sources.list" <<'L'
# a comment
deb-src http://src.example/debian bookworm main
deb http://sec.example/debian-security bookworm-security main
deb [arch=amd64 signed-by=/k.gpg] http://one.example/debian/ bookworm main contrib
deb http://two.example/debian bookworm main
L
check "one-line format, options and trailing slash" "http://one.example/debian"

reset
cat > "$tmp/etc/sources.list.d/debian.sources" <<'L'
Types: deb
URIs: http://sec.example/debian-security
Suites: bookworm-security
Components: main

Types: deb
URIs: http://off.example/debian
Suites: bookworm
Enabled: no
Components: main

Types: deb deb-src
# http://snapshot.example/archive/debian/20250520T000000Z
URIs: http://main.example/debian
Suites: bookworm bookworm-updates
Components: main
L
check "deb822: security and disabled stanzas skipped" "http://main.example/debian"

reset
echo "deb http://sec.example/debian-security bookworm-security main" > "$tmp/etc/sources.list"
check "no source for the release" "(exit 1: no apt source for Debian bookworm in $tmp/etc (sources.list, sources.list.d/*.list, *.sources): cannot tell where Debian's archive is)"

got=$(sh "$top/tools/debian-archive.sh") || { echo "FAIL this machine: $got"; bad=1; }
[ "$bad" = 0 ] && echo "ok   this machine: $got"
exit "$bad"
