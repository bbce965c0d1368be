// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <filesystem>

namespace warta::app {

// A file of an installed warta, found from the file holding this code
// (libwarta.so, or the program libwarta.a is linked into) so a tree installed
// or unpacked under any prefix works: PREFIX/lib (or lib/<multiarch>, or bin)
// is one or two folders below PREFIX. `under_prefix` is relative, e.g.
// "share/warta/voices/id.yaml". Returns the absolute path if that is a regular
// file, else an empty path. Never throws.
std::filesystem::path findInstalled(const std::filesystem::path& under_prefix);

}  // namespace warta::app
