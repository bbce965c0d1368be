// SPDX-License-Identifier: GPL-3.0-or-later
// Name-based UUIDs (RFC 4122 version 5: SHA-1 of a namespace UUID and a name),
// the one way warta makes identifiers that stay the same for the same input:
// the talking book's dc:identifier and the feed's podcast:guid.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace warta::publish {

using Uuid = std::array<std::uint8_t, 16>;

// RFC 4122 appendix C: the namespace for names that are URLs.
inline constexpr Uuid kUrlNamespace = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                       0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
// Podcasting 2.0's "podcast" namespace for podcast:guid, ead4c236-bf58-58c6-a2c6-a6b28d128cb6.
inline constexpr Uuid kPodcastNamespace = {0xea, 0xd4, 0xc2, 0x36, 0xbf, 0x58, 0x58, 0xc6,
                                           0xa2, 0xc6, 0xa6, 0xb2, 0x8d, 0x12, 0x8c, 0xb6};

// The version 5 UUID of `name` in `ns`, lower-case "xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx".
std::string uuidV5(const Uuid& ns, std::string_view name);

}  // namespace warta::publish
