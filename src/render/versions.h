// SPDX-License-Identifier: GPL-3.0-or-later
// What this warta is and the engines it runs with, for `warta --version` and
// bug reports: the library versions are asked of the libraries loaded now,
// not of the headers it was built with.
#pragma once

#include <string>

namespace warta::app {

struct Versions {
  std::string warta;       // the project version, e.g. "0.1.0"
  std::string revision;    // `git describe` when the build was configured, "unknown" outside git
  std::string espeak_ng;   // espeak_Info(), e.g. "1.51"
  std::string lame;        // get_lame_version(), e.g. "3.100"
  std::string ffmpeg;      // av_version_info(), e.g. "5.1.6-0+deb12u1"
  std::string libavcodec;  // avcodec_version() as MAJOR.MINOR.MICRO
};

Versions versions();

}  // namespace warta::app
