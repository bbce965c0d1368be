// SPDX-License-Identifier: GPL-3.0-or-later
#include "encode/cover_image.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <system_error>
#include <vector>

#include <zlib.h>

#include "audio/audio.h"
#include "audio/av_handles.h"

namespace warta::encode {
namespace fs = std::filesystem;
using audio::AudioError;

namespace {

unsigned byteAt(const std::string& s, std::size_t i) { return static_cast<unsigned char>(s[i]); }
unsigned be16(const std::string& s, std::size_t i) { return byteAt(s, i) << 8 | byteAt(s, i + 1); }
unsigned long be32(const std::string& s, std::size_t i) {
  return static_cast<unsigned long>(be16(s, i)) << 16 | be16(s, i + 2);
}

bool isPng(const std::string& b) { return b.size() >= 8 && b.compare(0, 8, "\x89PNG\r\n\x1a\n", 8) == 0; }
bool isJpeg(const std::string& b) {
  return b.size() >= 3 && byteAt(b, 0) == 0xFF && byteAt(b, 1) == 0xD8 && byteAt(b, 2) == 0xFF;
}

// The IHDR chunk comes first: length 13, "IHDR", width, height (big-endian).
bool pngSize(const std::string& b, int& w, int& h) {
  if (b.size() < 24 || b.compare(12, 4, "IHDR") != 0) return false;
  const unsigned long width = be32(b, 16), height = be32(b, 20);
  if (width == 0 || height == 0 || width > 0x7fffffffUL || height > 0x7fffffffUL) return false;
  w = static_cast<int>(width);
  h = static_cast<int>(height);
  return true;
}

// Walks the marker segments up to the first start-of-frame (SOF0..SOF15 but
// not DHT C4, JPG C8, DAC CC), whose payload is precision, height, width.
bool jpegSize(const std::string& b, int& w, int& h) {
  std::size_t at = 2;
  while (at + 4 <= b.size()) {
    if (byteAt(b, at) != 0xFF) return false;
    const unsigned marker = byteAt(b, at + 1);
    if (marker == 0xFF) {
      ++at;
      continue;
    }  // fill byte
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      at += 2;
      continue;
    }                                                    // no length
    if (marker == 0xD9 || marker == 0xDA) return false;  // end of image or scan before any frame header
    const unsigned length = be16(b, at + 2);
    if (length < 2) return false;
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (length < 7 || at + 9 > b.size()) return false;
      h = static_cast<int>(be16(b, at + 5));
      w = static_cast<int>(be16(b, at + 7));
      return w > 0 && h > 0;
    }
    at += 2 + length;
  }
  return false;
}

// A PNG is checked by streaming it, never decoding it to pixels (a
// 3000x3000 RGBA picture of 16 bits is 72 MB): every chunk's CRC, the IHDR
// fields the specification allows, and the IDAT stream inflated through a
// small buffer to exactly the bytes the header promises, each row starting
// with a filter type 0-4. A header alone, a cut-off file or a damaged
// stream fails. (PNG specification, 2nd edition, 5.3, 7.2, 11.2.2.)
constexpr std::size_t kInflateBuffer = 64 * 1024;

struct PngLayout {
  unsigned channels = 0, depth = 0;
  bool interlaced = false;
};

std::string pngLayoutProblem(const std::string& b, PngLayout& layout) {
  if (be32(b, 8) != 13) return "IHDR is not 13 bytes";
  layout.depth = byteAt(b, 24);
  const unsigned colour = byteAt(b, 25);
  struct ColourType {
    unsigned type, channels;
    const char* depths;
  };
  static constexpr ColourType kColourTypes[] = {{0, 1, "\x01\x02\x04\x08\x10"},
                                                {2, 3, "\x08\x10"},
                                                {3, 1, "\x01\x02\x04\x08"},
                                                {4, 2, "\x08\x10"},
                                                {6, 4, "\x08\x10"}};
  for (const ColourType& c : kColourTypes)
    if (c.type == colour && std::strchr(c.depths, static_cast<int>(layout.depth)) != nullptr && layout.depth != 0)
      layout.channels = c.channels;
  if (layout.channels == 0)
    return "colour type " + std::to_string(colour) + " with bit depth " + std::to_string(layout.depth) + " is not PNG";
  if (byteAt(b, 26) != 0 || byteAt(b, 27) != 0 || byteAt(b, 28) > 1)
    return "IHDR names an unknown compression, filter or interlace method";
  layout.interlaced = byteAt(b, 28) == 1;
  return "";
}

