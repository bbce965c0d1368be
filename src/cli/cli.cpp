// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/cli.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <optional>

#include "render/batch.h"
#include "render/chunk_cache.h"
#include "render/companions.h"
#include "render/lexicon_check.h"
#include "render/pipeline.h"
#include "config/rundown.h"
#include "render/run_files.h"
#include "render/story_sources.h"
#include "render/versions.h"
#include "config/voice_loader.h"
#include "render/workers.h"
#include "config/yaml_util.h"
#include "deliver/deliver.h"
#include "publish/artwork.h"
#include "encode/atomic_file.h"
#include "publish/epub.h"
#include "publish/feed.h"
#include "publish/page.h"
#include "publish/transcript.h"

namespace warta::app {
namespace fs = std::filesystem;
namespace {

const char* kMainHelp = R"(warta: Indonesian news articles to finished spoken audio.

Usage:
  warta say ARTICLE... -o OUT.mp3 [--voice NAME] [--rate WPM] [--timeline FILE] [--transcript [spoken]] [--talking-book]
  warta say --each DIR -o OUTDIR [--shard I/N|auto/N] [--voice NAME] [--rate WPM] [--transcript [spoken]] [--talking-book]
  warta build RUNDOWN.yaml [-o OUTDIR] [--timeline FILE] [--transcript [spoken]] [--talking-book] [--refresh]
  warta fetch RUNDOWN.yaml [-o OUTDIR] [--refresh]
  (say and build also take -j N, --cache DIR, --no-cache)
  warta expire RUNDOWN.yaml
  warta normalize ARTICLE [--voice NAME] [--phonemes]
  warta lexicon check ARTICLE... [--voice NAME] [--lexicon FILE]
  warta --help | COMMAND --help
  warta --version

Commands:
  say        read one or more articles into one MP3 (or WAV, by the extension of OUT)
  build      make a bulletin from a rundown: jingles, opening, stories, close
  fetch      only fetch the rundown's feed, WordPress and web page stories into OUTDIR/sources/
  expire     remove delivered editions past their `expires:` from the rundown's drop folders
  normalize  print the spoken form of an article, one segment per line
  lexicon    check: list the words not read as plain words, how they are said and why

Exit status: 0 success, 2 usage or configuration error, 1 any other failure,
128+N when say or build was stopped by signal N (SIGINT, SIGTERM, SIGHUP).
)";

const char* kSayHelp = R"(Usage: warta say ARTICLE... -o OUT.mp3 [options]
       warta say --each DIR -o OUTDIR [--shard I/N|auto/N] [options]

Reads the articles, one after another, into one audio file. With --each,
makes one MP3 per article (.txt or .md) found under DIR, in the same
relative place under OUTDIR, on all cores: a progress bar on a terminal,
one log line per article otherwise; the paths written go to stdout.
Transcripts warta wrote (*.transcript.txt) are never read as articles.
The output is mono (44.1 kHz; MP3 at 96 kb/s), mastered to -19 LUFS
integrated with true peaks under -1 dBTP: the podcast loudness for mono
(AES TD1004), which plays as loud as a -16 LUFS stereo bulletin.
An MP3 already made from the same article, voice, language data, options
and warta (a hash kept in its ID3 tag) is skipped on a rerun, so a
retried job only does what is left. A shard with no articles succeeds
(exit 0, nothing to do).

No output may be one of the files read (articles, voice and language data)
or another output: such a run stops before writing anything (exit 2).

Options:
  -o, --output FILE   output file, .mp3, .wav or .bwf (any case; required); with --each, the output folder
  --each DIR          one MP3 per article under DIR (recursively; hidden files skipped)
  --shard I/N         with --each: take only the articles whose path under DIR hashes to I
                      (of N; adding an article never moves another); auto/N takes the
                      0-based JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID, modulo N;
                      so N machines (or jobs) given 1/N .. N/N share the batch
  --voice NAME        voice profile: a name in voices/ (default id) or a path to a .yaml
  --rate WPM          pace in words per minute of the article's words, pauses included
                      (80-450; the default voice reads 110), overriding the profile
  --timeline FILE     also write where each segment and pause lies (TSV: start end kind story text)
  --transcript        also write captions OUT.vtt and OUT.srt, OUT.transcript.txt,
                      OUT.transcript.json (with word times), OUT.chapters.json and the episode
                      page OUT.html (player, chapters, transcript) beside the audio, in the
                      article's own words; `--transcript spoken` writes the spoken form instead
                      (what the voice says, for editors checking the normalization)
  --talking-book      also write OUT.epub: an EPUB 3 talking book (Media Overlays) for blind
                      readers, every sentence's text synchronized with its audio, the MP3
                      inside, one chapter per article (MP3 output only)
  -j, --jobs N        worker processes (default: one per core)
  --cache DIR         chunk cache folder (default: $WARTA_CACHE, else $XDG_CACHE_HOME/warta
                      or ~/.cache/warta);
                      unchanged stories are not rendered or encoded again
  --no-cache          render everything, keep nothing
  -h, --help          show this help
)";

