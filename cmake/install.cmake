# `cmake --install build [--prefix DIR]`: the `warta` program, libwarta
# (shared and static), its headers, warta.pc for pkg-config, the CMake
# package (find_package(warta) gives warta::warta and warta::warta_static)
# and the voices, in PREFIX/share/warta/voices where the program and the
# library look for them when WARTA_VOICES is unset.
include(CMakePackageConfigHelpers)

set(WARTA_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/warta)

install(TARGETS warta RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS warta_shared EXPORT wartaTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT Unspecified)
install(TARGETS warta_static EXPORT wartaStaticTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES include/warta/warta.h include/warta/error.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/warta)
install(DIRECTORY voices/ DESTINATION ${CMAKE_INSTALL_DATADIR}/warta/voices)

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
