# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# The Debian package (cmake/MsturnPackage.cmake, tools/check-package.sh):
#   package.build    builds msturn_<version>_<arch>.deb here and checks its
#                    Depends, its plugin folder and that tshark loads it
#   package.lintian  Debian's package checker finds no error and no warning
#                    in that package
#   package.refused  the packages built for 4.0 (here) and in the 4.4 and 4.6
#                    roots (versions.runtime.*, which also install theirs
#                    with apt and load it) are refused by apt and dpkg where
#                    their libwireshark ABI package is missing
if(MSTURN_DEB_ABI_PACKAGE)
  add_test(NAME package.build
           COMMAND sh ${CMAKE_SOURCE_DIR}/tools/check-package.sh build ${CMAKE_BINARY_DIR})
  set_tests_properties(package.build PROPERTIES
    LABELS package TIMEOUT 300 FIXTURES_SETUP package_host)
  add_test(NAME package.lintian
           COMMAND sh ${CMAKE_SOURCE_DIR}/tools/check-package.sh lintian ${CMAKE_BINARY_DIR})
  set_tests_properties(package.lintian PROPERTIES
    LABELS package TIMEOUT 300 FIXTURES_REQUIRED package_host)
  add_test(NAME package.refused
           COMMAND sh ${CMAKE_SOURCE_DIR}/tools/check-package.sh refused ${CMAKE_BINARY_DIR})
  set_tests_properties(package.refused PROPERTIES
    LABELS package TIMEOUT 300 SKIP_RETURN_CODE 77
    FIXTURES_REQUIRED "package_host;runtime_4.4;runtime_4.6")
endif()
