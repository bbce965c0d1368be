// SPDX-License-Identifier: GPL-3.0-or-later
#include "publish/uuid.h"

#include <new>

extern "C" {
#include <libavutil/mem.h>
#include <libavutil/sha.h>
}

namespace warta::publish {

std::string uuidV5(const Uuid& ns, std::string_view name) {
  struct AVSHA* sha = av_sha_alloc();
  if (!sha) throw std::bad_alloc();
  av_sha_init(sha, 160);
  av_sha_update(sha, ns.data(), ns.size());
  av_sha_update(sha, reinterpret_cast<const std::uint8_t*>(name.data()), name.size());
  std::uint8_t digest[20];
  av_sha_final(sha, digest);
  av_free(sha);
  digest[6] = static_cast<std::uint8_t>((digest[6] & 0x0F) | 0x50);  // version 5
  digest[8] = static_cast<std::uint8_t>((digest[8] & 0x3F) | 0x80);  // RFC 4122 variant
  std::string out;
  static const char* hex = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

}  // namespace warta::publish
