#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Peak memory of tshark -2 -z msturn,sessions with msturn on load captures
# (tools/gen_load.py), against the same tshark with msturn and Wireshark's
# built-in STUN dissector disabled (TCP only: what msturn adds) and with only
# msturn disabled (the built-in STUN dissector decodes port 3478 instead),
# and what msturn adds per session.  Slow (minutes for 100 000 sessions):
# not part of ctest.
#
# usage: tools/measure-memory.sh [SESSIONS...]      default: 1000 10000 100000
#                                                   (none: no RFC 6062 sessions)
# Environment: MSTURN_PLUGIN          the plugin (default build/plugin/msturn.so)
#              MSTURN_ATTEMPTS        ConnectionAttempts for unknown
#                                     allocations (default 1000000, 0: skip)
#              MSTURN_RELAYS          TURN relay allocations over UDP, each
#                                     measured with 0 and with 10 peers
#                                     (default "1000 10000", "": skip)
#              MSTURN_LOAD_DIR        where the captures go (default a folder in /tmp)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
export MSTURN_PLUGIN=${MSTURN_PLUGIN:-$top/build/plugin/msturn.so}
export MSTURN_WS_MAJOR_MINOR=${MSTURN_WS_MAJOR_MINOR:-$(tshark -v 2>/dev/null | sed -n '1s/.* \([0-9]*\.[0-9]*\)\..*/\1/p')}
[ -f "$MSTURN_PLUGIN" ] || { echo "no plugin at $MSTURN_PLUGIN (build first)" >&2; exit 1; }
sizes=${*:-1000 10000 100000}
[ "$sizes" != none ] || sizes=
attempts=${MSTURN_ATTEMPTS:-1000000}
dir=${MSTURN_LOAD_DIR:-$(mktemp -d /tmp/msturn-load.XXXXXX)}
mkdir -p "$dir"
chmod 777 "$dir"     # tshark runs as nobody and writes /usr/bin/time's report here

peak_kb() {   # capture, extra tshark options... -> peak RSS in kB
    cap=$1
    shift
    MSTURN_READ_IN_PLACE=1 MSTURN_TSHARK_WRAPPER="/usr/bin/time -f %M -o $dir/rss" \
        sh "$top/tests/tshark-msturn.sh" -2 -q -z msturn,sessions -r "$cap" "$@" >/dev/null
    cat "$dir/rss"
}

measure() {   # kind, n [, peers] -> prints one row
    kind=$1 n=$2
    if [ "$kind" = relays ]; then
        # TURN relays over UDP: msturn takes 3478 with msturn.udp on
        label=relays$3 cap="$dir/relays-$n-$3.pcap"
        [ -f "$cap" ] || python3 "$top/tools/gen_load.py" relays "$n" "$cap" "$3"
        set -- -o msturn.udp:TRUE -z msturn,peers
    else
        label=$kind cap="$dir/$kind-$n.pcap"
        [ -f "$cap" ] || python3 "$top/tools/gen_load.py" "$kind" "$n" "$cap"
        set --
    fi
    chmod a+r "$cap"
    frames=$(capinfos -c -M "$cap" | sed -n 's/^Number of packets: *//p')
    with=$(peak_kb "$cap" "$@")
    without=$(peak_kb "$cap" --disable-protocol msturn --disable-protocol stun)
    stun=$(peak_kb "$cap" --disable-protocol msturn)
    echo "$label $n $frames $without $with $stun" >>"$dir/results"
    awk -v k="$label" -v n="$n" -v f="$frames" -v a="$without" -v b="$with" -v c="$stun" 'BEGIN {
        printf "%-9s %8d %9d %10d %10d %10d %10d %9.0f\n", k, n, f, a, c, b, b - a, (b - a) * 1024 / n }'
}

: >"$dir/results"
echo "tshark -2 -q -z msturn,sessions -r CAPTURE: peak RSS (kB); TCP only: --disable-protocol msturn"
echo "--disable-protocol stun; built-in STUN: --disable-protocol msturn; added: msturn - TCP only"
printf "%-9s %8s %9s %10s %10s %10s %10s %9s\n" kind count frames "TCP only" "built-in" "msturn" "added kB" "B each"
for n in $sizes; do
    measure sessions "$n"
done
[ "$attempts" = 0 ] || measure attempts "$attempts"
for n in ${MSTURN_RELAYS-1000 10000}; do
    measure relays "$n" 0
    measure relays "$n" 10
done

# Per session from the slope between the two largest sizes: start-up and
# other fixed costs cancel out.
awk '$1 == "sessions" { n[++k] = $2; d[k] = $5 - $4 }
     END { if (k >= 2) printf "per session (slope %d -> %d sessions): %.0f bytes\n",
               n[k-1], n[k], (d[k] - d[k-1]) * 1024 / (n[k] - n[k-1]) }' "$dir/results"
# A TURN relay allocation: the slope of the allocations without peers; a
# peer: what 10 peers add to each allocation, at the largest size.
awk '$1 == "relays0" { n[++k] = $2; d[k] = $5 - $4 }
     $1 == "relays10" { m = $2; p[m] = $5 - $4 }
     $1 == "relays0" { z[$2] = $5 - $4 }
     END { if (k >= 2) printf "per TURN relay allocation (slope %d -> %d): %.0f bytes\n",
               n[k-1], n[k], (d[k] - d[k-1]) * 1024 / (n[k] - n[k-1]);
           if (m) printf "per TURN relay peer (%d allocations of 10 peers): %.0f bytes\n",
               m, (p[m] - z[m]) * 1024 / (m * 10) }' "$dir/results"
# Linear growth: what an allocation of 10 peers adds at each size, and the
# slope from each size to the next (the soak reads 10 000 / 50 000 / 100 000).
awk '$1 == "relays10" { n[++k] = $2; d[k] = $5 - $4 }
     END { for (i = 1; i <= k; i++) {
               printf "allocations of 10 peers: %d: %.0f bytes each", n[i], d[i] * 1024 / n[i];
               if (i > 1) printf ", slope from %d: %.0f bytes", n[i-1],
                   (d[i] - d[i-1]) * 1024 / (n[i] - n[i-1]);
               printf "\n" } }' "$dir/results"
echo "captures and results in $dir"