// The filtered rows the IDAT stream holds: one pass, or Adam7's seven.
struct RowRun {
  std::uint64_t rows, row_bytes;
};
std::vector<RowRun> pngRows(const CoverImage& image, const PngLayout& layout) {
  struct Pass {
    unsigned x0, y0, dx, dy;
  };
  static constexpr Pass kWhole[] = {{0, 0, 1, 1}};
  static constexpr Pass kAdam7[] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
                                    {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
  std::vector<RowRun> runs;
  auto add = [&](const Pass& p) {
    const std::uint64_t w = (static_cast<std::uint64_t>(image.width) + p.dx - 1 - p.x0) / p.dx;
    const std::uint64_t h = (static_cast<std::uint64_t>(image.height) + p.dy - 1 - p.y0) / p.dy;
    if (w > 0 && h > 0) runs.push_back({h, (w * layout.channels * layout.depth + 7) / 8});
  };
  if (layout.interlaced)
    for (const Pass& p : kAdam7) add(p);
  else add(kWhole[0]);
  return runs;
}

std::string pngProblem(const CoverImage& image) {
  const std::string& b = image.bytes;
  PngLayout layout;
  if (std::string problem = pngLayoutProblem(b, layout); !problem.empty()) return problem;
  const std::vector<RowRun> runs = pngRows(image, layout);
  std::size_t run = 0;
  std::uint64_t row = 0, at_in_row = 0;  // position in the filtered rows
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return "out of memory";
  const std::unique_ptr<z_stream, int (*)(z_stream*)> owner(&z, inflateEnd);
  std::vector<unsigned char> out(kInflateBuffer);
  bool stream_ended = false, seen_idat = false, idat_done = false, seen_plte = false;
  std::size_t at = 8;
  while (true) {
    if (at + 12 > b.size()) return "the file ends before its IEND chunk (cut off?)";
    const unsigned long length = be32(b, at);
    if (length > b.size() - at - 12) return "a chunk runs past the end of the file (cut off?)";
    const std::string type = b.substr(at + 4, 4);
    const auto* typed = reinterpret_cast<const Bytef*>(b.data() + at + 4);
    if (crc32(crc32(0, nullptr, 0), typed, static_cast<uInt>(length + 4)) != be32(b, at + 8 + length))
      return "chunk " + type + " fails its CRC (the file is damaged)";
    if (at == 8 && type != "IHDR") return "the first chunk is not IHDR";
    if (type == "PLTE") seen_plte = true;
    if (type == "IDAT") {
      if (idat_done) return "IDAT chunks are not consecutive";
      seen_idat = true;
      z.next_in = const_cast<Bytef*>(typed + 4);
      z.avail_in = static_cast<uInt>(length);
      while (z.avail_in > 0 && !stream_ended) {
        z.next_out = out.data();
        z.avail_out = static_cast<uInt>(out.size());
        const int rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) return "the picture data does not inflate (the file is damaged)";
        stream_ended = rc == Z_STREAM_END;
        for (std::size_t i = 0, n = out.size() - z.avail_out; i < n;) {
          if (run == runs.size())
            return "the picture data holds more than its " + std::to_string(image.width) + "x" +
                   std::to_string(image.height) + " pixels";
          if (at_in_row == 0 && out[i] > 4) return "a row has an unknown filter type (the file is damaged)";
          const std::uint64_t step = std::min<std::uint64_t>(n - i, runs[run].row_bytes + 1 - at_in_row);
          i += step;
          at_in_row += step;
          if (at_in_row == runs[run].row_bytes + 1) {
            at_in_row = 0;
            if (++row == runs[run].rows) row = 0, ++run;
          }
        }
        if (rc == Z_OK && z.avail_out != 0 && z.avail_in != 0)
          return "the picture data does not inflate (the file is damaged)";
      }
    } else if (seen_idat) {
      idat_done = true;
    }
    if (type == "IEND") break;
    at += 12 + length;
  }
  if (!seen_idat) return "the picture does not decode: no IDAT chunk";
  if (byteAt(b, 25) == 3 && !seen_plte) return "an indexed-colour PNG without its PLTE palette";
  if (!stream_ended || run != runs.size())
    return "the picture data ends before its " + std::to_string(image.width) + "x" + std::to_string(image.height) +
           " pixels (the picture does not decode)";
  return "";
}

