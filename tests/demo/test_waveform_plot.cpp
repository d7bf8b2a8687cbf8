// Tests of the demo's waveform picture: text measuring and fitting, the plot's layout and its
// pixels (the PNG cairo wrote, decoded by cairo), and its errors.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "callsup/error.hpp"
#include "png_image.hpp"
#include "support/checks.hpp"
#include "support/scratch_dir.hpp"
#include "waveform_plot.hpp"

namespace {

using namespace callsup;
using namespace callsup::demo;
using namespace callsup::demo::testing;
using callsup::testing::ScratchDir;

constexpr double text_px = waveform_text_font_px;

/// `seconds` of zeros at 8 kHz.
std::vector<std::int16_t> silence(double seconds) {
  return std::vector<std::int16_t>(static_cast<std::size_t>(seconds * 8000), 0);
}

/// `seconds` of a 100 Hz square wave of +-30000 at 8 kHz.
std::vector<std::int16_t> loud_square(double seconds) {
  std::vector<std::int16_t> pcm(static_cast<std::size_t>(seconds * 8000));
  for (std::size_t i = 0; i < pcm.size(); ++i) pcm[i] = (i / 40) % 2 == 0 ? 30000 : -30000;
  return pcm;
}

std::vector<std::int16_t> joined(std::vector<std::int16_t> first, const std::vector<std::int16_t>& second) {
  first.insert(first.end(), second.begin(), second.end());
  return first;
}

/// Text and axis pixels: every other colour of the picture has a channel above 120 (text is
/// anti-aliased: its edges are lighter, its strokes are ink).
bool is_ink(Rgb pixel) { return pixel.r < 120 && pixel.g < 120 && pixel.b < 120; }

/// Is `pixel` `colour` drawn on white, at least half covered: white + a (colour - white) for
/// some a in [0.5, 1], to a rounding? Anti-aliased text in `colour` is made of such pixels.
bool drawn_in(Rgb pixel, Rgb colour) {
  if (pixel == white) return false;
  const int channels[3][2] = {{pixel.r, colour.r}, {pixel.g, colour.g}, {pixel.b, colour.b}};
  int strongest = 0;  // the channel where colour differs most from white decides the coverage
  for (int c = 1; c < 3; ++c)
    if (255 - channels[c][1] > 255 - channels[strongest][1]) strongest = c;
  const double coverage = (255.0 - channels[strongest][0]) / (255.0 - channels[strongest][1]);
  if (coverage < 0.5 || coverage > 1.02) return false;
  for (const auto& [drawn, given] : channels)
    if (std::abs(drawn - (255 - coverage * (255 - given))) > 3) return false;
  return true;
}

/// Pixels of `colour` in the rectangle [x0, x1) x [y0, y1).
int count_in(const PngImage& image, int x0, int x1, int y0, int y1, Rgb colour) {
  int count = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) count += image.at(x, y) == colour ? 1 : 0;
  return count;
}

/// Pixels drawn_in `colour` in the rectangle [x0, x1) x [y0, y1).
int drawn_in_area(const PngImage& image, int x0, int x1, int y0, int y1, Rgb colour) {
  int count = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) count += drawn_in(image.at(x, y), colour) ? 1 : 0;
  return count;
}

int ink_in(const PngImage& image, int x0, int x1, int y0, int y1) {
  int count = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) count += is_ink(image.at(x, y)) ? 1 : 0;
  return count;
}

/// Pixels of `colour` in column x of track `index`, further than `distance` from its zero line.
int far_from_zero(const PngImage& image, const WaveformLayout& layout, std::size_t index, int x, Rgb colour,
                  int distance) {
  int count = 0;
  for (int y = layout.track_top(index); y < layout.track_top(index) + layout.track_height; ++y)
    if (std::abs(y - layout.zero_line_y(index)) > distance && image.at(x, y) == colour) ++count;
  return count;
}

PngImage render(const WaveformPlot& plot, const std::string& name) {
  const ScratchDir dir("callsup-plot");
  write_waveform_png(dir.file(name), plot);
  return read_png(dir.file(name));
}

/// Track 1 silent for 2 s then loud for 2 s; track 2 silent; phases with a gap between them.
WaveformPlot known_plot() {
  WaveformPlot plot;
  plot.title = "test plot";
  plot.width = 1000;
  plot.track_height = 120;
  plot.tracks.push_back({"loud later", joined(silence(2), loud_square(2))});
  plot.tracks.push_back({"silent", silence(4)});
  plot.phases = {{"call", 0, 1.5}, {"listen", 2.5, 3.5}};
  return plot;
}

}  // namespace

