#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# msturn against Wireshark's built-in STUN dissector, side by side.
#
# usage: tools/bench.sh [-n RUNS] [-g SESSIONS,...] [-G RUNS] [-C] [-c] [-q] [-r] [BUILD_DIR]
#
#   -n RUNS   timed runs per command and side (default 5); medians are reported
#   -g LIST   session counts of the growth captures (default 1000,10000,100000)
#   -G RUNS   runs for growth captures of more than 10000 sessions (default 1:
#             one run of 100000 sessions takes minutes)
#   -C        skip the callgrind instruction counts
#   -c        only the callgrind instruction counts (the timing table of the
#             last run is printed again with them)
#   -q        quick: 3 runs, growth 1000,10000, no callgrind
#   -r        report only: print the table of the last run again
#   BUILD_DIR build folder of the plugin (default build-bench; configured
#             RelWithDebInfo and built if needed)
#
# Environment: MSTURN_BENCH_CG  the captures callgrind counts (default
#              "non_stun_small http_small stun_small turn_tcp turn_udp" and the
#              first growth capture)
#
# tools/bench_captures.py writes the captures into BUILD_DIR/bench (kept while
# the generator and its arguments are unchanged).  Every command runs tshark
# as "nobody" with the plugin loaded (tests/tshark-msturn.sh); the baseline
# runs the same command with --disable-protocol msturn, which turns off
# msturn's port dissectors, its heuristic and its post-dissector, so that
# Wireshark's built-in STUN dissector (port 3478 and its stun_tcp heuristic,
# both on by default) decodes the STUN.  The two sides alternate, starting
# with the other side in every round.  /usr/bin/time measures tshark alone:
# wall time, CPU time and peak resident memory; the table gives the ratio of
# the medians, and of the best runs (on a shared machine other work only adds
# time).  It is printed and written to BUILD_DIR/bench/results.md.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
runs=5
growth=1000,10000,100000
big_runs=1
callgrind=1
timing=1
report_only=0
while getopts n:g:G:Ccqr opt; do
    case $opt in
    n) runs=$OPTARG ;;
    g) growth=$OPTARG ;;
    G) big_runs=$OPTARG ;;
    C) callgrind=0 ;;
    c) timing=0 ;;
    q) runs=3; growth=1000,10000; callgrind=0 ;;
    r) report_only=1 ;;
    *) sed -n '2,/^set -eu/p' "$0" | sed '$d'; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
build=$(mkdir -p "${1:-$top/build-bench}" && cd "${1:-$top/build-bench}" && pwd)
out=$build/bench
runsdir=$out/runs
mkdir -p "$out" "$runsdir"
chmod 1777 "$runsdir"           # /usr/bin/time and callgrind write here as nobody

# ---- plugin ----------------------------------------------------------------
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMSTURN_WERROR=ON >/dev/null
fi
[ "$report_only" = 1 ] || cmake --build "$build" -j2 --target msturn >/dev/null
MSTURN_PLUGIN=$build/plugin/msturn.so
MSTURN_WS_MAJOR_MINOR=$(sed -n 's/^WIRESHARK_MAJOR_MINOR:[A-Z]*=//p' "$build/CMakeCache.txt")
[ -n "$MSTURN_WS_MAJOR_MINOR" ] ||
    MSTURN_WS_MAJOR_MINOR=$(tshark --version 2>/dev/null | sed -n '1s/.* \([0-9]*\.[0-9]*\)\..*/\1/p')
export MSTURN_PLUGIN MSTURN_WS_MAJOR_MINOR
runner="sh $top/tests/tshark-msturn.sh"

