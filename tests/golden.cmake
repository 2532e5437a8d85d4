# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Golden tests: every lab capture that has a truth file is decoded by tshark
# with the built plugin and compared message by message (tests/golden.py).
find_package(Python3 COMPONENTS Interpreter REQUIRED)

file(GLOB _truths ${CMAKE_SOURCE_DIR}/test-captures/*.truth.tsv)
foreach(_truth ${_truths})
  get_filename_component(_name ${_truth} NAME)
  string(REPLACE ".truth.tsv" "" _name ${_name})
  set(_cap ${CMAKE_SOURCE_DIR}/test-captures/${_name}.pcapng)
  # Per-capture tshark options live beside the capture, one per line.
  set(_extra)
  if(EXISTS ${CMAKE_SOURCE_DIR}/test-captures/${_name}.args)
    file(STRINGS ${CMAKE_SOURCE_DIR}/test-captures/${_name}.args _extra)
  endif()
  add_test(NAME golden.${_name}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/golden.py ${_cap} ${_truth} -- ${_extra})
  set_tests_properties(golden.${_name} PROPERTIES
    ENVIRONMENT "MSTURN_PLUGIN=$<TARGET_FILE:msturn>;MSTURN_WS_MAJOR_MINOR=${WIRESHARK_MAJOR_MINOR}"
    LABELS golden TIMEOUT 120)
endforeach()
