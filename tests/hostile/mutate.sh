#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Mutated whole captures: every lab capture with random byte errors
# (editcap -E 0.02, fixed seeds) and truncated (editcap -s), each decoded by
# tshark with msturn in two passes with the full tree and the sessions table,
# WIRESHARK_ABORT_ON_DISSECTOR_BUG=1.  Fails on a crash, a hang (timeout), a
# non-zero exit or a "Dissector bug" / failed assertion in the output.
#
# A failure that a plain tshark (msturn not loaded) shows on the same file is
# a bug of another dissector, not msturn's: it is reported, not failed on.
#
# usage: mutate.sh MUTATIONS CAPTURE...   (MUTATIONS seeds per capture)
# Environment: as tests/tshark-msturn.sh (MSTURN_PLUGIN, MSTURN_WS_MAJOR_MINOR,
# and MSTURN_TSHARK_WRAPPER to run a sanitizer-built plugin, as ctest does)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mutations=$1
shift
work=$(mktemp -d "${TMPDIR:-/tmp}/msturn-mutate.XXXXXX")
chmod 755 "$work"
keep=0
trap '[ "$keep" = 1 ] || rm -rf "$work"' EXIT

# Options that reach msturn's UDP and out-of-order paths too.  jxta_tcp is a
# heuristic with its own dissector bug in Wireshark 4.0 (it asks TCP for
# more data, then rejects the segment); it would hide msturn's results.
opts="-2 -V -z msturn,sessions -o msturn.udp:TRUE -o tcp.reassemble_out_of_order:TRUE
      --disable-heuristic jxta_tcp"

decode() {   # file, runner... -> output in $work/out, exit status
    f=$1
    shift
    # shellcheck disable=SC2086
    WIRESHARK_ABORT_ON_DISSECTOR_BUG=1 timeout 300 "$@" $opts -r "$f" >"$work/out" 2>&1
}

bad_output() {
    grep -q -i "Dissector bug\|failed assertion\|AddressSanitizer\|runtime error" "$work/out"
}

runs=0 fails=0 foreign=0
for cap in "$@"; do
    name=$(basename "$cap" .pcapng)
    variants=""
    seed=1
    while [ "$seed" -le "$mutations" ]; do
        variants="$variants E$seed"
        seed=$((seed + 1))
    done
    for v in $variants s60; do
        out="$work/$name.$v.pcapng"
        case $v in
        E*) how="editcap -E 0.02 --seed ${v#E}" ;;
        s*) how="editcap -s ${v#s}" ;;
        esac
        $how "$cap" "$out"
        chmod a+r "$out"
        runs=$((runs + 1))
        decode "$out" sh "$here/../tshark-msturn.sh" && rc=0 || rc=$?
        if [ "$rc" = 0 ] && ! bad_output; then
            continue
        fi
        first=$(grep -i -m1 "Dissector bug\|failed assertion\|AddressSanitizer\|runtime error" "$work/out" || tail -1 "$work/out")
        # Same file, plain tshark: a bug there is not msturn's.
        if ! decode "$out" tshark || bad_output; then
            foreign=$((foreign + 1))
            echo "mutate: $name $v: also fails without msturn (another dissector): $first"
            continue
        fi
        fails=$((fails + 1))
        keep=1
        cp "$out" "$work/FAILED.$name.$v.pcapng"
        echo "mutate: $name $v FAILED (exit $rc): $first"
        echo "        made with: $how $cap (kept: $work/FAILED.$name.$v.pcapng)"
        grep -E "ERROR: AddressSanitizer|runtime error|SUMMARY|#[0-9]+ .*(msturn|packet-msturn)" "$work/out" | head -12
    done
done
echo "mutate: $runs mutated captures decoded, $fails failures in msturn, $foreign in other dissectors"
[ "$fails" = 0 ]
