#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Checks of msturn's Debian package (cmake --build BUILD --target package).
#
#   tools/check-package.sh build BUILD_DIR
#       builds the package of this machine's build and checks it: the file
#       name msturn_<version>_<arch>.deb; Depends names exactly the package
#       that owns the libwireshark.so.N the module needs (readelf, ldconfig,
#       dpkg -S, found again here); msturn.so lies in the folder tshark
#       itself reports as its global plugin folder (tshark -G folders); the
#       packaged module loads into this tshark; apt accepts the package here
#       (apt-get --simulate, nothing is installed on this machine).
#   tools/check-package.sh lintian BUILD_DIR
#       runs lintian on that package: it fails on any error or warning.
#   tools/check-package.sh refused BUILD_DIR
#       every package built for another Wireshark (this machine's and those
#       built in the Debian roots by tools/check-runtime.sh, copied to
#       BUILD_DIR/runtime-X.Y/) is refused where its Depends cannot be met:
#       apt-get install fails and installs nothing, dpkg -i leaves it
#       unconfigured for its dependency (then it is purged), in each root;
#       apt-get --simulate refuses the roots' packages on this machine.
# Exits 77 with the reason where the roots or their packages are missing.
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 build|lintian|refused BUILD_DIR" >&2
    exit 2
fi
mode=$1
build=$(cd "$2" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
wsdev=${MSTURN_WS_DEV:-$top/ws-dev}
tag=package.$mode
arch=$(dpkg --print-architecture)
version=$(sed -n 's/^project(msturn VERSION \([0-9.]*\).*/\1/p' "$top/CMakeLists.txt")

. "$top/tools/check-report.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The Debian package that owns the libwireshark.so.N a module needs.
abi_package() {  # MODULE [ROOT]
    soname=$(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(libwireshark\.so\.[0-9]*\)\]/\1/p')
    [ -n "$soname" ] || fail "$1 needs no libwireshark.so.N (readelf -d)"
    lib=$(ldconfig -p | awk -v l="$soname" '$1 == l {print $NF; exit}')
    [ -n "$lib" ] || fail "$soname is not installed on this machine (ldconfig -p)"
    dpkg -S "$(readlink -f "$lib")" | sed -n '1s/^\([^:]*\).*/\1/p'
}

# The libwireshark package among a package's Depends (dpkg-shlibdeps also
# names the C library, GLib, libgcrypt and libwsutil, with versions).
abi_depends() {  # DEB
    dpkg-deb -f "$1" Depends | tr ',' '\n' | sed -n 's/^ *\(libwireshark[0-9][0-9a-z]*\).*/\1/p' | head -n 1
}

case $mode in
build)
    log=$build/package.log
    deb=$build/msturn_${version}_${arch}.deb
    rm -f "$deb"
    if ! cmake --build "$build" --target package > "$log" 2>&1; then
        tail_log "$log"
        fail "cmake --build $build --target package failed"
    fi
    [ -f "$deb" ] || { tail_log "$log"; fail "no $deb after --target package"; }
    dpkg-deb -x "$deb" "$tmp/x"
    so=$(find "$tmp/x" -name msturn.so)
    [ -n "$so" ] || fail "the package holds no msturn.so: $(dpkg-deb -c "$deb" | awk '{print $NF}' | tr '\n' ' ')"
    depends=$(dpkg-deb -f "$deb" Depends)
    want=$(abi_package "$so")
    [ "$(abi_depends "$deb")" = "$want" ] ||
        fail "Depends: '$depends', but the module needs $(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(libwireshark[^]]*\)\]/\1/p'), which $want provides"
    # Where root's tshark reads plugins from: its own report.
    global=$(tshark -G folders 2>/dev/null | awk -F'\t' '$1 ~ /^Global Plugins/ {print $2}')
    [ -n "$global" ] || fail "tshark -G folders names no Global Plugins folder"
    path=${so#"$tmp/x"}
    [ "$path" = "$global/epan/msturn.so" ] ||
        fail "the package installs $path; this tshark reads $global/epan/"
    # The packaged module is the one tshark loads (as nobody, see tshark-msturn.sh).
    MSTURN_PLUGIN=$so MSTURN_WS_MAJOR_MINOR=$(basename "$global") \
        sh "$top/tests/tshark-msturn.sh" -G plugins > "$tmp/plugins" 2>&1 || true
    grep -q '^msturn\.so' "$tmp/plugins" || { tail_log "$tmp/plugins"; fail "tshark does not load the packaged msturn.so"; }
    if ! apt-get install --simulate -q "$deb" > "$tmp/apt" 2>&1; then
        tail_log "$tmp/apt"
        fail "apt refuses $deb on the Wireshark it was built for"
    fi
    grep -q '^Inst msturn ' "$tmp/apt" || { tail_log "$tmp/apt"; fail "apt-get --simulate would not install msturn"; }
    say "OK: $(basename "$deb"): Depends: $depends; installs $path (tshark's global plugin folder); loads into tshark $(tshark --version 2>/dev/null | sed -n '1s/^TShark (Wireshark) \([0-9][0-9.]*[0-9]\).*/\1/p'); apt accepts it"
    ;;
lintian)
    # Debian's package checker on the package package.build made: no error
    # and no warning; the informational tags it still prints are listed in
    # docs/building.md with their reasons.
    deb=$build/msturn_${version}_${arch}.deb
    [ -f "$deb" ] || fail "no $deb: package.build makes it"
    command -v lintian >/dev/null 2>&1 || fail "lintian is missing: run tools/deps.sh as root"
    lintian --tag-display-limit 0 -I "$deb" > "$tmp/lintian" 2>&1 || true
    grep -v '^running with root privileges' "$tmp/lintian" | sed "s/^/$tag: /"
    if grep -q '^[EW]: ' "$tmp/lintian"; then
        fail "lintian reports $(grep -c '^E: ' "$tmp/lintian") error(s) and $(grep -c '^W: ' "$tmp/lintian") warning(s) on $(basename "$deb")"
    fi
    say "OK: lintian: no error, no warning on $(basename "$deb")"
    ;;
