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
# Where the units go and what they name follow the prefix the install is run
# with (`cmake --install build --prefix P`), not the one the build was
# configured with, so one build installs right under any prefix (the Debian
# package is installed from the CI build with --prefix /usr):
#   units:    /lib/systemd/system for P=/usr (Debian 12), else P/lib/systemd/system
#             (systemd reads /usr/local/lib/systemd/system too);
#   rundowns: /etc/warta for P=/usr, /etc/opt/X/warta for P=/opt/X, else P/etc/warta
#             (as GNUInstallDirs places SYSCONFDIR);
#   ExecStart: P/bin/warta.
# WARTA_SYSTEMD_UNIT_DIR and WARTA_RUNDOWN_DIR, when set, are taken as given.
set(WARTA_SYSTEMD_UNIT_DIR "" CACHE PATH "where the systemd units are installed (empty: from the install prefix)")
set(WARTA_RUNDOWN_DIR "" CACHE PATH "where warta-bulletin@NAME reads NAME.yaml (empty: from the install prefix)")
# Build folders configured before kept the old defaults, fixed to the configured prefix: back to empty.
if(WARTA_SYSTEMD_UNIT_DIR STREQUAL "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
  set_property(CACHE WARTA_SYSTEMD_UNIT_DIR PROPERTY VALUE "")
endif()
if(WARTA_RUNDOWN_DIR STREQUAL "${CMAKE_INSTALL_FULL_SYSCONFDIR}/warta")
  set_property(CACHE WARTA_RUNDOWN_DIR PROPERTY VALUE "")
endif()
install(CODE "set(warta_unit_dir \"${WARTA_SYSTEMD_UNIT_DIR}\")
  set(warta_rundown_dir \"${WARTA_RUNDOWN_DIR}\")
  set(warta_bindir \"${CMAKE_INSTALL_BINDIR}\")
  set(warta_unit_template \"${PROJECT_SOURCE_DIR}/systemd/warta-bulletin@.service.in\")
  set(warta_unit_timer \"${PROJECT_SOURCE_DIR}/systemd/warta-bulletin@.timer\")
  set(warta_unit_out \"${PROJECT_BINARY_DIR}/systemd/warta-bulletin@.service\")")
install(CODE [[
  string(REGEX REPLACE "(.)/+$" "\\1" warta_prefix "${CMAKE_INSTALL_PREFIX}")
  if(NOT warta_unit_dir)
    if(warta_prefix STREQUAL "/usr")
      set(warta_unit_dir /lib/systemd/system)
    else()
      set(warta_unit_dir "${warta_prefix}/lib/systemd/system")
    endif()
  endif()
  if(NOT warta_rundown_dir)
    if(warta_prefix STREQUAL "/usr")
      set(warta_rundown_dir /etc/warta)
    elseif(warta_prefix MATCHES "^/opt/")
      set(warta_rundown_dir "/etc${warta_prefix}/warta")
    else()
      set(warta_rundown_dir "${warta_prefix}/etc/warta")
    endif()
  endif()
  # The template's two variables, as configure_file reads them.
  set(WARTA_RUNDOWN_DIR "${warta_rundown_dir}")
  if(IS_ABSOLUTE "${warta_bindir}")
    set(CMAKE_INSTALL_FULL_BINDIR "${warta_bindir}")
  else()
    set(CMAKE_INSTALL_FULL_BINDIR "${warta_prefix}/${warta_bindir}")
  endif()
  configure_file("${warta_unit_template}" "${warta_unit_out}" @ONLY)
  # file(INSTALL) puts DESTDIR in front and lists the files in install_manifest.txt.
  file(INSTALL DESTINATION "${warta_unit_dir}" TYPE FILE FILES "${warta_unit_out}" "${warta_unit_timer}")
]])

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
