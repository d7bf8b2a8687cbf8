# Run by ctest (through TEST_INCLUDE_FILES) to register one test per doctest test case.
# Inputs (set by the generated include file): _callsup_dt_executable, _callsup_dt_prefix,
# _callsup_dt_workdir, _callsup_dt_labels, _callsup_dt_timeout.
# Test names are handled as plain strings, never as lists: ';', '[', ']', ',' and '\' in
# a name are all fine.

cmake_policy(VERSION 3.22...3.31)

set(_exe "${_callsup_dt_executable}")
set(_prefix "${_callsup_dt_prefix}")

function(_callsup_dt_properties name)
  set_tests_properties("${name}" PROPERTIES WORKING_DIRECTORY "${_callsup_dt_workdir}")
  if(NOT "${_callsup_dt_labels}" STREQUAL "")
    set_tests_properties("${name}" PROPERTIES LABELS "${_callsup_dt_labels}")
  endif()
  if(_callsup_dt_timeout GREATER 0)
    set_tests_properties("${name}" PROPERTIES TIMEOUT "${_callsup_dt_timeout}")
  endif()
endfunction()

if(NOT EXISTS "${_exe}")
  # Not built yet: one test that fails and says so.
  add_test("${_prefix}NOT_BUILT" "${_exe}")
  return()
endif()

execute_process(
  COMMAND "${_exe}" --list-test-cases --no-colors
  WORKING_DIRECTORY "${_callsup_dt_workdir}"
  OUTPUT_VARIABLE _output
  ERROR_VARIABLE _errors
  RESULT_VARIABLE _result
  TIMEOUT 120)
if(NOT _result EQUAL 0)
  message(WARNING "doctest discovery: '${_exe} --list-test-cases' failed (${_result}):\n${_output}${_errors}")
  # A test that repeats the listing, so that the failure shows in the results.
  add_test("${_prefix}DISCOVERY_FAILED" "${_exe}" --list-test-cases)
  _callsup_dt_properties("${_prefix}DISCOVERY_FAILED")
  return()
endif()

set(_rest "${_output}")
set(_count 0)
while(NOT _rest STREQUAL "")
  string(FIND "${_rest}" "\n" _newline)
  if(_newline EQUAL -1)
    set(_line "${_rest}")
    set(_rest "")
  else()
    string(SUBSTRING "${_rest}" 0 ${_newline} _line)
    math(EXPR _newline "${_newline} + 1")
    string(SUBSTRING "${_rest}" ${_newline} -1 _rest)
  endif()
  string(REGEX REPLACE "\r$" "" _line "${_line}")
  if(_line STREQUAL "" OR _line MATCHES "^\\[doctest\\] " OR _line MATCHES "^=+$")
    continue()
  endif()

  # CTest needs unique names; doctest allows the same name twice (both run under each).
  set(_name "${_prefix}${_line}")
  string(MD5 _key "${_name}")
  if(DEFINED _callsup_dt_seen_${_key})
    math(EXPR _callsup_dt_seen_${_key} "${_callsup_dt_seen_${_key}} + 1")
    set(_name "${_name} (#${_callsup_dt_seen_${_key}})")
  else()
    set(_callsup_dt_seen_${_key} 1)
  endif()

  # doctest's filter: ',' separates patterns and '\' escapes; '*' and '?' are wildcards
  # that cannot be escaped but still match themselves.
  string(REPLACE "\\" "\\\\" _filter "${_line}")
  string(REPLACE "," "\\," _filter "${_filter}")

  add_test("${_name}" "${_exe}" "--test-case=${_filter}" --case-sensitive=true --no-colors)
  _callsup_dt_properties("${_name}")
  # A filter that matches nothing makes doctest exit 0 having run nothing.
  set_tests_properties("${_name}" PROPERTIES FAIL_REGULAR_EXPRESSION "test cases: +0 [|]")
  math(EXPR _count "${_count} + 1")
endwhile()
