#include "encode/id3_tag.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "audio/audio.h"

namespace warta::encode {
namespace fs = std::filesystem;
using audio::AudioError;

namespace {

using Bytes = std::vector<unsigned char>;

uint32_t be32(const unsigned char* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | uint32_t{p[3]};
}
uint32_t syncsafe(const unsigned char* p) {
  return uint32_t{p[0] & 0x7fu} << 21 | uint32_t{p[1] & 0x7fu} << 14 | uint32_t{p[2] & 0x7fu} << 7 | uint32_t{p[3] & 0x7fu};
}
bool isSyncsafe(const unsigned char* p) { return ((p[0] | p[1] | p[2] | p[3]) & 0x80) == 0; }
void putSyncsafe(Bytes& out, std::size_t n) {
  for (int shift : {21, 14, 7, 0}) out.push_back(static_cast<unsigned char>(n >> shift & 0x7f));
}

bool frameIdChar(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Whether the tag body may continue at `at`: a frame ID, padding, or the end.
bool frameBoundary(const Bytes& tag, std::size_t at) {
  if (at == tag.size()) return true;
  if (at > tag.size()) return false;
  if (tag[at] == 0) return true;
  if (at + 10 > tag.size()) return false;
  for (std::size_t i = 0; i < 4; ++i)
    if (!frameIdChar(tag[at + i])) return false;
  return true;
}

struct Frame {
  std::string id;
  unsigned char flags[2] = {0, 0};
  Bytes body;
};

// The frames of a v2.4 tag body, or nothing if they do not add up.
std::optional<std::vector<Frame>> parse(const Bytes& tag, Id3Repairs& repairs) {
  std::vector<Frame> frames;
  std::size_t at = 0;
  while (at < tag.size() && tag[at] != 0) {
    if (!frameBoundary(tag, at) || at + 10 > tag.size()) return std::nullopt;
    const unsigned char* size = tag.data() + at + 4;
    Frame frame;
    frame.id.assign(reinterpret_cast<const char*>(tag.data() + at), 4);
    std::size_t length = syncsafe(size);
    const std::size_t body = at + 10;
    if (frame.id == "CHAP" || frame.id == "CTOC") {
      const std::size_t plain = be32(size);
      if (plain != length && frameBoundary(tag, body + plain) &&
          (!isSyncsafe(size) || !frameBoundary(tag, body + length))) {
        length = plain;
        ++repairs.sizes;
      }
    } else if (!isSyncsafe(size)) {
      return std::nullopt;
    }
    if (body + length > tag.size()) return std::nullopt;
    frame.flags[0] = tag[at + 8];
    frame.flags[1] = tag[at + 9];
    frame.body.assign(tag.begin() + static_cast<std::ptrdiff_t>(body), tag.begin() + static_cast<std::ptrdiff_t>(body + length));
    frames.push_back(std::move(frame));
    at = body + length;
  }
  for (; at < tag.size(); ++at)
    if (tag[at] != 0) return std::nullopt;  // padding must be zeros
  return frames;
}

// TXXX: encoding, description NUL, value [NUL]. A UTF-8 or Latin-1 "comment"
// becomes COMM: encoding, language, empty description NUL, text.
bool commentToComm(Frame& frame) {
  if (frame.id != "TXXX" || frame.body.empty() || (frame.body[0] != 0 && frame.body[0] != 3)) return false;
  static const char kDescription[] = "comment";  // with its NUL: 8 bytes
  if (frame.body.size() < 1 + sizeof kDescription || std::memcmp(frame.body.data() + 1, kDescription, sizeof kDescription) != 0)
    return false;
  Bytes text(frame.body.begin() + 1 + sizeof kDescription, frame.body.end());
  while (!text.empty() && text.back() == 0) text.pop_back();
  Bytes body{frame.body[0], 'u', 'n', 'd', 0};
  body.insert(body.end(), text.begin(), text.end());
  frame.id = "COMM";
  frame.body = std::move(body);
  return true;
}

}  // namespace

Id3Repairs repairId3v24Tag(const fs::path& file) {
  const std::string name = file.string();
  std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
  if (!io) throw AudioError(name + ": cannot open to finish the ID3v2 tag: " + std::strerror(errno));
  unsigned char header[10] = {};
  if (!io.read(reinterpret_cast<char*>(header), 10)) return {};  // too short to hold a tag
  if (std::memcmp(header, "ID3", 3) != 0 || header[3] != 4 || !isSyncsafe(header + 6)) return {};
  if (header[5] & 0xC0) return {};  // unsynchronised or extended header: not what FFmpeg writes
  Bytes tag(syncsafe(header + 6));
  if (!io.read(reinterpret_cast<char*>(tag.data()), static_cast<std::streamsize>(tag.size())))
    throw AudioError(name + ": ID3v2 tag is cut short");

  Id3Repairs repairs;
  auto frames = parse(tag, repairs);
  if (!frames) return {};
  for (Frame& frame : *frames)
    if (commentToComm(frame)) ++repairs.comments;

  Bytes out;
  out.reserve(tag.size());
  for (const Frame& frame : *frames) {
    out.insert(out.end(), frame.id.begin(), frame.id.end());
    putSyncsafe(out, frame.body.size());
    out.push_back(frame.flags[0]);
    out.push_back(frame.flags[1]);
    out.insert(out.end(), frame.body.begin(), frame.body.end());
  }
  if (out.size() > tag.size()) return {};  // cannot happen: nothing grew
  if (repairs.sizes == 0 && repairs.comments == 0 && out.size() == tag.size()) return repairs;
  repairs.padding = tag.size() - out.size();
  // The tag shrinks to its frames, and what follows moves up behind it.
  Bytes head{'I', 'D', '3', 4, 0, header[5]};
  putSyncsafe(head, out.size());
  io.seekp(0);
  io.write(reinterpret_cast<const char*>(head.data()), static_cast<std::streamsize>(head.size()));
  io.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
  std::size_t read_at = 10 + tag.size(), write_at = 10 + out.size();
  std::vector<char> block(1 << 16);
  while (io && repairs.padding > 0) {
    io.seekg(static_cast<std::streamoff>(read_at));
    io.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto n = static_cast<std::size_t>(io.gcount());
    io.clear();  // the last block reads up to the end of the file
    if (n == 0) break;
    io.seekp(static_cast<std::streamoff>(write_at));
    io.write(block.data(), static_cast<std::streamsize>(n));
    read_at += n;
    write_at += n;
  }
  io.flush();
  if (!io) throw AudioError(name + ": cannot rewrite the ID3v2 tag: " + std::strerror(errno));
  io.close();
  if (repairs.padding > 0) {
    std::error_code ec;
    fs::resize_file(file, write_at, ec);
    if (ec) throw AudioError(name + ": cannot rewrite the ID3v2 tag: " + ec.message());
  }
  return repairs;
}

}  // namespace warta::encode
