// SPDX-License-Identifier: GPL-3.0-or-later
// The `warta` command line: a thin front end over libwarta's public header
// (warta/warta.h) only. Arguments are parsed with CLI11; the help texts are
// ours (man/warta.1 is checked against them); what is printed comes from
// the library's results. Every failure is a warta::Error that main maps to
// an exit code.
#include "cli/cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "warta/warta.h"

namespace warta::cli {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void usage(const std::string& message) { throw Error(ErrorKind::Usage, message); }

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
  -j, --jobs N        cores to use: speech workers, mixing threads (default: all)
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
  -j, --jobs N        cores to use: speech workers, mixing threads (default: all)
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

const char* kExpireHelp = R"(Usage: warta expire RUNDOWN.yaml

Removes from the rundown's `deliver:` drop folders (and Rivendell drop boxes)
the editions warta delivered whose kill time has passed (the MP3's TXXX
"expires", the cart chunk's EndDate/EndTime), with their .liq sidecars, and
prints each file removed. Run it from cron or a systemd timer every minute.

Options:
  -h, --help   show this help
)";

const char* kNormalizeHelp = R"(Usage: warta normalize ARTICLE [--voice NAME] [--phonemes]

Prints the spoken form that will be synthesized, one segment per line, so an
editor can check it before air.

Options:
  --voice NAME        voice profile whose language data and lexicon are used (default id)
  --phonemes          print the eSpeak NG phonemes that are synthesized instead
  -h, --help          show this help
)";

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

// What a command's options hold once CLI11 has parsed them.
struct Parsed {
  std::vector<std::string> positional;
  std::optional<std::string> output, voice, rate, timeline, jobs, cache, each, shard, transcript;
  std::vector<std::string> lexicons;
  bool help = false, phonemes = false, talking_book = false, no_cache = false, refresh = false;
};

// The options a command takes, by their long names (and -o, -j, -h).
enum Takes : unsigned {
  kOutput = 1u << 0,
  kVoice = 1u << 1,
  kRate = 1u << 2,
  kTimeline = 1u << 3,
  kTranscript = 1u << 4,
  kJobs = 1u << 5,
  kCache = 1u << 6,
  kEach = 1u << 7,
  kShard = 1u << 8,
  kTalkingBook = 1u << 9,
  kRefresh = 1u << 10,
  kPhonemes = 1u << 11,
  kLexicon = 1u << 12,
};

// `--transcript` takes an optional word: `--transcript`, `--transcript spoken`,
// `--transcript=written`. Made explicit before CLI11 sees it, so a bare
// `--transcript` never swallows the next argument (an article).
std::vector<std::string> withTranscriptValues(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] != "--transcript") {
      out.push_back(args[i]);
      continue;
    }
    if (i + 1 < args.size() && (args[i + 1] == "spoken" || args[i + 1] == "written"))
      out.push_back("--transcript=" + args[++i]);
    else out.push_back("--transcript=written");
  }
  return out;
}

// The first argument that looks like an option CLI11 did not know.
std::string unknownOption(const CLI::App& app, const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a.size() < 2 || a[0] != '-') continue;
    const std::string name = a.substr(0, a.find('='));
    bool known = false;
    for (const CLI::Option* o : app.get_options()) known = known || o->check_name(name);
    if (!known) return name;
  }
  return "";
}

