// Over 400 lines: the layout and the drawing of one picture, which share its geometry.
// callsup-demo: the waveform picture: checking and laying out the plot, then drawing it with
// cairo.
#include "waveform_plot.hpp"

#include <cairo.h>
#include <glib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "callsup/error.hpp"

namespace callsup::demo {
namespace {

constexpr int min_width = 320;
constexpr int max_width = 8000;
constexpr int min_track_height = 40;
constexpr int max_track_height = 2000;

constexpr int margin = 16;
constexpr int right_margin = 40;  // room for the last time label, centred on the axis' end
constexpr int title_top = 14;
constexpr double min_title_font_px = 12;
constexpr double small_font_px = 11;  // a phase name that does not fit at the normal size
constexpr int phase_row_height = 28;
constexpr int label_gap = 12;  // between a track label and the plot
constexpr int min_gutter = 96;
constexpr int wave_padding = 8;  // between a waveform's peak and its band's edge
constexpr int major_tick = 8;
constexpr int minor_tick = 4;
constexpr int min_minor_tick_spacing = 6;
// Near-silence (a codec's noise) must look flat, not be blown up to the band's height.
constexpr double max_magnification = 8;

// DejaVu Sans (scripts/deps installs fonts-dejavu-core); fontconfig picks a substitute when it
// is missing, so the picture is still drawn.
constexpr const char* font_family = "DejaVu Sans";
constexpr const char* ellipsis = "\u2026";

constexpr Rgb title_colour{25, 25, 25};
constexpr Rgb text_colour{70, 70, 70};
constexpr Rgb axis_colour{90, 90, 90};
constexpr Rgb separator_colour{205, 205, 205};
constexpr Rgb zero_line_colour{175, 175, 175};
constexpr Rgb boundary_colour{150, 150, 150};

constexpr std::array<Rgb, 5> track_palette{{
    {31, 97, 166},   // blue
    {204, 85, 0},    // orange
    {32, 128, 60},   // green
    {170, 30, 60},   // crimson
    {100, 60, 150},  // purple
}};
constexpr std::array<Rgb, 5> phase_palette{{
    {255, 242, 204},  // sand
    {214, 234, 248},  // sky
    {221, 242, 221},  // mint
    {248, 222, 232},  // rose
    {232, 226, 245},  // lavender
}};

struct SurfaceDeleter {
  void operator()(cairo_surface_t* surface) const noexcept { cairo_surface_destroy(surface); }
};
struct ContextDeleter {
  void operator()(cairo_t* cr) const noexcept { cairo_destroy(cr); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using Context = std::unique_ptr<cairo_t, ContextDeleter>;

/// A width x height opaque RGB image (cairo's RGB24) and a context drawing on it. Throws
/// Error(io_error) when cairo cannot make them (out of memory).
struct Picture {
  Surface surface;
  Context cr;

  Picture(int width, int height)
      : surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height)),
        cr(cairo_create(surface.get())) {
    if (const cairo_status_t status = cairo_status(cr.get()); status != CAIRO_STATUS_SUCCESS)
      throw Error(errc::io_error, "cairo cannot make a " + std::to_string(width) + " x " +
                                      std::to_string(height) + " picture: " + cairo_status_to_string(status));
  }
};

/// `text` as cairo takes it: valid UTF-8, invalid bytes replaced by U+FFFD (GLib's
/// g_utf8_make_valid).
std::string valid_utf8(std::string_view text) {
  const std::unique_ptr<gchar, decltype(&g_free)> valid(
      g_utf8_make_valid(text.data(), static_cast<gssize>(text.size())), &g_free);
  return valid.get();
}

void set_font(cairo_t* cr, double font_px, bool bold) {
  cairo_select_font_face(cr, font_family, CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, font_px);
}

/// How far `utf8` (valid) advances in cr's current font.
double advance(cairo_t* cr, const std::string& utf8) {
  cairo_text_extents_t extents;
  cairo_text_extents(cr, utf8.c_str(), &extents);
  return extents.x_advance;
}

/// The height of a capital letter in cr's current font: text is placed by it, so that labels
/// look centred whatever their descenders.
double cap_height(cairo_t* cr) {
  cairo_text_extents_t extents;
  cairo_text_extents(cr, "H", &extents);
  return extents.height;
}

/// The longest prefix of `utf8` (valid), in whole characters, that fits `room` pixels with the
/// ellipsis after it, with the ellipsis; "" when not even that fits.
std::string fit(cairo_t* cr, const std::string& utf8, double room) {
  if (advance(cr, utf8) <= room) return utf8;
  for (std::size_t end = utf8.size(); end-- > 0;) {
    if ((static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80) continue;  // inside a character
    std::string shorter = utf8.substr(0, end) + ellipsis;
    if (advance(cr, shorter) <= room) return shorter;
  }
  return "";
}

/// Text measured on a scratch picture, for the layout (drawing measures on its own).
struct Measure {
  Picture scratch{1, 1};
  Measure(double font_px, bool bold) { set_font(scratch.cr.get(), font_px, bold); }
  double width(std::string_view text) const { return advance(scratch.cr.get(), valid_utf8(text)); }
};

/// Drawing on a Picture. Shapes are whole-pixel rectangles, so each pixel is exactly the colour
/// given (no anti-aliased edges, which the tests and the eye can rely on); cairo clips them to
/// the image. Text is anti-aliased.
class Painter {
 public:
  explicit Painter(cairo_t* cr) : cr_(cr) {}

  void fill_rect(int x, int y, int w, int h, Rgb colour) {
    if (w <= 0 || h <= 0) return;
    set_colour(colour);
    cairo_rectangle(cr_, x, y, w, h);
    cairo_fill(cr_);
  }
  /// The column x from y0 to y1, both included, in either order.
  void vertical_line(int x, int y0, int y1, Rgb colour) {
    fill_rect(x, std::min(y0, y1), 1, std::abs(y1 - y0) + 1, colour);
  }
  /// The row y from x0 to x1, both included, in either order.
  void horizontal_line(int x0, int x1, int y, Rgb colour) {
    fill_rect(std::min(x0, x1), y, std::abs(x1 - x0) + 1, 1, colour);
  }

  void font(double font_px, bool bold = false) { set_font(cr_, font_px, bold); }
  double width(const std::string& utf8) { return advance(cr_, utf8); }
  double cap() { return cap_height(cr_); }
  std::string fit(std::string_view text, double room) { return demo::fit(cr_, valid_utf8(text), room); }
  /// `utf8` (valid) in the current font, starting at x on the baseline y.
  void text(double x, double baseline, const std::string& utf8, Rgb colour) {
    set_colour(colour);
    cairo_move_to(cr_, x, baseline);
    cairo_show_text(cr_, utf8.c_str());
  }

 private:
  void set_colour(Rgb colour) {
    cairo_set_source_rgb(cr_, colour.r / 255.0, colour.g / 255.0, colour.b / 255.0);
  }

  cairo_t* cr_;
};

/// "2.5", "-1", "nan": a number as the user would write it, for messages and time labels.
std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", value);
  return text;
}

[[noreturn]] void invalid(const std::string& message) { throw Error(errc::invalid_argument, message); }

void check_plot(const WaveformPlot& plot) {
  if (plot.tracks.empty()) invalid("waveform plot has no tracks");
  if (plot.width < min_width || plot.width > max_width)
    invalid("waveform plot width " + std::to_string(plot.width) + " is not in [" + std::to_string(min_width) +
            ", " + std::to_string(max_width) + "]");
  if (plot.track_height < min_track_height || plot.track_height > max_track_height)
    invalid("waveform plot track_height " + std::to_string(plot.track_height) + " is not in [" +
            std::to_string(min_track_height) + ", " + std::to_string(max_track_height) + "]");
  const long long height = waveform_plot_header_height + waveform_plot_footer_height +
                           static_cast<long long>(plot.tracks.size()) * plot.track_height;
  if (height > max_waveform_plot_height)
    invalid("waveform plot of " + std::to_string(plot.tracks.size()) + " tracks of track_height " +
            std::to_string(plot.track_height) + " would be " + std::to_string(height) +
            " px tall, more than " + std::to_string(max_waveform_plot_height));
  if (plot.sample_rate <= 0)
    invalid("waveform plot sample_rate " + std::to_string(plot.sample_rate) + " is not positive");
  for (const PhaseSpan& phase : plot.phases) {
    const std::string name = "phase " + quoted(phase.label);
    for (const double time : {phase.start_s, phase.end_s})
      if (!std::isfinite(time) || time < 0)
        invalid(name + " has time " + number(time) + " s (not a time >= 0)");
    if (phase.end_s < phase.start_s)
      invalid(name + " ends at " + number(phase.end_s) + " s, before it starts at " + number(phase.start_s) +
              " s");
  }
}

double plot_duration(const WaveformPlot& plot) {
  std::size_t longest = 0;
  for (const WaveformTrack& track : plot.tracks) longest = std::max(longest, track.samples.size());
  double duration = static_cast<double>(longest) / plot.sample_rate;
  for (const PhaseSpan& phase : plot.phases) duration = std::max(duration, phase.end_s);
  return duration > 0 ? duration : 1;
}

std::string time_label(double seconds) { return number(seconds) + " s"; }

/// The smallest "round" step whose labels do not crowd each other.
double label_step(double duration_s, int plot_width) {
  const double pixels_per_second = plot_width / duration_s;
  const double room = text_width(time_label(std::floor(duration_s)), waveform_text_font_px) + 10.0;
  for (const double step : {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800})
    if (step * pixels_per_second >= room) return step;
  double step = 3600;
  while (step * pixels_per_second < room) step *= 2;
  return step;
}

/// The vertical scale: the sample value drawn at a band's edge.
double full_scale(const WaveformPlot& plot) {
  int peak = 0;
  for (const WaveformTrack& track : plot.tracks)
    for (const std::int16_t sample : track.samples) peak = std::max(peak, std::abs(static_cast<int>(sample)));
  return std::max(static_cast<double>(peak), 32768.0 / max_magnification);
}

void draw_phases(Painter& paint, const WaveformPlot& plot, const WaveformLayout& layout) {
  for (std::size_t i = 0; i < plot.phases.size(); ++i) {
    const int left = layout.x_at(plot.phases[i].start_s);
    const int right = layout.x_at(plot.phases[i].end_s);
    paint.fill_rect(left, layout.phase_row_top, right - left, layout.axis_y - layout.phase_row_top,
                    phase_tint(i));
  }
  for (std::size_t i = 1; i < plot.tracks.size(); ++i)
    paint.horizontal_line(layout.plot_left, layout.plot_right, layout.track_top(i), separator_colour);
  for (const PhaseSpan& phase : plot.phases)
    for (const double edge : {phase.start_s, phase.end_s})
      paint.vertical_line(layout.x_at(edge), layout.phase_row_top, layout.axis_y - 1, boundary_colour);
  for (const PhaseSpan& phase : plot.phases) {
    const int left = layout.x_at(phase.start_s);
    const int room = layout.x_at(phase.end_s) - left - 8;
    paint.font(waveform_text_font_px);
    if (paint.width(valid_utf8(phase.label)) > room) paint.font(small_font_px);
    const std::string name = paint.fit(phase.label, room);
    paint.text(left + (room + 8 - paint.width(name)) / 2,
               layout.phase_row_top + (phase_row_height + paint.cap()) / 2, name, text_colour);
  }
}

/// One vertical min..max line per column: exact at any zoom, and a loud stretch stays
/// solid where a decimated polyline would alias.
void draw_waveform(Painter& paint, const WaveformPlot& plot, const WaveformLayout& layout, std::size_t index,
                   double scale) {
  const std::vector<std::int16_t>& samples = plot.tracks[index].samples;
  const int columns = layout.plot_right - layout.plot_left;
  const double samples_per_column = layout.duration_s * plot.sample_rate / columns;
  const double half = layout.track_height / 2.0 - wave_padding;
  const int zero = layout.zero_line_y(index);
  const auto y_of = [&](int sample) { return zero - static_cast<int>(std::lround(sample / scale * half)); };
  for (int column = 0; column < columns; ++column) {
    const auto first = static_cast<std::size_t>(column * samples_per_column);
    if (first >= samples.size()) break;
    // Up to the next column's first sample, so that neighbouring lines join when zoomed in.
    const auto last =
        std::min(static_cast<std::size_t>((column + 1) * samples_per_column), samples.size() - 1);
    const auto [low, high] = std::minmax_element(samples.begin() + static_cast<std::ptrdiff_t>(first),
                                                 samples.begin() + static_cast<std::ptrdiff_t>(last) + 1);
    paint.vertical_line(layout.plot_left + column, y_of(*high), y_of(*low), track_colour(index));
  }
}

void draw_tracks(Painter& paint, const WaveformPlot& plot, const WaveformLayout& layout) {
  const double scale = full_scale(plot);
  paint.font(waveform_text_font_px);
  for (std::size_t i = 0; i < plot.tracks.size(); ++i) {
    const int zero = layout.zero_line_y(i);
    paint.horizontal_line(layout.plot_left, layout.plot_right - 1, zero, zero_line_colour);
    draw_waveform(paint, plot, layout, i, scale);
    const std::string label = paint.fit(plot.tracks[i].label, layout.plot_left - margin - label_gap);
    paint.text(margin, zero + paint.cap() / 2, label, track_colour(i));
  }
}

void draw_time_axis(Painter& paint, const WaveformLayout& layout) {
  paint.horizontal_line(layout.plot_left - 1, layout.plot_right, layout.axis_y, axis_colour);
  paint.vertical_line(layout.plot_left - 1, layout.tracks_top, layout.axis_y, axis_colour);
  const double pixels_per_second = (layout.plot_right - layout.plot_left) / layout.duration_s;
  if (pixels_per_second >= min_minor_tick_spacing)
    for (double t = 0; t <= layout.duration_s; t += 1)
      paint.vertical_line(layout.x_at(t), layout.axis_y, layout.axis_y + minor_tick, axis_colour);
  paint.font(waveform_text_font_px);
  const double baseline = layout.axis_y + major_tick + 4 + paint.cap();
  for (double t = 0; t <= layout.duration_s; t += layout.label_step_s) {
    const int x = layout.x_at(t);
    paint.vertical_line(x, layout.axis_y, layout.axis_y + major_tick, axis_colour);
    const std::string label = time_label(t);
    const double label_width = paint.width(label);
    paint.text(std::min(x - label_width / 2, layout.width - label_width), baseline, label, axis_colour);
  }
}

void draw_title(Painter& paint, int width, const std::string& title) {
  const int room = width - 2 * margin;
  const std::string utf8 = valid_utf8(title);
  double font_px = waveform_title_font_px;
  paint.font(font_px, true);
  while (font_px > min_title_font_px && paint.width(utf8) > room) paint.font(--font_px, true);
  paint.text(margin, title_top + paint.cap(), paint.fit(title, room), title_colour);
}

}  // namespace

int WaveformLayout::x_at(double seconds) const noexcept {
  const double fraction = std::clamp(seconds / duration_s, 0.0, 1.0);
  return plot_left + static_cast<int>(std::lround(fraction * (plot_right - plot_left)));
}

WaveformLayout waveform_layout(const WaveformPlot& plot) {
  check_plot(plot);
  const Measure label_font(waveform_text_font_px, false);
  double widest_label = 0;
  for (const WaveformTrack& track : plot.tracks)
    widest_label = std::max(widest_label, label_font.width(track.label));
  WaveformLayout layout;
  layout.width = plot.width;
  layout.track_height = plot.track_height;
  // The labels' width, but at least min_gutter and at most a quarter of the picture (a
  // narrow picture's quarter can be less than min_gutter: the quarter wins).
  const int label_room = margin + static_cast<int>(std::ceil(widest_label)) + label_gap;
  layout.plot_left = std::min(std::max(label_room, min_gutter), plot.width / 4);
  layout.plot_right = plot.width - right_margin;
  layout.tracks_top = waveform_plot_header_height;
  layout.phase_row_top = layout.tracks_top - phase_row_height;
  layout.axis_y = layout.tracks_top + static_cast<int>(plot.tracks.size()) * plot.track_height;
  layout.height = layout.axis_y + waveform_plot_footer_height;
  layout.duration_s = plot_duration(plot);
  layout.label_step_s = label_step(layout.duration_s, layout.plot_right - layout.plot_left);
  return layout;
}

Rgb track_colour(std::size_t index) noexcept { return track_palette[index % track_palette.size()]; }

Rgb phase_tint(std::size_t index) noexcept { return phase_palette[index % phase_palette.size()]; }

double text_width(std::string_view text, double font_px, bool bold) {
  return Measure(font_px, bold).width(text);
}

std::string fit_text(std::string_view text, double max_width, double font_px, bool bold) {
  const Measure measure(font_px, bold);
  return fit(measure.scratch.cr.get(), valid_utf8(text), max_width);
}

namespace {

cairo_status_t write_to_file(void* file, const unsigned char* data, unsigned int length) {
  return std::fwrite(data, 1, length, static_cast<std::FILE*>(file)) == length ? CAIRO_STATUS_SUCCESS
                                                                               : CAIRO_STATUS_WRITE_ERROR;
}

}  // namespace

void write_waveform_png(const std::string& path, const WaveformPlot& plot) {
  const WaveformLayout layout = waveform_layout(plot);
  const Picture picture(layout.width, layout.height);
  Painter paint(picture.cr.get());
  paint.fill_rect(0, 0, layout.width, layout.height, white);
  draw_phases(paint, plot, layout);
  draw_tracks(paint, plot, layout);
  draw_time_axis(paint, layout);
  draw_title(paint, layout.width, plot.title);
  cairo_surface_flush(picture.surface.get());
  if (const cairo_status_t status = cairo_status(picture.cr.get()); status != CAIRO_STATUS_SUCCESS)
    throw Error(errc::io_error, "cairo could not draw the picture for " + quoted(path) + ": " +
                                    cairo_status_to_string(status));

  const auto fail = [&path](const char* what) {
    throw Error(errc::io_error,
                "cannot " + std::string(what) + " PNG file " + quoted(path) + ": " + std::strerror(errno));
  };
  // Closes the file if a write fails; the success path closes it itself, to check the result.
  struct Closer {
    void operator()(std::FILE* file) const noexcept { std::fclose(file); }
  };
  std::unique_ptr<std::FILE, Closer> file(std::fopen(path.c_str(), "wb"));
  if (!file) fail("create");
  if (cairo_surface_write_to_png_stream(picture.surface.get(), write_to_file, file.get()) !=
      CAIRO_STATUS_SUCCESS)
    fail("write");
  // Closing flushes: a full disk shows up here, not as a silently short file.
  if (std::fclose(file.release()) != 0) fail("write");
}

}  // namespace callsup::demo
