// SPDX-License-Identifier: GPL-3.0-or-later
// The slot keys of a rundown (issue 16): length, air_time, hard_out, rate_range, priority.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "config/rundown.h"
#include "config/yaml_util.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::app;

namespace {

fs::path write(const std::string& extra, const std::string& stories = "  - satu.txt\n  - dua.txt\n") {
  const fs::path dir = warta::test::tempDir("slot-rundown");
  std::ofstream(dir / "satu.txt") << "Judul\n\nIsi berita.\n";
  std::ofstream(dir / "dua.txt") << "Judul dua\n\nIsi berita.\n";
  std::ofstream(dir / "rundown.yaml") << "show: Kabar\ndate: 2025-06-11\n" << extra << "stories:\n" << stories;
  return dir / "rundown.yaml";
}

std::string errorFor(const std::string& extra) {
  try {
    loadRundown(write(extra));
  } catch (const ConfigError& e) {
    return e.what();
  }
  FAIL("accepted: " << extra);
  return {};
}

}  // namespace

TEST_CASE("slot lengths, clock times and percentages are read as written", "[rundown][slot]") {
  CHECK(parseSlotLength("10:00") == 600);
  CHECK(parseSlotLength("0:45") == 45);
  CHECK(parseSlotLength("1:02:03") == 3723);
  CHECK(parseSlotLength("90") == 90);
  CHECK(parseSlotLength("12.5") == 12.5);
  for (const char* bad : {"", "10:0", "10:60", "1:60:00", "abc", "0:00", "-5", "1:2:3:4", "10:00 "})
    CHECK_FALSE(parseSlotLength(bad));
  CHECK(warta::deliver::parseClockTime("06:50:00") == 6 * 3600 + 50 * 60);
  CHECK(warta::deliver::parseClockTime("07:00") == 7 * 3600);
  CHECK(warta::deliver::parseClockTime("23:59:59") == 86399);
  for (const char* bad : {"24:00", "7", "07:5", "07:00:60", "x7:00"}) CHECK_FALSE(warta::deliver::parseClockTime(bad));
  CHECK(parsePercent("-8%") == Approx(-0.08));
  CHECK(parsePercent("+8%") == Approx(0.08));
  CHECK(parsePercent("0.05") == Approx(0.05));
  CHECK_FALSE(parsePercent("8 %"));
  CHECK_FALSE(parsePercent("fast"));
}

TEST_CASE("length, hard_out less air_time, rate_range and priorities fill the rundown", "[rundown][slot]") {
  Rundown r = loadRundown(
      write("length: \"10:00\"\nrate_range: [-8%, +8%]\n", "  - { file: satu.txt, priority: 5 }\n  - dua.txt\n"));
  REQUIRE(r.fit);
  CHECK(r.fit->length == 600);
  CHECK(r.fit->rate_min == Approx(-0.08));
  CHECK(r.fit->rate_max == Approx(0.08));
  CHECK(r.stories[0].priority == 5);
  CHECK(r.stories[1].priority == 2);  // its place

  r = loadRundown(write("air_time: \"06:50:00\"\nhard_out: \"07:00:00\"\n"));
  REQUIRE(r.fit);
  CHECK(r.fit->length == 600);
  CHECK(r.air_time == 6 * 3600 + 50 * 60);
  CHECK(r.fit->rate_min == 0);
  r = loadRundown(write("air_time: \"23:55\"\nhard_out: \"00:05\"\n"));  // across midnight
  CHECK(r.fit->length == 600);
  CHECK_FALSE(loadRundown(write("")).fit);
}

TEST_CASE("bad slot keys are refused at their line", "[rundown][slot]") {
  CHECK_THAT(errorFor("length: 10 minutes\n"), Catch::Contains("rundown.yaml:3:9: 'length' must be m:ss or h:mm:ss"));
  CHECK_THAT(errorFor("hard_out: \"07:00:00\"\n"), Catch::Contains("'hard_out' needs 'air_time'"));
  CHECK_THAT(errorFor("air_time: \"7 pagi\"\n"), Catch::Contains("'air_time' must be a time of day"));
  CHECK_THAT(errorFor("air_time: \"06:50\"\nhard_out: \"07:00\"\nlength: \"5:00\"\n"),
             Catch::Contains("'length' disagrees with 'hard_out' less 'air_time' (600 s)"));
  CHECK_THAT(errorFor("rate_range: [-8%, +8%]\n"), Catch::Contains("'rate_range' needs 'length'"));
  CHECK_THAT(errorFor("length: 60\nrate_range: [+8%, -8%]\n"), Catch::Contains("slower rate first"));
  CHECK_THAT(errorFor("length: 60\nrate_range: [-80%, +8%]\n"), Catch::Contains("'-80%' is not a percentage"));
  CHECK_THAT(errorFor("length: 60\nrate_range: -8%\n"), Catch::Contains("a list of two percentages"));
}