TEST_CASE("demo: plot text is measured and fitted in whole characters") {
  CHECK(text_width("", text_px) == 0);
  const double one = text_width("customer heard", text_px);
  CHECK(one > 0);
  CHECK(text_width("customer heard", 2 * text_px) > 1.5 * one);  // scales with the size
  CHECK(text_width("customer heard", text_px, true) > one);      // bold is wider
  CHECK(text_width("customer heard customer heard", text_px) ==
        doctest::Approx(2 * one + text_width(" ", text_px)));

  CHECK(fit_text("customer heard", one, text_px) == "customer heard");
  const std::string cut = fit_text("customer heard", one * 0.7, text_px);
  CHECK(cut.size() > 3);
  CHECK(cut.ends_with("\u2026"));
  CHECK(std::string("customer heard").starts_with(cut.substr(0, cut.size() - 3)));
  CHECK(text_width(cut, text_px) <= one * 0.7);
  CHECK(fit_text("customer heard", 2, text_px).empty());  // not even the ellipsis fits

  // Whole characters: "é" (2 bytes) and "€" (3 bytes) are kept or dropped, never split; bytes
  // that are not UTF-8 are measured and drawn as U+FFFD.
  const std::set<std::string> whole{"", "é", "éé", "ééé", "ééé€", "ééé€€"};
  for (double room = 0; room < text_width("ééé€€€", text_px); room += 2) {
    const std::string fitted = fit_text("ééé€€€", room, text_px);
    INFO("room " << room << ": '" << fitted << "'");
    const std::string ellipsis = "\u2026";
    if (!fitted.empty()) {
      REQUIRE(fitted.ends_with(ellipsis));
      CHECK(whole.count(fitted.substr(0, fitted.size() - ellipsis.size())) == 1);
    }
    CHECK(text_width(fitted, text_px) <= room);
  }
  CHECK(text_width("a\xff", text_px) == text_width("a\uFFFD", text_px));
  CHECK(text_width("\xc3", text_px) == text_width("\uFFFD", text_px));
}

