#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Runs one libFuzzer target for a bounded time, or replays inputs.
#
# usage: run.sh SOURCE_DIR BIN_DIR TARGET SECONDS   fuzz for SECONDS
#        run.sh SOURCE_DIR BIN_DIR TARGET replay     run every input of
#                                  tests/fuzz/regressions/TARGET/ once
#
# BIN_DIR holds the built target (a clang build with MSTURN_FUZZ=ON).  The
# seed corpus is made from test-captures/*.pcapng into BIN_DIR/fuzz-seeds the
# first time; what the fuzzer learns accumulates in BIN_DIR/fuzz-corpus/TARGET
# and crashing inputs land in BIN_DIR/fuzz-artifacts/TARGET/.  The fuzzer's
# log goes to a file; on failure the error and its stack are printed.
# MSTURN_FUZZ_SEED fixes libFuzzer's random seed (ctest uses 1, so that a
# test run explores the same way every time; tools/fuzz.sh leaves it random).
set -eu
src=$1 bin=$2 target=$3 time=$4
exe="$bin/tests/$target"
[ -x "$exe" ] || exe="$bin/$target"
[ -x "$exe" ] || { echo "fuzz: $target not built in $bin" >&2; exit 1; }

regress="$src/tests/fuzz/regressions/$target"
log="$bin/fuzz-logs/$target.log"
mkdir -p "$bin/fuzz-logs" "$regress"

# Leaks are checked with valgrind on tshark (tests/hostile/leaks.sh): libwireshark
# keeps caches across epans that LeakSanitizer would report on every input.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:symbolize=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"

show_failure() {
    echo "fuzz: $target FAILED ($1); log: $log" >&2
    # the sanitizer report or the harness's own message, then the input
    awk '/ERROR: |runtime error|fuzz_framing: |fuzz_dissector: |deadly signal|Dissector bug|failed assertion|Test unit written|SUMMARY|^ +#[0-9]+ /' "$log" |
        grep -v 'in fuzzer::\|libFuzzer\|in LLVMFuzzerTestOneInput\|in __libc_start\|in _start' | head -40 >&2
}

if [ "$time" = replay ]; then
    n=$(find "$regress" -type f | wc -l)
    if [ "$n" = 0 ]; then
        echo "fuzz: no regression inputs for $target in $regress"
        exit 0
    fi
    # shellcheck disable=SC2046
    if ! "$exe" -runs=1 $(find "$regress" -type f | sort) >"$log" 2>&1; then
        show_failure "replaying regressions"
        exit 1
    fi
    echo "fuzz: $target replayed $n regression inputs without a failure"
    exit 0
fi

seeds="$bin/fuzz-seeds"
case $target in
fuzz_framing) seed_dir="$seeds/framing" ;;
*) seed_dir="$seeds/dissector" ;;
esac
# made again when the captures or the seed maker are newer than the seeds
if [ ! -f "$seeds/.made" ] || [ ! -d "$seed_dir" ] ||
        [ -n "$(find "$src/tests/fuzz/make_seeds.py" "$src/test-captures" -newer "$seeds/.made" | head -1)" ]; then
    rm -rf "$seeds"
    python3 "$src/tests/fuzz/make_seeds.py" "$seeds" "$src"/test-captures/*.pcapng
    touch "$seeds/.made"
fi
corpus="$bin/fuzz-corpus/$target"
artifacts="$bin/fuzz-artifacts/$target"
mkdir -p "$corpus" "$artifacts"

# MSTURN_FUZZ_FORK=1: libFuzzer's fork mode, one job at a time.  Each job is
# a fresh process that merges what it found into the corpus, so the memory
# libwireshark keeps per re-created epan (about 10 MB, see fuzz_dissector.c)
# is given back with every job, and a run of hours stays flat.
fork=
[ "${MSTURN_FUZZ_FORK:-0}" = 1 ] && fork=-fork=1
if ! "$exe" -max_total_time="$time" -timeout=25 -rss_limit_mb=4096 -max_len=8192 $fork \
        ${MSTURN_FUZZ_SEED:+-seed="$MSTURN_FUZZ_SEED"} \
        -print_final_stats=1 -artifact_prefix="$artifacts/" \
        "$corpus" "$seed_dir" "$regress" >"$log" 2>&1; then
    show_failure "crash, hang, leak or broken invariant"
    echo "fuzz: reproduce with: $exe $artifacts/<file>; after the fix copy the input to $regress/" >&2
    exit 1
fi
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
# fork mode prints "#<executions>: cov: ... ft: ..." per job instead
[ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\): cov.*/\1/p' "$log" | tail -1)
stats=$(grep -aE '^#[0-9]+:?[[:space:]].*(cov|DONE)' "$log" | tail -1 | sed 's/^#[0-9]*:*[[:space:]]*//')
echo "fuzz: last stats: $stats"
echo "fuzz: $target ran ${time}s, ${execs:-?} executions, corpus $(find "$corpus" -type f | wc -l) inputs, no failure"