const char* kBuildHelp = R"(Usage: warta build RUNDOWN.yaml [options]

Makes the bulletin the rundown describes and prints the path of the file written,
with OUT.liq beside it (its Liquidsoap annotation: cue points, no fades). With a
`deliver:` block, then checks the file decodes whole and delivers it to every
target (drop folders, a Rivendell drop box), one line each on stderr; a failed
target is exit 1 naming it, the built files kept.

Options:
  -o, --output DIR    output folder (default: the rundown's folder)
  --timeline FILE     also write where each element lies (TSV: start end kind story text)
  --transcript        also write the transcripts (.vtt, .srt, .transcript.txt, .transcript.json),
                      .chapters.json and the episode page (.html: player, chapters, transcript)
                      beside the audio, in the articles' own words (`--transcript spoken`: the spoken form)
                      (always done when the rundown has a `publish:` block, which also updates the feed)
  --talking-book      also write OUT.epub: an EPUB 3 talking book (Media Overlays) for blind
                      readers, every sentence's text synchronized with its audio, the MP3
                      inside, one chapter per story (MP3 output only)
  -j, --jobs N        worker processes (default: one per core)
  --cache DIR         chunk cache folder (default: $WARTA_CACHE, else $XDG_CACHE_HOME/warta
                      or ~/.cache/warta);
                      unchanged stories are not rendered or encoded again
  --no-cache          render everything, keep nothing
  --refresh           fetch the rundown's feeds, WordPress sites and pages again
                      instead of reading the copies saved in OUTDIR/sources/
  -h, --help          show this help
)";

const char* kFetchHelp = R"(Usage: warta fetch RUNDOWN.yaml [-o OUTDIR] [--refresh]

Fetches the rundown's `feed:`, `wordpress:` and `url:` stories into article
files under OUTDIR/sources/ (one per story, with its URL and date in front
matter) and prints their paths, so an editor can read and fix them before
`warta build`, which then reads those copies. A source that fails is named
on stderr; the exit status is 1 only when no story at all is left.

Options:
  -o, --output DIR    output folder (default: the rundown's folder)
  --refresh           fetch again even where saved copies exist
  -h, --help          show this help
)";

const char* kNormalizeHelp = R"(Usage: warta normalize ARTICLE [--voice NAME] [--phonemes]

Prints the spoken form that will be synthesized, one segment per line, so an
editor can check it before air.

Options:
  --voice NAME        voice profile whose language data and lexicon are used (default id)
  --phonemes          print the eSpeak NG phonemes that are synthesized instead
  -h, --help          show this help
)";

struct Parsed {
  std::vector<std::string> positional;
  std::optional<std::string> output, voice, rate, timeline, jobs, cache, each, shard;
  bool help = false;
  bool phonemes = false;
  bool transcript = false;
  bool transcript_spoken = false;  // --transcript spoken
  bool talking_book = false;
  bool no_cache = false;
  bool refresh = false;
};

