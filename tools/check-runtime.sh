#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# msturn at run time on another Wireshark release, in a minimal Debian root.
#
#   tools/check-runtime.sh SUITE X.Y BUILD_DIR
#
# Makes (once; cached in ws-dev/roots/SUITE, MSTURN_WS_DEV overrides ws-dev/)
# a Debian SUITE root with debootstrap, installs that suite's tshark,
# Wireshark development files, compilers and coturn inside, copies this source
# tree in, builds msturn there with warnings as errors and runs, inside
# (chroot, against that suite's tshark), the golden, sessions, parity, hmac and
# details tests, fuzz.build with a short fuzz.dissector, the live coturn
# test and the kept TURN over TLS and DTLS capture (live.tls_kept: what TLS
# hands its heuristics differs between releases); then builds the Debian
# package there (tools/check-package.sh build), installs it with apt, checks
# that root's tshark loads it from the system plugin folder and removes it.
# Logs and the package go to BUILD_DIR.
#
# Exits 77 (ctest's skip code for these tests) with the reason when the root
# cannot be made here: not root, debootstrap missing, no network.
set -eu

if [ $# -ne 3 ]; then
    echo "usage: $0 SUITE X.Y BUILD_DIR  (e.g. sid 4.6 build/runtime-4.6)" >&2
    exit 2
fi
suite=$1
want=$2
build=$3
top=$(cd "$(dirname "$0")/.." && pwd)
wsdev=${MSTURN_WS_DEV:-$top/ws-dev}
tag=versions.runtime.$want
fuzz_seconds=${MSTURN_RUNTIME_FUZZ_SECONDS:-20}
# MSTURN_RUNTIME_TESTS: a ctest -R regex instead of the list below (a quick look).

. "$top/tools/check-report.sh"

. "$top/tools/debian-root.sh"

mkdir -p "$build"
t0=$(date +%s)
root_prepare "$suite"
t1=$(date +%s)

ws=$(root_run "dpkg-query -W -f='\${Version}' tshark")
ws_up=$(echo "$ws" | sed 's/^[0-9]*://; s/-[^-]*$//')
case "$ws_up" in
    "$want".*) ;;
    *) fail "Debian $suite now ships Wireshark $ws_up, not $want: point tests/versions.cmake at the suite that has $want" ;;
esac
coturn=$(root_run "dpkg-query -W -f='\${Version}' coturn")
say "Debian $suite root ready: tshark $ws, coturn $coturn ($((t1 - t0))s)"

# The source tree as it is (committed or not), without builds and caches.
say "copying the source tree into the root"
rm -rf "$root/msturn"
mkdir -p "$root/msturn/src"
(cd "$top" && tar -cf - --exclude='./build*' --exclude=./ws-dev --exclude=./.git \
     --exclude='__pycache__' .) | tar -xf - -C "$root/msturn/src"

blog=$build/build.log
say "building msturn inside the root (-Werror)"
if ! root_run "cmake -S /msturn/src -B /msturn/build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DMSTURN_WERROR=ON -DMSTURN_TESTS=ON -DMSTURN_FUZZ_DISSECTOR_SECONDS=$fuzz_seconds &&
        cmake --build /msturn/build -j2" > "$blog" 2>&1; then
    echo "---- compiler diagnostics (full log: $blog) ----" >&2
    grep -E '(error|warning):|CMake Error' "$blog" | sort -u | head -n 25 >&2 || tail -n 25 "$blog" >&2
    echo "----" >&2
    fail "msturn does not build inside the Debian $suite root (Wireshark $ws_up) with -Werror"
fi
t2=$(date +%s)

tests=${MSTURN_RUNTIME_TESTS:-'^(golden|sessions|parity|hmac|details)\.|^fuzz\.(build|dissector)$|^live\.coturn(_kept)?$|^live\.tls_kept$'}
tlog=$build/ctest.log
say "running the tests inside the root against tshark $ws_up"
if ! root_run "cd /msturn/build && ctest -j2 --output-on-failure -R '$tests'" > "$tlog" 2>&1; then
    flog=$build/ctest-failed.log
    root_run "cd /msturn/build && ctest --output-on-failure --rerun-failed" > "$flog" 2>&1 || true
    echo "---- failed tests inside the Debian $suite root, again (full log: $tlog) ----" >&2
    tail -n 60 "$flog" >&2
    echo "----" >&2
    fail "tests failed against Wireshark $ws_up"
fi

# The Debian package, built inside, checked as on any machine
# (tools/check-package.sh), then installed with apt and loaded by root's
# tshark from the system plugin folder, then removed again.
say "building, installing and loading the Debian package inside the root"
plog=$build/package.log
root_run "sh /msturn/src/tools/check-package.sh build /msturn/build" > "$plog" 2>&1 ||
    { tail_log "$plog"; fail "the Debian package built against Wireshark $ws_up is wrong"; }
sed -n 's/^package.build: OK: /package: /p' "$plog" | sed "s/^/$tag: /"
deb=$(cd "$root/msturn/build" && ls msturn_*_*.deb)
root_run "apt-get install -y -q /msturn/build/$deb" > "$plog" 2>&1 ||
    { tail_log "$plog"; fail "apt-get install of $deb failed inside the Debian $suite root"; }
global=$(root_run "tshark -G folders 2>/dev/null" | awk -F'\t' '$1 ~ /^Global Plugins/ {print $2}')
loaded=$(root_run "tshark -G plugins 2>/dev/null" | awk -F'\t' '$1 ~ /^msturn\.so *$/ {print $NF}')
frames=$(root_run "tshark -r /msturn/src/test-captures/seed_session.pcapng -Y msturn 2>/dev/null | wc -l")
root_run "apt-get purge -y -q msturn" >> "$plog" 2>&1 || fail "apt-get purge msturn failed inside the root"
[ "$loaded" = "$global/epan/msturn.so" ] ||
    fail "after installing $deb, root's tshark loads '${loaded:-no msturn.so}', not $global/epan/msturn.so"
[ "$frames" -gt 0 ] || fail "root's tshark with the installed package decodes no msturn frame of seed_session.pcapng"
cp "$root/msturn/build/$deb" "$build/$deb"
say "package installed with apt: root's tshark loads $loaded and decodes $frames frames of seed_session.pcapng as msturn; purged"
t3=$(date +%s)
summary=$(grep -E 'tests passed' "$tlog" || true)
n=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .* Passed' "$tlog" || true)
[ "$n" -gt 0 ] || { tail_log "$tlog"; fail "ctest ran no tests inside the root"; }
grep -E '^ *[0-9]+/[0-9]+ Test +#[0-9]+: (fuzz\.dissector|live\.coturn) ' "$tlog" | sed "s/^/$tag:   /"
say "OK: Wireshark $ws_up; $summary"
say "time: root $((t1 - t0))s, build $((t2 - t1))s, tests $((t3 - t2))s, total $((t3 - t0))s"
