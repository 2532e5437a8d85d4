# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Golden tests: every lab capture that has a truth file is decoded by tshark
# with the built plugin and compared message by message (tests/golden.py).
msturn_capture_tests(golden golden.py 120 TRUTH .truth.tsv)