Parsed parse(const std::string& command, const std::vector<std::string>& args,
             std::initializer_list<const char*> allowed) {
  Parsed p;
  auto allows = [&](const std::string& opt) {
    for (const char* a : allowed)
      if (opt == a) return true;
    return false;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::optional<std::string> inline_value;
    if (arg.rfind("--", 0) == 0 && arg.find('=') != std::string::npos) {
      inline_value = arg.substr(arg.find('=') + 1);
      arg = arg.substr(0, arg.find('='));
    }
    if (arg == "-h" || arg == "--help") {
      p.help = true;
      continue;
    }
    if (arg == "-" || arg.empty() || arg[0] != '-') {
      p.positional.push_back(arg);
      continue;
    }
    if (arg.size() > 2 && arg.rfind("-j", 0) == 0) {  // -j4
      inline_value = arg.substr(2);
      arg = "-j";
    }
    const std::string name = arg == "-o" ? "--output" : arg == "-j" ? "--jobs" : arg;
    if (!allows(name)) throw UsageError("'" + command + "' has no option '" + arg + "'");
    if (name == "--transcript") {  // --transcript, --transcript spoken, --transcript=written
      std::string as = inline_value.value_or("written");
      if (!inline_value && i + 1 < args.size() && (args[i + 1] == "spoken" || args[i + 1] == "written")) as = args[++i];
      if (as != "spoken" && as != "written")
        throw UsageError("--transcript takes 'written' (the article's text, the default) or 'spoken', not '" + as +
                         "'");
      p.transcript = true;
      p.transcript_spoken = as == "spoken";
      continue;
    }
    if (name == "--talking-book") {  // a flag without a value
      if (inline_value) throw UsageError("option '" + name + "' takes no value");
      p.talking_book = true;
      continue;
    }
    if (name == "--refresh") {  // a flag without a value
      if (inline_value) throw UsageError("option '" + name + "' takes no value");
      p.refresh = true;
      continue;
    }
    if (name == "--phonemes" || name == "--no-cache") {  // flags without a value
      if (inline_value) throw UsageError("option '" + name + "' takes no value");
      (name == "--phonemes" ? p.phonemes : p.no_cache) = true;
      continue;
    }
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else {
      if (i + 1 >= args.size()) throw UsageError("option '" + arg + "' needs a value");
      value = args[++i];
    }
    if (name == "--output") p.output = value;
    else if (name == "--voice") p.voice = value;
    else if (name == "--rate") p.rate = value;
    else if (name == "--timeline") p.timeline = value;
    else if (name == "--jobs") p.jobs = value;
    else if (name == "--cache") p.cache = value;
    else if (name == "--each") p.each = value;
    else if (name == "--shard") p.shard = value;
  }
  if (p.cache && p.no_cache) throw UsageError("--cache and --no-cache contradict each other");
  return p;
}

// An option's whole-number value in [lo, hi]. Throws UsageError saying what it must be.
int wholeNumber(const std::string& text, const std::string& option, const std::string& unit, int lo, int hi) {
  int value = 0;
  try {
    std::size_t used = 0;
    value = std::stoi(text, &used);
    if (used != text.size()) throw std::invalid_argument("trailing text");
  } catch (const std::exception&) {
    throw UsageError(option + " must be a whole number of " + unit + ", not '" + text + "'");
  }
  if (value < lo || value > hi)
    throw UsageError(option + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) + " " + unit);
  return value;
}

// -j N, --cache DIR, --no-cache. The default cache is skipped (with a note)
// if its folder cannot be made; one asked for by name is an error then.
RenderOptions renderOptions(const Parsed& p) {
  RenderOptions o;
  if (p.jobs) o.jobs = wholeNumber(*p.jobs, "-j", "worker processes", 1, 1024);
  if (p.no_cache) return o;
  if (p.cache) {
    o.cache = fs::path(*p.cache);
    return o;
  }
  const fs::path dir = defaultCacheDir();
  if (dir.empty()) return o;  // no HOME: nowhere to keep one
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (fs::is_directory(dir, ec)) o.cache = dir;
  else std::cerr << "warta: note: cannot use the cache folder " << dir.string() << "; rendering without a cache\n";
  return o;
}

speech::VoiceProfile voiceNamed(const std::optional<std::string>& name) {
  const std::string wanted = name.value_or("id");
  const fs::path file = findVoiceProfile(wanted, fs::current_path());
  if (file.empty())
    throw UsageError("unknown voice '" + wanted + "': no profile " + wanted + ".yaml in " + voicesDir().string() +
                     " and no such file");
  return loadVoiceProfile(file);
}

// One line for the producer on stderr: length, loudness, limiting.
void summarize(const RenderReport& r) {
  const long total = std::lround(r.seconds);
  std::cerr << "warta: " << r.output.string() << ": " << total / 60 << ':' << std::setw(2) << std::setfill('0')
            << total % 60 << std::setfill(' ') << ", leveled to " << std::fixed << std::setprecision(1) << r.target_lufs
            << " LUFS, limiter " << (r.limiter_reduction_db > 0 ? "-" : "") << r.limiter_reduction_db << " dB, "
            << r.chapters.size() << " chapter" << (r.chapters.size() == 1 ? "" : "s") << "; mastering "
            << std::setprecision(2) << r.mastering_seconds << " s, encoding " << r.encode_seconds << " s; " << r.chunks
            << " chunk" << (r.chunks == 1 ? "" : "s") << ", " << r.cached_chunks << " from cache";
  if (r.corrupt_chunks) std::cerr << " (" << r.corrupt_chunks << " damaged cache entries rendered again)";
  if (r.fitted) {  // fitted to the slot: the rate used and what was dropped
    std::cerr << "; fitted at rate " << std::showpos << std::setprecision(1) << (r.rate - 1) * 100 << std::noshowpos
              << "%, " << std::setprecision(2) << r.fill_seconds << " s filled, dropped: ";
    if (r.dropped.empty()) std::cerr << "none";
    for (std::size_t i = 0; i < r.dropped.size(); ++i) std::cerr << (i ? ", " : "") << r.dropped[i];
  }
  std::cerr << '\n';
}

