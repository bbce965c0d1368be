// Owners for the FFmpeg handles only the encode stage uses (the shared ones
// are in audio/av_handles.h): the deleters are the only places these are freed.
#pragma once

#include <cstdio>
#include <memory>

extern "C" {
#include <libavformat/avio.h>
}

namespace warta::encode {

// An AVIOContext we opened with avio_open (not one a muxer owns through
// AVFormatContext::pb). The deleter is avio_closep, which flushes first.
struct AvioDeleter { void operator()(AVIOContext* p) const { avio_closep(&p); } };
using Avio = std::unique_ptr<AVIOContext, AvioDeleter>;

// A stdio stream (chunk files). The deleter is fclose; writers flush and
// check for errors before letting it run.
struct FileCloser { void operator()(std::FILE* f) const { std::fclose(f); } };
using File = std::unique_ptr<std::FILE, FileCloser>;

}  // namespace warta::encode
