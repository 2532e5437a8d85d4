# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Hostile input beyond the fuzzers (tests/hostile/):
#   sanitize.build        builds the plugin with -DMSTURN_SANITIZE=ON (ASan +
#                         UBSan) in sanitize/ inside this build folder
#   sanitize.suite        golden tests and a full decode of every lab capture,
#                         tshark loading that plugin (runtime preloaded)
#   fuzz.mutated_captures every lab capture with byte errors and truncated,
#                         decoded with that plugin, aborting on dissector bugs
#   leaks.plugin          valgrind over tshark with the plugin: no leak in msturn
#   hostile.caps          the per-session and per-connection bounds hold, and
#                         only what they drop is reported
set(MSTURN_MUTATIONS 2 CACHE STRING "editcap -E seeds per lab capture in fuzz.mutated_captures")
set(_hostile ${CMAKE_CURRENT_LIST_DIR}/hostile)
set(_san_build ${CMAKE_BINARY_DIR}/sanitize)
file(GLOB _hostile_caps ${CMAKE_SOURCE_DIR}/test-captures/*.pcapng)

# The sanitizer runtime that must be preloaded into the uninstrumented tshark.
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=libasan.so
                OUTPUT_VARIABLE _asan_rt OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT EXISTS "${_asan_rt}")
  execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=libclang_rt.asan-x86_64.so
                  OUTPUT_VARIABLE _asan_rt OUTPUT_STRIP_TRAILING_WHITESPACE)
endif()

add_test(NAME sanitize.build
         COMMAND sh -c "${CMAKE_COMMAND} -S '${CMAKE_SOURCE_DIR}' -B '${_san_build}' -DCMAKE_C_COMPILER='${CMAKE_C_COMPILER}' -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMSTURN_SANITIZE=ON -DMSTURN_TESTS=OFF >'${_san_build}.log' 2>&1 && ${CMAKE_COMMAND} --build '${_san_build}' -j2 --target msturn >>'${_san_build}.log' 2>&1 && test -f '${_asan_rt}' || { tail -30 '${_san_build}.log'; echo 'ASan runtime: ${_asan_rt}'; exit 1; }")
set_tests_properties(sanitize.build PROPERTIES FIXTURES_SETUP sanitize_tree
  LABELS sanitize TIMEOUT 600)

set(_san_env
  "MSTURN_PLUGIN=${_san_build}/plugin/msturn.so"
  "MSTURN_WS_MAJOR_MINOR=${WIRESHARK_MAJOR_MINOR}"
  "MSTURN_TSHARK_WRAPPER=env LD_PRELOAD=${_asan_rt} ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:detect_stack_use_after_return=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1")

add_test(NAME sanitize.suite COMMAND sh ${_hostile}/sanitize.sh ${CMAKE_SOURCE_DIR})
add_test(NAME fuzz.mutated_captures
         COMMAND sh ${_hostile}/mutate.sh ${MSTURN_MUTATIONS} ${_hostile_caps})
set_tests_properties(sanitize.suite fuzz.mutated_captures PROPERTIES
  ENVIRONMENT "${_san_env}" FIXTURES_REQUIRED sanitize_tree LABELS sanitize TIMEOUT 900)

add_test(NAME leaks.plugin COMMAND sh ${_hostile}/leaks.sh ${_hostile_caps})
set_tests_properties(leaks.plugin PROPERTIES
  ENVIRONMENT "${MSTURN_TEST_ENV}"
  LABELS sanitize TIMEOUT 900)

add_test(NAME hostile.caps COMMAND sh ${_hostile}/caps.sh ${CMAKE_SOURCE_DIR})
set_tests_properties(hostile.caps PROPERTIES
  ENVIRONMENT "${MSTURN_TEST_ENV}"
  LABELS sanitize TIMEOUT 300)

# Containment: each capture with one frame damaged at a time (flipped, cut
# short, lying length, duplicated, dropped); every other frame decodes as
# before, as far as tests/containment.py states the rule.
msturn_capture_tests(containment containment.py 300)
