#!/bin/sh
# Memory bounds by design: one allocation with 40 ConnectionAttempts and
# 16390 unanswered requests on its control connection, and an [MS-TURN]
# allocation sending to 40 peers (tools/gen_load.py caps).  msturn keeps 32
# peers per session (MSTURN_MAX_LINKS) and tracks 16384 requests per
# connection (MSTURN_MAX_TRANSACTIONS); exactly the excess must carry the
# expert items msturn.session.too_many_peers (8 ConnectionAttempts, 8 Send
# Requests) and msturn.transactions_dropped (the Allocate + 16390 - 16384 = 7);
# of 4100 SIP dialogs msturn follows 4096 (MSTURN_MAX_DIALOGS), and the
# INVITEs of the other 4 carry msturn.sip.too_many_dialogs.
#
# usage: caps.sh SOURCE_DIR
# Environment: as tests/tshark-msturn.sh (MSTURN_PLUGIN, MSTURN_WS_MAJOR_MINOR)
set -eu
src=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/msturn-caps.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 "$src/tools/gen_load.py" caps 16390 "$work/caps.pcap"

count() {
    sh "$src/tests/tshark-msturn.sh" -2 -r "$work/caps.pcap" -Y "$1" -T fields \
        -e frame.number >"$work/out" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    wc -l <"$work/out" | tr -d ' '
}
peers=$(count "msturn.session.too_many_peers && msturn.type == 0x001c")
ms_peers=$(count "msturn.session.too_many_peers && msturn.ms_type == 0x0004")
requests=$(count msturn.transactions_dropped)
tracked=$(count "msturn.type == 0x0001 && !msturn.transactions_dropped")
dialogs=$(count msturn.sip.too_many_dialogs)
echo "caps: too_many_peers on $peers ConnectionAttempts (want 8) and $ms_peers MS-TURN Send Requests (want 8), transactions_dropped on $requests (want 7), requests tracked $tracked (want 16383), too_many_dialogs on $dialogs (want 4)"
[ "$peers" = 8 ] && [ "$ms_peers" = 8 ] && [ "$requests" = 7 ] && [ "$tracked" = 16383 ] &&
    [ "$dialogs" = 4 ]
