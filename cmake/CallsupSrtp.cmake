# libsrtp2 (and OpenSSL's libcrypto) for callsup's SRTP and SDES.
#
# CALLSUP_SRTP selects the libsrtp2 build:
#   openssl-static (default)  libsrtp2.a built by scripts/deps (scripts/build-libsrtp2) from
#                             Debian's source package with --enable-openssl, found under
#                             CALLSUP_SRTP_ROOT; linked statically into callsup and installed
#                             next to libcallsup.a as libcallsup-srtp2.a.
#   system                    the libsrtp2 that pkg-config finds, e.g. Debian's libsrtp2-dev.
#                             Debian's binary does its crypto with NSS: ~5x slower per packet
#                             than OpenSSL and slower as sessions grow (1.8 us per protect with
#                             1 session, 15.9 us with 3,000); use it only when you must.
# callsup::srtp_backend() reports at run time which crypto is in use.
#
# Defines:
#   callsup::srtp2        imported target: libsrtp2 (+ OpenSSL::Crypto); callsupConfig.cmake
#                         re-creates it for find_package(callsup) users
#   callsup_srtp_install  function: installs what the installed package needs of libsrtp2

set(_callsup_srtp_root_default "/opt/callsup-deps/libsrtp2-openssl")
if(DEFINED ENV{CALLSUP_SRTP_ROOT} AND NOT "$ENV{CALLSUP_SRTP_ROOT}" STREQUAL "")
  set(_callsup_srtp_root_default "$ENV{CALLSUP_SRTP_ROOT}")  # the same variable as scripts/deps
endif()
set(CALLSUP_SRTP "openssl-static" CACHE STRING
  "libsrtp2 to use: openssl-static (built by scripts/deps, fast) or system (pkg-config libsrtp2)")
set_property(CACHE CALLSUP_SRTP PROPERTY STRINGS openssl-static system)
set(CALLSUP_SRTP_ROOT "${_callsup_srtp_root_default}" CACHE PATH
  "Prefix of the libsrtp2 that scripts/deps builds (CALLSUP_SRTP=openssl-static)")

find_package(OpenSSL REQUIRED COMPONENTS Crypto)

if(CALLSUP_SRTP STREQUAL "openssl-static")
  # Plain paths, not find_library(): a changed CALLSUP_SRTP_ROOT must not meet a stale cache.
  set(CALLSUP_SRTP_LIBRARY "${CALLSUP_SRTP_ROOT}/lib/libsrtp2.a")
  set(_callsup_srtp_include "${CALLSUP_SRTP_ROOT}/include")
  if(NOT EXISTS "${CALLSUP_SRTP_LIBRARY}" OR NOT EXISTS "${_callsup_srtp_include}/srtp2/srtp.h")
    message(FATAL_ERROR
      "callsup: libsrtp2 built with OpenSSL was not found in ${CALLSUP_SRTP_ROOT} "
      "(no lib/libsrtp2.a or include/srtp2/srtp.h there). Build it with:\n"
      "  scripts/deps\n"
      "(or CALLSUP_SRTP_ROOT=<prefix> scripts/build-libsrtp2 and -DCALLSUP_SRTP_ROOT=<prefix>), "
      "or configure with -DCALLSUP_SRTP=system to use the libsrtp2 that pkg-config finds (slower).")
  endif()
  add_library(callsup::srtp2 STATIC IMPORTED)
  set_target_properties(callsup::srtp2 PROPERTIES
    IMPORTED_LOCATION "${CALLSUP_SRTP_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${_callsup_srtp_include}"
    INTERFACE_LINK_LIBRARIES OpenSSL::Crypto)
elseif(CALLSUP_SRTP STREQUAL "system")
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(CALLSUP_LIBSRTP2 IMPORTED_TARGET libsrtp2)
  if(NOT CALLSUP_LIBSRTP2_FOUND)
    message(FATAL_ERROR "callsup: CALLSUP_SRTP=system, but pkg-config finds no libsrtp2 "
      "(Debian: apt-get install libsrtp2-dev). The default, -DCALLSUP_SRTP=openssl-static, "
      "uses the faster build of scripts/deps.")
  endif()
  add_library(callsup::srtp2 INTERFACE IMPORTED)
  set_target_properties(callsup::srtp2 PROPERTIES
    INTERFACE_LINK_LIBRARIES "PkgConfig::CALLSUP_LIBSRTP2;OpenSSL::Crypto")
else()
  message(FATAL_ERROR "callsup: CALLSUP_SRTP must be openssl-static or system, not '${CALLSUP_SRTP}'")
endif()

# Kept for in-tree targets that name the placeholder (e.g. a future DTLS-SRTP part).
add_library(callsup_srtp INTERFACE)
target_link_libraries(callsup_srtp INTERFACE callsup::srtp2)

# callsup_srtp_install(<libdir>): a static libcallsup needs libsrtp2 at the consumer's link.
# The openssl-static archive is installed under a callsup-specific name, so the installed
# package depends neither on CALLSUP_SRTP_ROOT nor clashes with a system libsrtp2.
set(CALLSUP_SRTP_INSTALLED_NAME "callsup-srtp2")
function(callsup_srtp_install libdir)
  if(CALLSUP_SRTP STREQUAL "openssl-static")
    install(FILES "${CALLSUP_SRTP_LIBRARY}" DESTINATION "${libdir}"
      RENAME "${CMAKE_STATIC_LIBRARY_PREFIX}${CALLSUP_SRTP_INSTALLED_NAME}${CMAKE_STATIC_LIBRARY_SUFFIX}")
  endif()
endfunction()
