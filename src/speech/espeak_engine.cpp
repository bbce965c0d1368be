// SPDX-License-Identifier: GPL-3.0-or-later
#include "speech/espeak_engine.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

#include "audio/pcm16.h"

namespace warta::speech {
namespace {

// eSpeak has one global state and one global callback, so the engine that
// owns it and the buffer the callback fills are process-wide too.
std::atomic<bool> g_engine_alive{false};
std::vector<short>* g_collect = nullptr;
// (1-based character position in the text, sample) of each word eSpeak starts.
std::vector<std::pair<int, int>>* g_words = nullptr;

int collectSamples(short* wav, int count, espeak_EVENT* events) {
  if (wav != nullptr && count > 0 && g_collect != nullptr) g_collect->insert(g_collect->end(), wav, wav + count);
  for (espeak_EVENT* e = events; e != nullptr && e->type != espeakEVENT_LIST_TERMINATED; ++e)
    if (e->type == espeakEVENT_WORD && g_words != nullptr) g_words->emplace_back(e->text_position, e->sample);
  return 0;  // 0 = continue synthesis
}

// For each space-separated word of `text`, its first character's 0-based
// index in code points (eSpeak counts characters, not bytes).
std::vector<int> wordCharStarts(const std::string& text) {
  std::vector<int> starts;
  int chars = 0;
  bool in_word = false;
  for (unsigned char c : text) {
    if ((c & 0xC0) == 0x80) continue;  // a UTF-8 continuation byte: same character
    const bool space = c == ' ';
    if (!space && !in_word) starts.push_back(chars);
    in_word = !space;
    ++chars;
  }
  return starts;
}

std::string describe(espeak_ERROR code) {
  switch (code) {
    case EE_OK:
      return "EE_OK";
    case EE_INTERNAL_ERROR:
      return "EE_INTERNAL_ERROR (internal error)";
    case EE_BUFFER_FULL:
      return "EE_BUFFER_FULL (buffer full)";
    case EE_NOT_FOUND:
      return "EE_NOT_FOUND (not found)";
  }
  return "espeak error " + std::to_string(static_cast<int>(code));
}

// eSpeak pads each utterance with silence; pauses between segments are ours,
// so trim everything quieter than about -60 dBFS at both ends, keeping a few
// milliseconds so consonant onsets and releases survive.
// Returns how many samples were cut from the start.
std::size_t trimSilence(std::vector<short>& pcm, int sample_rate) {
  constexpr short kThreshold = 32;                                         // ~ -60 dBFS
  const std::size_t margin = static_cast<std::size_t>(sample_rate / 100);  // 10 ms
  auto loud = [](short s) { return std::abs(static_cast<int>(s)) > kThreshold; };
  const auto first = std::find_if(pcm.begin(), pcm.end(), loud);
  if (first == pcm.end()) {
    const std::size_t all = pcm.size();
    pcm.clear();
    return all;
  }
  const auto last = std::find_if(pcm.rbegin(), pcm.rend(), loud).base();
  std::size_t begin = static_cast<std::size_t>(first - pcm.begin());
  std::size_t end = static_cast<std::size_t>(last - pcm.begin());
  begin = begin > margin ? begin - margin : 0;
  end = std::min(pcm.size(), end + margin);
  pcm = std::vector<short>(pcm.begin() + static_cast<std::ptrdiff_t>(begin),
                           pcm.begin() + static_cast<std::ptrdiff_t>(end));
  return begin;
}

}  // namespace

// eSpeak NG 1.51 cannot be initialised again after espeak_Terminate (the
// second Terminate waits forever on its queue thread), so eSpeak is
// initialised once per process and left to the process's exit; an engine
// owns exclusive use of it, not its lifetime.
namespace {
bool g_initialised = false;
int g_rate = 0;
std::string g_data_dir;
}  // namespace

void preloadVoiceList() {
  if (g_initialised) return;
  espeak_ng_InitializePath(nullptr);  // the default data, as an engine with no data_dir uses
  espeak_ListVoices(nullptr);
}

EspeakEngine::EspeakEngine(const std::filesystem::path& data_dir) {
  bool expected = false;
  if (!g_engine_alive.compare_exchange_strong(expected, true))
    throw SpeechError("eSpeak NG is already in use in this process: only one EspeakEngine may exist at a time");
  const std::string dir = data_dir.string();
  if (g_initialised) {
    if (dir != g_data_dir) {
      g_engine_alive = false;
      throw SpeechError("eSpeak NG was initialised with data in '" + g_data_dir + "' and cannot switch to '" + dir +
                        "'");
    }
  } else {
    // DONT_EXIT: eSpeak would otherwise call exit() when its data is missing.
    const int rate =
        espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, dir.empty() ? nullptr : dir.c_str(), espeakINITIALIZE_DONT_EXIT);
    if (rate <= 0) {
      g_engine_alive = false;
      throw SpeechError("cannot initialise eSpeak NG" + (dir.empty() ? std::string() : " with data in " + dir) + ": " +
                        describe(static_cast<espeak_ERROR>(rate)) + "; is the espeak-ng-data package installed?");
    }
    espeak_SetSynthCallback(collectSamples);
    g_initialised = true;
    g_rate = rate;
    g_data_dir = dir;
  }
  owns_ = true;
  sample_rate_ = g_rate;
}

EspeakEngine::~EspeakEngine() {
  if (owns_) g_engine_alive = false;
}