# ---- captures --------------------------------------------------------------
if [ "$report_only" = 0 ]; then
    stamp=$(cat "$top/tools/bench_captures.py" "$top/tools/gen_captures.py" "$top"/tools/capgen/*.py | sha256sum | cut -c1-16)
    if [ ! -f "$out/stamp" ] || [ "$(cat "$out/stamp")" != "$stamp" ]; then
        rm -f "$out"/*.pcapng "$out"/*.stats
        echo "$stamp" >"$out/stamp"
    fi
    # -c counts instructions on the small captures and the first growth one
    # only: the large captures are not written for it
    if [ "$timing" = 1 ]; then
        wanted="stun_heavy non_stun stun_small non_stun_small http_small turn_tcp turn_udp $(echo "$growth" | tr ',' '\n' | sed 's/^/sessions_/')"
    else
        wanted="stun_small non_stun_small http_small turn_tcp turn_udp sessions_$(echo "$growth" | cut -d, -f1)"
    fi
    for name in $wanted; do
        if [ ! -f "$out/$name.stats" ]; then
            echo "writing $out/$name.pcapng ..."
            python3 "$top/tools/bench_captures.py" "$out" --growth "$growth" --only "$name" >/dev/null
        fi
    done
fi
# Read the captures in place when nobody can (no copy per run); the copy the
# runner makes otherwise happens before tshark starts and is not timed.
if [ "$(id -u)" != 0 ] || runuser -u nobody -- test -r "$out/non_stun.pcapng"; then
    export MSTURN_READ_IN_PLACE=1
fi

stat_of() {     # capture key
    sed -n "s/^$2=//p" "$out/$1.stats"
}

median() {      # numbers on stdin -> median
    sort -g | awk '{v[NR] = $1} END {
        if (NR == 0) { print "nan"; exit }
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# One timed tshark run: side (msturn|builtin), result file, stdout file, args.
run_tshark() {
    side=$1 res=$2 so=$3
    shift 3
    tf=$(mktemp "$runsdir/time.XXXXXX")
    chmod 666 "$tf"
    if [ "$side" = builtin ]; then
        set -- "$@" --disable-protocol msturn
    fi
    if ! MSTURN_TSHARK_WRAPPER="/usr/bin/time -o $tf -f %e,%M,%U,%S" $runner "$@" >"$so" 2>"$tf.err"; then
        echo "tshark failed ($side): $*" >&2
        cat "$tf.err" >&2
        exit 1
    fi
    tail -n 1 "$tf" >>"$res"
    rm -f "$tf" "$tf.err"
}

# count FILE COLUMN: values in a -T fields column (several per frame are
# separated by commas)
count_col() {
    awk -F'\t' -v c="$2" '$c != "" { n += split($c, x, ",") } END { print n + 0 }' "$1"
}

rows=$out/rows.tsv
[ "$report_only" = 1 ] || [ "$timing" = 0 ] || : >"$rows"

# bench NAME WORKLOAD RUNS MSTURN-ARGS... -- BUILTIN-ARGS...
bench() {
    name=$1 work=$2 nruns=$3
    shift 3
    margs='' bargs='' side=m
    for a in "$@"; do
        if [ "$a" = "--" ]; then side=b; continue; fi
        if [ $side = m ]; then margs="$margs $a"; else bargs="$bargs $a"; fi
    done
    cap=$out/$name.pcapng
    mres=$runsdir/$name.$work.msturn bres=$runsdir/$name.$work.builtin
    : >"$mres"; : >"$bres"
    mout=/dev/null bout=/dev/null
    if [ "$work" = fields ]; then mout=$runsdir/$name.fields.msturn.txt; bout=$runsdir/$name.fields.builtin.txt; fi
    r=1
    while [ "$r" -le "$nruns" ]; do
        # shellcheck disable=SC2086
        if [ $((r % 2)) = 1 ]; then
            run_tshark msturn "$mres" "$mout" -n -r "$cap" $margs
            run_tshark builtin "$bres" "$bout" -n -r "$cap" $bargs
        else
            run_tshark builtin "$bres" "$bout" -n -r "$cap" $bargs
            run_tshark msturn "$mres" "$mout" -n -r "$cap" $margs
        fi
        r=$((r + 1))
    done
    mt=$(cut -d, -f1 "$mres" | median) bt=$(cut -d, -f1 "$bres" | median)
    mm=$(cut -d, -f2 "$mres" | median) bm=$(cut -d, -f2 "$bres" | median)
    mc=$(awk -F, '{print $3 + $4}' "$mres" | median) bc=$(awk -F, '{print $3 + $4}' "$bres" | median)
    mmsg=- bmsg=-
    if [ "$work" = fields ]; then
        mmsg=$(count_col "$mout" 1) bmsg=$(count_col "$bout" 2)
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$work" "$(stat_of "$name" frames)" \
        "$(stat_of "$name" stun_messages)" "$mmsg" "$bmsg" "$mt" "$bt" "$mm" "$bm" "$nruns" "$mc" "$bc" >>"$rows"
    printf '  %-16s %-8s msturn %6ss (cpu %6ss) %7.0f MB   built-in %6ss (cpu %6ss) %7.0f MB   (%s runs each)\n' \
        "$name" "$work" "$mt" "$mc" "$(echo "$mm" | awk '{print $1/1024}')" "$bt" "$bc" \
        "$(echo "$bm" | awk '{print $1/1024}')" "$nruns"
}

# The three commands, the same on both sides: one-line summaries (no
# protocol tree); the message types of both dissectors as fields (a full
# protocol tree, and the message counts); two passes with msturn's sessions
# table and no tree (with msturn disabled the table stays empty, but the tap
# still makes tshark dissect every frame in both passes).
FIELDS="-T fields -e msturn.type -e stun.type"
if [ "$report_only" = 0 ] && [ "$timing" = 1 ]; then
    echo "timing (median of $runs runs; alternating msturn / built-in) ..."
    for name in stun_heavy non_stun; do
        bench "$name" summary "$runs" -- 
        # shellcheck disable=SC2086
        bench "$name" fields "$runs" $FIELDS -- $FIELDS
        bench "$name" sessions "$runs" -2 -q -z msturn,sessions -- -2 -q -z msturn,sessions
    done
    # IETF TURN over UDP: msturn with msturn.udp on against the built-in
    bench turn_udp summary "$runs" -o msturn.udp:TRUE --
    bench turn_udp sessions "$runs" -o msturn.udp:TRUE -2 -q -z msturn,sessions -- -2 -q -z msturn,sessions
    for sn in $(echo "$growth" | tr ',' ' '); do
        k=$runs
        [ "$sn" -gt 10000 ] && k=$big_runs
        bench "sessions_$sn" summary "$k" --
        bench "sessions_$sn" sessions "$k" -2 -q -z msturn,sessions -- -2 -q -z msturn,sessions
    done
fi

# ---- callgrind: instructions executed while dissecting ----------------------
# On the small captures and the smallest growth capture
# (--toggle-collect counts only epan_dissect_run*: reading the file and
# starting tshark are left out).  Wireshark seeds its hash tables at random,
# so counts move by a few tenths of a percent from run to run.
#
# Two comparisons per STUN capture and command:
#   all   both dissectors as installed (msturn.udp on for turn_udp);
#   same  the same work on both sides: msturn without its extra work (its
#         preferences msturn.sessions, msturn.relayed_media and msturn.sip
#         off), the built-in with its RTCP heuristic on STUN's relayed data
#         off and its STUN-over-TURN heuristic on (msturn decodes the ICE
#         checks inside DATA and ChannelData; the built-in only so), so that
#         both decode the same messages and hand nothing further.  The
#         message counts beside it (-T fields, counted) show whether they do.
# Per decoded message, in the summary of the same work (callgrind's inclusive
# costs of the last of its runs): everything above TCP and UDP, the
# instructions of decode_tcp_ports and decode_udp_ports: the dissectors' own
# work, the conversation lookups and the heuristics tried before them.  (The
# built-in's own functions carry no symbols in Debian's libwireshark, so the
# two cannot be split further alike.)
cgrows=$out/callgrind.tsv
[ "$report_only" = 1 ] || : >"$cgrows"
cg_one() {      # label capture workload args...
    label=$1 name=$2 work=$3
    shift 3
    log=$runsdir/cg.$name.$work.$label.log
    # shellcheck disable=SC2086
    MSTURN_TSHARK_WRAPPER="valgrind --tool=callgrind --toggle-collect=epan_dissect_run* --callgrind-out-file=$runsdir/cg.$name.$work.$label.%p.out" \
        $runner -n -r "$out/$name.pcapng" "$@" >/dev/null 2>"$log"
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$log" | sort -n | tail -n 1
}
SAME_M="-o msturn.sessions:FALSE -o msturn.relayed_media:FALSE -o msturn.sip:FALSE"
SAME_B="--enable-heuristic stun_turn --disable-heuristic rtcp_stun"
# messages NAME ARGS...: STUN messages msturn and the built-in decode, as
# "msturn built-in"
messages() {
    name=$1
    shift
    # shellcheck disable=SC2086
    $runner -n -r "$out/$name.pcapng" "$@" -T fields -e msturn.type -e stun.type 2>/dev/null |
        awk -F'\t' '{ if ($1 != "") m += split($1, x, ","); if ($2 != "") b += split($2, y, ",") }
            END { print m + 0, b + 0 }'
}
# inclusive NAME WORK VARIANT: for the summary, the instructions above TCP
# and UDP of msturn and of the built-in, "M B", from the last run of each
# side; "-" for the other commands
inclusive() {
    if [ "$2" != summary ]; then echo -; return; fi
    for side in msturn builtin; do
        f=$(ls -t "$runsdir"/cg."$1".summary.$side."$3".*.out | head -n 1)
        callgrind_annotate --inclusive=yes --threshold=100 "$f" 2>/dev/null |
            grep -E ':decode_(tcp|udp)_ports ' | awk '{ gsub(",", "", $1); s += $1 } END { printf "%d ", s }'
    done
    echo
}
if [ "$callgrind" = 1 ] && [ "$report_only" = 0 ] && command -v valgrind >/dev/null; then
    echo "callgrind ..."
    rm -f "$runsdir"/cg.*
    first_growth=sessions_$(echo "$growth" | cut -d, -f1)
    # MSTURN_BENCH_CG: only these captures (a change that touches one path)
    for name in ${MSTURN_BENCH_CG:-non_stun_small http_small stun_small turn_tcp turn_udp "$first_growth"}; do
        works="summary fields filter sessions"
        variants=all
        extra=
        case $name in
        sessions_*) works="summary sessions" ;;
        stun_small|turn_tcp) variants="all same" ;;
        turn_udp) variants="all same" extra="-o msturn.udp:TRUE" ;;
        esac
        for variant in $variants; do
            margs=$extra bargs="--disable-protocol msturn"
            if [ "$variant" = same ]; then
                margs="$margs $SAME_M" bargs="$bargs $SAME_B"
            fi
            # shellcheck disable=SC2086
            msgs=$(messages "$name" $margs | cut -d' ' -f1)
            # shellcheck disable=SC2086
            bmsgs=$(messages "$name" $bargs | cut -d' ' -f2)
            for work in $works; do
                case $work in
                summary) wm='' wb='' ;;
                fields) wm=$FIELDS wb=$FIELDS ;;
                filter) wm="-Y msturn.type" wb="-Y stun.type" ;;
                sessions) wm="-2 -q -z msturn,sessions" wb=$wm ;;
                esac
                # the two sides at once: instruction counts do not depend on
                # load; the summary three times (the median), as its ratio is
                # the one read closest
                : >"$runsdir/cg.m"; : >"$runsdir/cg.b"
                k=1
                [ "$work" = summary ] && k=3
                while [ "$k" -gt 0 ]; do
                    # shellcheck disable=SC2086
                    cg_one "msturn.$variant" "$name" "$work" $margs $wm >>"$runsdir/cg.m" &
                    # shellcheck disable=SC2086
                    cg_one "builtin.$variant" "$name" "$work" $bargs $wb >>"$runsdir/cg.b"
                    wait
                    k=$((k - 1))
                done
                median <"$runsdir/cg.m" >"$runsdir/cg.m1"; mv "$runsdir/cg.m1" "$runsdir/cg.m"
                median <"$runsdir/cg.b" >"$runsdir/cg.b1"; mv "$runsdir/cg.b1" "$runsdir/cg.b"
                printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$work" "$variant" \
                    "$(stat_of "$name" frames)" "$(cat "$runsdir/cg.m")" "$(cat "$runsdir/cg.b")" \
                    "$msgs" "$bmsgs" "$(inclusive "$name" "$work" "$variant")" >>"$cgrows"
                echo "  $name $work ($variant): msturn $(cat "$runsdir/cg.m") built-in $(cat "$runsdir/cg.b") instructions; messages $msgs / $bmsgs"
            done
        done
    done
fi

# ---- report ----------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
{
    echo "Machine: ${cpu:-unknown CPU}, $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB;" \
         "$(tshark --version 2>/dev/null | head -n 1); plugin $(basename "$build") ($(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt"))."
    if [ -s "$rows" ]; then
        echo
        echo "| capture | frames | command | runs | msturn s | built-in s | wall ratio | best-run ratio | CPU ratio | msturn MB | built-in MB | memory ratio | STUN messages written / msturn / built-in |"
        echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
        tab=$(printf '\t')
        while IFS=$tab read -r name work rest; do
            printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$work" "$rest" \
                "$(cut -d, -f1 "$runsdir/$name.$work.msturn" | sort -g | head -n 1)" \
                "$(cut -d, -f1 "$runsdir/$name.$work.builtin" | sort -g | head -n 1)"
        done <"$rows" | awk -F'\t' '{
            msgs = ($5 == "-") ? "" : sprintf("%s / %s / %s", $4, $5, $6)
            cmd = ($2 == "summary") ? "summary" : ($2 == "fields") ? "fields (tree)" : "two-pass table"
            printf "| %s | %s | %s | %s | %.2f | %.2f | **%.3f** | %.3f | %.3f | %.0f | %.0f | %.3f | %s |\n",
                $1, $3, cmd, $11, $7, $8, ($8 > 0 ? $7 / $8 : 0), ($15 > 0 ? $14 / $15 : 0),
                ($13 > 0 ? $12 / $13 : 0), $9 / 1024, $10 / 1024, ($10 > 0 ? $9 / $10 : 0), msgs
        }'
    fi
    if [ -s "$cgrows" ]; then
        echo
        echo "Instructions (callgrind, inside epan_dissect_run*), msturn / built-in: all features; the same work on both sides; per decoded message, above TCP and UDP, in the summary of the same work."
        echo
        echo "| callgrind capture | frames | command | all features | same work | messages msturn / built-in (same work) | per message, msturn / built-in | per message ratio |"
        echo "|---|---:|---|---:|---:|---|---:|---:|"
        awk -F'\t' 'BEGIN { label["summary"] = "summary"; label["fields"] = "fields (tree)"
                            label["filter"] = "-Y on an msturn field"; label["sessions"] = "two-pass table" }
            { key = $1 SUBSEP $2
              if (!(key in seen)) { seen[key] = 1; order[++n] = key; cap[key] = $1; work[key] = $2; fr[key] = $4 }
              ratio[key, $3] = ($6 > 0 ? $5 / $6 : 0)
              if ($3 == "same" || !(key in msgs)) msgs[key] = $7 " / " $8
              if ($2 == "summary" && $3 == "same" && $9 != "-" && $7 > 0 && $8 > 0) {
                  split($9, c, " ")
                  am[key] = c[1] / $7; ab[key] = c[2] / $8 }
            }
            END { for (i = 1; i <= n; i++) { k = order[i]
                all = sprintf("**%.4f**", ratio[k, "all"])
                same = ((k, "same") in ratio) ? sprintf("**%.4f**", ratio[k, "same"]) : "-"
                m = (k in msgs && msgs[k] != "0 / 0") ? msgs[k] : "-"
                per = "- | -"
                if (k in am && ab[k] > 0)
                    per = sprintf("%.0f / %.0f | **%.3f**", am[k], ab[k], am[k] / ab[k])
                printf "| %s | %s | %s | %s | %s | %s | %s |\n", cap[k], fr[k], label[work[k]], all, same, m, per } }' "$cgrows"
    fi
    # memory per session: slope between the two largest growth captures
    [ ! -s "$rows" ] || awk -F'\t' '$1 ~ /^sessions_/ && $2 == "sessions" {
        n = substr($1, 10) + 0; k++; N[k] = n; M[k] = $9; B[k] = $10 }
        END { if (k >= 2) printf "\nPeak memory of the two-pass table run grows, from %d to %d sessions, by %.1f KB per session with msturn and %.1f KB with the built-in dissector: msturn adds %.1f KB per session.\n",
            N[k-1], N[k], (M[k] - M[k-1]) / (N[k] - N[k-1]), (B[k] - B[k-1]) / (N[k] - N[k-1]),
            (M[k] - M[k-1] - B[k] + B[k-1]) / (N[k] - N[k-1]) }' "$rows"
} >"$out/results.md"
echo
cat "$out/results.md"
