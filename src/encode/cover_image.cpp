#include "encode/cover_image.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

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
bool isJpeg(const std::string& b) { return b.size() >= 3 && byteAt(b, 0) == 0xFF && byteAt(b, 1) == 0xD8 && byteAt(b, 2) == 0xFF; }

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
    if (marker == 0xFF) { ++at; continue; }  // fill byte
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { at += 2; continue; }  // no length
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

// Decodes the whole picture: a header alone, a cut-off file or one that
// only starts like a JPEG does not give a frame of the announced size.
std::string decodeProblem(const CoverImage& image) {
  const AVCodec* codec = avcodec_find_decoder(image.kind == CoverImage::Kind::Png ? AV_CODEC_ID_PNG : AV_CODEC_ID_MJPEG);
  if (codec == nullptr) return "";  // FFmpeg without the decoder: the header checks stand
  av::quietLogs();
  av::CodecContext context(avcodec_alloc_context3(codec));
  av::Packet packet(av_packet_alloc());
  av::Frame frame(av_frame_alloc());
  if (!context || !packet || !frame) return "out of memory";
  context->err_recognition = AV_EF_EXPLODE | AV_EF_CRCCHECK;
  if (avcodec_open2(context.get(), codec, nullptr) < 0) return "cannot start the decoder";
  if (av_new_packet(packet.get(), static_cast<int>(image.bytes.size())) < 0) return "out of memory";
  std::memcpy(packet->data, image.bytes.data(), image.bytes.size());
  if (avcodec_send_packet(context.get(), packet.get()) < 0 || avcodec_send_packet(context.get(), nullptr) < 0 ||
      avcodec_receive_frame(context.get(), frame.get()) < 0)
    return "the picture does not decode";
  if (frame->width != image.width || frame->height != image.height)
    return "decodes to " + std::to_string(frame->width) + "x" + std::to_string(frame->height) + ", not the " +
           std::to_string(image.width) + "x" + std::to_string(image.height) + " its header gives";
  if (frame->decode_error_flags != 0) return "the picture is damaged";
  return "";
}

}  // namespace

CoverImage loadCoverImage(const fs::path& path) {
  const std::string name = "cover image " + path.string();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw AudioError(name + ": " + (fs::exists(path, ec) ? "not a regular file" : "no such file"));
  const auto size = fs::file_size(path, ec);
  if (ec) throw AudioError(name + ": " + ec.message());
  if (size > kMaxCoverBytes)
    throw AudioError(name + ": " + std::to_string(size) + " bytes, more than the " + std::to_string(kMaxCoverBytes >> 20) +
                     " MiB a cover may be");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw AudioError(name + ": cannot open: " + std::strerror(errno));
  CoverImage image;
  image.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) throw AudioError(name + ": read error");
  if (image.bytes.empty()) throw AudioError(name + ": empty file");
  if (isPng(image.bytes)) {
    image.kind = CoverImage::Kind::Png;
    if (!pngSize(image.bytes, image.width, image.height)) throw AudioError(name + ": PNG without a valid IHDR header");
  } else if (isJpeg(image.bytes)) {
    image.kind = CoverImage::Kind::Jpeg;
    if (!jpegSize(image.bytes, image.width, image.height)) throw AudioError(name + ": JPEG without a readable frame header");
  } else {
    throw AudioError(name + ": neither JPEG nor PNG (cover art must be one of them)");
  }
  if (image.width > kMaxCoverPixels || image.height > kMaxCoverPixels)
    throw AudioError(name + ": " + std::to_string(image.width) + "x" + std::to_string(image.height) + " pixels; at most " +
                     std::to_string(kMaxCoverPixels) + "x" + std::to_string(kMaxCoverPixels));
  if (const std::string problem = decodeProblem(image); !problem.empty()) throw AudioError(name + ": " + problem);
  return image;
}

}  // namespace warta::encode
