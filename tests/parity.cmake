# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# parity.builtin: every STUN message over TCP that Wireshark's built-in STUN
# dissector decodes in the lab captures, msturn decodes too (tests/parity.py).
find_package(Python3 COMPONENTS Interpreter REQUIRED)
file(GLOB _parity_caps ${CMAKE_SOURCE_DIR}/test-captures/*.pcapng)
add_test(NAME parity.builtin
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/parity.py ${_parity_caps})
set_tests_properties(parity.builtin PROPERTIES
  ENVIRONMENT "${MSTURN_TEST_ENV}"
  LABELS golden TIMEOUT 900)

# parity.others: in frames msturn does not claim, TLS and HTTP decode the same
# with msturn loaded as without it (tests/others.py).
add_test(NAME parity.others
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/others.py ${_parity_caps})
set_tests_properties(parity.others PROPERTIES
  ENVIRONMENT "${MSTURN_TEST_ENV}"
  LABELS golden TIMEOUT 900)

# parity.udp: with msturn.udp on, every STUN message, classic message and
# ChannelData the built-in dissectors decode over UDP, msturn decodes, and
# RTP/RTCP found by their heuristics stay RTP/RTCP (tests/parity_udp.py).
add_test(NAME parity.udp
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/parity_udp.py ${_parity_caps})
set_tests_properties(parity.udp PROPERTIES
  ENVIRONMENT "${MSTURN_TEST_ENV}"
  LABELS golden TIMEOUT 900)
