#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
#
# Proves that every checker tools/check-wireshark.sh runs can fail: a copy of
# plugin/ gets one planted defect per checker, the check must fail, and each
# defect must be among its findings, reported by the checker meant to see it.
#
#   tests/lint/planted.sh BUILD_DIR
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
tag=lint.planted
. "$top/tools/check-report.sh"

work=$build/lint-planted
rm -rf "$work"
mkdir -p "$work/plugin"
cp "$top/plugin"/*.c "$top/plugin"/*.h "$work/plugin/"
p=$work/plugin

# An attribute field registered and never used (checkhf.pl), and a mask on a
# string attribute field (check_typed_item_calls.py --mask): both in the
# generated attribute fields, which the checkers must read.
python3 - "$p/msturn_attr_fields.c" <<'PY'
import sys
path = sys.argv[1]
s = open(path).read()
s = s.replace('static int hf_msturn_att_realm = -1;',
              'static int hf_msturn_att_realm = -1;\nstatic int hf_msturn_att_planted_unused = -1;', 1)
old = '{ "REALM", "msturn.att.realm",\n            FT_STRING, BASE_NONE, NULL, 0x0,'
assert old in s, 'no REALM field in the generated file'
s = s.replace(old, '{ "REALM", "msturn.att.realm",\n            FT_STRING, BASE_NONE, NULL, 0x0F,', 1)
s = s.replace('    static hf_register_info hf[] = {\n',
              '    static hf_register_info hf[] = {\n'
              '        { &hf_msturn_att_planted_unused,\n'
              '          { "Planted", "msturn.att.planted_unused",\n'
              '            FT_UINT8, BASE_DEC, NULL, 0x0, NULL, HFILL } },\n', 1)
open(path, 'w').write(s)
PY

# A prohibited call (checkAPIs.pl), a misspelt word (check_spelling.py), an
# encoding argument of the old kind (fix-encoding-args.pl), a g_malloc that
# should be g_new (detect_bad_alloc_patterns.py), a true/false string tfs.c
# already has (check_tfs.py) and a condition that is always false (cppcheck),
# all in one file of the epan code.
cat >> "$p/msturn_view.c" <<'C'

static const true_false_string planted_tfs = { "Enabled", "Disabled" };

void msturn_planted(proto_tree *tree, tvbuff_t *tvb, char *buf, size_t n);
void
msturn_planted(proto_tree *tree, tvbuff_t *tvb, char *buf, size_t n)
{
    int zero = 0;
    int *q = (int *)g_malloc(sizeof(int));
    g_snprintf(buf, (gulong)n, "%s", "the planted message was recieved");
    proto_tree_add_item(tree, hf_planted, tvb, 0, 1, ENC_NA);
    if (zero != 0)
        *q = 1;
    g_free(q);
    (void)planted_tfs;
}
C
sed -i 's|^#include "msturn_view.h"|#include "msturn_view.h"\nstatic int hf_planted = -1;|' "$p/msturn_view.c"

# An encoding argument of the old kind on a field whose type the tool knows.
sed -i 's|att_item(&a, hf_att_length, tvb, off + 2, 2, ENC_BIG_ENDIAN);|att_item(\&a, hf_att_length, tvb, off + 2, 2, ENC_BIG_ENDIAN);\n        proto_tree_add_item(tree, hf_att_length, tvb, off + 2, 2, FALSE);|' "$p/msturn_attrs.c"
grep -q 'off + 2, 2, FALSE' "$p/msturn_attrs.c" || fail "could not plant the encoding argument"

# A field whose filter name is not the protocol's (checkfiltername.pl reads
# the file that registers the protocol).
python3 - "$p/packet-msturn.c" <<'PY'
import sys
path = sys.argv[1]
s = open(path).read()
s = s.replace('    proto_msturn = proto_register_protocol(',
              '    static int hf_planted_name = -1;\n'
              '    static hf_register_info planted_hf[] = {\n'
              '        { &hf_planted_name, { "Planted", "stun.planted", FT_UINT8, BASE_DEC, NULL, 0x0, NULL, HFILL } },\n'
              '    };\n'
              '    proto_msturn = proto_register_protocol(', 1)
s = s.replace('    msturn_tcp_register(proto_msturn, m);',
              '    proto_register_field_array(proto_msturn, planted_hf, array_length(planted_hf));\n'
              '    msturn_tcp_register(proto_msturn, m);', 1)
open(path, 'w').write(s)
PY

# A file without a licence (checklicenses.py) and a prototype no object
# defines (the static-symbol rule).
printf '#ifndef PLANTED_H\n#define PLANTED_H\nint msturn_planted_never_defined(void);\n#endif\n' > "$p/msturn_planted.h"

log=$work/check.log
if MSTURN_LINT_OUT="$work/lint" sh "$top/tools/check-wireshark.sh" "$build" "$p" > "$log" 2>&1; then
    tail_log "$log"
    fail "tools/check-wireshark.sh passed a plugin/ with planted defects"
fi
findings=$work/lint/findings
[ -f "$findings" ] || { tail_log "$log"; fail "no findings file"; }

missed=0
expect() {  # CHECKER ERE WHAT
    if grep "^$1: " "$findings" | grep -qE "$2"; then
        say "$1 reports $3"
    else
        echo "$tag: $1 did not report $3" >&2
        missed=$((missed + 1))
    fi
}
expect checkhf 'planted_unused' "an unused attribute field"
expect check_typed_item_calls 'msturn\.att\.realm.*mask' "a mask on a string attribute field"
expect checkAPIs 'g_snprintf' "g_snprintf"
expect checklicenses 'msturn_planted\.h' "a file without SPDX"
expect static 'msturn_planted_never_defined' "a prototype without a definition"
expect check_spelling 'recieved' "a misspelt word"
expect fix-encoding-args 'ENC_BIG_ENDIAN' "an encoding argument of the old kind"
expect rewrite 'g_new' "a g_malloc that should be g_new"
expect check_tfs 'planted_tfs|tfs_enabled_disabled' "a true_false_string tfs.c already has"
expect checkfiltername 'stun\.planted' "a filter name that is not the protocol's"
expect cppcheck 'msturn_view\.c.*(zero|always false|knownCondition)' "a condition that is always false"
if [ "$missed" -ne 0 ]; then
    echo "---- findings ----" >&2
    cut -c1-160 "$findings" >&2
    fail "$missed planted defect(s) not reported"
fi
say "OK: every checker reported its planted defect"
