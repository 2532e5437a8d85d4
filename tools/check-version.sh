#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Compile-and-link check of msturn against another Wireshark release.
#
#   tools/check-version.sh SUITE X.Y BUILD_DIR
#
# Downloads (never installs) the Wireshark development packages of a Debian
# suite (trixie: 4.4, sid: 4.6) and the runtime libraries they point to,
# unpacks them with dpkg-deb, builds the plugin against them with warnings as
# errors, and checks the module: it exports the loader's symbols, asks for
# exactly that release's major.minor, and every symbol it imports is defined
# by the libraries it names (the unpacked libwireshark/libwsutil, the system's
# GLib and C library).
#
# The archive address comes from the machine's apt sources
# (tools/debian-archive.sh); apt runs with its own sources list, lists, cache and status file under
# ws-dev/<suite>/apt, so the machine's own apt state is never touched.
# Downloads are cached under ws-dev/<suite>/ (MSTURN_WS_DEV overrides
# ws-dev/), so reruns only build.
set -eu

if [ $# -ne 3 ]; then
    echo "usage: $0 SUITE X.Y BUILD_DIR  (e.g. trixie 4.4 build/versions-4.4)" >&2
    exit 2
fi
suite=$1
want=$2
build=$3
top=$(cd "$(dirname "$0")/.." && pwd)
wsdev=${MSTURN_WS_DEV:-$top/ws-dev}
dir=$wsdev/$suite
apt=$dir/apt
debs=$dir/debs
root=$dir/root
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
arch=$(dpkg --print-architecture)
log=$dir/last.log

tag=versions.$want
. "$top/tools/check-report.sh"

for tool in apt-get apt-cache dpkg dpkg-deb nm objdump readelf ldconfig cmake; do
    command -v "$tool" >/dev/null 2>&1 ||
        fail "'$tool' is missing: run tools/deps.sh as root"
done
[ -r "$keyring" ] || fail "$keyring is missing (package debian-archive-keyring)"

mkdir -p "$debs"
. "$top/tools/apt-private.sh"
apt_private_init "$apt" "$arch"
# The archive is the one this machine's own apt sources name.
. "$top/tools/debian-archive.sh"
archive=$(msturn_debian_archive) || fail "cannot find Debian's archive in this machine's apt sources"
echo "deb [signed-by=$keyring] $archive $suite main" > "$apt/etc/sources.list"


stamp_lists=$apt/lists.fetched
update_lists() {
    say "fetching the package lists of Debian $suite"
    if apt_get update > "$log" 2>&1; then
        touch "$stamp_lists"
        return 0
    fi
    if [ "${1:-}" = soft ] && [ -f "$stamp_lists" ]; then
        say "could not refresh the package lists; using the copy of $(date -r "$stamp_lists" -u '+%Y-%m-%d %H:%M UTC')"
        return 0
    fi
    tail_log "$log"
    fail "could not fetch the package lists of Debian $suite (network, or the suite's signing key missing from $keyring)"
}

t0=$(date +%s)
# Lists fetched less than 12 hours ago are reused; older ones are refreshed
# (sid changes every day and superseded .debs leave the mirror).
if [ -z "$(find "$stamp_lists" -mmin -720 2>/dev/null)" ]; then
    update_lists soft
fi

# The runtime libraries are whatever the -dev packages depend on
# (e.g. libwireshark18 in trixie, libwireshark19 in sid).
devpkgs="libwireshark-dev libwiretap-dev libwsutil-dev"
# shellcheck disable=SC2086
runpkgs=$(apt_cache depends $devpkgs 2>/dev/null |
          sed -n 's/^ *Depends: \(lib\(wireshark\|wiretap\|wsutil\)[0-9][0-9a-z]*\)$/\1/p' | sort -u)
[ -n "$runpkgs" ] || fail "Debian $suite has no libwireshark-dev (apt-cache depends found no runtime libraries)"
pkgs="$devpkgs $(echo $runpkgs)"

# Exact package=version pairs, so every package comes from the same build,
# and the file names apt will save them under.
sel=""
files=""
# shellcheck disable=SC2086
info=$(apt_cache show --no-all-versions $pkgs 2>/dev/null |
       awk '/^Package: /{p=$2} /^Version: /{v=$2} /^Filename: /{f=$2}
            /^$/{if (p != "") print p, v, f; p = ""} END{if (p != "") print p, v, f}')
for p in $pkgs; do
    line=$(echo "$info" | awk -v p="$p" '$1 == p {print; exit}')
    [ -n "$line" ] || fail "package $p not found in Debian $suite"
    set -- $line
    sel="$sel $p=$2"
    files="$files ${3##*/}"
done

version=${sel#* libwireshark-dev=}
version=${version%% *}
upstream=$(echo "$version" | sed 's/^[0-9]*://; s/-[^-]*$//')
ws_mm=$(echo "$upstream" | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p')
if [ "$ws_mm" != "$want" ]; then
    fail "Debian $suite now ships Wireshark $upstream, not $want: point tests/versions.cmake at the suite that has $want"
fi

# apt-get download skips a file already present with the right checksum, so
# only missing or superseded packages cross the network.
fetch() {
    for f in "$debs"/*.deb; do
        [ -e "$f" ] || continue
        case " $files " in *" ${f##*/} "*) ;; *) rm -f "$f" ;; esac
    done
    for f in $files; do
        [ -f "$debs/$f" ] || { say "downloading$sel"; break; }
    done
    # shellcheck disable=SC2086
    (cd "$debs" && apt_get download $sel) > "$log" 2>&1 || {
        tail_log "$log"; return 1; }
}
if ! fetch; then
    # Cached lists may name a build the mirror no longer has: refresh, retry.
    update_lists
    fetch || fail "could not download$sel from Debian $suite"
fi
t1=$(date +%s)

# Unpack again only when the set of .debs changed.
stamp=$(echo $files)
if [ ! -f "$root/.msturn-debs" ] || [ "$(cat "$root/.msturn-debs")" != "$stamp" ]; then
    say "unpacking into $root"
    rm -rf "$root"
    # The new headers keep the packages' older timestamps, so a build made
    # against the previous unpack would not notice them: start it afresh.
    [ -f "$build/CMakeCache.txt" ] && rm -rf "$build"
    mkdir -p "$root"
    for f in "$debs"/*.deb; do
        dpkg-deb -x "$f" "$root" || fail "dpkg-deb could not unpack $f"
    done
    echo "$stamp" > "$root/.msturn-debs"
fi

say "building against Wireshark $upstream ($suite:$sel)"
mkdir -p "$build"
blog=$build/build.log
tb0=$(date +%s)
if ! cmake -S "$top" -B "$build" -DWIRESHARK_PC_ROOT="$root" -DMSTURN_WERROR=ON \
        -DMSTURN_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$blog" 2>&1; then
    tail_log "$blog"
    fail "cmake could not configure msturn against Wireshark $upstream ($root)"
fi
if ! cmake --build "$build" -j2 >> "$blog" 2>&1; then
    echo "---- compiler diagnostics (full log: $blog) ----" >&2
    grep -E '(error|warning):' "$blog" | sort -u | head -n 25 >&2 || tail -n 25 "$blog" >&2
    echo "----" >&2
    fail "msturn does not build against Wireshark $upstream with -Werror: fix it in plugin/msturn_compat.h"
fi
tb1=$(date +%s)

so=$build/plugin/msturn.so
[ -f "$so" ] || fail "the build did not produce $so"

# 1. The loader's symbols (doc/README.plugins; plugin_describe from 4.4).
exports=$(nm -D --defined-only "$so" | awk '{print $NF}')
required="plugin_version plugin_want_major plugin_want_minor plugin_register"
case "$want" in
    4.[0-3]) ;;
    *) required="$required plugin_describe" ;;
esac
for s in $required; do
    echo "$exports" | grep -qx "$s" || fail "msturn.so does not export $s (nm -D)"
done

# 2. The release it asks for, read from the module's own data.
read_int() {
    addr=$(nm -D --defined-only "$so" | awk -v s="$1" '$NF == s {print $1}')
    [ -n "$addr" ] || return 1
    start=$((0x$addr))
    objdump -s --start-address="$start" --stop-address=$((start + 4)) "$so" |
        awk 'NF >= 2 && $1 ~ /^[0-9a-f]+$/ && length($2) == 8 {print $2; exit}' |
        sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/' | { read -r h; echo $((0x$h)); }
}
major=$(read_int plugin_want_major) || fail "cannot read plugin_want_major"
minor=$(read_int plugin_want_minor) || fail "cannot read plugin_want_minor"
[ "$major.$minor" = "$want" ] ||
    fail "msturn.so asks for Wireshark $major.$minor but was built against $upstream"

# 3. Linking: each imported symbol is defined by a library the module names.
libdir=$(dirname "$(find "$root" -name 'libwireshark.so.*' -type f | head -n1)")
defs=$build/defined-symbols.txt
: > "$defs"
needed=$(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
echo "$needed" | grep -q '^libwireshark\.so\.' || fail "msturn.so is not linked against libwireshark"
for lib in $needed; do
    if [ -e "$libdir/$lib" ]; then
        path=$libdir/$lib
    else
        case "$lib" in
            libwireshark.*|libwsutil.*|libwiretap.*)
                fail "msturn.so needs $lib, which the $suite packages do not provide ($(cd "$libdir" && ls lib*.so.* | tr '\n' ' '))" ;;
        esac
        path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64|x86_64|64bit/ {print $NF; exit}')
        [ -n "$path" ] || path=$(ldconfig -p | awk -v l="$lib" '$1 == l {print $NF; exit}')
        [ -n "$path" ] || fail "msturn.so needs $lib, which is neither unpacked nor on this system"
    fi
    nm -D --defined-only "$path" | awk '{print $NF}' | sed 's/@.*//' >> "$defs"
done
sort -u -o "$defs" "$defs"
undef=$(nm -D --undefined-only "$so" | awk '$1 == "U" {print $2}' | sed 's/@.*//' | sort -u)
missing=$(echo "$undef" | comm -23 - "$defs")
if [ -n "$missing" ]; then
    echo "---- imported by msturn.so, defined by none of the libraries it names ----" >&2
    echo "$missing" | head -n 20 >&2
    echo "----" >&2
    fail "msturn.so uses $(echo "$missing" | wc -l) symbol(s) that none of $(echo $needed) defines"
fi

t2=$(date +%s)
say "OK: Wireshark $upstream; exports $(echo $required); wants $major.$minor;" \
    "$(echo "$undef" | wc -l) imports resolved by $(echo $needed)"
say "time: download $((t1 - t0))s, build $((tb1 - tb0))s, total $((t2 - t0))s"
