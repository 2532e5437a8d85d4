# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Run tshark with the built msturn plugin (through tests/tshark-msturn.sh,
which needs MSTURN_PLUGIN and MSTURN_WS_MAJOR_MINOR) for the test scripts."""
import os
import subprocess
import sys

RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tshark-msturn.sh")


def tshark(args):
    """tshark's standard output as bytes; a failed run ends the test with
    tshark's exit status and error output."""
    proc = subprocess.run([RUNNER] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        sys.exit("tshark %s failed (%d): %s" % (" ".join(args), proc.returncode,
                                                proc.stderr.decode(errors="replace")))
    return proc.stdout


def split_args(argv):
    """A test's arguments and, after "--", the extra tshark arguments a
    capture needs (its .args file): (arguments, extra)."""
    if "--" in argv:
        i = argv.index("--")
        return argv[:i], argv[i + 1:]
    return list(argv), []
