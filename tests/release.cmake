# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Release builds (-O2 and -O3) with gcc and clang and warnings as errors
# (tools/check-release.sh): the optimiser's inlining shows warnings that the
# RelWithDebInfo build of the suite does not.
foreach(_cc gcc clang)
  add_test(NAME release.${_cc}
           COMMAND sh ${CMAKE_SOURCE_DIR}/tools/check-release.sh
                   ${_cc} ${CMAKE_BINARY_DIR}/release-${_cc})
  set_tests_properties(release.${_cc} PROPERTIES
    LABELS release TIMEOUT 900 PROCESSORS 2)
endforeach()
