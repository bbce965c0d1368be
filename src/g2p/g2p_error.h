// SPDX-License-Identifier: GPL-3.0-or-later
// The g2p room's one error type: language data that breaks the word-list or
// rule format (a bare e, an unknown flag, an affix with no letters). Loaders
// prefix what() with FILE:LINE.
#pragma once

#include "warta/error.h"

#include <stdexcept>

namespace warta::g2p {

class G2pError : public warta::Error {
 public:
  explicit G2pError(const std::string& message) : Error(ErrorKind::Config, message) {}
};

}  // namespace warta::g2p
