#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Minimal Debian roots for running msturn against another Wireshark release.
# Sourced by tools/check-runtime.sh and tools/check-package.sh; it defines:
#
#   root_prepare SUITE   make (debootstrap --variant=minbase) or refresh the
#                        root of SUITE under $wsdev/roots/SUITE and install
#                        what msturn needs inside; sets $root
#   root_run CMD...      run a shell command line inside the root (chroot)
#                        with /proc, /sys and /dev/pts mounted
#   root_umount          undo the mounts (also done on exit)
#
# Callers set: $wsdev (cache folder), $tag (message prefix), and define
# say, skip and fail.  Package lists are refreshed when older than 12 hours
# (sid changes daily); apt inside ignores Release files past their
# Valid-Until date (a snapshot or a stale mirror must not break the run).
# The archive address comes from this machine's apt sources
# (tools/debian-archive.sh).

# What msturn needs to be built and tested inside a root: the compiler and
# CMake, Wireshark's tshark and development files, clang and its runtime for
# the fuzz targets, coturn for the live test, file for the package's
# library dependencies (CPack runs dpkg-shlibdeps only with it).
ROOT_PKGS="build-essential cmake pkg-config python3 libglib2.0-dev libgcrypt20-dev
 libwireshark-dev libwiretap-dev libwsutil-dev wireshark-dev tshark
 clang libclang-rt-dev coturn ca-certificates file"

root_mounts=""

root_umount() {
    for m in $root_mounts; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
    root_mounts=""
}

root_mount() {
    for m in proc sys dev/pts; do
        mountpoint -q "$root/$m" && continue
        mkdir -p "$root/$m"
        case $m in
            proc)    mount -t proc proc "$root/proc" ;;
            sys)     mount -t sysfs sysfs "$root/sys" ;;
            dev/pts) mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts" ;;
        esac || fail "could not mount /$m inside $root"
        root_mounts="$root/$m $root_mounts"
    done
}

root_run() {
    root_mount
    chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive /bin/sh -c "$*"
}

# Whether the suite's Release file can be fetched from the archive: tells a
# machine without network (skip) from a failure that must be reported.
archive_reachable() {
    python3 - "$archive/dists/$1/Release" <<'PY' >/dev/null 2>&1
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=20).read(64)
PY
}

root_prepare() {
    suite=$1
    root=$wsdev/roots/$suite
    rlog=$wsdev/roots/$suite.log
    mkdir -p "$wsdev/roots"

    [ "$(id -u)" = 0 ] || skip "needs root (debootstrap, chroot and mount); run as root to test Wireshark $want at run time"
    for tool in debootstrap chroot mount mountpoint python3; do
        command -v "$tool" >/dev/null 2>&1 || skip "'$tool' is missing: run tools/deps.sh as root"
    done
    . "$top/tools/debian-archive.sh"
    archive=$(msturn_debian_archive 2> "$rlog") || skip "$(cat "$rlog")"
    trap 'root_umount' EXIT
    trap 'root_umount; exit 130' INT TERM

    if [ ! -f "$root/.msturn-root" ]; then
        say "making a minimal Debian $suite root in $root (debootstrap from $archive)"
        rm -rf "$root"
        if ! debootstrap --variant=minbase --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
                "$suite" "$root" "$archive" > "$rlog" 2>&1; then
            archive_reachable "$suite" ||
                skip "cannot reach $archive/dists/$suite/Release (no network?): the root for Debian $suite cannot be made"
            tail_log "$rlog"
            fail "debootstrap could not make a Debian $suite root"
        fi
        # No daemon may start inside (coturn's package would start one on
        # the host's network); apt keeps going on an expired Release file.
        printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
        chmod 755 "$root/usr/sbin/policy-rc.d"
        cat > "$root/etc/apt/apt.conf.d/90msturn" <<CONF
Acquire::Check-Valid-Until "false";
Acquire::Languages "none";
Acquire::Retries "3";
APT::Install-Recommends "false";
CONF
        echo "deb $archive $suite main" > "$root/etc/apt/sources.list"
        rm -f "$root/etc/apt/sources.list.d/"*
        touch "$root/.msturn-root"
    fi
    cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

    stamp=$root/.msturn-apt-updated
    if [ -z "$(find "$stamp" -mmin -720 2>/dev/null)" ]; then
        say "refreshing Debian $suite's package lists and upgrading the root"
        if root_run "apt-get -q update && apt-get -q -y dist-upgrade" > "$rlog" 2>&1; then
            touch "$stamp"
        elif [ -f "$stamp" ]; then
            say "could not refresh the package lists; using the root as of $(date -r "$stamp" -u '+%Y-%m-%d %H:%M UTC')"
        else
            archive_reachable "$suite" ||
                skip "cannot reach $archive/dists/$suite/Release (no network?)"
            tail_log "$rlog"
            fail "apt-get update failed inside the Debian $suite root"
        fi
    fi
    # shellcheck disable=SC2086
    if ! root_run "apt-get -q -y install $(echo $ROOT_PKGS)" > "$rlog" 2>&1; then
        archive_reachable "$suite" ||
            skip "cannot reach $archive/dists/$suite/Release (no network?): packages missing from the root"
        tail_log "$rlog"
        fail "could not install msturn's build and test packages inside the Debian $suite root"
    fi
}