// say --each writes one MP3 per article (it skips those whose TXXX source key is current, an MP3-only tag).
constexpr const char* kEachExtension = ".mp3";

// The format an output is written in (encode::outputFormat, the one rule), a bad name being the user's mistake.
encode::OutputFormat outputFormatOf(const fs::path& audio, encode::Container container) {
  if (const std::string problem = encode::outputFormatProblem(audio, container); !problem.empty())
    throw UsageError("output '" + audio.string() + "': " + problem);
  return encode::outputFormat(audio, container);
}

// A talking book holds MP3 (EPUB 3's audio types are MP3 and AAC), so a WAV output cannot have one.
void requireTalkingBookAudio(const fs::path& audio, encode::Container container) {
  if (outputFormatOf(audio, container) != encode::OutputFormat::Mp3)
    throw UsageError("--talking-book needs an MP3 output (an EPUB 3 talking book holds MP3), not '" + audio.string() +
                     "'");
}

// The podcast feed a rundown's `publish:` block keeps: its own `feed:` or feed.xml in the output folder.
fs::path feedPath(const Publish& pub, const fs::path& out_dir) {
  return pub.feed.empty() ? out_dir / "feed.xml" : pub.feed;
}

// Adds (or replaces) this episode in the rundown's podcast feed. Every URL in
// it names a file in out_dir, the folder base_url serves, so the folder works
// once uploaded: the episode, its transcripts and page, the artwork's copy.
void publishEpisode(const Rundown& rundown, const RenderReport& r, const fs::path& out_dir) {
  const Publish& pub = *rundown.publish;
  const fs::path feed = feedPath(pub, out_dir);
  publish::FeedChannel channel;
  channel.title = rundown.show;
  channel.link = pub.base_url;
  channel.description = pub.description;
  channel.author = pub.author;
  channel.email = pub.email;
  channel.category = pub.category;
  channel.explicit_content = pub.explicit_content;
  channel.self_url = publish::urlFor(pub.base_url, feed.filename().string());
  channel.guid = publish::podcastGuid(channel.self_url);
  if (pub.image) {
    const fs::path artwork = publish::artworkPathIn(out_dir, *pub.image);
    publish::copyArtwork(*pub.image, artwork);
    channel.image_url = publish::urlFor(pub.base_url, artwork.filename().string());
  }

  publish::FeedItem item;
  item.title = episodeTitle(rundown);  // "Kabar Pagi, Kamis, 12 Juni 2025": what a listener reads in the app
  std::string headlines;
  // The stories' headlines: every chapter but the show's own first one (the intro and opening).
  for (std::size_t i = 1; i < r.chapters.size(); ++i)
    headlines += (headlines.empty() ? "" : "; ") + r.chapters[i].title;
  item.description = headlines.empty() ? item.title : headlines;
  item.pub_time = publish::episodeTime(rundown.date);
  item.guid = "warta:" + rundown.show + ":" + rundown.date;  // not the title: a rebuild replaces its item
  const std::string name = r.output.filename().string();
  item.enclosure_url = publish::urlFor(pub.base_url, name);
  item.length = fs::file_size(encode::currentContent(r.output));  // the MP3 not yet renamed into place
  item.duration_seconds = std::lround(r.seconds);
  const publish::TranscriptPaths served = publish::transcriptPathsFor(r.output.filename());
  item.link = publish::urlFor(pub.base_url, served.page.string());
  item.transcript_url = publish::urlFor(pub.base_url, served.vtt.string());
  item.json_transcript_url = publish::urlFor(pub.base_url, served.json.string());
  item.chapters_url = publish::urlFor(pub.base_url, served.chapters.string());
  publish::updateFeed(feed, channel, item, pub.keep);
}

// All or nothing: the outputs of one say or build are held in their
// temporaries (encode::Publication) until every step succeeded, so a failed
// timeline, page or feed update (or a signal) leaves the previous ones as
// they were. The feed itself is not held: it is written under its lock as the
// last step before the others are renamed into place.
void stageOutputs(encode::Publication& publication, const fs::path& audio, bool transcripts, bool talking_book,
                  const std::optional<std::string>& timeline) {
  publication.stage(audio);
  if (transcripts)
    for (const auto& f : publish::transcriptPathsFor(audio).all()) publication.stage(f);
  if (talking_book) publication.stage(publish::talkingBookPathFor(audio));
  if (timeline) publication.stage(*timeline);
}

