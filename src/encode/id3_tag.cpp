// SPDX-License-Identifier: GPL-3.0-or-later
#include "encode/id3_tag.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "encode/writer_detail.h"

#include <taglib/attachedpictureframe.h>
#include <taglib/chapterframe.h>
#include <taglib/commentsframe.h>
#include <taglib/id3v2header.h>
#include <taglib/id3v2synchdata.h>
#include <taglib/id3v2tag.h>
#include <taglib/mpegfile.h>
#include <taglib/tableofcontentsframe.h>
#include <taglib/textidentificationframe.h>

extern "C" {
#include <libavformat/version.h>
}

namespace warta::encode {
namespace fs = std::filesystem;
namespace id3 = TagLib::ID3v2;

namespace {

TagLib::String utf8(const std::string& text) { return TagLib::String(text, TagLib::String::UTF8); }
TagLib::ByteVector bytes(const std::string& text) {
  return TagLib::ByteVector(text.data(), static_cast<unsigned int>(text.size()));
}

std::unique_ptr<id3::Frame> textFrame(const char* id, const std::string& text) {
  auto frame = std::make_unique<id3::TextIdentificationFrame>(TagLib::ByteVector(id), TagLib::String::UTF8);
  frame->setText(utf8(text));
  return frame;
}

std::unique_ptr<id3::Frame> userTextFrame(const std::string& description, const std::string& value) {
  return std::make_unique<id3::UserTextIdentificationFrame>(utf8(description), TagLib::StringList(utf8(value)),
                                                            TagLib::String::UTF8);
}

// A title whose TIT2 subframe stays under 128 bytes, where syncsafe and plain
// sizes are the same bytes: FFmpeg's reader (id3v2.c read_chapter) reads the
// subframe size plainly, so a longer title would be lost to every libavformat player.
std::string chapterTitle(const std::string& title) {
  if (title.size() <= kMaxChapterTitleBytes) return title;
  return detail::cutUtf8(title, kMaxChapterTitleBytes - 3) + "\xe2\x80\xa6";  // ellipsis
}

std::uint32_t milliseconds(double seconds, std::int64_t length_ms) {
  return static_cast<std::uint32_t>(std::min<std::int64_t>(std::llround(seconds * 1000.0), length_ms));
}

}  // namespace

std::vector<unsigned char> renderId3v24Tag(const Tags& t, const std::vector<Chapter>& chapters, std::int64_t length_ms,
                                           const CoverImage* cover) {
  std::vector<std::unique_ptr<id3::Frame>> frames;
  const std::pair<const char*, const std::string*> texts[] = {
      {"TIT2", &t.title}, {"TPE1", &t.artist}, {"TALB", &t.album}, {"TDRC", &t.date}, {"TCON", &t.genre}};
  for (const auto& [id, value] : texts)
    if (!value->empty()) frames.push_back(textFrame(id, *value));
  if (!t.comment.empty()) {
    auto comment = std::make_unique<id3::CommentsFrame>(TagLib::String::UTF8);
    comment->setLanguage("und");
    comment->setText(utf8(t.comment));
    frames.push_back(std::move(comment));
  }
  if (!t.source_key.empty()) frames.push_back(userTextFrame(kSourceKeyDescription, t.source_key));
  for (const auto& [description, value] : t.user_texts) frames.push_back(userTextFrame(description, value));
  frames.push_back(textFrame("TSSE", LIBAVFORMAT_IDENT));

  if (!chapters.empty()) {
    auto toc = std::make_unique<id3::TableOfContentsFrame>(bytes("toc"));
    toc->setIsTopLevel(true);
    toc->setIsOrdered(true);
    for (std::size_t i = 0; i < chapters.size(); ++i) toc->addChildElement(bytes("ch" + std::to_string(i)));
    frames.push_back(std::move(toc));
    for (std::size_t i = 0; i < chapters.size(); ++i) {
      id3::FrameList titles;  // the CHAP takes ownership of its subframes
      const std::string title = chapterTitle(chapters[i].title);
      if (!title.empty()) titles.append(textFrame("TIT2", title).release());
      frames.push_back(std::make_unique<id3::ChapterFrame>(
          bytes("ch" + std::to_string(i)), milliseconds(chapters[i].start, length_ms),
          milliseconds(chapters[i].end, length_ms), 0xFFFFFFFFu, 0xFFFFFFFFu, titles));  // offsets unset
    }
  }

  // The cover's APIC goes last and its picture (the frame's last field) is
  // left out: the caller writes cover->bytes straight after the tag, so the
  // picture is never copied (a 4 MiB cover once stood four times over in
  // memory here). The frame's and the tag's sizes count it.
  std::size_t picture_size = 0;
  if (cover) {
    auto picture = std::make_unique<id3::AttachedPictureFrame>();
    picture->setTextEncoding(TagLib::String::UTF8);
    picture->setMimeType(cover->mime());
    picture->setType(id3::AttachedPictureFrame::FrontCover);
    frames.push_back(std::move(picture));
    picture_size = cover->bytes.size();
  }

  // Frames rendered one by one behind TagLib's header: Tag::render() would
  // add at least 1 KiB of padding.
  std::vector<TagLib::ByteVector> rendered;
  std::size_t body_size = picture_size;
  for (auto& frame : frames) {
    rendered.push_back(frame->render());
    body_size += rendered.back().size();
  }
  if (cover) {
    // An ID3v2.4 frame header: the ID, the size after the header as four
    // 7-bit bytes, two flag bytes (none set: the picture is stored plainly).
    TagLib::ByteVector& apic = rendered.back();
    if (apic.size() < 10 || apic.mid(0, 4) != "APIC" || apic[8] != 0 || apic[9] != 0 ||
        id3::SynchData::toUInt(apic.mid(4, 4)) != apic.size() - 10)
      throw audio::AudioError("TagLib rendered an APIC frame of an unexpected shape");
    const std::size_t size = apic.size() - 10 + picture_size;
    if (size >= (std::size_t{1} << 28)) throw audio::AudioError("cover image too large for an ID3v2 frame");
    const TagLib::ByteVector synch = id3::SynchData::fromUInt(static_cast<unsigned int>(size));
    for (unsigned int i = 0; i < 4; ++i) apic[4 + i] = synch[i];
  }
  id3::Header header;
  header.setMajorVersion(4);
  header.setTagSize(static_cast<unsigned>(body_size));
  const TagLib::ByteVector head = header.render();
  std::vector<unsigned char> tag(head.begin(), head.end());
  for (const TagLib::ByteVector& frame : rendered) tag.insert(tag.end(), frame.begin(), frame.end());
  return tag;
}

std::string readId3UserText(const fs::path& mp3, const std::string& description) {
  TagLib::MPEG::File file(mp3.c_str(), false);
  if (!file.isValid() || !file.hasID3v2Tag()) return {};
  const auto* frame = id3::UserTextIdentificationFrame::find(file.ID3v2Tag(), utf8(description));
  if (frame == nullptr) return {};
  const TagLib::StringList fields = frame->fieldList();  // the description, then the values
  return fields.size() > 1 ? fields[1].to8Bit(true) : "";
}

}  // namespace warta::encode
