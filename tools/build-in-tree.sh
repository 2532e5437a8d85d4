#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
#
# Builds msturn the way Windows and macOS users must: as an in-tree plugin of
# Wireshark's own source tree (CUSTOM_PLUGIN_SRC_DIR, doc/README.plugins),
# here against the Debian source package of the Wireshark installed on this
# machine; then checks that the tshark of that build loads it and decodes a
# lab capture exactly as the packaged tshark with msturn's own build does.
#
#   tools/build-in-tree.sh [WORK_DIR]     (default: build-in-tree/)
#
# Slow (it builds libwireshark and tshark: about an hour on two cores), so
# it is not part of the test suite.  Needs, besides tools/deps.sh: flex,
# bison, libc-ares-dev and ninja-build (installed here when run as root).
# The comparison uses msturn's own build in MSTURN_BUILD (default
# build-tests/, made by tools/run-tests.sh).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$top/build-in-tree}
ref_build=${MSTURN_BUILD:-$top/build-tests}
capture=$top/test-captures/seed_session.pcapng
tag=in-tree
. "$top/tools/check-report.sh"

need="flex bison libc-ares-dev ninja-build"
missing=""
for p in $need; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    [ "$(id -u)" = 0 ] || fail "missing packages:$missing (run as root to install them)"
    say "installing$missing"
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

src=$(sh "$top/tools/wireshark-source.sh") || fail "could not get Wireshark's source package"
say "Wireshark source: $src"

# msturn's plugin/ folder at plugins/epan/msturn, named in CMakeListsCustom.txt.
ln -sfn "$top/plugin" "$src/plugins/epan/msturn"
cat > "$src/CMakeListsCustom.txt" <<'EOF'
# Written by msturn's tools/build-in-tree.sh.
set(CUSTOM_PLUGIN_SRC_DIR plugins/epan/msturn)
EOF

mkdir -p "$work"
t0=$(date +%s)
if [ ! -f "$work/build.ninja" ]; then
    say "configuring (tshark only, no GUI)"
    cmake -S "$src" -B "$work" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DBUILD_wireshark=OFF -DBUILD_logray=OFF -DBUILD_sharkd=OFF -DBUILD_rawshark=OFF \
        -DBUILD_editcap=OFF -DBUILD_capinfos=OFF -DBUILD_captype=OFF -DBUILD_randpkt=OFF \
        -DBUILD_dftest=OFF -DBUILD_text2pcap=OFF -DBUILD_mergecap=OFF -DBUILD_reordercap=OFF \
        -DBUILD_sshdump=OFF -DBUILD_ciscodump=OFF -DBUILD_udpdump=OFF -DBUILD_randpktdump=OFF \
        -DBUILD_androiddump=OFF -DBUILD_dpauxmon=OFF -DBUILD_sdjournal=OFF -DBUILD_etwdump=OFF \
        -DBUILD_wifidump=OFF -DBUILD_falcodump=OFF -DENABLE_WERROR=OFF \
        > "$work/configure.log" 2>&1 || { tail_log "$work/configure.log"; fail "cmake could not configure Wireshark's tree"; }
fi
say "building tshark and msturn (see $work/build.log)"
cmake --build "$work" --target tshark msturn -j"$(nproc)" > "$work/build.log" 2>&1 ||
    { tail_log "$work/build.log" 30; fail "the in-tree build failed"; }
t1=$(date +%s)
say "built in $((t1 - t0)) s"

# The tree's tshark looks for plugins in its run/plugins folder only when
# WIRESHARK_RUN_FROM_BUILD_DIRECTORY is set and it was not started by uid 0
# (wsutil/filesystem.c, privileges.c): as root, run it as nobody.
tshark_tree() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u nobody -- env HOME="$work/home" WIRESHARK_RUN_FROM_BUILD_DIRECTORY=1 "$work/run/tshark" "$@"
    else
        env HOME="$work/home" WIRESHARK_RUN_FROM_BUILD_DIRECTORY=1 "$work/run/tshark" "$@"
    fi
}
mkdir -p "$work/home"
[ "$(id -u)" = 0 ] && chown nobody "$work/home"
cp "$capture" "$work/home/capture.pcapng"
chmod a+r "$work/home/capture.pcapng"
plug=$(find "$work/run" -name msturn.so | head -n 1)
[ -n "$plug" ] || fail "the in-tree build made no msturn.so under $work/run"
say "plugin: $plug"

# The tree's own tshark finds the plugin in its run/plugins folder.
tshark_tree -G plugins 2>/dev/null | grep -q '^msturn\.so' ||
    fail "the in-tree tshark does not list msturn.so among its plugins"

# The same reading with both: Info column, session numbers and the sessions table.
view() {
    "$@" -r "$in" -o msturn.udp:TRUE -T fields -e frame.number -e msturn.session \
        -e msturn.session.role -e _ws.col.Info -Y msturn 2>&1
    "$@" -r "$in" -2 -q -z msturn,sessions 2>&1
}
in=$work/home/capture.pcapng
view tshark_tree > "$work/in-tree.txt"
if [ -f "$ref_build/plugin/msturn.so" ]; then
    mm=$(pkg-config --modversion wireshark | cut -d. -f1,2)
    in=$capture
    view env MSTURN_PLUGIN="$ref_build/plugin/msturn.so" MSTURN_WS_MAJOR_MINOR="$mm" \
        sh "$top/tests/tshark-msturn.sh" > "$work/packaged.txt"
    if ! diff -u "$work/packaged.txt" "$work/in-tree.txt" > "$work/diff.txt"; then
        head -n 30 "$work/diff.txt" >&2
        fail "the in-tree build decodes $capture differently from the packaged tshark with msturn's own build"
    fi
    say "the in-tree tshark decodes ${capture##*/} as the packaged one does ($(grep -c . "$work/in-tree.txt") lines, identical)"
else
    say "no $ref_build/plugin/msturn.so to compare with (run tools/run-tests.sh first); in-tree output in $work/in-tree.txt"
fi
