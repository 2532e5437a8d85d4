# Locates Wireshark through pkg-config (wireshark.pc), the one description that
# every supported release ships (Debian 13 and later ship no CMake package).
#
# Results:
#   Wireshark::epan            imported target (include dirs + libraries)
#   WIRESHARK_VERSION          e.g. 4.0.17
#   WIRESHARK_MAJOR_MINOR      e.g. 4.0
#   WIRESHARK_SYSTEM_PLUGINDIR the distribution's plugin folder for this version
#
# WIRESHARK_PC_ROOT may name a folder into which Wireshark's -dev packages were
# unpacked (not installed); paths from wireshark.pc are then taken below it.

find_package(PkgConfig REQUIRED)

if(WIRESHARK_PC_ROOT)
  file(GLOB_RECURSE _ws_pc "${WIRESHARK_PC_ROOT}/*/pkgconfig/wireshark.pc")
  if(NOT _ws_pc)
    message(FATAL_ERROR "No wireshark.pc below WIRESHARK_PC_ROOT=${WIRESHARK_PC_ROOT}")
  endif()
  list(GET _ws_pc 0 _ws_pc)
  get_filename_component(_ws_pcdir "${_ws_pc}" DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} "${_ws_pcdir}")
  set(ENV{PKG_CONFIG_SYSROOT_DIR} "${WIRESHARK_PC_ROOT}")
endif()

pkg_check_modules(WIRESHARK REQUIRED IMPORTED_TARGET wireshark)
pkg_get_variable(WIRESHARK_SYSTEM_PLUGINDIR wireshark plugindir)

string(REGEX MATCH "^([0-9]+)\\.([0-9]+)" WIRESHARK_MAJOR_MINOR "${WIRESHARK_VERSION}")
if(NOT WIRESHARK_MAJOR_MINOR)
  message(FATAL_ERROR "Cannot read Wireshark's version from wireshark.pc (got '${WIRESHARK_VERSION}')")
endif()
if(WIRESHARK_PC_ROOT)
  set(WIRESHARK_SYSTEM_PLUGINDIR "${WIRESHARK_PC_ROOT}${WIRESHARK_SYSTEM_PLUGINDIR}")
endif()

# wireshark.pc names libwireshark and libwsutil; the plugin also needs
# libwiretap's headers, which live in the same include folder.
add_library(Wireshark::epan INTERFACE IMPORTED)
target_link_libraries(Wireshark::epan INTERFACE PkgConfig::WIRESHARK)

message(STATUS "Wireshark ${WIRESHARK_VERSION}; system plugin folder ${WIRESHARK_SYSTEM_PLUGINDIR}")
