#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
#
# Fetches and unpacks the Debian source package of the Wireshark msturn builds
# against, and prints the directory of its unpacked tree.
#
#   tools/wireshark-source.sh [DEST]      (default: ws-src/ in the work tree)
#
# The version is the one the installed libwireshark-dev was built from
# (dpkg's source:Version), so the checkers and the in-tree build see the same
# Wireshark as the plugin.  The deb-src lines are the machine's own apt
# sources (every enabled "deb" entry of /etc/apt/sources.list,
# sources.list.d/*.list and *.sources, turned into "deb-src"); apt runs with
# its own lists and cache under DEST/apt, so the machine's apt state is never
# touched.  A tree already unpacked is reused.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-${MSTURN_WS_SRC:-$top/ws-src}}
etc=${MSTURN_APT_ETC:-/etc/apt}
apt=$dest/apt
log=$dest/fetch.log

die() { echo "wireshark-source: $*" >&2; exit 1; }

for tool in apt-get dpkg-query dpkg-source; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' is missing: run tools/deps.sh as root"
done

ver=$(dpkg-query -W -f='${source:Version}' libwireshark-dev 2>/dev/null) ||
    die "libwireshark-dev is not installed: run tools/deps.sh as root"
upstream=$(echo "$ver" | sed 's/^[0-9]*://; s/-[^-]*$//')
tree=$dest/wireshark-$upstream
if [ -f "$tree/tools/checkAPIs.pl" ] && [ -f "$tree/.msturn-version" ] &&
   [ "$(cat "$tree/.msturn-version")" = "$ver" ]; then
    echo "$tree"
    exit 0
fi

. "$top/tools/apt-private.sh"
apt_private_init "$apt"

# The machine's own sources, each "deb" entry also as "deb-src".
: > "$apt/etc/sources.list"
rm -f "$apt/etc/sources.list.d"/*
for f in "$etc/sources.list" "$etc"/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    sed -n 's/^[ \t]*deb[ \t]/deb-src /p' "$f" >> "$apt/etc/sources.list"
done
for f in "$etc"/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    sed 's/^\([Tt]ypes:[ \t]*\)deb[ \t]*$/\1deb-src/' "$f" > "$apt/etc/sources.list.d/${f##*/}"
done


echo "wireshark-source: fetching wireshark $ver (source) into $dest" >&2
apt_get update > "$log" 2>&1 || { tail -n 20 "$log" >&2; die "apt-get update failed (see $log)"; }
rm -rf "$dest/unpack"
mkdir -p "$dest/unpack"
(cd "$dest/unpack" && apt_get source --download-only "wireshark=$ver") >> "$log" 2>&1 ||
    { tail -n 20 "$log" >&2; die "no source package wireshark=$ver in this machine's apt sources (see $log)"; }
dsc=$(ls "$dest/unpack"/wireshark_*.dsc 2>/dev/null | head -n 1)
[ -n "$dsc" ] || die "apt-get source left no .dsc in $dest/unpack"
rm -rf "$tree"
dpkg-source --no-check -x "$dsc" "$tree" >> "$log" 2>&1 || { tail -n 20 "$log" >&2; die "dpkg-source could not unpack $dsc"; }
echo "$ver" > "$tree/.msturn-version"
rm -rf "$dest/unpack"
echo "$tree"
