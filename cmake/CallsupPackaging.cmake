# CPack: `cpack` in a configured and built tree (scripts/package-test, docs/packaging.md) makes
#   libcallsup-dev_<VERSION>_<arch>.deb            for Debian, files under /usr
#   callsup-<VERSION>-Linux-<processor>.tar.gz     the same files under callsup-<VERSION>-.../
# holding what the install block of CMakeLists.txt installs: the headers, libcallsup (and
# libcallsup-srtp2.a), the CMake package, callsup.pc and the documents. Both are relocatable:
# the CMake package and callsup.pc locate the files relative to themselves.
#
# Included at the start of that install block: the rules after it (and only those) fall into
# the component "devel", the only one the packages hold. Rules elsewhere (callsup-loadgen in
# tools/loadgen, the Python module's "python") stay out. `cmake --install` installs them all.

set(CMAKE_INSTALL_DEFAULT_COMPONENT_NAME devel)

set(CALLSUP_PACKAGE_MAINTAINER
  "callsup maintainers <maintainers@users.noreply.h-seed-1968b18e.example>"
  CACHE STRING "Maintainer of the .deb made by cpack (Name <address>)")

# Depends of the .deb: the Debian packages a consumer's build needs besides this one. Each is
# there for a file of the package (scripts/package-test checks the .pc and header ones):
#   libssl-dev       static library: OpenSSL::Crypto (find_dependency), libcrypto (callsup.pc
#                    Requires); libcallsup-srtp2.a does its crypto with it
#   libspeexdsp-dev  static library: speexdsp through pkg-config (callsupConfig.cmake, callsup.pc)
#   pkg-config       callsupConfig.cmake's find_dependency(PkgConfig); callsup.pc's Requires
#   libsrtp2-dev     only with CALLSUP_SRTP=system (openssl-static ships libcallsup-srtp2.a)
#   libboost<V>-dev  callsup/media/media_engine_asio.hpp includes Boost.Asio; <V> is the Boost
#                    callsup was compiled with, since the header's executor type crosses into
#                    the library (one Boost for both, as docs/integrator-guide.md § 7 says)
# nlohmann_json is not among them: no public header includes it and the export keeps it out.
# The requirements of a shared build's .pc (Requires.private) are the same -dev packages, and
# dpkg-shlibdeps adds its run-time libraries. -DCPACK_DEBIAN_PACKAGE_DEPENDS=... replaces it all.
if(NOT DEFINED CPACK_DEBIAN_PACKAGE_DEPENDS)
  set(_callsup_deb_depends "")
  string(REGEX MATCH "^[0-9]+" _callsup_openssl_major "${OPENSSL_VERSION}")
  if(_callsup_openssl_major)
    list(APPEND _callsup_deb_depends "libssl-dev (>= ${_callsup_openssl_major})")
  else()
    list(APPEND _callsup_deb_depends "libssl-dev")
  endif()
  list(APPEND _callsup_deb_depends libspeexdsp-dev pkg-config)
  if(CALLSUP_SRTP STREQUAL "system")
    list(APPEND _callsup_deb_depends libsrtp2-dev)
  endif()
  if(DEFINED Boost_VERSION_MAJOR AND DEFINED Boost_VERSION_MINOR)
    list(APPEND _callsup_deb_depends "libboost${Boost_VERSION_MAJOR}.${Boost_VERSION_MINOR}-dev")
  else()
    list(APPEND _callsup_deb_depends "libboost-dev (>= ${Boost_VERSION})")
  endif()
  list(JOIN _callsup_deb_depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
  unset(_callsup_deb_depends)
  unset(_callsup_openssl_major)
endif()

get_target_property(_callsup_package_type callsup TYPE)
if(_callsup_package_type STREQUAL "SHARED_LIBRARY")
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # libssl3, libspeexdsp1, ... of libcallsup.so
endif()
unset(_callsup_package_type)

set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_PACKAGE_NAME "${PROJECT_NAME}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "callsup")
set(CPACK_PACKAGE_CONTACT "${CALLSUP_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION} (C++20 development files)")
# One paragraph, lines as the .deb's control file shows them (CPack does not wrap them).
string(CONCAT CPACK_PACKAGE_DESCRIPTION
  "callsup lets a PBX offer call supervision: a supervisor listens to a call,\n"
  "whispers to the agent or barges in, under a permission policy, with an audit\n"
  "trail. This package holds the C++20 headers, the library libcallsup (static\n"
  "by default, its libsrtp2 then as libcallsup-srtp2.a), the CMake package\n"
  "(find_package(callsup): callsup::core, callsup::callsup) and the pkg-config\n"
  "file callsup.pc.")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGE_FILE_NAME "${PROJECT_NAME}-${PROJECT_VERSION}-${CMAKE_SYSTEM_NAME}-${CMAKE_SYSTEM_PROCESSOR}")
# Only the component "devel" (see above), installed as one package.
set(CPACK_INSTALL_CMAKE_PROJECTS "${PROJECT_BINARY_DIR};${PROJECT_NAME};devel;/")

# .deb: a -dev package (headers, static library, CMake and pkg-config files), under /usr
# (CPack's default CPACK_PACKAGING_INSTALL_PREFIX for DEB; the .tar.gz keeps paths relative).
set(CPACK_DEBIAN_PACKAGE_NAME "libcallsup-dev")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # libcallsup-dev_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CALLSUP_PACKAGE_MAINTAINER}")

# `cpack --config CPackSourceConfig.cmake` (target package_source): the sources, not the trees.
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_PACKAGE_FILE_NAME "${PROJECT_NAME}-${PROJECT_VERSION}")
set(CPACK_SOURCE_IGNORE_FILES
  "/\\.git/" "/build/" "/\\.venv/" "/venv/" "/demo-out/" "/pbx-out/" "__pycache__" "\\.pyc$"
  "/\\.mypy_cache/" "/\\.pytest_cache/")

include(CPack)
