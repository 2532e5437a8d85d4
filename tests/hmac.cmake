# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# hmac.credentials: MESSAGE-INTEGRITY verified against the credentials table
# on every lab capture (tests/hmac.py).
find_package(Python3 COMPONENTS Interpreter REQUIRED)
add_test(NAME hmac.credentials
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/hmac.py ${CMAKE_SOURCE_DIR}/test-captures)
set_tests_properties(hmac.credentials PROPERTIES
  ENVIRONMENT "${MSTURN_TEST_ENV}"
  LABELS golden TIMEOUT 900)
