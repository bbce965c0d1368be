// SPDX-License-Identifier: GPL-3.0-or-later
// voices/<lang>/station.yaml: the words and templates of the station's own
// segments (station/station.h). Part of warta_config.
#pragma once

#include <filesystem>

#include "station/station.h"

namespace warta::app {

// Reads `language_dir`/station.yaml. Throws ConfigError with FILE:LINE:COL.
station::StationWords loadStationWords(const std::filesystem::path& language_dir);

}  // namespace warta::app
