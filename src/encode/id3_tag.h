// Final touches to the ID3v2.4 tag FFmpeg's mp3 muxer writes (libavformat
// 5.1, id3v2enc.c), done in place after muxing:
//  - CHAP and CTOC frame sizes are written as plain 32-bit integers, where
//    ID3v2.4 wants "syncsafe" ones (7 bits per byte). Frames under 128 bytes
//    read the same either way; a longer chapter title (about 96 bytes) or a
//    CTOC of many chapters makes strict ID3v2.4 readers lose their place.
//  - The "comment" tag becomes TXXX with description "comment", since FFmpeg
//    maps no key to COMM; players show COMM as the comment.
//  - No padding: the tag ends with its last frame. Padding is legal, but
//    music-metadata (npm) reads it as frames and warns ("Invalid ID3v2.4
//    frame-header-ID", "Illegal ID3v2 tag length").
#pragma once

#include <filesystem>

namespace warta::encode {

struct Id3Repairs {
  int sizes = 0;     // CHAP/CTOC frame sizes rewritten as syncsafe integers
  int comments = 0;  // TXXX "comment" frames turned into COMM (language "und", no description)
  std::size_t padding = 0;  // bytes of padding removed
};

// Rewrites the ID3v2.4 tag at the start of `file` in place, frame order kept,
// with the repairs above. The tag shrinks to its frames (COMM is shorter than
// the TXXX it replaces; FFmpeg pads) and the rest of the file moves up.
// A CHAP/CTOC size counts as plain when a byte has its top bit set, or when
// reading it plainly, and not syncsafe, lands on the next frame. Files without
// an ID3v2.4 tag, with an unsynchronised or extended-header tag, or with frames
// that do not add up are left untouched. Throws audio::AudioError if the file
// cannot be read or written.
Id3Repairs repairId3v24Tag(const std::filesystem::path& file);

}  // namespace warta::encode
