# SPDX-License-Identifier: GPL-3.0-or-later
# `cmake --install build [--prefix DIR]` (and debian/rules): what a station
# installs. Each section owns one kind of file; the branches adding the
# library and its headers (issue 15) add their own sections here.
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
