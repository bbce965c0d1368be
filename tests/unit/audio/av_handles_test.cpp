// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <type_traits>

#include "audio/av_handles.h"
#include "audio/sndfile_handle.h"
#include "support/media.h"

using warta::audio::AudioError;
namespace av = warta::av;

template <typename Handle>
constexpr bool moveOnly = !std::is_copy_constructible_v<Handle> && !std::is_copy_assignable_v<Handle> &&
                          std::is_nothrow_move_constructible_v<Handle> && std::is_nothrow_move_assignable_v<Handle>;

static_assert(moveOnly<av::FormatInput>);
static_assert(moveOnly<av::FormatOutput>);
static_assert(moveOnly<av::CodecContext>);
static_assert(moveOnly<av::Frame>);
static_assert(moveOnly<av::Packet>);
static_assert(moveOnly<av::Swr>);
static_assert(moveOnly<warta::audio::Sndfile>);

TEST_CASE("a moved handle leaves the source null and owns the object once", "[audio][raii]") {
  av::Frame frame(av_frame_alloc());
  REQUIRE(frame);
  frame->nb_samples = 123;
  av::Frame other = std::move(frame);
  CHECK_FALSE(frame);  // NOLINT(bugprone-use-after-move): the point of the test
  REQUIRE(other);
  CHECK(other->nb_samples == 123);

  av::Packet packet(av_packet_alloc());
  av::Packet moved = std::move(packet);
  CHECK_FALSE(packet);  // NOLINT(bugprone-use-after-move)
  CHECK(moved);

  av::CodecContext codec(avcodec_alloc_context3(nullptr));
  av::CodecContext codec2;
  codec2 = std::move(codec);
  CHECK_FALSE(codec);  // NOLINT(bugprone-use-after-move)
  CHECK(codec2);

  // Null handles are fine to destroy: deleters are never called for them.
  av::FormatInput no_input;
  av::Swr no_swr;
  CHECK_FALSE(no_input);
  CHECK_FALSE(no_swr);
}

TEST_CASE("errorText gives FFmpeg's own message and check throws it", "[audio][raii]") {
  CHECK(av::errorText(AVERROR(ENOENT)).find("No such file") != std::string::npos);
  CHECK(av::errorText(AVERROR_INVALIDDATA).find("Invalid data") != std::string::npos);
  CHECK(av::check(0, "fine") == 0);
  CHECK(av::check(7, "fine") == 7);
  try {
    av::check(AVERROR(ENOMEM), "allocating the thing");
    FAIL("check did not throw");
  } catch (const AudioError& e) {
    CHECK(std::string(e.what()) == "allocating the thing: " + av::errorText(AVERROR(ENOMEM)));
  }
}

TEST_CASE("openInput names the file it cannot open", "[audio][raii]") {
  const auto dir = warta::test::tempDir("av-open-input");
  try {
    av::openInput((dir / "nothing.mp3").string());
    FAIL("openInput did not throw");
  } catch (const AudioError& e) {
    const std::string message = e.what();
    CHECK(message.find((dir / "nothing.mp3").string()) != std::string::npos);
    CHECK(message.find("No such file") != std::string::npos);
  }
}

TEST_CASE("openInput opens a real file and finds its audio stream", "[audio][raii]") {
  const auto dir = warta::test::tempDir("av-open-input-ok");
  SF_INFO info{};
  info.samplerate = 16000;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  {
    warta::audio::Sndfile file(sf_open((dir / "a.wav").c_str(), SFM_WRITE, &info));
    REQUIRE(file);
    const auto tone = warta::test::tone(440, 0.25, 16000, 1, 0.5);
    sf_writef_float(file.get(), tone.samples.data(), static_cast<sf_count_t>(tone.frames()));
  }
  const av::FormatInput input = av::openInput((dir / "a.wav").string());
  REQUIRE(input);
  REQUIRE(input->nb_streams == 1);
  CHECK(input->streams[0]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO);
  CHECK(input->streams[0]->codecpar->sample_rate == 16000);
}
