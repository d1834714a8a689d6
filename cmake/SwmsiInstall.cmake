# SPDX-License-Identifier: MIT
# Install rules: both libraries (shared and static), the public headers,
# pkg-config files and a CMake package, so that a program outside this tree
# can use `pkg-config swmsi-mock` or `find_package(swmsi)`. Included by the
# top-level CMakeLists.txt once the library targets exist. See
# docs/packaging.md for how consumers use what is installed here.

# On by default, also under add_subdirectory(): an embedder that links the
# shared libraries has to ship them, and its own install(EXPORT) can only name
# our targets if they sit in an export set. Turn it off to install nothing.
option(SWMSI_INSTALL "Generate install rules for libswmsi" ON)
if(NOT SWMSI_INSTALL)
	return()
endif()

include(CMakePackageConfigHelpers)

set(SWMSI_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/swmsi)
set(SWMSI_INSTALL_PKGCONFIGDIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
# Generated files go to their own folder so they cannot clash with anything
# else written to the top of the build tree.
set(SWMSI_PACKAGE_BINARY_DIR ${PROJECT_BINARY_DIR}/swmsi-package)

# Runtime holds what a program needs to run (the versioned .so files);
# Development what it needs to build (headers, .so link, .a, .pc, cmake),
# the split a distribution makes between libswmsi0 and libswmsi-dev.
install(TARGETS swmsi swmsi_mock swmsi_uapi
	EXPORT swmsiTargets
	LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
		COMPONENT Runtime
		NAMELINK_COMPONENT Development
	RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
		COMPONENT Runtime)
install(TARGETS swmsi_static swmsi_mock_static swmsi_uapi_static
	EXPORT swmsiTargets
	ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
		COMPONENT Development)
# The LD_PRELOAD shim is a module, loaded by path, never linked against:
# no SONAME, no export, runtime only (docs/uapi.md).
install(TARGETS swmsi_preload
	LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
		COMPONENT Runtime)

# include/ holds public headers only (private ones live in src/ and
# mock_iommu/), so the folder installs as a whole: a header added there later
# cannot be forgotten here.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/swmsi
	DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
	COMPONENT Development
	FILES_MATCHING PATTERN "*.h")
# version.h is generated from version.h.in (the .in is not installed).
install(FILES ${SWMSI_GENERATED_INCLUDE_DIR}/swmsi/version.h
	DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/swmsi
	COMPONENT Development)

# pkg-config. By default the prefix is derived from the .pc file's own
# location (${pcfiledir}), because `cmake --install --prefix DIR` chooses the
# real prefix after configure time: a prefix baked in now would point at
# CMAKE_INSTALL_PREFIX whatever the install said. A distribution installs to
# the prefix it configured (/usr, with DESTDIR for staging) and wants plain
# absolute paths, which pkg-config can recognise as system directories and
# drop; so does any absolute install dir, which cannot move with the prefix.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
	set(swmsi_pc_relocatable_default OFF)
else()
	set(swmsi_pc_relocatable_default ON)
endif()
option(SWMSI_PKGCONFIG_RELOCATABLE
	"Write pkg-config files relative to their own location (\${pcfiledir})"
	${swmsi_pc_relocatable_default})
unset(swmsi_pc_relocatable_default)
if(NOT SWMSI_PKGCONFIG_RELOCATABLE
   OR IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
	set(SWMSI_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
	set(SWMSI_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
	set(SWMSI_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
	file(RELATIVE_PATH swmsi_pc_up "/${SWMSI_INSTALL_PKGCONFIGDIR}" "/")
	string(REGEX REPLACE "/$" "" swmsi_pc_up "${swmsi_pc_up}")
	set(SWMSI_PC_PREFIX "\${pcfiledir}/${swmsi_pc_up}")
	set(SWMSI_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
	set(SWMSI_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
	unset(swmsi_pc_up)
endif()
foreach(pc swmsi swmsi-mock swmsi-uapi)
	configure_file(${CMAKE_CURRENT_LIST_DIR}/${pc}.pc.in
		${SWMSI_PACKAGE_BINARY_DIR}/${pc}.pc @ONLY)
	install(FILES ${SWMSI_PACKAGE_BINARY_DIR}/${pc}.pc
		DESTINATION ${SWMSI_INSTALL_PKGCONFIGDIR}
		COMPONENT Development)
endforeach()

# CMake package: find_package(swmsi) gives swmsi::swmsi, swmsi::swmsi_static,
# swmsi::mock, swmsi::mock_static, swmsi::uapi and swmsi::uapi_static, the same names the ALIAS targets give
# an add_subdirectory() consumer.
install(EXPORT swmsiTargets
	NAMESPACE swmsi::
	FILE swmsiTargets.cmake
	DESTINATION ${SWMSI_INSTALL_CMAKEDIR}
	COMPONENT Development)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/swmsiConfig.cmake.in
	${SWMSI_PACKAGE_BINARY_DIR}/swmsiConfig.cmake
	INSTALL_DESTINATION ${SWMSI_INSTALL_CMAKEDIR}
	NO_SET_AND_CHECK_MACRO)
# SameMajorVersion mirrors the SOVERSION (the major version): a request for
# 0.1 is met by any 0.x, and 1.x is another ABI.
write_basic_package_version_file(${SWMSI_PACKAGE_BINARY_DIR}/swmsiConfigVersion.cmake
	VERSION ${PROJECT_VERSION}
	COMPATIBILITY SameMajorVersion)
install(FILES
		${SWMSI_PACKAGE_BINARY_DIR}/swmsiConfig.cmake
		${SWMSI_PACKAGE_BINARY_DIR}/swmsiConfigVersion.cmake
	DESTINATION ${SWMSI_INSTALL_CMAKEDIR}
	COMPONENT Development)

# The simulator, installed like a tool: the executable to bin/ and its man
# page to man1/ (component Tools). Called from tools/swmsi-sim once its
# target exists; linked to the installed shared library through its RPATH
# (relative, so that the install can move).
function(swmsi_install_tool target manpage)
	if(NOT SWMSI_INSTALL)
		return()
	endif()
	file(RELATIVE_PATH rel ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR})
	set_target_properties(${target} PROPERTIES INSTALL_RPATH "\$ORIGIN/${rel}")
	install(TARGETS ${target} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT Tools)
	install(FILES ${manpage} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT Tools)
endfunction()
