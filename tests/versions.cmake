# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Compile-and-link checks against newer Wireshark releases: each test
# downloads that release's development packages from Debian (not installing
# them), builds msturn against them with warnings as errors and checks the
# module's exports, wanted version and imports (tools/check-version.sh).
# Downloads are cached in ws-dev/ of the source tree.
foreach(_pair "4.4:trixie" "4.6:sid")
  string(REPLACE ":" ";" _pair "${_pair}")
  list(GET _pair 0 _ver)
  list(GET _pair 1 _suite)
  add_test(NAME versions.${_ver}
           COMMAND sh ${CMAKE_SOURCE_DIR}/tools/check-version.sh
                   ${_suite} ${_ver} ${CMAKE_BINARY_DIR}/versions-${_ver})
  # The first run downloads about 25 MB and builds the plugin (-j2).
  set_tests_properties(versions.${_ver} PROPERTIES
    LABELS versions TIMEOUT 900 PROCESSORS 2)
endforeach()

# The same releases at run time (tools/check-runtime.sh): a minimal Debian
# root per suite made with debootstrap (cached in ws-dev/roots/), that suite's
# tshark and development packages installed inside, msturn built there with
# -Werror and the golden, sessions, parity, hmac, details, fuzz and live
# coturn tests run inside against that tshark.  Skipped (exit 77, with the
# reason) where no root can be made: not root, no debootstrap, no network.
foreach(_pair "4.4:trixie" "4.6:sid")
  string(REPLACE ":" ";" _pair "${_pair}")
  list(GET _pair 0 _ver)
  list(GET _pair 1 _suite)
  add_test(NAME versions.runtime.${_ver}
           COMMAND sh ${CMAKE_SOURCE_DIR}/tools/check-runtime.sh
                   ${_suite} ${_ver} ${CMAKE_BINARY_DIR}/runtime-${_ver})
  # The first run makes the root (about 1 GB, a few minutes); later runs
  # build and test only; inside, builds and tests use both cores.
  set_tests_properties(versions.runtime.${_ver} PROPERTIES
    LABELS "versions;runtime" TIMEOUT 1800 PROCESSORS 2 SKIP_RETURN_CODE 77
    FIXTURES_SETUP runtime_${_ver})
endforeach()

# The archive address those tests use, read from apt sources in both formats
# (tools/debian-archive.sh).
add_test(NAME versions.archive COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/tools/debian_archive.sh)
set_tests_properties(versions.archive PROPERTIES LABELS versions TIMEOUT 60)