void requireFiles(const std::vector<std::string>& files) {
  for (const auto& f : files) {
    std::error_code ec;
    const fs::file_status status = fs::status(f, ec);
    if (!fs::exists(status)) throw UsageError(f + ": no such file");
    // A FIFO would block the read forever; a folder is a likely slip for --each.
    if (!fs::is_regular_file(status)) throw UsageError(f + ": is " + describeFileType(status) + ", not a regular file");
  }
}

// Everything besides the input files that changes what `say` writes (batch.h sourceKey).
std::string keyOptions(const Parsed& p, const encode::OutputSettings& settings) {
  return "transcript=" + std::to_string(p.transcript) + " spoken=" + std::to_string(p.transcript_spoken) +
         " book=" + std::to_string(p.talking_book) + " bitrate=" + std::to_string(settings.bitrate_kbps) +
         " channels=" + std::to_string(settings.channels);
}

int say(const std::vector<std::string>& args, std::ostream& out) {
  const Parsed p = parse("say", args,
                         {"--output", "--voice", "--rate", "--timeline", "--transcript", "--jobs", "--cache",
                          "--no-cache", "--each", "--shard", "--talking-book"});
  if (p.help) return out << kSayHelp, 0;
  if (p.each) {
    if (!p.positional.empty())
      throw UsageError("'say --each DIR' takes no ARTICLE arguments (got '" + p.positional[0] + "')");
    if (!p.output) throw UsageError("'say --each DIR' needs -o OUTDIR");
    if (p.timeline) throw UsageError("--timeline is for one output; with --each use --transcript");
    std::error_code ec;
    if (!fs::is_directory(*p.each, ec)) throw UsageError(*p.each + ": no such folder");
  } else {
    if (p.shard) throw UsageError("--shard goes with --each");
    if (p.positional.empty()) throw UsageError("'say' needs at least one ARTICLE");
    if (!p.output) throw UsageError("'say' needs -o OUT.mp3 (or OUT.wav)");
    // Each article is a chapter and the MP3's chapter table holds 255: say so now, not after rendering.
    if (p.positional.size() > 255)
      throw UsageError("'say' takes at most 255 articles into one file (one chapter each), not " +
                       std::to_string(p.positional.size()) + "; use --each for one file per article");
    requireFiles(p.positional);
  }
  speech::VoiceProfile voice = voiceNamed(p.voice);
  if (p.rate) voice.rate_wpm = wholeNumber(*p.rate, "--rate", "words per minute", 80, 450);
  const RenderOptions options = renderOptions(p);
  // Listening to an article: speech only, so mono at a speech-friendly bit rate.
  encode::OutputSettings settings;
  settings.channels = 1;
  settings.bitrate_kbps = 96;
  settings.tags.genre = "Speech";
  if (p.each) {
    const Shard shard = p.shard ? parseShard(*p.shard, [](const char* name) { return std::getenv(name); }) : Shard{};
    // Every shard's articles and outputs are checked, so shards never write onto each other's files.
    const std::vector<fs::path> all = listArticles(*p.each);
    RunFiles files;
    addVoiceInputs(files, voice);
    for (const auto& a : all) files.reads(a, "article");
    for (const auto& a : all) {
      const fs::path audio = outputFor(a, *p.each, *p.output, kEachExtension);
      files.writes(audio, "MP3 of " + a.string());
      if (p.transcript) addTranscriptOutputs(files, audio);
      if (p.talking_book) addTalkingBookOutput(files, audio);
    }
    if (options.cache) files.deletesUnder(*options.cache / "chunks", "chunk cache");
    files.check();
    if (all.empty()) throw UsageError(*p.each + ": no articles (.txt or .md)");
    const std::vector<fs::path> articles = shareOf(all, *p.each, shard);
    // A job array has more shards than some batches have articles: an empty share is done, not wrong.
    if (articles.empty()) {
      std::cerr << "warta: shard " << shard.index << '/' << shard.count << " of " << *p.each
                << " has no articles: nothing to do\n";
      return 0;
    }
    std::vector<std::string> keys;
    const std::string inputs_key = inputsKey(voice, keyOptions(p, settings));
    for (const auto& a : articles) keys.push_back(sourceKey({a}, inputs_key));
    BatchJob batch;
    batch.articles = articles;
    batch.dir = *p.each;
    batch.out_dir = *p.output;
    batch.extension = kEachExtension;
    batch.voice = voice;
    batch.settings = settings;
    batch.cache = options.cache;
    batch.keys = keys;
    if (p.transcript) batch.transcript = p.transcript_spoken ? TranscriptText::Spoken : TranscriptText::Written;
    batch.talking_book = p.talking_book;
    const bool terminal = ::isatty(STDERR_FILENO) == 1;
    const BatchResult result =
        sayEach(batch, options.jobs, terminal ? &std::cerr : nullptr, terminal ? nullptr : &std::cerr);
    // stdout lists every MP3 this shard stands for, made now or already current.
    std::vector<fs::path> ready = result.written;
    ready.insert(ready.end(), result.skipped.begin(), result.skipped.end());
    std::sort(ready.begin(), ready.end());
    for (const auto& f : ready) out << f.string() << '\n';
    for (const auto& [article, error] : result.failed)
      std::cerr << "warta: " << article.string() << ": error: " << error << '\n';
    if (terminal)
      for (const auto& f : result.skipped) std::cerr << "warta: " << f.string() << ": skipped (up to date)\n";
    std::cerr << "warta: " << result.written.size() << " of " << articles.size() << " articles written to "
              << *p.output;
    if (!result.skipped.empty()) std::cerr << ", " << result.skipped.size() << " skipped (up to date)";
    if (!result.failed.empty()) std::cerr << ", " << result.failed.size() << " failed";
    std::cerr << '\n';
    return result.failed.empty() ? 0 : 1;
  }
  const bool mp3 = outputFormatOf(*p.output, settings.container) == encode::OutputFormat::Mp3;
  if (p.talking_book) requireTalkingBookAudio(*p.output, settings.container);
  std::vector<fs::path> articles(p.positional.begin(), p.positional.end());
  RunFiles files;
  addVoiceInputs(files, voice);
  for (const auto& a : articles) files.reads(a, "article");
  files.writes(*p.output, "audio output");
  if (p.transcript) addTranscriptOutputs(files, *p.output);
  if (p.talking_book) addTalkingBookOutput(files, *p.output);
  if (p.timeline) files.writes(*p.timeline, "timeline");
  if (options.cache) files.deletesUnder(*options.cache / "chunks", "chunk cache");
  files.check();
  if (mp3) settings.tags.source_key = sourceKey(articles, inputsKey(voice, keyOptions(p, settings)));
  encode::Publication publication;
  stageOutputs(publication, *p.output, p.transcript, p.talking_book, p.timeline);
  const RenderReport report = sayArticles(articles, *p.output, voice, settings, {}, options);
  throwIfInterrupted();
  if (p.timeline) writeTimeline(report, *p.timeline);
  if (p.transcript)
    writeTranscriptFiles(report, p.transcript_spoken ? TranscriptText::Spoken : TranscriptText::Written);
  if (p.talking_book) writeTalkingBookFile(report, {});
  throwIfInterrupted();
  publication.commitAll();
  summarize(report);
  out << report.output.string() << '\n';
  return 0;
}