// A JPEG is decoded at an eighth of its size (FFmpeg's lowres): the whole
// entropy-coded stream is still read, so a header alone, a cut-off file or
// one that only starts like a JPEG does not give a frame of the announced
// size, while the pixels held are 1/64 of the picture's.
constexpr int kJpegLowres = 3;

std::string jpegProblem(const CoverImage& image) {
  const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_MJPEG);
  if (codec == nullptr) return "";  // FFmpeg without the decoder: the header checks stand
  av::quietLogs();
  av::CodecContext context(avcodec_alloc_context3(codec));
  av::Packet packet(av_packet_alloc());
  av::Frame frame(av_frame_alloc());
  if (!context || !packet || !frame) return "out of memory";
  context->err_recognition = AV_EF_EXPLODE | AV_EF_CRCCHECK;
  context->lowres = std::min<int>(kJpegLowres, codec->max_lowres);
  if (avcodec_open2(context.get(), codec, nullptr) < 0) return "cannot start the decoder";
  if (av_new_packet(packet.get(), static_cast<int>(image.bytes.size())) < 0) return "out of memory";
  std::memcpy(packet->data, image.bytes.data(), image.bytes.size());
  if (avcodec_send_packet(context.get(), packet.get()) < 0 || avcodec_send_packet(context.get(), nullptr) < 0 ||
      avcodec_receive_frame(context.get(), frame.get()) < 0)
    return "the picture does not decode";
  const int shift = context->lowres;
  const int want_w = -((-image.width) >> shift), want_h = -((-image.height) >> shift);  // rounded up, as FFmpeg scales
  if (frame->width != want_w || frame->height != want_h)
    return "decodes to " + std::to_string(frame->width << shift) + "x" + std::to_string(frame->height << shift) +
           ", not the " + std::to_string(image.width) + "x" + std::to_string(image.height) + " its header gives";
  if (frame->decode_error_flags != 0) return "the picture is damaged";
  return "";
}

}  // namespace

CoverImage readCoverImage(const fs::path& path) {
  const std::string name = "cover image " + path.string();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw AudioError(name + ": " + (fs::exists(path, ec) ? "not a regular file" : "no such file"));
  const auto size = fs::file_size(path, ec);
  if (ec) throw AudioError(name + ": " + ec.message());
  if (size > kMaxCoverBytes)
    throw AudioError(name + ": " + std::to_string(size) + " bytes, more than the " +
                     std::to_string(kMaxCoverBytes >> 20) +
                     " MiB a cover may be (saved as a JPEG, a 3000x3000 cover is 1-3 MB)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw AudioError(name + ": cannot open: " + std::strerror(errno));
  CoverImage image;
  // Read to its known size: grown a byte at a time, the string would reach
  // twice the file while it doubled.
  image.bytes.resize(static_cast<std::size_t>(size));
  in.read(image.bytes.data(), static_cast<std::streamsize>(size));
  if (in.bad()) throw AudioError(name + ": read error");
  image.bytes.resize(static_cast<std::size_t>(in.gcount()));
  if (image.bytes.empty()) throw AudioError(name + ": empty file");
  if (isPng(image.bytes)) {
    image.kind = CoverImage::Kind::Png;
    if (!pngSize(image.bytes, image.width, image.height)) throw AudioError(name + ": PNG without a valid IHDR header");
  } else if (isJpeg(image.bytes)) {
    image.kind = CoverImage::Kind::Jpeg;
    if (!jpegSize(image.bytes, image.width, image.height))
      throw AudioError(name + ": JPEG without a readable frame header");
  } else {
    throw AudioError(name + ": neither JPEG nor PNG (cover art must be one of them)");
  }
  if (image.width > kMaxCoverPixels || image.height > kMaxCoverPixels)
    throw AudioError(name + ": " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                     " pixels; at most " + std::to_string(kMaxCoverPixels) + "x" + std::to_string(kMaxCoverPixels));
  return image;
}

CoverImage loadCoverImage(const fs::path& path) {
  CoverImage image = readCoverImage(path);
  const std::string problem = image.kind == CoverImage::Kind::Png ? pngProblem(image) : jpegProblem(image);
  if (!problem.empty()) throw AudioError("cover image " + path.string() + ": " + problem);
  return image;
}

}  // namespace warta::encode