Parsed parse(const std::string& command, const std::vector<std::string>& given, unsigned takes) {
  Parsed p;
  CLI::App app{"", "warta " + command};
  app.set_help_flag();  // our own help texts
  app.add_flag("-h,--help", p.help);
  app.add_option("args", p.positional);
  if (takes & kOutput) app.add_option("-o,--output", p.output);
  if (takes & kVoice) app.add_option("--voice", p.voice);
  if (takes & kRate) app.add_option("--rate", p.rate);
  if (takes & kTimeline) app.add_option("--timeline", p.timeline);
  if (takes & kTranscript) app.add_option("--transcript", p.transcript);
  if (takes & kJobs) app.add_option("-j,--jobs", p.jobs);
  if (takes & kCache) {
    app.add_option("--cache", p.cache);
    app.add_flag("--no-cache", p.no_cache);
  }
  if (takes & kEach) app.add_option("--each", p.each);
  if (takes & kShard) app.add_option("--shard", p.shard);
  if (takes & kTalkingBook) app.add_flag("--talking-book", p.talking_book);
  if (takes & kRefresh) app.add_flag("--refresh", p.refresh);
  if (takes & kPhonemes) app.add_flag("--phonemes", p.phonemes);
  if (takes & kLexicon) app.add_option("--lexicon", p.lexicons)->allow_extra_args(false);
  const std::vector<std::string> args = withTranscriptValues(given);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes a vector last argument first
  try {
    app.parse(reversed);
  } catch (const CLI::ExtrasError&) {
    const std::string name = unknownOption(app, args);
    usage("'" + command + "' has no option '" + (name.empty() ? args.front() : name) + "'");
  } catch (const CLI::ArgumentMismatch& e) {  // "--output: 1 required TEXT missing"
    const std::string what = e.what();
    usage("option '" + what.substr(0, what.find(':')) + "' needs a value");
  } catch (const CLI::ParseError& e) {
    usage("'" + command + "': " + std::string(e.what()));
  }
  if (p.transcript && *p.transcript != "spoken" && *p.transcript != "written")
    usage("--transcript takes 'written' (the article's text, the default) or 'spoken', not '" + *p.transcript + "'");
  if (p.cache && p.no_cache) usage("--cache and --no-cache contradict each other");
  return p;
}

// An option's whole-number value in [lo, hi].
int wholeNumber(const std::string& text, const std::string& option, const std::string& unit, int lo, int hi) {
  int value = 0;
  try {
    std::size_t used = 0;
    value = std::stoi(text, &used);
    if (used != text.size()) throw std::invalid_argument("trailing text");
  } catch (const std::exception&) {
    usage(option + " must be a whole number of " + unit + ", not '" + text + "'");
  }
  if (value < lo || value > hi)
    usage(option + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) + " " + unit);
  return value;
}

int jobsOf(const Parsed& p) { return p.jobs ? wholeNumber(*p.jobs, "-j", "cores to use", 1, 1024) : 0; }

// --cache DIR, --no-cache, or the default folder, skipped with a note if it
// cannot be made (one asked for by name is the library's to refuse).
fs::path cacheOf(const Parsed& p) {
  if (p.no_cache) return {};
  if (p.cache) return *p.cache;
  const fs::path dir = defaultCacheDir();
  if (dir.empty()) return {};  // no HOME: nowhere to keep one
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (fs::is_directory(dir, ec)) return dir;
  std::cerr << "warta: note: cannot use the cache folder " << dir.string() << "; rendering without a cache\n";
  return {};
}

// Files named on the command line: a missing one is a usage error (exit 2).
void requireFiles(const std::vector<std::string>& files) {
  for (const auto& f : files) {
    if (const std::string problem = inputFileProblem(f); !problem.empty()) usage(f + ": " + problem);
  }
}

