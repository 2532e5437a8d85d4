# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# details.decoding: relayed RTP, UDP relay verdicts and error-response reason
# phrases on the lab and kept captures (tests/details.py).
find_package(Python3 COMPONENTS Interpreter REQUIRED)
add_test(NAME details.decoding
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/details.py ${CMAKE_SOURCE_DIR}/test-captures)
set_tests_properties(details.decoding PROPERTIES
  ENVIRONMENT "${MSTURN_TEST_ENV}"
  LABELS golden TIMEOUT 300)

# registry.names: every attribute type the built-in STUN dissector names is
# known to msturn; every registered error code named (tests/registry.py).
add_test(NAME registry.names
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/registry.py ${CMAKE_SOURCE_DIR}/test-captures)
set_tests_properties(registry.names PROPERTIES
  ENVIRONMENT "${MSTURN_TEST_ENV}"
  LABELS golden TIMEOUT 300)
