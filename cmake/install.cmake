# SPDX-License-Identifier: GPL-3.0-or-later
# `cmake --install build [--prefix DIR]` (and debian/rules): what a station
# installs. Each section owns one kind of file.
# Included from the top-level CMakeLists.txt after src/, with GNUInstallDirs.

# ---- Programs ----
# The CLI, and the worker it spawns (not for users: in libexec, where
# render/workers.cpp looks for it relative to the program and absolutely).
install(TARGETS warta RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS warta-worker RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/warta)

# ---- Data ----
# Voice profiles and language data: PREFIX/share/warta/voices, where an
# installed warta looks (config/voice_loader.cpp) when WARTA_VOICES is unset.
install(DIRECTORY voices/ DESTINATION ${CMAKE_INSTALL_DATADIR}/warta/voices)

# ---- Documentation ----
install(FILES man/warta.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES man/warta-rundown.5 DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)

# ---- Shell completion ----
# bash-completion loads PREFIX/share/bash-completion/completions/<command> on first Tab.
install(FILES completion/warta.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME warta)

# ---- systemd units ----
# warta-bulletin@NAME.timer renders /etc/warta/NAME.yaml daily (see README).
# Debian 12 keeps units in /lib/systemd/system (debian/rules sets it); other
# prefixes use PREFIX/lib/systemd/system, which systemd also reads for /usr/local.
set(WARTA_SYSTEMD_UNIT_DIR "${CMAKE_INSTALL_PREFIX}/lib/systemd/system" CACHE PATH "where the systemd units are installed")
set(WARTA_RUNDOWN_DIR "${CMAKE_INSTALL_FULL_SYSCONFDIR}/warta" CACHE PATH "where warta-bulletin@NAME reads NAME.yaml")
configure_file(systemd/warta-bulletin@.service.in ${PROJECT_BINARY_DIR}/systemd/warta-bulletin@.service @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/systemd/warta-bulletin@.service systemd/warta-bulletin@.timer
        DESTINATION ${WARTA_SYSTEMD_UNIT_DIR})

# ---- Library (libwarta) ----
# Shared and static, the public headers, warta.pc for pkg-config and the CMake
# package (find_package(warta) gives warta::warta and warta::warta_static).
include(CMakePackageConfigHelpers)

set(WARTA_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/warta)

install(TARGETS warta_shared EXPORT wartaTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT Unspecified)
install(TARGETS warta_static EXPORT wartaStaticTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES include/warta/warta.h include/warta/error.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/warta)

install(EXPORT wartaTargets NAMESPACE warta:: DESTINATION ${WARTA_CMAKE_DIR})
install(EXPORT wartaStaticTargets NAMESPACE warta:: DESTINATION ${WARTA_CMAKE_DIR})
configure_package_config_file(cmake/wartaConfig.cmake.in ${PROJECT_BINARY_DIR}/wartaConfig.cmake
                              INSTALL_DESTINATION ${WARTA_CMAKE_DIR})
# 0.x: a new minor version may change the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/wartaConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/wartaConfig.cmake ${PROJECT_BINARY_DIR}/wartaConfigVersion.cmake
        DESTINATION ${WARTA_CMAKE_DIR})

# warta.pc finds its prefix from its own place, so an installed tree may move.
file(RELATIVE_PATH WARTA_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" WARTA_PC_TO_PREFIX "${WARTA_PC_TO_PREFIX}")
list(JOIN WARTA_DEPS_MODULES " " WARTA_PC_REQUIRES_PRIVATE)
configure_file(cmake/warta.pc.in ${PROJECT_BINARY_DIR}/warta.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/warta.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