// ---- delivery (deliver/deliver.h) ----

// The edition as built, for the delivery's checks and the cart chunk.
deliver::Edition editionOf(const Rundown& rundown, const RenderReport& report, std::time_t build_time) {
  deliver::Edition e;
  e.audio = report.output;
  e.seconds = report.seconds;
  e.lufs = report.cues.integrated_lufs;
  e.target_lufs = report.target_lufs;
  e.schedule = scheduleOf(rundown, build_time);
  e.title = rundown.output.tags.title;
  e.artist = rundown.station;
  for (const auto& c : report.chapters) e.tag_text += (e.tag_text.empty() ? "" : "; ") + c.title;
  for (const auto& t : report.timeline) {
    if (t.kind == "intro") e.intro_end = t.end;
    if (!t.spoken.empty() || (t.kind == "closing" && !t.label.empty()))
      e.last_words = t.label.empty() ? t.spoken : t.label;
  }
  // The cart's OutCue holds 64 bytes: the last words, whole.
  if (e.last_words.size() > 60) {
    const std::size_t space = e.last_words.find(' ', e.last_words.size() - 60);
    e.last_words = e.last_words.substr(space == std::string::npos ? e.last_words.size() - 60 : space + 1);
  }
  return e;
}

// Delivers to every target, one summary line each on stderr; a failed one is
// an Io error (exit 1) naming it, the built files staying where they are.
void deliverEdition(const Rundown& rundown, const RenderReport& report, std::time_t build_time) {
  if (rundown.deliver.empty()) return;
  for (const auto& f : deliver::expireDelivered(rundown.deliver, build_time))
    std::cerr << "warta: expired: removed " << f.string() << '\n';
  std::string failed;
  for (const auto& r : deliver::deliverAll(editionOf(rundown, report, build_time), rundown.deliver)) {
    std::cerr << "warta: deliver " << r.target << ": " << (r.ok ? "ok: " : "FAILED: ") << r.detail << '\n';
    if (!r.ok) failed += (failed.empty() ? "" : ", ") + r.target;
  }
  if (!failed.empty())
    throw Error(ErrorKind::Io, "delivery failed: " + failed + " (the built files are kept in place)");
}

