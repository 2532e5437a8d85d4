#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Installs what msturn needs to build, test and run on Debian 12 or later:
# the compiler and CMake, Wireshark's development files and tshark, coturn
# for the live TURN tests and openssl for the TLS one's certificate and DTLS
# client, clang for the fuzz targets, and binutils and
# Debian's archive keys for the builds against newer Wireshark releases
# (tools/check-version.sh), debootstrap for the Debian roots in which those
# releases are tested at run time (tools/check-runtime.sh), valgrind for the
# leak check (tests/hostile/), lintian for the package check, and for
# Wireshark's own checkers (tools/check-wireshark.sh) dpkg-dev to unpack
# its source package, cppcheck, perl and the English word lists.
# Packages already present are left alone.
# Needs root (apt-get).
set -eu

pkgs="build-essential cmake pkg-config python3 libglib2.0-dev libgcrypt20-dev
      libwireshark-dev libwiretap-dev libwsutil-dev wireshark-dev tshark
      coturn openssl clang libclang-rt-14-dev xz-utils ca-certificates
      binutils debian-archive-keyring debootstrap valgrind lintian file dpkg-dev
      cppcheck perl wamerican wbritish"

missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "msturn: missing packages:$missing" >&2
    echo "msturn: run this as root (sudo $0) to install them" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; the default (no) is fine.
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
