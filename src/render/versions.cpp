// SPDX-License-Identifier: GPL-3.0-or-later
#include "render/versions.h"

#include <lame/lame.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
}

#include "speech/espeak_engine.h"

namespace warta::app {

Versions versions() {
  Versions v;
  v.warta = WARTA_VERSION;
  v.revision = WARTA_REVISION;
  v.espeak_ng = speech::espeakVersion();
  v.lame = get_lame_version();
  v.ffmpeg = av_version_info();
  const unsigned codec = avcodec_version();
  v.libavcodec = std::to_string(AV_VERSION_MAJOR(codec)) + "." + std::to_string(AV_VERSION_MINOR(codec)) + "." +
                 std::to_string(AV_VERSION_MICRO(codec));
  return v;
}

}  // namespace warta::app
