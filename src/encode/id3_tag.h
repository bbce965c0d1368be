// SPDX-License-Identifier: GPL-3.0-or-later
// The ID3v2.4 tag of the MP3s warta writes, built and read with TagLib (the
// TagLib types stay in id3_tag.cpp). The muxer writes no tag of its own: the
// bytes rendered here go first into the file, then FFmpeg's Xing/LAME frame
// and the audio follow them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "encode/cover_image.h"
#include "encode/writer.h"

namespace warta::encode {

// The TXXX description under which Tags::source_key is stored.
inline constexpr char kSourceKeyDescription[] = "warta_source";

// The tag, header included, ready to be written at the start of the file,
// all but the cover's picture: when `cover` is not null, the caller writes
// cover->bytes right after these bytes (the APIC frame is last and the
// picture is its last field; the sizes in the tag count it), so the picture
// is never copied. Without a cover, the whole tag. Frames, in this order:
// TIT2, TPE1, TALB, TDRC, TCON, COMM (language "und", no description), TXXX
// kSourceKeyDescription, a TXXX per Tags::user_texts, TSSE (the libavformat
// that muxed the file), all UTF-8 and only those set; then, if there are chapters,
// a CTOC "toc" (top level, ordered) listing "ch0", "ch1", ... and one CHAP
// each, times in ms clamped to `length_ms`, byte offsets unset, with a TIT2
// subframe holding the title (cut as kMaxChapterTitleBytes says) if it has
// one; then the cover, if not null, as APIC (front cover, no description).
// No padding: music-metadata (npm) reads padding as frames and warns
// ("Invalid ID3v2.4 frame-header-ID"). The same input gives the same bytes.
std::vector<unsigned char> renderId3v24Tag(const Tags& tags, const std::vector<Chapter>& chapters,
                                           std::int64_t length_ms, const CoverImage* cover);

// The value of the TXXX frame described `description` in the ID3v2 tag of
// `mp3`, or "" if the file cannot be read, has no ID3v2 tag or no such frame.
std::string readId3UserText(const std::filesystem::path& mp3, const std::string& description);

}  // namespace warta::encode
