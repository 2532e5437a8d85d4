# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Sessions tests: every lab capture read in two passes; sessions table rows,
# msturn.session / msturn.session.role on every frame, and every msturn expert
# item compared with <capture>.sessions.tsv (tests/sessions.py).
msturn_capture_tests(sessions sessions.py 120 TRUTH .sessions.tsv)

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
    ENVIRONMENT "${MSTURN_TEST_ENV}"
    LABELS sessions TIMEOUT 120)
endforeach()

# Captures from the two TURN servers merged with mergecap give the path's
# sessions truth (tests/mergecap.py).
add_test(NAME sessions.mergecap
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/mergecap.py
                 ${CMAKE_SOURCE_DIR}/test-captures/skype_expressway_pair.pcapng
                 ${CMAKE_SOURCE_DIR}/test-captures/skype_expressway_pair.sessions.tsv)
set_tests_properties(sessions.mergecap PROPERTIES
  ENVIRONMENT "${MSTURN_TEST_ENV}"
  LABELS sessions TIMEOUT 120)
