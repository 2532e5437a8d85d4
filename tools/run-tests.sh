#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Builds msturn with warnings as errors and runs the whole test suite.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${MSTURN_BUILD:-$top/build-tests}

cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMSTURN_WERROR=ON -DMSTURN_TESTS=ON
cmake --build "$build" -j"$(nproc)"
cd "$build"
ctest --output-on-failure -j2 "$@"