const char* kExpireHelp = R"(Usage: warta expire RUNDOWN.yaml

Removes from the rundown's `deliver:` drop folders (and Rivendell drop boxes)
the editions warta delivered whose kill time has passed (the MP3's TXXX
"expires", the cart chunk's EndDate/EndTime), with their .liq sidecars, and
prints each file removed. Run it from cron or a systemd timer every minute.

Options:
  -h, --help   show this help
)";

int expire(const std::vector<std::string>& args, std::ostream& out) {
  const Parsed p = parse("expire", args, {});
  if (p.help) return out << kExpireHelp, 0;
  if (p.positional.size() != 1) throw UsageError("'expire' needs exactly one RUNDOWN.yaml");
  requireFiles(p.positional);
  const Rundown rundown = loadRundown(p.positional[0]);
  for (const auto& f : deliver::expireDelivered(rundown.deliver, std::time(nullptr))) out << f.string() << '\n';
  return 0;
}

int build(const std::vector<std::string>& args, std::ostream& out) {
  const Parsed p = parse(
      "build", args,
      {"--output", "--timeline", "--transcript", "--jobs", "--cache", "--no-cache", "--talking-book", "--refresh"});
  if (p.help) return out << kBuildHelp, 0;
  if (p.positional.size() != 1) throw UsageError("'build' needs exactly one RUNDOWN.yaml");
  requireFiles(p.positional);
  Rundown rundown = loadRundown(p.positional[0]);
  const fs::path out_dir = p.output ? fs::path(*p.output) : rundown.path.parent_path();
  const StorySourcesReport fetched = fetchStorySources(rundown, {out_dir, p.refresh}, std::cerr);
  const RenderOptions options = renderOptions(p);
  RunFiles files;
  addRundownInputs(files, rundown);
  const fs::path audio = bulletinPath(rundown, out_dir);
  files.writes(audio, "bulletin");
  if (p.transcript || rundown.publish) addTranscriptOutputs(files, audio);
  if (p.talking_book) requireTalkingBookAudio(audio, rundown.output.container);
  if (p.talking_book) addTalkingBookOutput(files, audio);
  if (p.timeline) files.writes(*p.timeline, "timeline");
  files.writes(deliver::annotationPathFor(audio), "Liquidsoap annotation");
  if (rundown.publish) {
    files.writes(feedPath(*rundown.publish, out_dir), "podcast feed");  // its lock lives outside (feedLockPath)
    if (const auto& image = rundown.publish->image) {
      const fs::path artwork = publish::artworkPathIn(out_dir, *image);
      if (!publish::sameFile(*image, artwork)) files.writes(artwork, "feed artwork copy");  // else already served
    }
  }
  if (options.cache) files.deletesUnder(*options.cache / "chunks", "chunk cache");
  files.check();
  // A feed warta could not update (ill-formed, a DOCTYPE) stops the build now, not after rendering.
  if (rundown.publish) publish::checkExistingFeed(feedPath(*rundown.publish, out_dir));
  encode::Publication publication;
  stageOutputs(publication, audio, p.transcript || rundown.publish, p.talking_book, p.timeline);
  publication.stage(deliver::annotationPathFor(audio));
  const std::time_t build_time = std::time(nullptr);
  // The feed is not held, but what a killed update left of it goes too.
  if (rundown.publish) encode::removeStaleTemporaries(feedPath(*rundown.publish, out_dir), std::chrono::hours(24));
  const RenderReport report = buildBulletin(rundown, out_dir, options);
  throwIfInterrupted();
  if (p.timeline) writeTimeline(report, *p.timeline);
  encode::writeFileAtomically(deliver::annotationPathFor(audio),
                              deliver::liquidsoapAnnotation(report.cues, audio) + "\n");
  if (p.transcript || rundown.publish)
    writeTranscriptFiles(report, p.transcript_spoken ? TranscriptText::Spoken : TranscriptText::Written,
                         episodeTitle(rundown));
  if (p.talking_book) {
    publish::BookInfo info;
    info.title = episodeTitle(rundown);
    info.author = rundown.publish && !rundown.publish->author.empty() ? rundown.publish->author : rundown.station;
    info.publisher = rundown.station;
    info.date = rundown.date;
    writeTalkingBookFile(report, info);
  }
  throwIfInterrupted();
  if (rundown.publish) publishEpisode(rundown, report, out_dir);  // last: nothing after it can fail but the renames
  publication.commitAll();
  if (!fetched.fetched.empty()) sources::recordAired(out_dir, rundown.outputName(), fetched.fetched);
  summarize(report);
  for (const std::string& failed : fetched.failed)
    std::cerr << "warta: built without a source that failed: " << failed << '\n';
  out << report.output.string() << '\n';
  deliverEdition(rundown, report, build_time);  // after a successful build only
  return 0;
}

