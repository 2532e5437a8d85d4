# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# The sessions table driven as Wireshark's Statistics dialog drives it:
# init, reset and retap, filtered and not, several times (tests/gui/stats_cycle.c).
find_library(MSTURN_WIRETAP_LIB_STATS wiretap REQUIRED)
add_executable(stats_cycle EXCLUDE_FROM_ALL ${CMAKE_CURRENT_LIST_DIR}/gui/stats_cycle.c)
target_include_directories(stats_cycle PRIVATE ${CMAKE_SOURCE_DIR}/plugin)
target_link_libraries(stats_cycle PRIVATE msturn_epan ${MSTURN_WIRETAP_LIB_STATS})
target_compile_options(stats_cycle PRIVATE -Wall -Wextra)
if(MSTURN_WERROR)
  target_compile_options(stats_cycle PRIVATE -Werror)
endif()
add_test(NAME stats.build
         COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target stats_cycle)
set_tests_properties(stats.build PROPERTIES FIXTURES_SETUP stats_cycle LABELS stats)
add_test(NAME stats.dialog_cycle COMMAND stats_cycle)
set_tests_properties(stats.dialog_cycle PROPERTIES FIXTURES_REQUIRED stats_cycle LABELS stats
                     TIMEOUT 120)

# The MSTURN configuration profile through tshark -C MSTURN (tests/profile.py).
find_package(Python3 COMPONENTS Interpreter REQUIRED)
add_test(NAME profile.msturn
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/profile.py ${CMAKE_SOURCE_DIR}/test-captures)
set_tests_properties(profile.msturn PROPERTIES
  ENVIRONMENT "${MSTURN_TEST_ENV};MSTURN_PROFILE_DIR=${CMAKE_SOURCE_DIR}/profile/MSTURN"
  LABELS stats TIMEOUT 120)
