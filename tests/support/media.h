// SPDX-License-Identifier: GPL-3.0-or-later
// Decoding, measuring and scratch files for the tests of every stage. Decoding
// goes through libavformat + libavcodec, independently of warta's own
// libsndfile reader, so tests check what a real player would get.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "audio/audio.h"

namespace warta::test {

struct Decoded {
  // Every decoded sample, interleaved float, at the file's rate and channel
  // count. For MP3 the decoder's delay and the encoder's padding are already
  // trimmed (libavformat reads them from the LAME header), so
  // audio.seconds() is the playing time a gapless player gives.
  audio::Audio audio;
  // The duration the container reports (stream duration, else the format's),
  // in seconds; 0 if it reports none. For reference only: measure
  // audio.seconds(). Measured with FFmpeg 5.1 + LAME 3.100 on Mp3Writer output:
  // the decoded frame count equals the frames written exactly at 32, 44.1 and
  // 48 kHz (+2 frames at 22.05 kHz), while the container reports whole MPEG
  // frames including encoder delay and padding: 3.030 s for a 3.000 s file at
  // 44.1 kHz, up to +150 ms at 8 kHz. For FLAC and WAV both agree exactly.
  double container_seconds = 0.0;
  std::string codec;  // decoder name, e.g. "mp3float", "flac", "pcm_s16le"
};

// Decodes the first audio stream of `path` completely. Throws
// std::runtime_error (audio::AudioError) naming the file on anything
// libavformat/libavcodec report: missing file, not audio, a corrupt packet.
Decoded decodeFile(const std::filesystem::path& path);

// Format-level metadata (ID3v2 in MP3, RIFF INFO in WAV...) with lowercase
// keys as libavformat names them: "title", "artist", "album", "date", "genre",
// "comment". Throws audio::AudioError if the file cannot be opened.
std::map<std::string, std::string> readTags(const std::filesystem::path& path);

// RMS (linear) of all channels between start_s and end_s seconds, clipped to
// the audio; 0 for an empty window.
double windowRms(const audio::Audio& audio, double start_s, double end_s);

// The same in dBFS (a full-scale sine is -3.01 dB); -200 for silence.
double rmsDb(const audio::Audio& audio, double start_s, double end_s);
double rmsDb(const audio::Audio& audio);  // the whole clip

// The first time in [from, until) (seconds, 5 ms steps) where the next 10 ms
// rise above `threshold_db` dBFS RMS: where sound starts after silence. -1 if never.
double soundOnset(const audio::Audio& audio, double from, double until, double threshold_db = -45.0);

// Linear to dB, with silence floored at -200 dB.
double toDb(double linear);

// The largest |x[n+1] - x[n]| in any channel for frames [from, to) (to is
// clipped to the audio's end): how big a step, a click, the audio takes.
double maxJump(const audio::Audio& audio, std::size_t from, std::size_t to);

// A sine at `freq_hz`, peak `amplitude` (linear), identical in every channel,
// `seconds` long rounded to whole frames at `rate` Hz.
audio::Audio tone(double freq_hz, double seconds, int rate, int channels, double amplitude = 0.5);

// Writes `bytes` to `path` exactly (creating or truncating). Throws std::runtime_error.
void writeBytes(const std::filesystem::path& path, const std::string& bytes);

// The whole file as bytes. Throws std::runtime_error if it cannot be read.
std::string readText(const std::filesystem::path& path);

// The first bytes of an image of `width` x `height` pixels: a PNG signature
// and IHDR chunk, or a JPEG's SOI, APP0 (JFIF) and SOF0 frame header. Enough
// for anything that reads the size from the header; no pixels follow.
std::string pngHeader(int width, int height);
std::string jpegHeader(int width, int height);

// A fresh, empty folder named `name` for this test process: under
// <tmp>/warta-tests-<pid>/, emptied at each call, and the whole
// per-process folder removed when the process exits (kept if the environment
// sets WARTA_KEEP_TEST_FILES). The pid keeps tests that ctest runs in
// parallel from sharing folders.
std::filesystem::path tempDir(const std::string& name);

// Chapters as libavformat reads them (ID3v2 CHAP frames in MP3), in file
// order, times rescaled to milliseconds. Throws audio::AudioError if the file
// cannot be opened.
struct ReadChapter {
  std::string title;  // the chapter's "title" metadata, "" if none
  int64_t start_ms = 0, end_ms = 0;
};
std::vector<ReadChapter> readChapters(const std::filesystem::path& path);

// The attached picture (cover art) libavformat finds: the first stream with
// AV_DISPOSITION_ATTACHED_PIC. present is false if there is none.
struct ReadCover {
  bool present = false;
  std::string codec;    // "png", "mjpeg"...
  std::string bytes;    // the picture packet, i.e. the image file's bytes
  std::string comment;  // the picture type as libavformat names it, e.g. "Cover (front)"
};
ReadCover readCover(const std::filesystem::path& path);

// A strict ID3v2.3/2.4 reader written from the specification, independent of
// libavformat and of warta's encoder: a second opinion on what a tag holds.
struct Id3Frame {
  std::string id;    // four characters, e.g. "TIT2", "CHAP"
  std::string body;  // the frame's content, after its 10-byte header
};
struct Id3Tag {
  int version = 0;       // 3 or 4 (the "major version" byte)
  std::size_t size = 0;  // the whole tag in bytes, header included
  std::vector<Id3Frame> frames;
  std::size_t padding = 0;  // zero bytes after the last frame
  // The first frame with `id`, or nullptr.
  const Id3Frame* find(const std::string& id) const;
  std::vector<const Id3Frame*> all(const std::string& id) const;
};

// Parses the tag at the start of `path`. Throws std::runtime_error if there is
// none, it is not version 3 or 4, or its frames do not tile it exactly (frame
// IDs of A-Z0-9, sizes syncsafe in 2.4 and plain in 2.3, padding all zero).
Id3Tag readId3v2(const std::filesystem::path& path);

// The frames packed in `bytes` (for CHAP and CTOC subframes), same rules.
std::vector<Id3Frame> parseId3Frames(const std::string& bytes, int version);

// Text frame (T***, not TXXX): the text as UTF-8, trailing NULs removed.
// Encodings 0 (Latin-1), 1 (UTF-16 with BOM), 2 (UTF-16BE) and 3 (UTF-8).
std::string id3Text(const Id3Frame& frame);

struct Id3Comment {
  std::string language, description, text;
};
Id3Comment id3Comment(const Id3Frame& comm);

struct Id3Picture {
  std::string mime;
  int type = 0;
  std::string description;
  std::string data;
};
Id3Picture id3Picture(const Id3Frame& apic);

struct Id3Chap {
  std::string element_id;
  uint32_t start_ms = 0, end_ms = 0, start_offset = 0, end_offset = 0;
  std::vector<Id3Frame> subframes;
};
Id3Chap id3Chap(const Id3Frame& chap, int version);

struct Id3Toc {
  std::string element_id;
  bool top_level = false, ordered = false;
  std::vector<std::string> children;
  std::vector<Id3Frame> subframes;
};
Id3Toc id3Toc(const Id3Frame& ctoc, int version);

// Peak resident set size of this process so far, in kB (VmHWM), and a reset
// of that peak to the current size (writing 5 to /proc/self/clear_refs;
// false where the kernel does not allow it).
long peakRssKb();
bool resetPeakRss();

// Image files for cover-art tests, made in memory. makePng: an 8-bit RGB
// PNG (zlib-deflated, real CRCs) whose pixels vary with `seed`; makeJpeg:
// a baseline JPEG from libavcodec's mjpeg encoder. Both w x h pixels.
// makeJpeg throws audio::AudioError if the encoder is missing.
std::string makePng(int width, int height, int seed = 0);
// A PNG of the given IHDR fields around `raw`, the filtered rows exactly as
// they go into the zlib stream (deflated by zlib, real CRCs).
std::string pngFromRows(int width, int height, int colour_type, int depth, bool interlaced, const std::string& raw);
std::string makeJpeg(int width, int height);

// The number of frames decodeFile would return (same decoder setup, same
// gapless trimming), counted without keeping the samples: constant memory for
// long files. Throws audio::AudioError like decodeFile.
std::size_t countDecodedFrames(const std::filesystem::path& path);

}  // namespace warta::test
