# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Views tests: each lab capture read the ways tshark can look at it (no tree,
# a full tree, a display filter's fields alone; one pass and two) gives the
# same Info column, sessions table, expert summary and filter results
# (tests/views.py): the work msturn skips when nothing looks changes nothing.
msturn_capture_tests(views views.py 180)

# The preferences that switch msturn's extra work off for tools/bench.sh's
# same-work comparison (msturn.sessions, msturn.relayed_media, msturn.sip)
# turn off what they name and only that (tests/prefs.py).
find_package(Python3 COMPONENTS Interpreter REQUIRED)
set(_caps seed_session relayed_srtp_udp sip_refused_21002 sip_dialog)
list(TRANSFORM _caps PREPEND ${CMAKE_SOURCE_DIR}/test-captures/)
list(TRANSFORM _caps APPEND .pcapng)
add_test(NAME views.prefs COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/prefs.py ${_caps})
set_tests_properties(views.prefs PROPERTIES ENVIRONMENT "${MSTURN_TEST_ENV}" LABELS views TIMEOUT 180)