// `warta fetch`: only the sources step of a build (render/story_sources.h).
int fetch(const std::vector<std::string>& args, std::ostream& out) {
  const Parsed p = parse("fetch", args, {"--output", "--refresh"});
  if (p.help) return out << kFetchHelp, 0;
  if (p.positional.size() != 1) throw UsageError("'fetch' needs exactly one RUNDOWN.yaml");
  requireFiles(p.positional);
  Rundown rundown = loadRundown(p.positional[0]);
  const fs::path out_dir = p.output ? fs::path(*p.output) : rundown.path.parent_path();
  const StorySourcesReport fetched = fetchStorySources(rundown, {out_dir, p.refresh}, std::cerr);
  for (const auto& story : fetched.fetched) out << story.file.string() << '\n';
  return 0;
}

int normalize(const std::vector<std::string>& args, std::ostream& out) {
  const Parsed p = parse("normalize", args, {"--voice", "--phonemes"});
  if (p.help) return out << kNormalizeHelp, 0;
  if (p.positional.size() != 1) throw UsageError("'normalize' needs exactly one ARTICLE");
  requireFiles(p.positional);
  const speech::VoiceProfile voice = voiceNamed(p.voice);
  Narrator narrator;
  narrator.prepareEach(p.positional[0], voice, text::kMaxCheckedArticleBytes, [&](const text::Segment& segment) {
    out << (p.phonemes ? narrator.phonemes(segment.spoken, voice)
                       : text::displayForm(segment.spoken, narrator.normalizer(voice).lexicon()))
        << '\n';
  });
  return 0;
}

// ---- warta lexicon check (app/lexicon_check.h) ----

const char* kLexiconHelp = R"(Usage: warta lexicon check ARTICLE... [--voice NAME] [--lexicon FILE]...

Lists every token of the articles that is not read as a plain word (acronyms,
numbers, dates, mixed tokens, lexicon words, unknown names) with how it will
be said and why, one line each: FILE:LINE  written  ->  spoken  (why).
Guesses come first: fix the wrong ones in a lexicon before air.

Options:
  --voice NAME        voice profile whose language data and lexicon are used (default id)
  --lexicon FILE      also use this lexicon (.yaml or W3C .pls), as a rundown's
                      `lexicons:` do; may be given more than once, later ones win
  -h, --help          show this help
)";

int lexicon(const std::vector<std::string>& args, std::ostream& out) {
  const bool check = !args.empty() && args[0] == "check";
  // --lexicon may repeat, which parse() does not do: taken out here.
  std::vector<std::string> rest;
  std::vector<fs::path> lexicons;
  for (std::size_t i = check ? 1 : 0; i < args.size(); ++i) {
    if (args[i].rfind("--lexicon=", 0) == 0) {
      lexicons.emplace_back(args[i].substr(10));
    } else if (args[i] == "--lexicon") {
      if (i + 1 >= args.size()) throw UsageError("option '--lexicon' needs a value");
      lexicons.emplace_back(args[++i]);
    } else {
      rest.push_back(args[i]);
    }
  }
  const Parsed p = parse("lexicon check", rest, {"--voice"});
  if (p.help) return out << kLexiconHelp, 0;
  if (!check) throw UsageError("'lexicon' needs a subcommand: warta lexicon check ARTICLE...");
  if (p.positional.empty()) throw UsageError("'lexicon check' needs at least one ARTICLE");
  requireFiles(p.positional);
  for (const auto& l : lexicons) requireFiles({l.string()});
  return lexiconCheck(p.positional, voiceNamed(p.voice), out, lexicons);
}

}  // namespace

int runCli(const std::vector<std::string>& args, std::ostream& out) {
  if (args.empty()) throw UsageError("no command given");
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "-h" || command == "--help" || command == "help") return out << kMainHelp, 0;
  if (command == "--version") {
    const Versions v = versions();
    out << "warta " << v.warta << " (revision " << v.revision << ")\n"
        << "eSpeak NG " << v.espeak_ng << "\nLAME " << v.lame << "\nFFmpeg " << v.ffmpeg << " (libavcodec "
        << v.libavcodec << ")\n";
    return 0;
  }
  if (command == "say") return say(rest, out);
  if (command == "build") return build(rest, out);
  if (command == "fetch") return fetch(rest, out);
  if (command == "expire") return expire(rest, out);
  if (command == "normalize") return normalize(rest, out);
  if (command == "lexicon") return lexicon(rest, out);
  throw UsageError("unknown command '" + command + "'");
}

}  // namespace warta::app
