// SPDX-License-Identifier: GPL-3.0-or-later
// The one owner of a libsndfile handle.
#pragma once

#include <sndfile.h>

#include <memory>

namespace warta::audio {

struct SndfileDeleter {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
using Sndfile = std::unique_ptr<SNDFILE, SndfileDeleter>;

}  // namespace warta::audio
