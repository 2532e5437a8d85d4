# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# The Debian package of msturn (CPack's DEB generator):
#
#   cmake --build build --target package    ->  build/msturn_<version>_<arch>.deb
#
# It installs msturn.so into the system plugin folder of the Wireshark it was
# built against (plugindir of wireshark.pc, the folder root's Wireshark
# reads) and the MSTURN configuration profile into the system profiles
# folder, and depends on exactly the libwireshark ABI package that provides
# the libwireshark.so.N this build links: the Debian package that owns that
# file (dpkg -S), e.g. libwireshark16 for Wireshark 4.0.  A plugin loads only
# into the major.minor it was built for, and Debian renames libwireshark's
# package whenever that ABI changes, so apt refuses the package on a
# Wireshark that could not load it.
#
# The package exists only where that owner can be found: a build against
# unpacked, not installed, -dev packages (WIRESHARK_PC_ROOT) or a Wireshark
# not installed from a Debian package has no `package` target.

find_library(MSTURN_LIBWIRESHARK NAMES wireshark
             HINTS ${WIRESHARK_LIBRARY_DIRS} NO_DEFAULT_PATH NO_CACHE)
set(MSTURN_DEB_ABI_PACKAGE "")
set(_why "")
find_program(MSTURN_DPKG dpkg)
if(NOT MSTURN_LIBWIRESHARK)
  set(_why "libwireshark not found in ${WIRESHARK_LIBRARY_DIRS}")
elseif(NOT MSTURN_DPKG)
  set(_why "dpkg not found (not a Debian system)")
else()
  # libwireshark.so is the -dev package's link; the file it points to
  # (libwireshark.so.16.0.17) belongs to the runtime package with the ABI.
  get_filename_component(_ws_real "${MSTURN_LIBWIRESHARK}" REALPATH)
  execute_process(COMMAND ${MSTURN_DPKG} -S "${_ws_real}"
                  OUTPUT_VARIABLE _owner ERROR_VARIABLE _err RESULT_VARIABLE _rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  # "libwireshark16:amd64: /usr/lib/x86_64-linux-gnu/libwireshark.so.16.0.17"
  if(_rc EQUAL 0 AND _owner MATCHES "^([a-z0-9][a-z0-9.+-]*)(:[a-z0-9-]+)?: ")
    set(MSTURN_DEB_ABI_PACKAGE "${CMAKE_MATCH_1}")
  else()
    set(_why "no Debian package owns ${_ws_real}")
  endif()
endif()

if(NOT MSTURN_DEB_ABI_PACKAGE)
  message(STATUS "Debian package: not available here (${_why})")
  return()
endif()

# Package paths are relative to / (CPACK_PACKAGING_INSTALL_PREFIX).
string(REGEX REPLACE "^/+" "" _deb_plugindir "${WIRESHARK_SYSTEM_PLUGINDIR}/epan")
string(REGEX REPLACE "^/+" "" _deb_profiles "${WIRESHARK_PREFIX}/share/wireshark/profiles")
# Component "deb" only: `cmake --install` keeps installing per user (or as
# root into the system folder) as before, without these rules.
install(TARGETS msturn LIBRARY DESTINATION "${_deb_plugindir}"
        COMPONENT deb EXCLUDE_FROM_ALL)
install(DIRECTORY "${CMAKE_SOURCE_DIR}/profile/MSTURN" DESTINATION "${_deb_profiles}"
        COMPONENT deb EXCLUDE_FROM_ALL)

# Debian policy 12.5 and 12.7: the machine-readable copyright file (DEP-5)
# and, for a native package, the changelog as changelog.gz, compressed with
# gzip -9n so the package is reproducible.  The changelog's first entry must
# be this version.
set(_deb_doc "usr/share/doc/msturn")
file(STRINGS "${CMAKE_SOURCE_DIR}/packaging/changelog" _cl_head LIMIT_COUNT 1)
if(NOT _cl_head MATCHES "^msturn \\(${PROJECT_VERSION}\\) ")
  message(FATAL_ERROR "packaging/changelog starts with '${_cl_head}': its first entry must be msturn (${PROJECT_VERSION})")
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/packaging/changelog")
find_program(MSTURN_GZIP gzip REQUIRED)
execute_process(COMMAND ${MSTURN_GZIP} -9nc "${CMAKE_SOURCE_DIR}/packaging/changelog"
                OUTPUT_FILE "${CMAKE_BINARY_DIR}/changelog.gz" RESULT_VARIABLE _gz_rc)
if(NOT _gz_rc EQUAL 0)
  message(FATAL_ERROR "gzip could not compress packaging/changelog")
endif()
install(FILES "${CMAKE_SOURCE_DIR}/packaging/copyright" "${CMAKE_BINARY_DIR}/changelog.gz"
        DESTINATION "${_deb_doc}" PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
        COMPONENT deb EXCLUDE_FROM_ALL)

set(MSTURN_DEB_MAINTAINER "msturn maintainers <maintainers@msturn.invalid>" CACHE STRING
    "Maintainer field of the Debian package (name <address>); a distribution sets its own")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME msturn)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${MSTURN_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Wireshark plugin for MS-TURN, STUN and TURN over TCP")
# Debian policy 3.4.1: extended description lines of at most 80 columns
# (CPack puts the summary above them as the synopsis).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "msturn decodes STUN, TURN and Microsoft's MS-TURN dialect inside TCP on
any port and ties RFC 6062 control, data and peer connections into
presentation sessions with a verdict.
.
Built for Wireshark ${WIRESHARK_VERSION}; it loads only into Wireshark ${WIRESHARK_MAJOR_MINOR}.")
# No debugging symbols in the package (lintian: unstripped-binary-or-object).
set(CPACK_STRIP_FILES ON)
# The libraries the module links, the C library among them, from their
# shlibs files (dpkg-shlibdeps): that names the libwireshark ABI package too.
# CPack runs it only with the file utility at hand; without either, the ABI
# package alone.
find_program(MSTURN_DPKG_SHLIBDEPS dpkg-shlibdeps)
find_program(MSTURN_FILE file)
if(MSTURN_DPKG_SHLIBDEPS AND MSTURN_FILE)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "${MSTURN_DEB_ABI_PACKAGE}")
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)           # msturn_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# xz, as dpkg-deb itself compresses: the gzip reader of dpkg 1.23 (Debian
# sid) now and then fails on CPack's gzip members with "buffer error".
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_PACKAGING_INSTALL_PREFIX "/")
set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};msturn;deb;/")
set(CPACK_OUTPUT_FILE_PREFIX "${CMAKE_BINARY_DIR}")
include(CPack)
message(STATUS "Debian package: `--target package` builds msturn_${PROJECT_VERSION}_<arch>.deb, Depends: ${MSTURN_DEB_ABI_PACKAGE}, into /${_deb_plugindir}")
