#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Release builds of msturn with warnings as errors.
#
#   tools/check-release.sh COMPILER BUILD_DIR
#
# Configures and builds the plugin and the embeddable epan library (what the
# fuzz harness links) with CMAKE_BUILD_TYPE=Release at -O2 and at -O3 with
# COMPILER (gcc or clang).  Optimisation levels matter: inlining at -O3 is
# what exposes, for example, a variable live across a TRY (setjmp) to GCC's
# -Wclobbered, which a RelWithDebInfo build never shows.
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 COMPILER BUILD_DIR  (e.g. gcc build/release-gcc)" >&2
    exit 2
fi
cc=$1
base=$2
top=$(cd "$(dirname "$0")/.." && pwd)

command -v "$cc" >/dev/null 2>&1 || {
    echo "release.$cc: '$cc' is missing: run tools/deps.sh as root" >&2
    exit 1
}

for opt in -O2 -O3; do
    build=$base$opt
    log=$build.log
    t0=$(date +%s)
    if ! { CC=$cc cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release \
              -DCMAKE_C_FLAGS_RELEASE="$opt -DNDEBUG" -DMSTURN_WERROR=ON \
              -DMSTURN_TESTS=OFF &&
           cmake --build "$build" -j2 --target msturn msturn_epan; } > "$log" 2>&1; then
        echo "---- compiler diagnostics (full log: $log) ----" >&2
        grep -E '(error|warning):' "$log" | sort -u | head -n 25 >&2 || tail -n 25 "$log" >&2
        echo "----" >&2
        echo "release.$cc: FAILED: Release $opt build with $cc and -Werror" >&2
        exit 1
    fi
    echo "release.$cc: Release $opt with $($cc --version | head -n1): clean ($(( $(date +%s) - t0 ))s)"
done
