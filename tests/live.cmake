# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Live tests (tests/live_coturn.py): a real coturn TURN server on loopback,
# real RFC 6062 traffic from turnutils_uclient, captured with dumpcap and
# decoded by the built plugin.
#   live.coturn       starts coturn, captures, checks (needs root or capture
#                     rights on lo, and coturn: tools/deps.sh installs it)
#   live.coturn_kept  the same checks on the capture kept in test-captures/,
#                     made by live.coturn's script (no server needed)
if(NOT Python3_Interpreter_FOUND)
  find_package(Python3 COMPONENTS Interpreter REQUIRED)
endif()

set(_live_env "${MSTURN_TEST_ENV}")

add_test(NAME live.coturn
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/live_coturn.py live
                 --workdir ${CMAKE_CURRENT_BINARY_DIR}/live-coturn)
set_tests_properties(live.coturn PROPERTIES
  ENVIRONMENT "${_live_env}" LABELS live TIMEOUT 240)

add_test(NAME live.coturn_kept
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/live_coturn.py check
                 ${CMAKE_SOURCE_DIR}/test-captures/coturn_rfc6062.pcapng)
set_tests_properties(live.coturn_kept PROPERTIES
  ENVIRONMENT "${_live_env}" LABELS "live;golden" TIMEOUT 120)

# TURN over TLS and DTLS (tests/live_tls.py): coturn's TLS and DTLS
# listeners on 5349 and 443, Python's ssl and openssl s_client writing a key
# log, an HTTPS exchange beside them; decoded with tls.keylog_file.
#   live.tls       makes the capture and checks it (needs root, ports 5349
#                  and 443 free, coturn and openssl: tools/deps.sh)
#   live.tls_kept  the same checks on test-captures/turn_tls.pcapng with its
#                  key log and the clients' journal kept beside it
add_test(NAME live.tls
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/live_tls.py live
                 --workdir ${CMAKE_CURRENT_BINARY_DIR}/live-tls)
set_tests_properties(live.tls PROPERTIES
  ENVIRONMENT "${_live_env}" LABELS live TIMEOUT 300)

add_test(NAME live.tls_kept
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/live_tls.py check
                 ${CMAKE_SOURCE_DIR}/test-captures/turn_tls.pcapng)
set_tests_properties(live.tls_kept PROPERTIES
  ENVIRONMENT "${_live_env}" LABELS "live;golden" TIMEOUT 120)

# tests/live_uclient.py: coturn's own log (allocations, relayed addresses,
# permissions, ChannelBinds, peer traffic, refusals) against msturn's TURN
# relay sessions and peers tables, over UDP and TCP.
#   live.uclient       starts coturn, turnutils_peer and dumpcap, runs
#                      turnutils_uclient nine times, checks (root, coturn)
#   live.uclient_kept  the same checks on the capture and coturn log kept in
#                      test-captures/ (no server, no root)
add_test(NAME live.uclient
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/live_uclient.py live
                 --workdir ${CMAKE_CURRENT_BINARY_DIR}/live-uclient)
set_tests_properties(live.uclient PROPERTIES
  ENVIRONMENT "${_live_env}" LABELS live TIMEOUT 240)

add_test(NAME live.uclient_kept
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/live_uclient.py check
                 ${CMAKE_SOURCE_DIR}/test-captures/coturn_uclient.pcapng
                 ${CMAKE_SOURCE_DIR}/test-captures/coturn_uclient.log)
set_tests_properties(live.uclient_kept PROPERTIES
  ENVIRONMENT "${_live_env}" LABELS "live;golden" TIMEOUT 120)
