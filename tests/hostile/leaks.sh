#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Leak check: tshark with the msturn plugin under valgrind --leak-check=full
# over every lab capture (merged into one file, so that tshark starts once),
# two passes, full tree, the sessions table and the credentials table in use.
# Fails on any block definitely or possibly lost, or memory error, whose
# stack goes through msturn's code; libwireshark's own leaks are not msturn's
# and are ignored.  Indirectly lost blocks are not counted: each hangs off a
# lost block, which is reported itself when it is msturn's (and is, when
# msturn's, a bounded plugin-lifetime table lost only because tshark unloads
# the plugin - see msturn-leaks.supp).
#
# usage: leaks.sh CAPTURE...
# Environment: as tests/tshark-msturn.sh (MSTURN_PLUGIN, MSTURN_WS_MAJOR_MINOR)
# The work folder (merged capture, valgrind's log) is in TMPDIR, where the
# unprivileged user tshark runs as can write; it is kept when the check fails.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/msturn-leaks.XXXXXX")
chmod 777 "$work"

mergecap -a -w "$work/all.pcapng" "$@"
chmod a+r "$work/all.pcapng"

MSTURN_TSHARK_WRAPPER="valgrind --leak-check=full --show-leak-kinds=definite,indirect,possible
  --keep-debuginfo=yes --num-callers=40 --suppressions=$here/msturn-leaks.supp
  --log-file=$work/valgrind.%p.log" \
MSTURN_READ_IN_PLACE=1 \
    sh "$here/../tshark-msturn.sh" -2 -V -z msturn,sessions -r "$work/all.pcapng" \
    -o msturn.udp:TRUE -o tcp.reassemble_out_of_order:TRUE \
    -o 'uat:msturn_credentials:"turn","TANDBERG","Expressway-lab-1"' \
    -o 'uat:msturn_credentials:"AoVy","","cmsLabIcePassword4TcpTurn"' \
    >"$work/tshark.out" 2>"$work/tshark.err" || {
    echo "leaks: tshark under valgrind failed:" >&2
    tail -20 "$work/tshark.err" >&2
    exit 1
}
log=$(ls "$work"/valgrind.*.log | head -1)
[ -f "$log" ] || { echo "leaks: valgrind wrote no log" >&2; exit 1; }
grep -q "LEAK SUMMARY\|All heap blocks were freed" "$log" ||
    { echo "leaks: valgrind did not finish its leak check ($log)" >&2; exit 1; }

# One record per valgrind message: a loss record or a memory error, with its
# stack; keep those with a frame in msturn's sources.
awk '
    /^==[0-9]+== (Invalid|Conditional jump|Use of uninitialised|Syscall param|Mismatched free|.* are (definitely|possibly) lost)/ {
        rec = $0; inrec = 1; next }
    inrec && /^==[0-9]+== *$/ { if (rec ~ /(msturn|packet-msturn)[a-z_]*\.c|msturn\.so/) print rec "\n"; inrec = 0; next }
    inrec { rec = rec "\n" $0 }
' "$log" >"$work/msturn-records.txt"

n=$(grep -c "^==[0-9]*== [A-Z0-9]" "$work/msturn-records.txt" || true)
summary=$(sed -n 's/^==[0-9]*== *\(definitely lost: .*\)/\1/p' "$log")
if [ "$n" != 0 ]; then
    echo "leaks: $n leak or memory error records in msturn's code (all in $work/msturn-records.txt):" >&2
    sed 's/^==[0-9]*== //' "$work/msturn-records.txt" | grep -v "^ *by 0x[0-9A-F]*: ???\|below main" | head -40 >&2
    exit 1
fi
echo "leaks: no leak or memory error in msturn (libwireshark overall: $summary)"
rm -rf "$work"
