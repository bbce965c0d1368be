// SPDX-License-Identifier: GPL-3.0-or-later
// The one owner of a stdio stream (chunk files, clip spools). The deleter is
// fclose; writers flush and check for errors before letting it run.
#pragma once

#include <cstdio>
#include <memory>

namespace warta::audio {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

}  // namespace warta::audio
