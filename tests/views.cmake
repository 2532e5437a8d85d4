# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Views tests: each lab capture read the ways tshark can look at it (no tree,
# a full tree, a display filter's fields alone; one pass and two) gives the
# same Info column, sessions table, expert summary and filter results
# (tests/views.py): the work msturn skips when nothing looks changes nothing.
msturn_capture_tests(views views.py 180)
