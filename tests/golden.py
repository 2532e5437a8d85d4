#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Golden test: decode a capture with msturn through tshark and compare every
STUN message with the capture's truth file, written by the capture generator
from what it put on the wire.

usage: golden.py CAPTURE TRUTH [-- extra tshark arguments]

The truth file is tab separated: frame, framing, type, id, attrs, values
(see test-captures/README.md).  Output names each frame that differs, what
was expected and what msturn showed, one line each.
"""
import os
import sys
import xml.etree.ElementTree as ET

from msturn_tshark import split_args, tshark



BOOLEAN_SHOWN = {"True": "1", "False": "0"}


def read_truth(path):
    msgs = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for lineno, line in enumerate(f, 2):
            line = line.rstrip("\n")
            if not line:
                continue
            cols = dict(zip(header, line.split("\t")))
            values = {}
            for pair in filter(None, cols.get("values", "").split(";")):
                k, _, v = pair.partition("=")
                values.setdefault(k, []).append(v)
            msgs.append({
                "line": lineno,
                "frame": int(cols["frame"]),
                "framing": int(cols["framing"]),
                "type": int(cols["type"], 16),
                "id": cols["id"].lower(),
                "attrs": [int(a, 16) for a in filter(None, cols.get("attrs", "").split(","))],
                "values": values,
            })
    return msgs


def fields_in(elem):
    """All <field> descendants, depth first, in document order."""
    for child in elem:
        if child.tag == "field":
            yield child
            yield from fields_in(child)


def decoded_messages(capture, extra):
    # -2: two passes, so that state learned late applies to every frame.
    out = tshark(["-2", "-r", capture, "-T", "pdml", "-o", "tcp.desegment_tcp_streams:TRUE"] + extra)
    root = ET.fromstring(out)
    msgs = []
    claimed = []
    for pkt in root.iter("packet"):
        frame = None
        for proto in pkt.iter("proto"):
            if proto.get("name") == "frame":
                for fld in proto.iter("field"):
                    if fld.get("name") == "frame.number":
                        frame = int(fld.get("show"))
                        break
            if proto.get("name") != "msturn":
                continue
            fields = list(fields_in(proto))
            # what msturn says of a SIP dialog's frame (its session, the
            # dialog's outcome) is not a claim on the frame's bytes
            if not fields or any(f.get("name") and not f.get("name").startswith(
                    ("msturn.session", "msturn.sip", "_ws.expert")) for f in fields):
                claimed.append(frame)
            m = {"frame": frame, "framing": None, "type": None, "id": "", "attrs": [], "values": {}}
            for fld in fields:
                name, show = fld.get("name"), fld.get("show")
                if name == "msturn.framing":
                    m["framing"] = int(show)
                elif name == "msturn.type":
                    m["type"] = int(show, 0)
                elif name == "msturn.id":
                    m["id"] = (fld.get("value") or "").lower()
                elif name == "msturn.att.type":
                    m["attrs"].append(int(show, 0))
                elif name.startswith("msturn.att."):
                    # a boolean field shows as 1 / 0 up to Wireshark 4.2 and as
                    # True / False from 4.4 on
                    show = BOOLEAN_SHOWN.get(show, show)
                    m["values"].setdefault(name, []).append(show)
            if m["type"] is not None:      # relayed data PDUs are not messages
                msgs.append(m)
    return msgs, claimed


def describe(m):
    return "frame %s framing %s type 0x%04x id %s" % (
        m["frame"], m["framing"], m["type"] if m["type"] is not None else -1, m["id"])


def compare(want, got):
    errors = []
    n = max(len(want), len(got))
    for i in range(n):
        w = want[i] if i < len(want) else None
        g = got[i] if i < len(got) else None
        if w is None:
            errors.append("unexpected message #%d: %s" % (i + 1, describe(g)))
            continue
        if g is None:
            errors.append("missing message #%d (truth line %d): %s" % (i + 1, w["line"], describe(w)))
            continue
        where = "message #%d (truth line %d, frame %d)" % (i + 1, w["line"], w["frame"])
        for key in ("frame", "framing", "type", "id", "attrs"):
            if w[key] != g[key]:
                fmt = (lambda v: ",".join("0x%04x" % a for a in v)) if key == "attrs" else \
                      (lambda v: "0x%04x" % v) if key == "type" else str
                errors.append("%s: %s expected %s, msturn shows %s" % (where, key, fmt(w[key]),
                                                                         fmt(g[key])))
        for field, values in w["values"].items():
            shown = g["values"].get(field, [])
            if sorted(values) != sorted(shown):
                errors.append("%s: %s expected %s, msturn shows %s" % (where, field, values, shown))
    return errors


def main():
    args, extra = split_args(sys.argv[1:])
    if len(args) != 2:
        sys.exit(__doc__)
    capture, truth = args
    want = read_truth(truth)
    got, claimed = decoded_messages(capture, extra)
    errors = compare(want, got)
    if not want and claimed:
        errors.append("msturn claimed frames %s of a capture that holds no STUN" %
                      sorted(set(claimed))[:20])
    name = os.path.basename(capture)
    if errors:
        print("%s: %d difference(s) between the truth file and msturn's decoding:" % (name, len(errors)))
        for e in errors[:40]:
            print("  " + e)
        if len(errors) > 40:
            print("  ... and %d more" % (len(errors) - 40))
        return 1
    print("%s: %d messages decoded as expected" % (name, len(want)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
