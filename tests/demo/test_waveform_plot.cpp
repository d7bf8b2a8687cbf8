// Tests of the demo's waveform picture and what it is drawn with: the canvas (clipping),
// the bitmap font, the plot's layout and pixels (decoded from the PNG), and its errors.
#include <doctest/doctest.h>

#include <array>
#include <climits>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "bitmap_font.hpp"
#include "callsup/error.hpp"
#include "canvas.hpp"
#include "png_reader.hpp"
#include "support/checks.hpp"
#include "waveform_plot.hpp"

namespace {

using namespace callsup;
using namespace callsup::demo;
using namespace callsup::demo::test;

constexpr Rgb red{200, 0, 0};
constexpr Rgb blue{0, 0, 200};
constexpr Rgb black{0, 0, 0};

int count_pixels(const Canvas& canvas, Rgb colour) {
  int count = 0;
  for (int y = 0; y < canvas.height(); ++y)
    for (int x = 0; x < canvas.width(); ++x) count += canvas.pixel(x, y) == colour ? 1 : 0;
  return count;
}

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

/// Text and axis pixels: every other colour of the picture has a channel above 120.
bool is_ink(Rgb pixel) { return pixel.r < 120 && pixel.g < 120 && pixel.b < 120; }

/// Pixels of `colour` in the rectangle [x0, x1) x [y0, y1).
int count_in(const PngImage& image, int x0, int x1, int y0, int y1, Rgb colour) {
  int count = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) count += image.at(x, y) == colour ? 1 : 0;
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
  const ScratchFile file(name);
  write_waveform_png(file.path(), plot);
  return decode_png(read_file_bytes(file.path()));
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

TEST_CASE("demo: canvas drawing is clipped to the image") {
  Canvas canvas(10, 8);
  CHECK(canvas.rgb().size() == 10 * 8 * 3);
  CHECK(count_pixels(canvas, white) == 80);

  canvas.fill_rect(-5, -5, 8, 7, red);  // covers x 0..2, y 0..1 of the image
  CHECK(count_pixels(canvas, red) == 6);
  CHECK(canvas.pixel(2, 1) == red);
  CHECK(canvas.pixel(3, 0) == white);
  CHECK(canvas.pixel(0, 2) == white);

  canvas.fill_rect(8, 6, 100, 100, blue);
  CHECK(count_pixels(canvas, blue) == 4);
  CHECK(canvas.pixel(9, 7) == blue);
  CHECK(canvas.pixel(7, 6) == white);

  Canvas lines(10, 8);
  lines.vertical_line(4, 100, -100, red);
  lines.horizontal_line(50, -50, 3, blue);
  CHECK(count_pixels(lines, red) == 7);  // the whole column but its crossing with the row
  CHECK(count_pixels(lines, blue) == 10);
  CHECK(lines.pixel(4, 0) == red);
  CHECK(lines.pixel(4, 7) == red);
  CHECK(lines.pixel(3, 0) == white);

  // Wholly outside, empty, or at the extremes of int: nothing drawn, nothing overflows.
  Canvas untouched(10, 8);
  untouched.vertical_line(-1, 0, 7, red);
  untouched.vertical_line(10, 0, 7, red);
  untouched.horizontal_line(0, 9, -1, red);
  untouched.horizontal_line(0, 9, 8, red);
  untouched.fill_rect(2, 2, 0, 5, red);
  untouched.fill_rect(2, 2, 5, -1, red);
  untouched.fill_rect(INT_MAX - 1, 0, INT_MAX, 5, red);
  untouched.fill_rect(INT_MIN, INT_MIN, INT_MAX, INT_MAX, red);
  untouched.set_pixel(-1, 3, red);
  untouched.draw_text(INT_MAX - 3, INT_MAX - 3, "clipped", red, 64);
  CHECK(count_pixels(untouched, white) == 80);
  untouched.vertical_line(2, INT_MIN, INT_MAX, red);
  CHECK(count_pixels(untouched, red) == 8);

  CHECK_CALLSUP_ERROR(canvas.pixel(10, 0), errc::invalid_argument, "(10, 0)");
  CHECK_CALLSUP_ERROR(canvas.pixel(0, -1), errc::invalid_argument, "(0, -1)");
  CHECK_CALLSUP_ERROR(Canvas(0, 5), errc::invalid_argument, "width 0");
  CHECK_CALLSUP_ERROR(Canvas(5, 20000), errc::invalid_argument, "height 20000");
}

TEST_CASE("demo: every printable ASCII glyph draws something inside its cell, and they all differ") {
  std::set<std::array<std::uint8_t, glyph_height>> distinct;
  for (int code = 32; code <= 126; ++code) {
    const char c = static_cast<char>(code);
    INFO("character '" << c << "' (" << code << ")");
    Canvas canvas(font_cell_width + 2, font_cell_height + 2);
    CHECK(canvas.draw_text(1, 1, std::string(1, c), black) == font_cell_width);
    const int lit = count_pixels(canvas, black);
    if (c == ' ') {
      CHECK(lit == 0);
    } else {
      CHECK(lit > 0);
    }
    int inside = 0;
    for (int y = 1; y < 1 + glyph_height; ++y)
      for (int x = 1; x < 1 + glyph_width; ++x) inside += canvas.pixel(x, y) == black ? 1 : 0;
    CHECK(inside == lit);
    distinct.insert(glyph_for(c).rows);
  }
  CHECK(distinct.size() == 95);

  // Characters the font lacks show as a box, not as nothing, and not as some letter.
  for (const char c : {'\n', '\x7f', '\xc3', '\x01'}) {
    CHECK(glyph_for(c).rows == glyph_for('\x02').rows);
    CHECK(distinct.count(glyph_for(c).rows) == 0);
  }
  Canvas box(font_cell_width, font_cell_height);
  box.draw_text(0, 0, "\t", black);
  CHECK(count_pixels(box, black) > 0);
}

TEST_CASE("demo: text is scaled, measured and fitted") {
  Canvas small(40, 40);
  Canvas big(40, 40);
  small.draw_text(0, 0, "A", black, 1);
  CHECK(big.draw_text(0, 0, "A", black, 3) == 3 * font_cell_width);
  CHECK(count_pixels(big, black) == 9 * count_pixels(small, black));
  CHECK_CALLSUP_ERROR(small.draw_text(0, 0, "A", black, 0), errc::invalid_argument, "scale 0");
  CHECK_CALLSUP_ERROR(small.draw_text(0, 0, "A", black, 65), errc::invalid_argument, "scale 65");

  CHECK(text_width("abc", 2) == 3 * font_cell_width * 2);
  CHECK(text_width("", 3) == 0);
  CHECK(fit_text("customer heard", 14 * font_cell_width) == "customer heard");
  CHECK(fit_text("customer heard", 10 * font_cell_width) == "customer..");
  CHECK(fit_text("customer heard", 10 * font_cell_width * 2, 2) == "customer..");
  CHECK(fit_text("customer heard", 2 * font_cell_width).empty());
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
  CHECK(layout.plot_left > 16 + text_width("loud later", 2));
  const Canvas drawn = draw_waveform_plot(plot);
  CHECK(image.rgb == std::vector<std::uint8_t>(drawn.rgb().begin(), drawn.rgb().end()));

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

  // The title at the top left; the rest of the top stays white.
  const int title_end = 16 + text_width(plot.title, 3);
  CHECK(ink_in(image, 0, title_end, 0, layout.phase_row_top) > 0);
  CHECK(count_in(image, title_end, image.width, 0, layout.phase_row_top, white) ==
        (image.width - title_end) * layout.phase_row_top);

  // Each label at the left of its own track, in its track's colour.
  const int band = layout.track_height;
  CHECK(count_in(image, 0, layout.plot_left, layout.track_top(0), layout.track_top(0) + band,
                 track_colour(0)) > 0);
  CHECK(count_in(image, 0, layout.plot_left, layout.track_top(1), layout.track_top(1) + band,
                 track_colour(1)) > 0);
  CHECK(count_in(image, 0, layout.plot_left, layout.track_top(1), layout.track_top(1) + band,
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
    CHECK(count_in(image, 0, layout.plot_left, top, top + layout.track_height, track_colour(i)) > 0);
    CHECK(count_in(image, layout.plot_left - 1, image.width, top, top + layout.track_height,
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
  CHECK(pixels_per_label >= text_width("600 s", 2));
  const PngImage image = render(plot, "long.png");
  // Labelled ticks at multiples of the step only.
  CHECK(is_ink(image.at(layout.x_at(layout.label_step_s), layout.axis_y + 6)));
  CHECK_FALSE(is_ink(image.at(layout.x_at(layout.label_step_s / 2), layout.axis_y + 6)));
}

TEST_CASE("demo: invalid waveform plots are rejected naming the bad value") {
  const WaveformPlot good = known_plot();
  const ScratchFile file("invalid.png");
  const auto with = [&good](auto change) {
    WaveformPlot plot = good;
    change(plot);
    return plot;
  };
  const auto rejects = [&file](const WaveformPlot& plot, const std::string& needle) {
    CHECK_CALLSUP_ERROR(waveform_layout(plot), errc::invalid_argument, needle);
    CHECK_CALLSUP_ERROR(write_waveform_png(file.path(), plot), errc::invalid_argument, needle);
    CHECK_FALSE(std::filesystem::exists(file.path()));
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
