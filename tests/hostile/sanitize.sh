#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# The whole golden suite with AddressSanitizer and UndefinedBehaviorSanitizer
# in the plugin (built with -DMSTURN_SANITIZE=ON): runs
# every golden test (tests/golden.py) and a full two-pass decode with the
# tree, the sessions table and the credentials table of every lab capture,
# with the distribution's tshark loading the instrumented plugin.
#
# tshark itself is not instrumented, so the sanitizer runtime is preloaded
# (LD_PRELOAD) into tshark alone - not into the shell tools around it: the
# runtime must come first in the process, and LeakSanitizer would fail
# mktemp or cp.  Leak detection is off here (tests/hostile/leaks.sh checks
# leaks with valgrind); any ASan report or UB aborts tshark and fails.
#
# usage: sanitize.sh SOURCE_DIR
# Environment: MSTURN_PLUGIN  the plugin built with -DMSTURN_SANITIZE=ON
#              MSTURN_TSHARK_WRAPPER  "env LD_PRELOAD=<ASan runtime> ..."
#              MSTURN_WS_MAJOR_MINOR  (tests/hostile.cmake sets all three)
set -eu
src=$1
: "${MSTURN_PLUGIN:?}" "${MSTURN_TSHARK_WRAPPER:?}" "${MSTURN_WS_MAJOR_MINOR:?}"

fail=0
n=0
for truth in "$src"/test-captures/*.truth.tsv; do
    name=$(basename "$truth" .truth.tsv)
    cap="$src/test-captures/$name.pcapng"
    extra=
    [ -f "$src/test-captures/$name.args" ] && extra=$(tr '\n' ' ' <"$src/test-captures/$name.args")
    n=$((n + 1))
    # shellcheck disable=SC2086
    if ! out=$(python3 "$src/tests/golden.py" "$cap" "$truth" -- $extra 2>&1); then
        echo "sanitize: golden.$name FAILED:"
        echo "$out" | grep -E "ERROR: AddressSanitizer|runtime error|SUMMARY|#[0-9]+ .*msturn|differs|tshark failed" | head -25
        fail=1
    fi
done
for cap in "$src"/test-captures/*.pcapng; do
    n=$((n + 1))
    err=$(sh "$src/tests/tshark-msturn.sh" -2 -V -z msturn,sessions -r "$cap" \
              -o msturn.udp:TRUE -o tcp.reassemble_out_of_order:TRUE \
              -o 'uat:msturn_credentials:"turn","TANDBERG","Expressway-lab-1"' \
              -o 'uat:msturn_credentials:"AoVy","","cmsLabIcePassword4TcpTurn"' \
              2>&1 >/dev/null) && rc=0 || rc=$?
    if [ "$rc" != 0 ] || echo "$err" | grep -q "AddressSanitizer\|runtime error\|Dissector bug"; then
        echo "sanitize: $(basename "$cap") -V -z msturn,sessions FAILED (exit $rc):"
        echo "$err" | grep -E "ERROR: AddressSanitizer|runtime error|SUMMARY|#[0-9]+ .*msturn|Dissector bug" | head -25
        fail=1
    fi
done
[ "$fail" = 0 ] && echo "sanitize: $n tshark runs with the ASan+UBSan plugin, no report"
exit "$fail"
