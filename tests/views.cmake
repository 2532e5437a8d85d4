# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Views tests: each lab capture read the ways tshark can look at it (no tree,
# a full tree, a display filter's fields alone; one pass and two) gives the
# same Info column, sessions table, expert summary and filter results
# (tests/views.py): the work msturn skips when nothing looks changes nothing.
find_package(Python3 COMPONENTS Interpreter REQUIRED)

file(GLOB _views_caps ${CMAKE_SOURCE_DIR}/test-captures/*.pcapng)
foreach(_cap ${_views_caps})
  get_filename_component(_name ${_cap} NAME_WE)
  set(_extra)
  if(EXISTS ${CMAKE_SOURCE_DIR}/test-captures/${_name}.args)
    file(STRINGS ${CMAKE_SOURCE_DIR}/test-captures/${_name}.args _extra)
  endif()
  add_test(NAME views.${_name}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/views.py ${_cap} -- ${_extra})
  set_tests_properties(views.${_name} PROPERTIES
    ENVIRONMENT "MSTURN_PLUGIN=$<TARGET_FILE:msturn>;MSTURN_WS_MAJOR_MINOR=${WIRESHARK_MAJOR_MINOR}"
    LABELS views TIMEOUT 180)
endforeach()
