# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Sessions tests: every lab capture read in two passes; sessions table rows,
# msturn.session / msturn.session.role on every frame, and every msturn expert
# item compared with <capture>.sessions.tsv (tests/sessions.py).
find_package(Python3 COMPONENTS Interpreter REQUIRED)

file(GLOB _sessions ${CMAKE_SOURCE_DIR}/test-captures/*.sessions.tsv)
foreach(_truth ${_sessions})
  get_filename_component(_name ${_truth} NAME)
  string(REPLACE ".sessions.tsv" "" _name ${_name})
  set(_extra)
  if(EXISTS ${CMAKE_SOURCE_DIR}/test-captures/${_name}.args)
    file(STRINGS ${CMAKE_SOURCE_DIR}/test-captures/${_name}.args _extra)
  endif()
  add_test(NAME sessions.${_name}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/sessions.py
                   ${CMAKE_SOURCE_DIR}/test-captures/${_name}.pcapng ${_truth} -- ${_extra})
  set_tests_properties(sessions.${_name} PROPERTIES
    ENVIRONMENT "MSTURN_PLUGIN=$<TARGET_FILE:msturn>;MSTURN_WS_MAJOR_MINOR=${WIRESHARK_MAJOR_MINOR}"
    LABELS sessions TIMEOUT 120)
endforeach()

# The seed's session drawn as a ladder by Wireshark's Flow Graph, limited to
# msturn.session == 1, the merged two-server path limited to
# msturn.session == 1 || msturn.session.linked == 1, and a session with its
# SIP dialog (INVITE, 200 OK, ACK, re-INVITE among the steps) (tests/flow.py).
foreach(_pair "flow_graph:seed_session" "flow_graph_path:skype_expressway_pair"
              "flow_graph_sip:sip_dialog")
  string(REPLACE ":" ";" _pair "${_pair}")
  list(GET _pair 0 _test)
  list(GET _pair 1 _cap)
  add_test(NAME sessions.${_test}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/flow.py
                   ${CMAKE_SOURCE_DIR}/test-captures/${_cap}.pcapng)
  set_tests_properties(sessions.${_test} PROPERTIES
    ENVIRONMENT "MSTURN_PLUGIN=$<TARGET_FILE:msturn>;MSTURN_WS_MAJOR_MINOR=${WIRESHARK_MAJOR_MINOR}"
    LABELS sessions TIMEOUT 120)
endforeach()

# Captures from the two TURN servers merged with mergecap give the path's
# sessions truth (tests/mergecap.py).
add_test(NAME sessions.mergecap
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/mergecap.py
                 ${CMAKE_SOURCE_DIR}/test-captures/skype_expressway_pair.pcapng
                 ${CMAKE_SOURCE_DIR}/test-captures/skype_expressway_pair.sessions.tsv)
set_tests_properties(sessions.mergecap PROPERTIES
  ENVIRONMENT "MSTURN_PLUGIN=$<TARGET_FILE:msturn>;MSTURN_WS_MAJOR_MINOR=${WIRESHARK_MAJOR_MINOR}"
  LABELS sessions TIMEOUT 120)
