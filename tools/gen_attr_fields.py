#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Writes plugin/msturn_attr_fields.c: the attribute fields as static data.

The attribute table (plugin/msturn_attr_table.c, msturn_attr_table_ms.c) is
the one place an attribute is described; its value kind decides which fields
it has.  Wireshark's checkers (checkhf.pl, check_typed_item_calls.py, ...)
read fields only from static hf_register_info arrays, so this script turns
the table into one: a static int per field, one hf_register_info entry per
field, the value_string tables those entries name, and for each table row
the ids of its fields in row order (msturn_attr_hf_ietf, _microsoft,
_legacy), which msturn_attrs.c's decoders use.

    tools/gen_attr_fields.py            rewrite plugin/msturn_attr_fields.c
    tools/gen_attr_fields.py --check    exit 1 if the file is not what the
                                        tables give (a ctest runs this)

Standard library only.  The tables are read from their C source: rows are
"{ 0xTYPE, "NAME", "field", "spec", MSTURN_VK_KIND, ... }" and value names
"const msturn_value_name NAME[] = { { value, "text" }, ... };".
"""
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGIN = os.path.join(TOP, 'plugin')
OUT = os.path.join(PLUGIN, 'msturn_attr_fields.c')
SOURCES = ['msturn_attr_table.c', 'msturn_attr_table_ms.c', 'msturn_error_table.c']
TABLES = ['ietf', 'microsoft', 'legacy']

# The fields of each value kind, in the order the decoders index them:
# (filter suffix, label suffix, type, display, value names, bitmask).
# Value names are the C name of a msturn_value_name list, or ROW for the
# row's own list.
ADDRESS = [('.family', ' family', 'FT_UINT8', 'BASE_HEX', 'msturn_family_names', 0),
           ('.port', ' port', 'FT_UINT16', 'BASE_DEC', None, 0),
           ('.ip', ' IPv4', 'FT_IPv4', 'BASE_NONE', None, 0),
           ('.ipv6', ' IPv6', 'FT_IPv6', 'BASE_NONE', None, 0)]
BYTES = [('', '', 'FT_BYTES', 'BASE_NONE', None, 0)]
KINDS = {
    'ADDRESS': ADDRESS,
    'XOR_ADDRESS': ADDRESS,
    'ERROR_CODE': [('', ' code', 'FT_UINT16', 'BASE_DEC', 'msturn_error_names', 0),
                   ('.reason', ' reason phrase', 'FT_STRING', 'BASE_NONE', None, 0)],
    'FINGERPRINT': [('', '', 'FT_UINT32', 'BASE_HEX', None, 0),
                    ('.status', ' status', 'FT_UINT8', 'BASE_NONE', 'proto_checksum_vals', 0)],
    'INTEGRITY': [('', '', 'FT_BYTES', 'BASE_NONE', None, 0),
                  ('.status', ' status', 'FT_UINT8', 'BASE_NONE', 'proto_checksum_vals', 0)],
    'MS_SEQUENCE': [('.connection', ' connection ID', 'FT_BYTES', 'BASE_NONE', None, 0),
                    ('.number', ' sequence number', 'FT_UINT32', 'BASE_DEC', None, 0)],
    'MS_QUALITY': [('.stream_type', ' stream type', 'FT_UINT16', 'BASE_HEX', 'msturn_ms_stream_type_names', 0),
                   ('.service_quality', ' service quality', 'FT_UINT16', 'BASE_HEX',
                    'msturn_ms_service_quality_names', 0)],
    'MS_SITE_RESPONSE': [('.valid', ' valid', 'FT_BOOLEAN', '32', None, 0x80000000),
                         ('.pstn_failover', ' PSTN failover', 'FT_BOOLEAN', '32', None, 0x40000000),
                         ('.max_send', ' maximum send bandwidth (kbps)', 'FT_UINT32', 'BASE_DEC', None, 0),
                         ('.max_receive', ' maximum receive bandwidth (kbps)', 'FT_UINT32', 'BASE_DEC', None, 0)],
    'MS_BANDWIDTH': [('.min_send', ' minimum send bandwidth (kbps)', 'FT_UINT32', 'BASE_DEC', None, 0),
                     ('.max_send', ' maximum send bandwidth (kbps)', 'FT_UINT32', 'BASE_DEC', None, 0),
                     ('.min_receive', ' minimum receive bandwidth (kbps)', 'FT_UINT32', 'BASE_DEC', None, 0),
                     ('.max_receive', ' maximum receive bandwidth (kbps)', 'FT_UINT32', 'BASE_DEC', None, 0)],
    'EMPTY': [('', '', 'FT_NONE', 'BASE_NONE', None, 0)],
    'STRING': [('', '', 'FT_STRING', 'BASE_NONE', None, 0)],
    'UINT8': [('', '', 'FT_UINT8', 'BASE_DEC', None, 0)],
    'UINT16': [('', '', 'FT_UINT16', 'BASE_DEC', None, 0)],
    'UINT32': [('', '', 'FT_UINT32', 'BASE_DEC', 'ROW', 0)],
    'USERNAME': [('', '', 'FT_STRING', 'BASE_NONE', None, 0),
                 ('.bytes', ' (opaque token)', 'FT_BYTES', 'BASE_NONE', None, 0)],
    'MS_LOCATION': [('.peer_location', ' peer location', 'FT_UINT8', 'BASE_DEC', 'msturn_ms_location_names', 0),
                    ('.self_location', ' self location', 'FT_UINT8', 'BASE_DEC', 'msturn_ms_location_names', 0),
                    ('.federation', ' federation', 'FT_UINT8', 'BASE_DEC', 'msturn_ms_federation_names', 0)],
    'MS_BW_ACM': [('.message_type', ' message type', 'FT_UINT16', 'BASE_HEX', 'msturn_ms_bw_acm_names', 0)],
    'UINT64': [('', '', 'FT_UINT64', 'BASE_HEX', None, 0)],
    'ATTR_LIST': [('', '', 'FT_UINT16', 'BASE_HEX', None, 0)],
    'PROTOCOL': [('', '', 'FT_UINT8', 'BASE_DEC', 'msturn_protocol_names', 0)],
    'FAMILY': [('', '', 'FT_UINT8', 'BASE_HEX', 'msturn_family_names', 0)],
    'FLAGS32': [('', '', 'FT_UINT32', 'BASE_HEX', None, 0)],
    'MAGIC_COOKIE': [('', '', 'FT_UINT32', 'BASE_HEX', None, 0)],
    'CHANGE_REQUEST': [('', ' flags', 'FT_UINT32', 'BASE_HEX', None, 0),           # RFC 5780 7.2
                       ('.change_ip', ' change IP (A)', 'FT_BOOLEAN', '32', None, 0x00000004),
                       ('.change_port', ' change port (B)', 'FT_BOOLEAN', '32', None, 0x00000002)],
    'EVEN_PORT': [('', ' flags', 'FT_UINT8', 'BASE_HEX', None, 0),                  # RFC 8656 18.7
                  ('.reserve_next', ' reserve next port (R)', 'FT_BOOLEAN', '8', None, 0x80)],
    'ADDRESS_ERROR': [('', ' code', 'FT_UINT16', 'BASE_DEC', 'msturn_error_names', 0),   # RFC 8656 18.12
                      ('.reason', ' reason phrase', 'FT_STRING', 'BASE_NONE', None, 0),
                      ('.family', ' family', 'FT_UINT8', 'BASE_HEX', 'msturn_family_names', 0)],
    'ICMP': [('.type', ' type', 'FT_UINT8', 'BASE_DEC', None, 0),                  # RFC 8656 18.13
             ('.code', ' code', 'FT_UINT8', 'BASE_DEC', None, 0),
             ('.error_data', ' error data', 'FT_UINT32', 'BASE_HEX', None, 0)],
    'PASSWORD_ALGS': [('.algorithm', ' algorithm', 'FT_UINT16', 'BASE_HEX', 'msturn_password_algorithm_names', 0),
                      ('.parameters_length', ' parameters length', 'FT_UINT16', 'BASE_DEC', None, 0),
                      ('.parameters', ' parameters', 'FT_BYTES', 'BASE_NONE', None, 0)],
    'TRANSMIT_COUNTER': [('.req', ' request transmissions', 'FT_UINT8', 'BASE_DEC', None, 0),   # RFC 7982 3.1
                         ('.resp', ' response transmissions', 'FT_UINT8', 'BASE_DEC', None, 0)],
    'GOOG_NETWORK': [('.network_id', ' network ID', 'FT_UINT16', 'BASE_DEC', None, 0),
                     ('.network_cost', ' network cost', 'FT_UINT16', 'BASE_DEC', 'msturn_goog_network_cost_names', 0)],
    'OPAQUE': BYTES,
    'DATA': BYTES,
}
MAX_SUBFIELDS = 4

ROW = re.compile(r'\{\s*(0x[0-9A-Fa-f]+)\s*,\s*"([^"]*)"\s*,\s*"([^"]*)"\s*,\s*"([^"]*)"\s*,\s*'
                 r'MSTURN_VK_(\w+)\s*(?:,\s*(?:NULL|"[^"]*")\s*)?(?:,\s*(\w+)\s*)?\}')
NAMES = re.compile(r'msturn_value_name\s+(\w+)\s*\[\]\s*=\s*\{(.*?)\n\};', re.S)
NAME = re.compile(r'\{\s*(0x[0-9A-Fa-f]+|\d+)\s*,\s*"([^"]*)"\s*\}')
ARRAY = re.compile(r'const\s+msturn_attr_def\s+msturn_attr_(\w+)\s*\[\]\s*=\s*\{(.*?)\n\};', re.S)


def strip_comments(text):
    return re.sub(r'/\*.*?\*/', '', text, flags=re.S)


def read_sources():
    rows, names = {}, {}
    for src in SOURCES:
        text = strip_comments(open(os.path.join(PLUGIN, src), encoding='utf-8').read())
        for m in ARRAY.finditer(text):
            rows[m.group(1)] = [dict(type=int(r[0], 16), name=r[1], field=r[2], spec=r[3], kind=r[4],
                                     names=r[5] if r[5] not in ('', 'NULL') else None) for r in ROW.findall(m.group(2))]
        for m in NAMES.finditer(text):
            names[m.group(1)] = [(int(v, 0), s) for v, s in NAME.findall(m.group(2))]
    for t in TABLES:
        if not rows.get(t):
            sys.exit('gen_attr_fields: no rows of msturn_attr_%s found' % t)
    return rows, names


def c_string(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def lookup(rows, code, legacy):
    """The row msturn_attr_lookup() returns (msturn_attr_table.c)."""
    def find(t):
        return next((r for r in rows[t] if r['type'] == code), None)
    if legacy and find('legacy'):
        return find('legacy')
    return find('ietf') or find('microsoft') or (None if legacy else find('legacy'))


def generate():
    rows, names = read_sources()
    used_names = []
    fields = []            # (var, label, abbrev, type, display, vals, mask, blurb)
    per_table = {}
    seen_vars = set()
    for t in TABLES:
        per_table[t] = []
        for r in rows[t]:
            if r['kind'] not in KINDS:
                sys.exit('gen_attr_fields: %s has kind MSTURN_VK_%s, which has no fields here' % (r['name'], r['kind']))
            ids = []
            for suffix, lbl, ft, disp, vals, mask in KINDS[r['kind']]:
                if vals == 'ROW':
                    vals = r['names']
                abbrev = 'msturn.att.' + r['field'] + suffix
                var = 'hf_' + abbrev.replace('.', '_')
                if var in seen_vars:        # the same filter name in another table
                    var += '_' + t
                if var in seen_vars:
                    sys.exit('gen_attr_fields: two fields would be named %s' % var)
                seen_vars.add(var)
                if vals and vals != 'proto_checksum_vals':
                    if vals not in names:
                        sys.exit('gen_attr_fields: no value names %s in %s' % (vals, ', '.join(SOURCES)))
                    if vals not in used_names:
                        used_names.append(vals)
                fields.append((var, r['name'] + lbl, abbrev, ft, disp, vals, mask, r['spec']))
                ids.append(var)
            per_table[t].append((r, ids))

    out = []
    w = out.append
    w('/* msturn_attr_fields.c - the attribute fields: one static hf_register_info\n'
      ' * entry per field, the field ids of each attribute table row, and the\n'
      ' * value names those fields show.\n'
      ' *\n'
      ' * This file was generated by tools/gen_attr_fields.py from the attribute\n'
      ' * table (msturn_attr_table.c, msturn_attr_table_ms.c) and the error codes\n'
      ' * (msturn_error_table.c): edit those and run the script, not this file.\n'
      ' *\n'
      ' * Copyright (C) 2026 The msturn authors\n'
      ' *\n'
      ' * SPDX-License-Identifier: GPL-2.0-or-later\n'
      ' */\n')
    w('#include "msturn_attr_fields.h"\n\n')
    for var, *_ in fields:
        w('static int %s = -1;\n' % var)
    w('\n')
    for n in used_names:
        w('static const value_string %s[] = {\n' % vals_name(n))
        for v, s in names[n]:
            w('    { %d, %s },\n' % (v, c_string(s)))
        w('    { 0, NULL }\n};\n\n')
    # msturn.att.type: the name of each code point as a message of each
    # dialect means it.
    # msturn.att.type: the name of each code point as a message of each
    # dialect means it (msturn_attr_lookup).
    codes = sorted({r['type'] for t in TABLES for r in rows[t]})
    for legacy, cname in ((0, 'msturn_att_type_vals'), (1, 'msturn_att_type_vals_ms')):
        w('const value_string %s[] = {\n' % cname)
        for code in codes:
            r = lookup(rows, code, legacy)
            if r is not None:
                w('    { 0x%04X, %s },\n' % (code, c_string(r['name'])))
        w('    { 0, NULL }\n};\n\n')
    w('/* The rows of each attribute table, in order: each row\'s field ids, in the\n'
      ' * order of its value kind (msturn_attr_fields.h). */\n')
    for t in TABLES:
        w('const msturn_attr_hf msturn_attr_hf_%s[] = {\n' % t)
        for r, ids in per_table[t]:
            refs = ', '.join('&' + i for i in ids)
            w('    { 0x%04X, { %s } },\n' % (r['type'], refs))
        w('};\n\n')
    w('void\nmsturn_attr_fields_register(int proto)\n{\n')
    w('    static hf_register_info hf[] = {\n')
    for var, label, abbrev, ft, disp, vals, mask, blurb in fields:
        v = 'NULL' if not vals else ('VALS(proto_checksum_vals)' if vals == 'proto_checksum_vals'
                                      else 'VALS(%s)' % vals_name(vals))
        w('        { &%s,\n          { %s, %s,\n            %s, %s, %s, 0x%s, %s, HFILL } },\n'
          % (var, c_string(label), c_string(abbrev), ft, disp, v,
             ('%08X' % mask if mask > 0xFF else '%02X' % mask) if mask else '0', c_string(blurb)))
    w('    };\n\n')
    w('    proto_register_field_array(proto, hf, array_length(hf));\n}\n')
    return ''.join(out)


def vals_name(n):
    return re.sub(r'^msturn_', '', re.sub(r'_names$', '_vals', n))


def main():
    text = generate()
    if '--check' in sys.argv[1:]:
        old = open(OUT, encoding='utf-8').read() if os.path.exists(OUT) else ''
        if old != text:
            print('plugin/msturn_attr_fields.c is not what the attribute table gives: '
                  'run tools/gen_attr_fields.py and commit the result')
            return 1
        print('plugin/msturn_attr_fields.c matches the attribute table')
        return 0
    with open(OUT, 'w', encoding='utf-8') as f:
        f.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
