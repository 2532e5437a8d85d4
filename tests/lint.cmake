# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
#
# Wireshark's own review checkers (tools/check-wireshark.sh):
#   lint.wireshark       every checker on plugin/: no finding outside
#                        tools/wireshark-checks/allow.txt
#   lint.planted         a copy of plugin/ with one planted defect per checker:
#                        each checker reports its own
#   lint.attr_fields     plugin/msturn_attr_fields.c is what
#                        tools/gen_attr_fields.py makes of the attribute table
find_package(Python3 COMPONENTS Interpreter REQUIRED)
add_test(NAME lint.wireshark
         COMMAND sh ${PROJECT_SOURCE_DIR}/tools/check-wireshark.sh ${PROJECT_BINARY_DIR})
set_tests_properties(lint.wireshark PROPERTIES LABELS lint TIMEOUT 900
                     FIXTURES_SETUP wireshark_source)
add_test(NAME lint.planted
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/lint/planted.sh ${PROJECT_BINARY_DIR})
set_tests_properties(lint.planted PROPERTIES LABELS lint TIMEOUT 900
                     FIXTURES_REQUIRED wireshark_source)
add_test(NAME lint.attr_fields
         COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/gen_attr_fields.py --check)
set_tests_properties(lint.attr_fields PROPERTIES LABELS lint)
