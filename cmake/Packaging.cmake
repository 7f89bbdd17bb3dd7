# Installing and packaging: `cmake --install` puts rbm-studio and rbm under the prefix with a
# desktop entry, an icon, AppStream metadata, a MIME type for session files and a man page;
# `cpack -G DEB` builds the Debian package of the same files (README: "Installing on classroom
# machines"). The embedded digits are linked into both programs, so nothing else is installed.
include(GNUInstallDirs)

set(_pkg ${PROJECT_SOURCE_DIR}/packaging)
set(_id io.github.rbmstudio.RbmStudio)

foreach(_target rbm rbm-studio)
  if(TARGET ${_target})
    install(TARGETS ${_target} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT applications)
  endif()
endforeach()

if(TARGET rbm-studio)
  install(FILES ${_pkg}/${_id}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT applications)
  install(FILES ${_pkg}/${_id}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo COMPONENT applications)
  install(FILES ${_pkg}/${_id}.mime.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages
          RENAME ${_id}.xml COMPONENT applications)
  install(FILES ${_pkg}/${_id}.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps COMPONENT applications)
  install(FILES ${_pkg}/${_id}.png DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/128x128/apps COMPONENT applications)
endif()

# The package's Maintainer and its changelog's signature: a school's admin puts a real address
# here (-DRBM_PACKAGE_MAINTAINER="Name <mail>"); lintian flags the placeholder.
set(RBM_PACKAGE_MAINTAINER "RBM Studio maintainers <rbm-studio@localhost>" CACHE STRING
    "Maintainer field of the .deb (a school's admin may put themselves here)")
configure_file(${_pkg}/changelog.in ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog @ONLY)

# Debian wants man pages and the changelog compressed (gzip -n: no time stamp, same bytes each build).
find_program(RBM_GZIP gzip)
set(_doc ${CMAKE_INSTALL_DATADIR}/doc/rbm-studio)
if(RBM_GZIP)
  set(_gz ${CMAKE_CURRENT_BINARY_DIR}/packaging)
  add_custom_command(OUTPUT ${_gz}/rbm.1.gz ${_gz}/rbm-studio.1.gz ${_gz}/changelog.gz
    COMMAND ${RBM_GZIP} -9nc ${_pkg}/rbm.1 > ${_gz}/rbm.1.gz
    COMMAND ${RBM_GZIP} -9nc ${_pkg}/rbm-studio.1 > ${_gz}/rbm-studio.1.gz
    COMMAND ${RBM_GZIP} -9nc ${_gz}/changelog > ${_gz}/changelog.gz
    DEPENDS ${_pkg}/rbm.1 ${_pkg}/rbm-studio.1 ${_gz}/changelog VERBATIM)
  add_custom_target(rbm_packaging_docs ALL DEPENDS ${_gz}/rbm.1.gz ${_gz}/rbm-studio.1.gz ${_gz}/changelog.gz)
  install(FILES ${_gz}/rbm.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT applications)
  if(TARGET rbm-studio)
    install(FILES ${_gz}/rbm-studio.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT applications)
  endif()
  # A native package (version without a Debian revision): changelog.gz, not changelog.Debian.gz.
  install(FILES ${_gz}/changelog.gz DESTINATION ${_doc} COMPONENT applications)
else()
  install(FILES ${_pkg}/rbm.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT applications)
  if(TARGET rbm-studio)
    install(FILES ${_pkg}/rbm-studio.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT applications)
  endif()
endif()
install(FILES ${_pkg}/copyright DESTINATION ${_doc} COMPONENT applications)

# --- the Debian package
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME rbm-studio)
set(CPACK_PACKAGE_VENDOR "RBM Studio")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${RBM_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "train Restricted Boltzmann Machines and watch them learn")
# The long description; CPack puts the summary above it and indents it as Debian wants.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "RBM Studio trains Restricted Boltzmann Machines on handwritten
digits and shows them learning: weight filters, histograms, hidden
activity, fantasy particles and training curves update live, and a
dream panel runs Gibbs chains from a digit you draw. Made for teaching:
a classroom preset, one CD step in slow motion, and session files that
reproduce a run bit for bit on another machine.

This package holds the window (rbm-studio) and the command line (rbm).
10,000 MNIST digits are built in: nothing needs to be downloaded.")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # rbm-studio_0.1.0_amd64.deb
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# dpkg-shlibdeps finds the Depends from the libraries the programs link (Qt 6, QCustomPlot,
# libzip, zlib, libgif...). Without it (not a Debian system), the packages scripts/setup installs.
find_program(RBM_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(RBM_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
      "libqt6widgets6, libqt6gui6, libqt6core6, libqt6printsupport6, libqcustomplot2.1-qt6, libzip4, zlib1g, libgif7, libstdc++6, libc6")
endif()
# (Qt's X11 platform plugin, libqxcb, comes with libqt6gui6 on Debian 12.)

# A package for other machines must not be tuned to this one's processor: cpack says so.
set(_cpack_config ${CMAKE_CURRENT_BINARY_DIR}/RbmCPackOptions.cmake)
if(RBM_NATIVE)
  file(WRITE ${_cpack_config} "message(WARNING \"This build uses -march=native (RBM_NATIVE=ON): the package runs only on processors like this one. For classroom machines configure with -DRBM_NATIVE=OFF (README: Installing on classroom machines).\")\n")
else()
  file(WRITE ${_cpack_config} "")
endif()
set(CPACK_PROJECT_CONFIG_FILE ${_cpack_config})
include(CPack)
