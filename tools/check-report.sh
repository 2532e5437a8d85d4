# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# How the checks under tools/ report (sourced, not run).  The caller sets
# $tag, the name ctest shows (versions.4.4, package.build, ...), first.
# A skipped check exits 77, which ctest's SKIP_RETURN_CODE turns into
# "Skipped" with the reason printed; a failure exits 1 with the reason on
# stderr.

say() { echo "$tag: $*"; }
skip() {
    echo "$tag: SKIPPED: $*"
    exit 77
}
fail() {
    echo "$tag: FAILED: $*" >&2
    exit 1
}
# Last lines of a log, for a failure message that fits on one screen.
tail_log() {
    echo "---- last lines of $1 ----" >&2
    tail -n "${2:-20}" "$1" >&2
    echo "----" >&2
}
