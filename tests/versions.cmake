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
