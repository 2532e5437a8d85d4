# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
#
# msturn as an in-tree plugin of Wireshark's own source tree, the route for
# Windows and macOS (doc/README.plugins): this folder sits at
# plugins/epan/msturn (a copy or a link) and CMakeListsCustom.txt names it in
# CUSTOM_PLUGIN_SRC_DIR.  Included by CMakeLists.txt when Wireshark's epan
# target exists.  plugin.c is msturn's own (it exports the loader's symbols),
# so no registration file is generated.
include(WiresharkPlugin)

# The version is the project's, read from msturn's top-level CMakeLists.txt
# beside this folder (through a link, its real place), or given with
# -DMSTURN_VERSION=x.y.z.
get_filename_component(_msturn_real "${CMAKE_CURRENT_LIST_DIR}" REALPATH)
set(_msturn_version "${MSTURN_VERSION}")
if(NOT _msturn_version AND EXISTS "${_msturn_real}/../CMakeLists.txt")
  file(STRINGS "${_msturn_real}/../CMakeLists.txt" _msturn_project REGEX "^project\\(msturn VERSION ")
  string(REGEX REPLACE ".*VERSION ([0-9.]+).*" "\\1" _msturn_version "${_msturn_project}")
endif()
if(NOT _msturn_version MATCHES "^[0-9]+\\.[0-9]+\\.[0-9]+$")
  message(FATAL_ERROR "msturn: no version: link or copy plugin/ together with msturn's top-level "
                      "CMakeLists.txt, or configure with -DMSTURN_VERSION=x.y.z")
endif()
string(REPLACE "." ";" _msturn_v "${_msturn_version}")
list(GET _msturn_v 0 _msturn_major)
list(GET _msturn_v 1 _msturn_minor)
list(GET _msturn_v 2 _msturn_micro)
set_module_info(msturn ${_msturn_major} ${_msturn_minor} ${_msturn_micro} 0)

set(PLUGIN_FILES plugin.c ${MSTURN_CORE_SOURCES} ${MSTURN_EPAN_SOURCES})
set_source_files_properties(${PLUGIN_FILES} PROPERTIES COMPILE_FLAGS "${WERROR_COMMON_FLAGS}")
add_wireshark_plugin_library(msturn epan)
target_compile_definitions(msturn PRIVATE MSTURN_VERSION="${_msturn_version}")
target_link_libraries(msturn epan ${GCRYPT_LIBRARIES})
install_plugin(msturn epan)

file(GLOB MSTURN_HEADERS RELATIVE "${CMAKE_CURRENT_SOURCE_DIR}" "*.h")
CHECKAPI(
  NAME msturn
  SWITCHES --group dissectors-prohibited --group dissectors-restricted
  SOURCES ${MSTURN_CORE_SOURCES} ${MSTURN_EPAN_SOURCES} ${MSTURN_HEADERS}
)
