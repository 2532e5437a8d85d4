#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Memory bounds by design: one allocation with 40 ConnectionAttempts and
# 16390 unanswered requests on its control connection, and an [MS-TURN]
# allocation sending to 40 peers (tools/gen_load.py caps).  msturn keeps 32
# peers per session (MSTURN_MAX_LINKS) and tracks 16384 requests per
# connection (MSTURN_MAX_TRANSACTIONS); exactly the excess must carry the
# expert items msturn.session.too_many_peers (8 ConnectionAttempts, 8 Send
# Requests) and msturn.transactions_dropped (the Allocate + 16390 - 16384 = 7);
# of 4100 SIP dialogs msturn follows 4096 (MSTURN_MAX_DIALOGS), and the
# INVITEs of the other 4 carry msturn.sip.too_many_dialogs; of 8246 ICE
# username fragments it keeps 8192 (MSTURN_MAX_CREDENTIALS): the 44 offers
# past the bound in the first 2059 dialogs and the 8 kept offers of the last
# carry msturn.sip.sdp_dropped, as do the 2 offers beyond 8 in that dialog
# (MSTURN_MAX_SDPS) and the one offer with 20 candidates (16 kept); a Send
# Request nesting messages five deep carries msturn.nested_too_deep; a TURN
# relay over UDP whose Send indications name 40 peers keeps 32
# (MSTURN_MAX_PEERS): the other 8 carry msturn.relay.too_many_peers; of one
# CreatePermission naming 40 addresses msturn follows 32 (MSTURN_MSG_PEERS):
# 8 msturn.att.too_many_peers items, and no relay.too_many_peers; of 40
# CreatePermissions one address each it keeps 32 permissions: the other 8
# requests carry msturn.relay.too_many_peers; of 1062 peers of one
# allocation 1030 are beyond the bound, all marked, and its Peers cell counts
# 1024 of them (MSTURN_MAX_DROPPED_PEERS); a UDP allocation's 5-tuple with
# 16390 unanswered Binding requests drops 7 requests from tracking, as a
# TCP connection does.
#
# usage: caps.sh SOURCE_DIR
# Environment: as tests/tshark-msturn.sh (MSTURN_PLUGIN, MSTURN_WS_MAJOR_MINOR)
set -eu
src=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/msturn-caps.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 "$src/tools/gen_load.py" caps 16390 "$work/caps.pcap"

run() {      # tshark options... -> $work/out (tshark -2 on the caps capture)
    sh "$src/tests/tshark-msturn.sh" -2 -r "$work/caps.pcap" "$@" >"$work/out" 2>"$work/err" ||
        { cat "$work/err" >&2; exit 1; }
}
count() {    # filter, extra tshark options... -> frames that match
    flt=$1
    shift
    run -Y "$flt" -T fields -e frame.number "$@"
    wc -l <"$work/out" | tr -d ' '
}
peers=$(count "msturn.session.too_many_peers && msturn.type == 0x001c")
ms_peers=$(count "msturn.session.too_many_peers && msturn.ms_type == 0x0004")
requests=$(count msturn.transactions_dropped)
tracked=$(count "msturn.type == 0x0001 && !msturn.transactions_dropped")
dialogs=$(count msturn.sip.too_many_dialogs)
deep=$(count msturn.nested_too_deep)
# a TURN relay over UDP: msturn takes UDP 3478 with msturn.udp on
relay() {   # filter, client port -> frames of that TURN relay allocation (msturn.udp on)
    count "$1 && udp.srcport == $2" -o msturn.udp:TRUE
}
relay_peers=$(relay "msturn.relay.too_many_peers && msturn.type == 0x0016" 40001)
many_frame=$(relay "msturn.att.too_many_peers && !msturn.relay.too_many_peers && msturn.type == 0x0008" 40002)
run -o msturn.udp:TRUE -Y msturn.att.too_many_peers -T fields -E occurrence=a -E aggregator='|' \
    -e _ws.expert.message
many_items=$(tr '|' '\n' <"$work/out" | grep -c "addresses msturn follows per message" || true)
perms=$(relay "msturn.relay.too_many_peers && msturn.type == 0x0008" 40003)
beyond=$(relay "msturn.relay.too_many_peers && msturn.type == 0x0016" 40004)
udp_requests=$(relay msturn.transactions_dropped 40005)
run -q -o msturn.udp:TRUE -z msturn,sessions
counted=$(grep -c "10\.0\.0\.2:40004.*(+1024 more)" "$work/out" || true)
creds=$(count 'msturn.sip.sdp_dropped && _ws.expert.message contains "ICE credentials beyond"')
sdps=$(count 'msturn.sip.sdp_dropped && _ws.expert.message contains "offers and answers beyond"')
cands=$(count 'msturn.sip.sdp_dropped && _ws.expert.message contains "candidates beyond"')
echo "caps: too_many_peers on $peers ConnectionAttempts (want 8) and $ms_peers MS-TURN Send Requests (want 8), transactions_dropped on $requests (want 7), requests tracked $tracked (want 16383), too_many_dialogs on $dialogs (want 4), sdp_dropped for credentials on $creds (want 52), for offers on $sdps (want 2), for candidates on $cands (want 1), nested_too_deep on $deep (want 1), relay.too_many_peers on $relay_peers TURN Send indications (want 8), att.too_many_peers $many_items times (want 8) on $many_frame CreatePermission (want 1), relay.too_many_peers on $perms CreatePermissions (want 8) and on $beyond Send indications (want 1030), a Peers cell with (+1024 more): $counted (want 1), transactions_dropped on $udp_requests over UDP (want 7)"
[ "$peers" = 8 ] && [ "$ms_peers" = 8 ] && [ "$requests" = 7 ] && [ "$tracked" = 16383 ] &&
    [ "$dialogs" = 4 ] && [ "$creds" = 52 ] && [ "$sdps" = 2 ] && [ "$cands" = 1 ] &&
    [ "$deep" = 1 ] && [ "$relay_peers" = 8 ] && [ "$many_items" = 8 ] && [ "$many_frame" = 1 ] &&
    [ "$perms" = 8 ] && [ "$beyond" = 1030 ] && [ "$counted" = 1 ] && [ "$udp_requests" = 7 ]
