#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Views test: msturn shows the same results however tshark looks at them.

msturn skips work nothing will look at: without a protocol tree it adds no
items, formats no attribute values and checks no FINGERPRINT nobody shows;
with a tree that is not shown (a display filter) it builds only what the
filter references; relayed RTP is handed over only when something shows it;
later passes skip frames without payload unless a tree or a filtering tap
will look at them.  None of that may change what a user sees.  This test
reads one capture in each of those ways and compares what must agree:

  info      the Info column of every frame: no tree, and a full tree (-V),
            in one pass and in two (-2);
  table     the sessions table (-z msturn,sessions): two passes without a
            tree (-q), and with a full tree;
  expert    the expert summary (-z expert): the same two ways;
  filters   the frames each display filter selects while its fields are the
            only ones built (-Y, no -V), against the frames where a full
            tree (-T fields) shows that field, in one pass and in two.

usage: views.py CAPTURE [-- extra tshark arguments]

Every difference is printed as: what, frame, the two views and their values.
"""
import re
import sys

from msturn_tshark import split_args, tshark

# Fields whose presence a display filter tests; each stands for a layer whose
# work depends on what looks: message decoding, the session of every frame
# (its role is set with it), the session's verdict, relayed media (RTCP goes
# the same way as RTP).
FILTERS = ["msturn.type", "msturn.session", "msturn.session.verdict", "rtp"]
# Filter -> the field whose column in -T fields says "present" (a protocol's
# own name is not printable as a field; one field it always has is).
PRESENCE = {"rtp": "rtp.version"}
SUMMARY = re.compile(r"^\s*(\d+)\s")


def lines(args):
    return tshark(["-n"] + args).decode("utf-8", "replace").splitlines()


def infos_plain(out):
    """Frame number -> summary line, from output without details."""
    rows = {}
    for line in out:
        m = SUMMARY.match(line)
        if m:
            rows[int(m.group(1))] = line.strip()
    return rows


def infos_detailed(out):
    """Frame number -> summary line, from -V -P output: the summary is the
    line right before the "Frame N:" line that opens the frame's details."""
    rows = {}
    for prev, line in zip(out, out[1:]):
        m = re.match(r"^Frame (\d+): ", line)
        if m and SUMMARY.match(prev):
            rows[int(m.group(1))] = prev.strip()
    return rows


TAP_START = re.compile(r"^(=====+|(Errors|Warns|Notes|Chats|Comments) \(\d+\))$")


def tap_blocks(out):
    """The text tshark prints for its taps after the frames: from the first
    tap title after the last frame's details (all of it with -q)."""
    start = 0
    for i, line in enumerate(out):
        if re.match(r"^Frame \d+: ", line):
            start = i + 1
    for i in range(start, len(out)):
        if TAP_START.match(out[i]):
            return [ln.rstrip() for ln in out[i:]]
    return []


def split_taps(block):
    """Tap output -> {'sessions': the sessions table between its two rules,
    'expert': the rest (the expert summary)}."""
    try:
        title = block.index("MSTURN Sessions:")
    except ValueError:
        return {"expert": block} if block else {}
    start = title - 1 if title > 0 and block[title - 1].startswith("=====") else title
    end = next((i for i in range(title + 1, len(block)) if block[i].startswith("=====")), len(block) - 1)
    taps = {"sessions": block[start:end + 1]}
    rest = block[:start] + block[end + 1:]
    if any(TAP_START.match(ln) for ln in rest):
        taps["expert"] = rest
    return taps


def present_in_fields(out, fields):
    """-T fields output -> {field: set of frame numbers where it has a value}."""
    seen = {f: set() for f in fields}
    for line in out:
        cols = line.split("\t")
        if not cols[0].isdigit():
            continue
        for f, v in zip(fields, cols[1:]):
            if v != "":
                seen[f].add(int(cols[0]))
    return seen


def frames_of(out):
    return set(infos_plain(out))


def compare_maps(what, a_name, a, b_name, b, problems):
    for frame in sorted(set(a) | set(b)):
        if a.get(frame) != b.get(frame):
            problems.append("%s frame %d:\n    %s: %s\n    %s: %s" % (
                what, frame, a_name, a.get(frame, "(no line)"), b_name, b.get(frame, "(no line)")))


def compare_lines(what, a_name, a, b_name, b, problems):
    if a != b:
        missing = [ln for ln in a if ln not in b][:5]
        extra = [ln for ln in b if ln not in a][:5]
        problems.append("%s differs (%d lines %s, %d lines %s); only %s: %s; only %s: %s" % (
            what, len(a), a_name, len(b), b_name, a_name, missing, b_name, extra))


def main():
    argv, extra = split_args(sys.argv[1:])
    if len(argv) != 1:
        sys.exit(__doc__)
    cap = argv[0]
    base = ["-r", cap] + extra
    problems = []
    checked = {}

    # info: the Info column with no tree and with a full tree
    for passes, label in (([], "one pass"), (["-2"], "two passes")):
        plain = infos_plain(lines(passes + base))
        full = infos_detailed(lines(passes + base + ["-V", "-P"]))
        compare_maps("info, %s" % label, "no tree", plain, "full tree", full, problems)
        checked["info " + label] = len(plain)
    if not checked["info one pass"]:
        problems.append("the capture gave no frames: nothing was compared")

    # table and expert: two passes, no tree against a full tree
    taps = ["-z", "msturn,sessions", "-z", "expert"]
    quiet = split_taps(tap_blocks(lines(["-2", "-q"] + base + taps)))
    full = split_taps(tap_blocks(lines(["-2"] + base + ["-V"] + taps)))
    if "sessions" not in quiet:
        problems.append("%s: the run without a tree printed no sessions table" % cap)
    # a capture without a single expert item prints no expert summary at all
    for name in ("sessions", "expert"):
        compare_lines(name, "no tree", quiet.get(name, []), "full tree", full.get(name, []), problems)
        checked[name + " lines"] = len(quiet.get(name, []))

    # filters: -Y with only the filter's fields built, against a full tree
    shown = [PRESENCE.get(f, f) for f in FILTERS]
    args = ["-T", "fields", "-e", "frame.number"]
    for f in shown:
        args += ["-e", f]
    for passes, label in (([], "one pass"), (["-2"], "two passes")):
        present = present_in_fields(lines(passes + base + args), shown)
        for f, key in zip(FILTERS, shown):
            selected = frames_of(lines(passes + base + ["-Y", f]))
            want = present[key]
            if selected != want:
                problems.append("filter %s, %s: -Y selects %d frames, a full tree shows it in %d;"
                                " only -Y: %s; only the tree: %s" % (
                                    f, label, len(selected), len(want),
                                    sorted(selected - want)[:10], sorted(want - selected)[:10]))
            checked["%s %s" % (f, label)] = len(want)

    print("views: %s: %s" % (cap, ", ".join("%s %d" % kv for kv in checked.items())))
    if problems:
        print("views: %d difference(s) between views of the same capture:" % len(problems))
        for p in problems[:25]:
            print("  " + p)
        sys.exit(1)
    print("views: every view agrees")


if __name__ == "__main__":
    main()