TEST_CASE("demo: the waveform plot shows loud and silent stretches, phases, title and labels") {
  const WaveformPlot plot = known_plot();
  const WaveformLayout layout = waveform_layout(plot);
  const PngImage image = render(plot, "known.png");

  // The image is the documented size: header, two tracks, footer.
  CHECK(image.width == 1000);
  CHECK(image.height == 86 + 2 * 120 + 44);
  CHECK(layout.height == image.height);
  CHECK(layout.duration_s == 4.0);
  CHECK(layout.label_step_s == 1.0);
  CHECK(layout.plot_left > 16 + text_width("loud later", text_px));

  const int loud_reach = layout.track_height / 3;  // the square wave reaches the band's edge
  for (int x = layout.x_at(2.05); x <= layout.x_at(3.95); ++x) {
    INFO("loud column x = " << x);
    REQUIRE(far_from_zero(image, layout, 0, x, track_colour(0), loud_reach) > 0);
  }
  for (int x = layout.x_at(0.05); x <= layout.x_at(1.95); ++x) {
    INFO("silent column x = " << x);
    REQUIRE(far_from_zero(image, layout, 0, x, track_colour(0), 2) == 0);
    REQUIRE(image.at(x, layout.zero_line_y(0)) == track_colour(0));  // the flat line itself
  }
  for (int x = layout.plot_left; x < layout.plot_right; ++x) {
    INFO("silent track, column x = " << x);
    REQUIRE(far_from_zero(image, layout, 1, x, track_colour(1), 2) == 0);
    REQUIRE(far_from_zero(image, layout, 1, x, track_colour(0), 0) == 0);
  }

  // Tints: in the spans, across the phase row and the tracks; none in the gap and after.
  const int quiet_row = layout.track_top(1) + 10;
  CHECK(image.at(layout.x_at(0.75), quiet_row) == phase_tint(0));
  CHECK(image.at(layout.x_at(0.75), layout.track_top(0) + 5) == phase_tint(0));
  CHECK(image.at(layout.x_at(0.1), layout.phase_row_top + 2) == phase_tint(0));
  CHECK(image.at(layout.x_at(2.0), quiet_row) == white);
  CHECK(image.at(layout.x_at(3.0), quiet_row) == phase_tint(1));
  CHECK(image.at(layout.x_at(3.75), quiet_row) == white);
  CHECK(phase_tint(0) != phase_tint(1));
  const Rgb boundary = image.at(layout.x_at(1.5), quiet_row);
  CHECK(boundary != phase_tint(0));
  CHECK(boundary != white);
  CHECK(image.at(layout.x_at(2.5), quiet_row) == boundary);

  // Phase names in their spans, in the row above the tracks; nothing written in the gap.
  CHECK(ink_in(image, layout.x_at(0), layout.x_at(1.5), layout.phase_row_top, layout.tracks_top) > 0);
  CHECK(ink_in(image, layout.x_at(2.5), layout.x_at(3.5), layout.phase_row_top, layout.tracks_top) > 0);
  CHECK(ink_in(image, layout.x_at(1.55), layout.x_at(2.45), layout.phase_row_top, layout.tracks_top) == 0);

  // The title at the top left; the rest of the top stays white (one column more for the last
  // glyph's anti-aliased edge).
  const int title_end =
      16 + static_cast<int>(std::ceil(text_width(plot.title, waveform_title_font_px, true))) + 1;
  CHECK(ink_in(image, 0, title_end, 0, layout.phase_row_top) > 0);
  CHECK(count_in(image, title_end, image.width, 0, layout.phase_row_top, white) ==
        (image.width - title_end) * layout.phase_row_top);

  // Each label at the left of its own track, in its track's colour.
  const int band = layout.track_height;
  CHECK(drawn_in_area(image, 0, layout.plot_left, layout.track_top(0), layout.track_top(0) + band,
                      track_colour(0)) > 0);
  CHECK(drawn_in_area(image, 0, layout.plot_left, layout.track_top(1), layout.track_top(1) + band,
                      track_colour(1)) > 0);
  CHECK(drawn_in_area(image, 0, layout.plot_left, layout.track_top(1), layout.track_top(1) + band,
                      track_colour(0)) == 0);

  // A tick and a label per second under the tracks; no tick between seconds.
  for (int second = 0; second <= 4; ++second) {
    INFO("second " << second);
    const int x = layout.x_at(second);
    CHECK(is_ink(image.at(x, layout.axis_y + 3)));
    CHECK(ink_in(image, x - 20, std::min(x + 20, image.width), layout.axis_y + 10, image.height) > 0);
  }
  CHECK_FALSE(is_ink(image.at(layout.x_at(0.5), layout.axis_y + 3)));
}

TEST_CASE("demo: the time axis ends at the later of the longest track and the last phase") {
  WaveformPlot plot;
  plot.width = 800;
  plot.track_height = 60;
  plot.tracks.push_back({"short", loud_square(2)});
  plot.phases = {{"barge", 1, 6}};
  const WaveformLayout layout = waveform_layout(plot);
  CHECK(layout.duration_s == 6.0);
  CHECK(layout.x_at(6) == layout.plot_right);
  CHECK(layout.x_at(100) == layout.plot_right);
  CHECK(layout.x_at(-1) == layout.plot_left);

  const PngImage image = render(plot, "phase-longer.png");
  CHECK(image.height == 86 + 60 + 44);
  for (int x = layout.plot_left; x < layout.plot_right; ++x) {
    INFO("column x = " << x);
    const int loud = far_from_zero(image, layout, 0, x, track_colour(0), layout.track_height / 4);
    if (x < layout.x_at(2) - 1) REQUIRE(loud > 0);
    if (x > layout.x_at(2) + 1) REQUIRE(loud == 0);
  }
  CHECK(is_ink(image.at(layout.x_at(6), layout.axis_y + 3)));

  plot.phases = {{"call", 0, 3}};
  plot.tracks.push_back({"longer", silence(5)});
  CHECK(waveform_layout(plot).duration_s == 5.0);

  plot.phases.clear();
  plot.tracks = {{"empty", {}}};
  CHECK(waveform_layout(plot).duration_s == 1.0);  // nothing to show still gets an axis
  CHECK(render(plot, "empty.png").height == 86 + 60 + 44);
}