// One line for the producer on stderr: length, loudness, limiting.
void summarize(const RenderResult& r) {
  const long total = std::lround(r.seconds);
  std::cerr << "warta: " << r.output.string() << ": " << total / 60 << ':' << std::setw(2) << std::setfill('0')
            << total % 60 << std::setfill(' ') << ", leveled to " << std::fixed << std::setprecision(1)
            << r.loudness_lufs << " LUFS, limiter " << (r.limiter_db > 0 ? "-" : "") << r.limiter_db << " dB, "
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

int sayEach(const Parsed& p, std::ostream& out) {
  if (!p.positional.empty()) usage("'say --each DIR' takes no ARTICLE arguments (got '" + p.positional[0] + "')");
  if (!p.output) usage("'say --each DIR' needs -o OUTDIR");
  if (p.timeline) usage("--timeline is for one output; with --each use --transcript");
  EachOptions o;
  o.dir = *p.each;
  o.out_dir = *p.output;
  o.shard = p.shard.value_or("");
  o.voice = p.voice.value_or("id");
  if (p.rate) o.rate_wpm = wholeNumber(*p.rate, "--rate", "words per minute", 80, 450);
  o.jobs = jobsOf(p);
  o.cache_dir = cacheOf(p);
  o.transcript = p.transcript.has_value();
  o.transcript_spoken = p.transcript == "spoken";
  o.talking_book = p.talking_book;
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  o.progress_bar = terminal ? &std::cerr : nullptr;
  o.log = terminal ? nullptr : &std::cerr;
  Studio studio;
  const EachResult r = studio.render(o);
  if (r.articles == 0) {
    std::cerr << "warta: shard " << r.shard_index << '/' << r.shard_count << " of " << *p.each
              << " has no articles: nothing to do\n";
    return 0;
  }
  // stdout lists every MP3 this shard stands for, made now or already current.
  std::vector<fs::path> ready = r.written;
  ready.insert(ready.end(), r.skipped.begin(), r.skipped.end());
  std::sort(ready.begin(), ready.end());
  for (const auto& f : ready) out << f.string() << '\n';
  for (const auto& [article, error] : r.failed)
    std::cerr << "warta: " << article.string() << ": error: " << error << '\n';
  if (terminal)
    for (const auto& f : r.skipped) std::cerr << "warta: " << f.string() << ": skipped (up to date)\n";
  std::cerr << "warta: " << r.written.size() << " of " << r.articles << " articles written to " << *p.output;
  if (!r.skipped.empty()) std::cerr << ", " << r.skipped.size() << " skipped (up to date)";
  if (!r.failed.empty()) std::cerr << ", " << r.failed.size() << " failed";
  std::cerr << '\n';
  return r.failed.empty() ? 0 : 1;
}

int say(const std::vector<std::string>& args, std::ostream& out) {
  const Parsed p = parse(
      "say", args, kOutput | kVoice | kRate | kTimeline | kTranscript | kJobs | kCache | kEach | kShard | kTalkingBook);
  if (p.help) return out << kSayHelp, 0;
  if (p.each) return sayEach(p, out);
  if (p.shard) usage("--shard goes with --each");
  if (p.positional.empty()) usage("'say' needs at least one ARTICLE");
  if (!p.output) usage("'say' needs -o OUT.mp3 (or OUT.wav)");
  // Each article is a chapter and the MP3's chapter table holds 255: say so now, not after rendering.
  if (p.positional.size() > 255)
    usage("'say' takes at most 255 articles into one file (one chapter each), not " +
          std::to_string(p.positional.size()) + "; use --each for one file per article");
  requireFiles(p.positional);
  SayOptions o;
  o.output = *p.output;
  o.voice = p.voice.value_or("id");
  if (p.rate) o.rate_wpm = wholeNumber(*p.rate, "--rate", "words per minute", 80, 450);
  o.jobs = jobsOf(p);
  o.cache_dir = cacheOf(p);
  o.transcript = p.transcript.has_value();
  o.transcript_spoken = p.transcript == "spoken";
  o.talking_book = p.talking_book;
  if (p.timeline) o.timeline = *p.timeline;
  Studio studio;
  const RenderResult r = studio.render(std::vector<fs::path>(p.positional.begin(), p.positional.end()), o);
  summarize(r);
  out << r.output.string() << '\n';
  return 0;
}

Rundown rundownOf(const std::string& command, const Parsed& p) {
  if (p.positional.size() != 1) usage("'" + command + "' needs exactly one RUNDOWN.yaml");
  requireFiles(p.positional);
  return Rundown::load(p.positional[0]);
}

int build(const std::vector<std::string>& args, std::ostream& out) {
  const Parsed p = parse("build", args, kOutput | kTimeline | kTranscript | kJobs | kCache | kTalkingBook | kRefresh);
  if (p.help) return out << kBuildHelp, 0;
  const Rundown rundown = rundownOf("build", p);
  BuildOptions o;
  if (p.output) o.out_dir = *p.output;
  o.jobs = jobsOf(p);
  o.cache_dir = cacheOf(p);
  o.transcript = p.transcript.has_value();
  o.transcript_spoken = p.transcript == "spoken";
  o.talking_book = p.talking_book;
  if (p.timeline) o.timeline = *p.timeline;
  o.refresh = p.refresh;
  o.log = &std::cerr;
  Studio studio;
  const RenderResult r = studio.render(rundown, o);
  summarize(r);
  for (const std::string& failed : r.failed_sources)
    std::cerr << "warta: built without a source that failed: " << failed << '\n';
  out << r.output.string() << '\n';
  // After a successful build only; a failed target is exit 1, the built files kept.
  std::string failed;
  for (const Delivery& d : studio.deliver(rundown, r, &std::cerr)) {
    std::cerr << "warta: deliver " << d.target << ": " << (d.ok ? "ok: " : "FAILED: ") << d.detail << '\n';
    if (!d.ok) failed += (failed.empty() ? "" : ", ") + d.target;
  }
  if (!failed.empty())
    throw Error(ErrorKind::Io, "delivery failed: " + failed + " (the built files are kept in place)");
  return 0;
}

// `warta fetch`: only the sources step of a build.
int fetch(const std::vector<std::string>& args, std::ostream& out) {
  const Parsed p = parse("fetch", args, kOutput | kRefresh);
  if (p.help) return out << kFetchHelp, 0;
  const Rundown rundown = rundownOf("fetch", p);
  FetchOptions o;
  if (p.output) o.out_dir = *p.output;
  o.refresh = p.refresh;
  o.log = &std::cerr;
  for (const auto& f : Studio().fetch(rundown, o).articles) out << f.string() << '\n';
  return 0;
}

int expire(const std::vector<std::string>& args, std::ostream& out) {
  const Parsed p = parse("expire", args, 0);
  if (p.help) return out << kExpireHelp, 0;
  const Rundown rundown = rundownOf("expire", p);
  for (const auto& f : Studio().expire(rundown, std::time(nullptr))) out << f.string() << '\n';
  return 0;
}

int normalize(const std::vector<std::string>& args, std::ostream& out) {
  const Parsed p = parse("normalize", args, kVoice | kPhonemes);
  if (p.help) return out << kNormalizeHelp, 0;
  if (p.positional.size() != 1) usage("'normalize' needs exactly one ARTICLE");
  requireFiles(p.positional);
  Studio().normalize(p.positional[0], p.voice.value_or("id"), p.phonemes,
                     [&](const std::string& line) { out << line << '\n'; });
  return 0;
}

int lexicon(const std::vector<std::string>& args, std::ostream& out) {
  const bool check = !args.empty() && args[0] == "check";
  const Parsed p =
      parse("lexicon check", std::vector<std::string>(args.begin() + (check ? 1 : 0), args.end()), kVoice | kLexicon);
  if (p.help) return out << kLexiconHelp, 0;
  if (!check) usage("'lexicon' needs a subcommand: warta lexicon check ARTICLE...");
  if (p.positional.empty()) usage("'lexicon check' needs at least one ARTICLE");
  requireFiles(p.positional);
  requireFiles(p.lexicons);
  StudioOptions options;
  options.lexicons.assign(p.lexicons.begin(), p.lexicons.end());
  Studio(options).writeCheck(std::vector<fs::path>(p.positional.begin(), p.positional.end()), p.voice.value_or("id"),
                             out);
  return 0;
}

}  // namespace

int runCli(const std::vector<std::string>& args, std::ostream& out) {
  if (args.empty()) usage("no command given");
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
  usage("unknown command '" + command + "'");
}

}  // namespace warta::cli
