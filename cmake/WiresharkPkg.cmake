# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Locates Wireshark through pkg-config (wireshark.pc), the one description that
# every supported release ships (Debian 13 and later ship no CMake package).
#
# Results:
#   Wireshark::epan            imported target (include dirs + libraries)
#   WIRESHARK_VERSION          e.g. 4.0.17
#   WIRESHARK_MAJOR_MINOR      e.g. 4.0
#   WIRESHARK_SYSTEM_PLUGINDIR the distribution's plugin folder for this version
#
# WIRESHARK_PC_ROOT may name a folder into which Wireshark's -dev packages (and
# the runtime libraries they point to) were unpacked, not installed.  Every
# .pc file found below it is copied into the build tree with its absolute
# paths moved below that folder, and that copy is searched first: Wireshark
# comes from the unpacked packages, and so does GLib when its -dev package was
# unpacked there too (newer Wireshark headers may need a newer GLib than the
# build machine has); anything not unpacked there comes from the system.
# PKG_CONFIG_SYSROOT_DIR is not used because it would move the system's own
# .pc paths as well.

find_package(PkgConfig REQUIRED)

if(WIRESHARK_PC_ROOT)
  get_filename_component(_ws_root "${WIRESHARK_PC_ROOT}" ABSOLUTE)
  file(GLOB_RECURSE _ws_pcs LIST_DIRECTORIES false "${_ws_root}/*.pc")
  list(FILTER _ws_pcs INCLUDE REGEX "/pkgconfig/[^/]+\\.pc$")
  set(_ws_found OFF)
  set(_ws_pcdir "${CMAKE_BINARY_DIR}/wireshark-pc-root")
  file(REMOVE_RECURSE "${_ws_pcdir}")
  file(MAKE_DIRECTORY "${_ws_pcdir}")
  foreach(_pc ${_ws_pcs})
    get_filename_component(_name "${_pc}" NAME)
    if(_name STREQUAL "wireshark.pc")
      set(_ws_found ON)
    endif()
    file(READ "${_pc}" _text)
    # "name=/abs/path" variable lines: the only absolute paths in a .pc file;
    # the other fields refer to them through ${name}.
    string(REGEX REPLACE "(^|\n)([A-Za-z_][A-Za-z0-9_.]*)=/" "\\1\\2=${_ws_root}/" _text "${_text}")
    file(WRITE "${_ws_pcdir}/${_name}" "${_text}")
  endforeach()
  if(NOT _ws_found)
    message(FATAL_ERROR "No wireshark.pc below WIRESHARK_PC_ROOT=${_ws_root}")
  endif()
  if(DEFINED ENV{PKG_CONFIG_PATH} AND NOT "$ENV{PKG_CONFIG_PATH}" STREQUAL "")
    set(ENV{PKG_CONFIG_PATH} "${_ws_pcdir}:$ENV{PKG_CONFIG_PATH}")
  else()
    set(ENV{PKG_CONFIG_PATH} "${_ws_pcdir}")
  endif()
endif()

pkg_check_modules(WIRESHARK REQUIRED IMPORTED_TARGET wireshark)
pkg_get_variable(WIRESHARK_SYSTEM_PLUGINDIR wireshark plugindir)
pkg_get_variable(WIRESHARK_PREFIX wireshark prefix)

string(REGEX MATCH "^([0-9]+)\\.([0-9]+)" WIRESHARK_MAJOR_MINOR "${WIRESHARK_VERSION}")
if(NOT WIRESHARK_MAJOR_MINOR)
  message(FATAL_ERROR "Cannot read Wireshark's version from wireshark.pc (got '${WIRESHARK_VERSION}')")
endif()

# wireshark.pc names libwireshark and libwsutil; the plugin also needs
# libwiretap's headers, which live in the same include folder.
add_library(Wireshark::epan INTERFACE IMPORTED)
target_link_libraries(Wireshark::epan INTERFACE PkgConfig::WIRESHARK)

message(STATUS "Wireshark ${WIRESHARK_VERSION}; system plugin folder ${WIRESHARK_SYSTEM_PLUGINDIR}")
