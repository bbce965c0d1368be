// The g2p room's one error type: language data that breaks the word-list or
// rule format (a bare e, an unknown flag, an affix with no letters). Loaders
// prefix what() with FILE:LINE.
#pragma once

#include <stdexcept>

namespace warta::g2p {

class G2pError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace warta::g2p
