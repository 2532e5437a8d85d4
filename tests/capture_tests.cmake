# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
#
# What the tests that run tshark with the built plugin share: its environment
# (tests/tshark-msturn.sh reads it), and the loop that adds one test per lab
# capture.
find_package(Python3 COMPONENTS Interpreter REQUIRED)

set(MSTURN_TEST_ENV
    "MSTURN_PLUGIN=$<TARGET_FILE:msturn>;MSTURN_WS_MAJOR_MINOR=${WIRESHARK_MAJOR_MINOR}")

# msturn_capture_tests(SUITE SCRIPT TIMEOUT [TRUTH SUFFIX])
#
# Adds SUITE.<capture> for every lab capture in test-captures/ (with TRUTH:
# every capture that has a file <capture>SUFFIX), running
#   python3 tests/SCRIPT <capture>.pcapng [<capture>SUFFIX] -- <extra>
# where <extra> are the capture's own tshark options, one per line of
# <capture>.args.  Labelled SUITE.
function(msturn_capture_tests suite script timeout)
  cmake_parse_arguments(PARSE_ARGV 3 _arg "" "TRUTH" "")
  set(_dir ${CMAKE_SOURCE_DIR}/test-captures)
  if(_arg_TRUTH)
    file(GLOB _files ${_dir}/*${_arg_TRUTH})
  else()
    file(GLOB _files ${_dir}/*.pcapng)
  endif()
  foreach(_file ${_files})
    get_filename_component(_name ${_file} NAME)
    if(_arg_TRUTH)
      string(REPLACE "${_arg_TRUTH}" "" _name ${_name})
      set(_inputs ${_dir}/${_name}.pcapng ${_file})
    else()
      string(REPLACE ".pcapng" "" _name ${_name})
      set(_inputs ${_file})
    endif()
    set(_extra)
    if(EXISTS ${_dir}/${_name}.args)
      file(STRINGS ${_dir}/${_name}.args _extra)
    endif()
    add_test(NAME ${suite}.${_name}
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/${script} ${_inputs} -- ${_extra})
    set_tests_properties(${suite}.${_name} PROPERTIES
      ENVIRONMENT "${MSTURN_TEST_ENV}" LABELS ${suite} TIMEOUT ${timeout})
  endforeach()
endfunction()
