#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
#
# Wireshark's own review checkers, run on msturn's plugin/ as on a dissector
# of Wireshark's tree.
#
#   tools/check-wireshark.sh BUILD_DIR [PLUGIN_DIR]
#
# The checkers come from the Debian source package of the Wireshark the build
# found (tools/wireshark-source.sh), so they are the house rules of that very
# version:
#   checkAPIs.pl          prohibited and deprecated calls (the dissector groups)
#   checkhf.pl            fields declared, registered and used
#   checkfiltername.pl    filter names against the protocol's
#   check_typed_item_calls.py --consecutive --label --mask --missing-items
#                         proto_tree_add_* calls against their fields' types
#   check_tfs.py          true_false_string tables tfs.c already has
#   check_val_to_str.py, check_col_apis.py   where this version has them
#   checklicenses.py      every file's licence
#   fix-encoding-args.pl  TRUE/FALSE where an ENC_* encoding belongs
#   detect_bad_alloc_patterns.py  (it rewrites files: run on a copy, any
#                         change is a finding)
#   the check_static.py rule (tools/wireshark-checks/static_rule.py on the
#                         build's object files): symbols only their own file uses
#   check_spelling.py     with tools/wireshark-checks/words.txt for jargon
#   tools/cppcheck/cppcheck.sh (with the GLib macros of wireshark-checks/glib.cfg)
# Every finding fails the check unless tools/wireshark-checks/allow.txt
# lists it, with the reason.  PLUGIN_DIR (default plugin/) lets a test point
# the checkers at a copy with planted defects.  Logs: BUILD_DIR/lint/.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: $0 BUILD_DIR [PLUGIN_DIR]}" && pwd)
plugin=$(cd "${2:-$top/plugin}" && pwd)
allow=${MSTURN_LINT_ALLOW:-$top/tools/wireshark-checks/allow.txt}
tag=lint.wireshark
. "$top/tools/check-report.sh"

for tool in perl python3 nm cppcheck; do
    command -v "$tool" >/dev/null 2>&1 || fail "'$tool' is missing: run tools/deps.sh as root"
done
src=$(sh "$top/tools/wireshark-source.sh" 2>"$build/wireshark-source.log") ||
    { tail_log "$build/wireshark-source.log"; fail "could not get Wireshark's source package"; }
out=${MSTURN_LINT_OUT:-$build/lint}
rm -rf "$out"
mkdir -p "$out"

cfiles=$(ls "$plugin"/*.c)
hfiles=$(ls "$plugin"/*.h)
fileargs=""
for f in $cfiles; do fileargs="$fileargs --file $f"; done

# run NAME PATTERN COMMAND...: runs a checker from the top of Wireshark's
# tree (they read tools/ and epan/ relative to it), keeps its output in
# $out/NAME.log and the lines matching PATTERN (grep -E) as findings.
run() {
    name=$1
    pattern=$2
    shift 2
    (cd "$src" && "$@") > "$out/$name.log" 2>&1 || true
    # (check_spelling colours its words: the escapes go)
    sed 's/\x1b\[[0-9;]*m//g' "$out/$name.log" | grep -E "$pattern" |
        sed "s|$plugin/||g; s|^|$name: |" >> "$out/findings" || true
    say "$name: $(grep -cE "$pattern" "$out/$name.log" || true) finding(s)"
}
: > "$out/findings"

# shellcheck disable=SC2086
run checkAPIs '^(Error|Warning)' perl tools/checkAPIs.pl --group dissectors-prohibited \
    --group dissectors-restricted $cfiles $hfiles
# shellcheck disable=SC2086
run checkhf '^(ERROR|WARNING)|Unused href entry' perl tools/checkhf.pl $cfiles
# shellcheck disable=SC2086
run checkfiltername '^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+ ' perl tools/checkfiltername.pl $cfiles
# shellcheck disable=SC2086
run check_typed_item_calls '^(Error|Warning)|field_width=' python3 tools/check_typed_item_calls.py \
    --consecutive --label --mask --missing-items $fileargs
# shellcheck disable=SC2086
run check_tfs 'N\.B\.|could have used' python3 tools/check_tfs.py $fileargs
for extra in check_val_to_str check_col_apis; do
    if [ -f "$src/tools/$extra.py" ]; then
        # shellcheck disable=SC2086
        run $extra '^(Error|Warning)' python3 tools/$extra.py $fileargs
    else
        say "$extra: not in Wireshark $(basename "$src"), not run"
    fi
done
run checklicenses 'not allowed|UNKNOWN' python3 tools/checklicenses.py "$plugin"

# fix-encoding-args.pl prints each TRUE/FALSE encoding argument it would
# turn into ENC_*; detect_bad_alloc_patterns.py rewrites files, so it works
# on a copy and a file it changes is a finding.
# shellcheck disable=SC2086
run fix-encoding-args '\-\->' perl tools/fix-encoding-args.pl $cfiles
mkdir -p "$out/copy"
cp "$plugin"/*.c "$plugin"/*.h "$out/copy/"
(cd "$src" && python3 tools/detect_bad_alloc_patterns.py "$out/copy") > "$out/detect_bad_alloc_patterns.log" 2>&1 || true
for f in "$out"/copy/*; do
    b=${f##*/}
    if ! cmp -s "$f" "$plugin/$b"; then
        diff -u "$plugin/$b" "$f" | sed -n 's/^+[^+]/&/p' | sed "s|^|rewrite: $b: |" >> "$out/findings"
    fi
