# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Fuzzing (tests/fuzz/): libFuzzer targets for the framing code and for the
# whole dissector inside libwireshark.  They need clang (libFuzzer).
#
# In a clang build with MSTURN_FUZZ=ON the targets are built here.  In any
# other build (the default gcc build of tools/run-tests.sh) the test
# fuzz.build configures and builds a clang tree inside this build folder
# (fuzz-clang/) and the other tests run the targets from there:
#   fuzz.framing, fuzz.dissector  each target for a bounded time
#   fuzz.regressions              every input in tests/fuzz/regressions/ once
#   fuzz.mutator_types            the mutator knows every attribute type
# tools/fuzz.sh runs the targets for longer.
set(MSTURN_FUZZ_FRAMING_SECONDS 30 CACHE STRING "fuzz.framing time budget (s)")
set(MSTURN_FUZZ_DISSECTOR_SECONDS 60 CACHE STRING "fuzz.dissector time budget (s)")
set(_fuzz_src ${CMAKE_CURRENT_LIST_DIR}/fuzz)
set(_fuzz_run sh ${_fuzz_src}/run.sh ${CMAKE_SOURCE_DIR})
set(_fuzz_runs "sh '${_fuzz_src}/run.sh' '${CMAKE_SOURCE_DIR}'")

if(MSTURN_FUZZ AND CMAKE_C_COMPILER_ID MATCHES "Clang")
  set(_fuzz_san -fsanitize=address,undefined -fno-sanitize-recover=undefined
                -fno-omit-frame-pointer -g)
  # Coverage for libFuzzer in the code under test.
  foreach(t msturn_core msturn_epan)
    target_compile_options(${t} PRIVATE -fsanitize=fuzzer-no-link ${_fuzz_san})
    # whatever links them (unit tests, the module) needs the runtimes too
    target_link_options(${t} INTERFACE -fsanitize=address,undefined)
  endforeach()
  find_library(MSTURN_WIRETAP_LIB wiretap REQUIRED)

  add_executable(fuzz_framing ${_fuzz_src}/fuzz_framing.c ${_fuzz_src}/stun_mutator.c)
  target_link_libraries(fuzz_framing PRIVATE msturn_core)

  add_executable(fuzz_dissector ${_fuzz_src}/fuzz_dissector.c ${_fuzz_src}/stun_mutator.c)
  target_include_directories(fuzz_dissector PRIVATE ${CMAKE_SOURCE_DIR}/plugin)
  target_link_libraries(fuzz_dissector PRIVATE msturn_epan ${MSTURN_WIRETAP_LIB})
  foreach(t fuzz_framing fuzz_dissector)
    target_include_directories(${t} PRIVATE ${_fuzz_src})
    set_target_properties(${t} PROPERTIES C_STANDARD 11)
    target_compile_options(${t} PRIVATE -fsanitize=fuzzer ${_fuzz_san} -Wall -Wextra)
    target_link_options(${t} PRIVATE -fsanitize=fuzzer ${_fuzz_san})
  endforeach()
  set(_fuzz_bin ${CMAKE_CURRENT_BINARY_DIR})
else()
  set(_fuzz_bin ${CMAKE_BINARY_DIR}/fuzz-clang)
  find_program(MSTURN_CLANG NAMES clang clang-14)
  if(MSTURN_CLANG)
    add_test(NAME fuzz.build
             COMMAND sh -c "${CMAKE_COMMAND} -S '${CMAKE_SOURCE_DIR}' -B '${_fuzz_bin}' -DCMAKE_C_COMPILER='${MSTURN_CLANG}' -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMSTURN_FUZZ=ON -DMSTURN_TESTS=ON >'${_fuzz_bin}.log' 2>&1 && ${CMAKE_COMMAND} --build '${_fuzz_bin}' -j2 --target fuzz_framing fuzz_dissector >>'${_fuzz_bin}.log' 2>&1 || { tail -30 '${_fuzz_bin}.log'; exit 1; }")
  else()
    add_test(NAME fuzz.build
             COMMAND sh -c "echo 'clang not found: the fuzz targets need clang and libclang-rt-14-dev (tools/deps.sh)'; exit 1")
  endif()
  set_tests_properties(fuzz.build PROPERTIES FIXTURES_SETUP fuzz_tree LABELS fuzz TIMEOUT 600)
endif()

add_test(NAME fuzz.framing
         COMMAND ${_fuzz_run} ${_fuzz_bin} fuzz_framing ${MSTURN_FUZZ_FRAMING_SECONDS})
add_test(NAME fuzz.dissector
         COMMAND ${_fuzz_run} ${_fuzz_bin} fuzz_dissector ${MSTURN_FUZZ_DISSECTOR_SECONDS})
add_test(NAME fuzz.regressions
         COMMAND sh -c "${_fuzz_runs} '${_fuzz_bin}' fuzz_framing replay && ${_fuzz_runs} '${_fuzz_bin}' fuzz_dissector replay")
set_tests_properties(fuzz.framing fuzz.dissector fuzz.regressions PROPERTIES
  LABELS fuzz TIMEOUT 400 ENVIRONMENT "MSTURN_FUZZ_SEED=1")
if(TEST fuzz.build)
  set_tests_properties(fuzz.framing fuzz.dissector fuzz.regressions PROPERTIES
    FIXTURES_REQUIRED fuzz_tree)
endif()

add_test(NAME fuzz.mutator_types
         COMMAND ${Python3_EXECUTABLE} ${_fuzz_src}/mutator_types.py ${CMAKE_SOURCE_DIR})
set_tests_properties(fuzz.mutator_types PROPERTIES LABELS fuzz TIMEOUT 60)
