#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Fuzzes msturn for as long as asked: builds the libFuzzer targets with clang
# (AddressSanitizer + UndefinedBehaviorSanitizer) and runs each in turn.
#
# usage: tools/fuzz.sh [SECONDS [TARGET...]]
#   SECONDS  time per target (default 600)
#   TARGET   fuzz_framing, fuzz_dissector (default both)
# Environment: MSTURN_FUZZ_BUILD  build folder (default build-fuzz)
#
# The corpus grows in BUILD/fuzz-corpus/TARGET and is reused by the next run;
# a crashing input is written to BUILD/fuzz-artifacts/TARGET/ and the run
# stops with the sanitizer's report.  After fixing, copy the input to
# tests/fuzz/regressions/TARGET/ so that ctest replays it (fuzz.regressions).
# One target runs at a time, on one core.  Runs longer than 10 minutes use
# libFuzzer's fork mode (MSTURN_FUZZ_FORK=1, tests/fuzz/run.sh), whose jobs
# are fresh processes: memory stays flat however long the run.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${MSTURN_FUZZ_BUILD:-$top/build-fuzz}
seconds=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-fuzz_framing fuzz_dissector}

cmake -S "$top" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DMSTURN_FUZZ=ON -DMSTURN_TESTS=ON >/dev/null
# shellcheck disable=SC2086
cmake --build "$build" -j2 --target $targets >/dev/null
[ "$seconds" -gt 600 ] && : "${MSTURN_FUZZ_FORK:=1}"
export MSTURN_FUZZ_FORK
for t in $targets; do
    sh "$top/tests/fuzz/run.sh" "$top" "$build" "$t" "$seconds"
done
