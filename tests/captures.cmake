# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# captures.deterministic: the lab captures in test-captures/ must be exactly
# what tools/gen_captures.py writes.  The generator runs into a fresh
# temporary folder inside the build tree and compares every file byte for
# byte with test-captures/, naming each file that differs, is missing or is
# extra.  Regenerate with: python3 tools/gen_captures.py test-captures
if(NOT Python3_Interpreter_FOUND)
  find_package(Python3 COMPONENTS Interpreter REQUIRED)
endif()

add_test(NAME captures.deterministic
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/gen_captures.py
                 --check ${CMAKE_SOURCE_DIR}/test-captures
                 --workdir ${CMAKE_CURRENT_BINARY_DIR}/captures-check)
set_tests_properties(captures.deterministic PROPERTIES
  LABELS captures
  TIMEOUT 120
  FAIL_REGULAR_EXPRESSION "differs|missing|not written")