EspeakEngine::EspeakEngine(EspeakEngine&& other) noexcept
    : owns_(std::exchange(other.owns_, false)),
      sample_rate_(other.sample_rate_),
      voice_key_(std::move(other.voice_key_)) {}

EspeakEngine& EspeakEngine::operator=(EspeakEngine&& other) noexcept {
  if (this != &other) {
    if (owns_) g_engine_alive = false;
    owns_ = std::exchange(other.owns_, false);
    sample_rate_ = other.sample_rate_;
    voice_key_ = std::move(other.voice_key_);
  }
  return *this;
}

void EspeakEngine::setVoice(const VoiceProfile& profile) {
  if (!owns_) throw SpeechError("eSpeak engine used after it was moved from");
  if (profile.synthesisKey() == voice_key_) return;
  const std::string name =
      profile.variant.empty() ? profile.espeak_voice : profile.espeak_voice + "+" + profile.variant;
  const espeak_ERROR err = espeak_SetVoiceByName(name.c_str());
  if (err != EE_OK)
    throw SpeechError("eSpeak NG voice '" + name + "' (profile '" + profile.name + "'): " + describe(err));
  const struct {
    espeak_PARAMETER parameter;
    int value;
  } settings[] = {{espeakRATE, profile.rate_wpm},
                  {espeakPITCH, profile.pitch},
                  {espeakRANGE, profile.pitch_range},
                  {espeakVOLUME, profile.volume}};
  for (const auto& s : settings) {
    const espeak_ERROR e = espeak_SetParameter(s.parameter, s.value, 0);
    if (e != EE_OK) throw SpeechError("eSpeak NG rejected a voice parameter: " + describe(e));
  }
  voice_key_ = profile.synthesisKey();
}

audio::Audio EspeakEngine::synthesize(const std::string& text) { return speak(text).audio; }

Speech EspeakEngine::speak(const std::string& text) {
  if (!owns_) throw SpeechError("eSpeak engine used after it was moved from");
  std::vector<short>& pcm = pcm_;
  pcm.clear();
  std::vector<std::pair<int, int>> events;
  g_collect = &pcm;
  g_words = &events;
  const espeak_ERROR err = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                        espeakCHARS_UTF8 | espeakPHONEMES, nullptr, nullptr);
  // In AUDIO_OUTPUT_SYNCHRONOUS mode espeak_Synth returns when synthesis is
  // done. espeak_Synchronize is not called: after a Terminate/Initialize cycle
  // eSpeak NG 1.51 keeps its (unused) playback queue marked busy and it never returns.
  g_collect = nullptr;
  g_words = nullptr;
  if (err != EE_OK) throw SpeechError("eSpeak NG could not speak \"" + text.substr(0, 60) + "\": " + describe(err));
  const std::size_t cut = trimSilence(pcm, sample_rate_);
  Speech out;
  out.audio.sample_rate = sample_rate_;
  out.audio.channels = 1;
  out.audio.samples.resize(pcm.size());
  std::transform(pcm.begin(), pcm.end(), out.audio.samples.begin(), [](short s) { return audio::pcm16ToFloat(s); });
  // Each event to the word its position falls in; a word eSpeak gave no
  // event (rare: punctuation alone) starts where the next one does.
  const std::vector<int> starts = wordCharStarts(text);
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  out.word_starts.assign(starts.size(), kNone);
  for (const auto& [position, sample] : events) {
    const auto after = std::upper_bound(starts.begin(), starts.end(), position - 1);
    if (after == starts.begin()) continue;
    const auto w = static_cast<std::size_t>(after - starts.begin() - 1);
    const std::size_t at =
        static_cast<std::size_t>(std::max(0, sample)) > cut ? static_cast<std::size_t>(sample) - cut : 0;
    if (out.word_starts[w] == kNone) out.word_starts[w] = std::min(at, pcm.size());
  }
  std::size_t next = pcm.size();
  for (std::size_t w = out.word_starts.size(); w-- > 0;) {
    if (out.word_starts[w] == kNone || out.word_starts[w] > next) out.word_starts[w] = next;
    next = out.word_starts[w];
  }
  return out;
}

std::string EspeakEngine::phonemes(const std::string& text) {
  if (!owns_) throw SpeechError("eSpeak engine used after it was moved from");
  // espeak_TextToPhonemes does not take "[[...]]" phoneme input: those spans
  // already are the phonemes eSpeak speaks, so they are copied through.
  std::string result;
  auto append = [&result](std::string_view part) {
    if (part.empty()) return;
    if (!result.empty()) result += ' ';
    result += part;
  };
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t open = text.find("[[", at);
    const std::size_t close = open == std::string::npos ? std::string::npos : text.find("]]", open + 2);
    const std::string words = text.substr(at, (close == std::string::npos ? text.size() : open) - at);
    const void* cursor = words.c_str();
    while (cursor != nullptr) {
      const char* clause = espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8, 0);
      if (clause == nullptr) break;
      append(clause);
    }
    if (close == std::string::npos) break;
    append(std::string_view(text).substr(open + 2, close - open - 2));
    at = close + 2;
  }
  return result;
}

std::string espeakVersion() {
  const char* version = espeak_Info(nullptr);
  return version ? version : "";
}

std::unique_ptr<Engine> makeEngine(const std::string& name) {
  if (name == "espeak-ng") return std::make_unique<EspeakEngine>();
  throw SpeechError("unknown speech engine '" + name + "' (warta has espeak-ng)");
}

}  // namespace warta::speech
