# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Unit tests of the pure code (framing, tables): no Wireshark needed at run time.
add_executable(test_framing ${CMAKE_CURRENT_LIST_DIR}/unit/test_framing.c)
target_link_libraries(test_framing PRIVATE msturn_core)
add_test(NAME unit.framing COMMAND test_framing)

add_executable(test_tables ${CMAKE_CURRENT_LIST_DIR}/unit/test_tables.c)
target_link_libraries(test_tables PRIVATE msturn_core)
add_test(NAME unit.tables COMMAND test_tables)

add_executable(test_media ${CMAKE_CURRENT_LIST_DIR}/unit/test_media.c)
target_link_libraries(test_media PRIVATE msturn_core)
add_test(NAME unit.media COMMAND test_media)

add_executable(test_sdp ${CMAKE_CURRENT_LIST_DIR}/unit/test_sdp.c)
target_link_libraries(test_sdp PRIVATE msturn_core)
add_test(NAME unit.sdp COMMAND test_sdp)

add_executable(test_sip_text ${CMAKE_CURRENT_LIST_DIR}/unit/test_sip_text.c)
target_link_libraries(test_sip_text PRIVATE msturn_core)
add_test(NAME unit.sip_text COMMAND test_sip_text)

foreach(t test_framing test_tables test_media test_sdp test_sip_text)
  target_compile_options(${t} PRIVATE -Wall -Wextra)
  if(MSTURN_WERROR)
    target_compile_options(${t} PRIVATE -Werror)
  endif()
endforeach()

# The plugin's files call down, never up (docs/architecture.md): no circle of
# calls between their object files, none of includes between their sources.
find_package(Python3 COMPONENTS Interpreter REQUIRED)
add_test(NAME layering.no_circles
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/layering.py ${PROJECT_SOURCE_DIR}/plugin
          ${PROJECT_BINARY_DIR}/plugin/CMakeFiles/msturn.dir
          ${PROJECT_BINARY_DIR}/plugin/CMakeFiles/msturn_core.dir)
