// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: reading an existing feed.xml gives its items or throws
// std::runtime_error; it never crashes or hits undefined behaviour.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "publish/feed.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)warta::publish::parseFeedItems(std::string(reinterpret_cast<const char*>(data), size));
  } catch (const std::runtime_error&) {
  }
  return 0;
}
