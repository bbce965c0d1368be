// SPDX-License-Identifier: GPL-3.0-or-later
// say_one: renders one article to an MP3 with libwarta, showing what will be
// said first. Uses nothing but <warta/warta.h>.
//
//   say_one ARTICLE OUT.mp3 [VOICE]
//
// Voices come from $WARTA_VOICES, else the installed PREFIX/share/warta/voices.
#include <warta/warta.h>

#include <cstdio>
#include <iostream>

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::cerr << "usage: say_one ARTICLE OUT.mp3 [VOICE]\n";
    return 2;
  }
  try {
    warta::Studio studio;
    const std::string voice = argc == 4 ? argv[3] : "id";

    // What will be said: the headline, written and spoken.
    const warta::Script script = studio.prepare(argv[1], voice);
    if (!script.segments.empty()) {
      const warta::ScriptSegment& first = script.segments.front();
      std::cout << warta::kindName(first.kind) << ": " << first.written << "\n  said: " << first.spoken << '\n';
    }

    warta::SayOptions options;
    options.output = argv[2];
    options.voice = voice;
    options.validate();
    const warta::RenderResult result = studio.render({argv[1]}, options, [](const warta::Progress& p) {
      std::fprintf(stderr, "\r%-8s %3.0f%% %s", p.phase.c_str(), p.fraction * 100, p.message.c_str());
      if (p.phase == "done") std::fputc('\n', stderr);
    });
    std::cout << result.output.string() << ": " << result.seconds << " s, " << result.loudness_lufs << " LUFS, "
              << result.chapters.size() << " chapter(s)\n";
    return 0;
  } catch (const warta::Error& e) {
    std::cerr << "say_one: " << warta::kindName(e.kind()) << " error: " << e.what() << '\n';
    return e.kind() == warta::ErrorKind::Usage || e.kind() == warta::ErrorKind::Config ? 2 : 1;
  }
}