refused)
    [ "$(id -u)" = 0 ] || skip "needs root (chroot)"
    . "$top/tools/debian-root.sh"
    trap 'root_umount; rm -rf "$tmp"' EXIT
    host_deb=$build/msturn_${version}_${arch}.deb
    [ -f "$host_deb" ] || fail "no $host_deb: package.build makes it"
    debs="$host_deb"
    roots=""
    for pair in 4.4:trixie 4.6:sid; do
        v=${pair%%:*}
        s=${pair#*:}
        d=$build/runtime-$v/msturn_${version}_${arch}.deb
        [ -f "$d" ] && [ -f "$wsdev/roots/$s/.msturn-root" ] ||
            skip "no package built in the Debian $s root ($d): versions.runtime.$v did not run here"
        debs="$debs $d"
        roots="$roots $s"
    done
    n=0
    for s in $roots; do
        root=$wsdev/roots/$s
        for d in $debs; do
            dep=$(abi_depends "$d")
            # A package whose Depends this root meets is not refused here.
            root_run "apt-cache show --no-all-versions '$dep' >/dev/null 2>&1" && continue
            cp "$d" "$root/tmp/msturn-refused.deb"
            if root_run "apt-get install -y -q /tmp/msturn-refused.deb" > "$tmp/apt" 2>&1; then
                root_run "apt-get purge -y -q msturn" >/dev/null 2>&1 || true
                fail "apt installed $d (Depends: $dep) in the Debian $s root"
            fi
            grep -q "Depends: $dep" "$tmp/apt" || { tail_log "$tmp/apt"; fail "apt refused $d in $s, but not for its Depends ($dep)"; }
            root_run "dpkg -i /tmp/msturn-refused.deb" > "$tmp/dpkg" 2>&1 && {
                root_run "dpkg --purge msturn" >/dev/null 2>&1 || true
                fail "dpkg configured $d (Depends: $dep) in the Debian $s root"
            }
            st=$(root_run "dpkg-query -W -f='\${Status}' msturn 2>/dev/null" || true)
            root_run "dpkg --purge msturn" >/dev/null 2>&1 || true
            rm -f "$root/tmp/msturn-refused.deb"
            case "$st" in *" installed") fail "dpkg left msturn installed in $s" ;; esac
            grep -q "depends on $dep" "$tmp/dpkg" || { tail_log "$tmp/dpkg"; fail "dpkg refused $d in $s, but not for its Depends ($dep)"; }
            say "Debian $s refuses the package for $dep: apt does not install it, dpkg leaves it '$st' ('depends on $dep; however: ... not installed')"
            n=$((n + 1))
        done
        root_umount
    done
    for d in $debs; do
        [ "$d" = "$host_deb" ] && continue
        dep=$(abi_depends "$d")
        if apt-get install --simulate -q "$d" > "$tmp/apt" 2>&1; then
            fail "apt on this machine would install $d (Depends: $dep)"
        fi
        grep -q "Depends: $dep" "$tmp/apt" || { tail_log "$tmp/apt"; fail "apt here refused $d, but not for its Depends ($dep)"; }
        say "this machine refuses the package for $dep (apt-get --simulate)"
        n=$((n + 1))
    done
    [ "$n" -ge 6 ] || fail "only $n refusals checked; expected 6 (three packages, each refused in two places)"
    say "OK: $n refusals"
    ;;
*)
    echo "usage: $0 build|lintian|refused BUILD_DIR" >&2
    exit 2
    ;;
esac