TEST_CASE("demo: a narrow plot keeps long labels and a long title inside their space") {
  WaveformPlot plot;
  plot.width = 320;
  plot.track_height = 40;
  plot.title = "a title far too long to fit into three hundred and twenty pixels at any scale";
  plot.tracks.push_back({"a label much wider than a quarter of the picture", {}});
  plot.tracks.push_back({"another long label, for the second track", {}});
  const WaveformLayout layout = waveform_layout(plot);
  CHECK(layout.plot_left == 80);  // a quarter of the width
  CHECK(layout.plot_right > layout.plot_left);
  const PngImage image = render(plot, "narrow.png");
  CHECK(image.width == 320);
  for (std::size_t i = 0; i < 2; ++i) {
    INFO("track " << i);
    const int top = layout.track_top(i);
    CHECK(drawn_in_area(image, 0, layout.plot_left, top, top + layout.track_height, track_colour(i)) > 0);
    CHECK(drawn_in_area(image, layout.plot_left - 1, image.width, top, top + layout.track_height,
                        track_colour(i)) == 0);
  }
  CHECK(ink_in(image, 0, image.width, 0, layout.phase_row_top) > 0);
  CHECK(ink_in(image, image.width - 16, image.width, 0, layout.phase_row_top) == 0);
}

TEST_CASE("demo: a long plot labels fewer ticks, far enough apart to read") {
  WaveformPlot plot;
  plot.tracks.push_back({"customer heard", {}});
  plot.phases = {{"call", 0, 600}};
  const WaveformLayout layout = waveform_layout(plot);
  CHECK(layout.duration_s == 600.0);
  CHECK(layout.label_step_s >= 30);
  const double pixels_per_label =
      layout.label_step_s * (layout.plot_right - layout.plot_left) / layout.duration_s;
  CHECK(pixels_per_label >= text_width("600 s", text_px));
  const PngImage image = render(plot, "long.png");
  // Labelled ticks at multiples of the step only.
  CHECK(is_ink(image.at(layout.x_at(layout.label_step_s), layout.axis_y + 6)));
  CHECK_FALSE(is_ink(image.at(layout.x_at(layout.label_step_s / 2), layout.axis_y + 6)));
}

TEST_CASE("demo: invalid waveform plots are rejected naming the bad value") {
  const WaveformPlot good = known_plot();
  const ScratchDir dir("callsup-plot");
  const std::string file = dir.file("invalid.png");
  const auto with = [&good](auto change) {
    WaveformPlot plot = good;
    change(plot);
    return plot;
  };
  const auto rejects = [&file](const WaveformPlot& plot, const std::string& needle) {
    CHECK_CALLSUP_ERROR(waveform_layout(plot), errc::invalid_argument, needle);
    CHECK_CALLSUP_ERROR(write_waveform_png(file, plot), errc::invalid_argument, needle);
    CHECK_FALSE(std::filesystem::exists(file));
  };
  rejects(with([](WaveformPlot& p) { p.tracks.clear(); }), "no tracks");
  rejects(with([](WaveformPlot& p) { p.width = 319; }), "width 319");
  rejects(with([](WaveformPlot& p) { p.width = 8001; }), "width 8001");
  rejects(with([](WaveformPlot& p) { p.track_height = 39; }), "track_height 39");
  rejects(with([](WaveformPlot& p) { p.track_height = 2001; }), "track_height 2001");
  rejects(with([](WaveformPlot& p) { p.tracks.resize(200); }), "200 tracks");
  rejects(with([](WaveformPlot& p) { p.sample_rate = 0; }), "sample_rate 0");
  rejects(with([](WaveformPlot& p) { p.sample_rate = -8000; }), "sample_rate -8000");
  rejects(with([](WaveformPlot& p) {
            p.phases[1] = {"listen", 8, 3};
          }),
          "'listen' ends at 3 s, before it starts at 8 s");
  rejects(with([](WaveformPlot& p) { p.phases[0] = {"call", -1, 2}; }), "'call' has time -1 s");
  rejects(with([](WaveformPlot& p) { p.phases[0].end_s = std::nan(""); }), "'call' has time nan");
  rejects(with([](WaveformPlot& p) { p.phases[0].end_s = std::numeric_limits<double>::infinity(); }), "inf");

  CHECK_CALLSUP_ERROR(write_waveform_png("/nonexistent-dir-callsup/plot.png", good), errc::io_error,
                      "'/nonexistent-dir-callsup/plot.png'");
}