done
say "detect_bad_alloc_patterns: $(grep -c '^rewrite:' "$out/findings" || true) line(s) rewritten"

# The static-symbol rule, on the objects of this build.
objdirs=""
for d in "$build/plugin/CMakeFiles/msturn.dir" "$build/plugin/CMakeFiles/msturn_core.dir"; do
    [ -d "$d" ] && objdirs="$objdirs $d"
done
[ -n "$objdirs" ] || fail "no object files under $build/plugin/CMakeFiles: build first"
# shellcheck disable=SC2086
run static '' python3 "$top/tools/wireshark-checks/static_rule.py" "$plugin" $objdirs

# Spelling: pyspellchecker's API over Debian's word lists, and the project's jargon.
# shellcheck disable=SC2086
PYTHONPATH="$top/tools/wireshark-checks" MSTURN_SPELLING_WORDS="$top/tools/wireshark-checks/words.txt" \
    run check_spelling '^/.* [0-9]+ / [0-9]+ ' python3 tools/check_spelling.py $fileargs

# cppcheck with Wireshark's own script, suppressions and includes, and the
# GLib macros of tools/wireshark-checks/glib.cfg (through the cppcheck there).
# shellcheck disable=SC2086
PATH="$top/tools/wireshark-checks:$PATH" run cppcheck ': (error|warning|style|performance|portability|information): ' \
    bash tools/cppcheck/cppcheck.sh -j 2 $cfiles

# Allowed findings: "checker  ERE -- reason" per line of allow.txt.
: > "$out/left"
n_allowed=0
while IFS= read -r finding; do
    ok=0
    while IFS= read -r rule; do
        case "$rule" in ''|'#'*) continue ;; esac
        checker=${rule%% *}
        rest=${rule#* }
        pat=$(echo "${rest%% -- *}" | sed 's/^ *//; s/ *$//')
        case "$finding" in "$checker: "*) ;; *) continue ;; esac
        if echo "${finding#"$checker: "}" | grep -qE -- "$pat"; then ok=1; break; fi
    done < "$allow"
    if [ $ok = 1 ]; then n_allowed=$((n_allowed + 1)); else echo "$finding" >> "$out/left"; fi
done < "$out/findings"

# Every allowlist entry must say why, and still match something.
while IFS= read -r rule; do
    case "$rule" in ''|'#'*) continue ;; esac
    case "$rule" in *' -- '?*) ;; *) fail "allow.txt entry without a reason (' -- why'): $rule" ;; esac
    checker=${rule%% *}
    rest=${rule#* }
    pat=$(echo "${rest%% -- *}" | sed 's/^ *//; s/ *$//')
    grep "^$checker: " "$out/findings" | sed "s/^$checker: //" | grep -qE -- "$pat" ||
        echo "allow.txt entry matches no finding any more (remove it): $rule" >> "$out/left"
done < "$allow"

if [ -s "$out/left" ]; then
    echo "---- findings ($(wc -l < "$out/left")), logs in $out ----" >&2
    head -n 40 "$out/left" >&2
    fail "$(wc -l < "$out/left") finding(s) of Wireshark's checkers are not in tools/wireshark-checks/allow.txt"
fi
say "OK: no finding outside the allowlist ($n_allowed allowed) on $(echo $cfiles $hfiles | wc -w) files, checkers of $(basename "$src")"
