// callsup-demo: the waveform picture: checking and laying out the plot, then drawing it.
#include "waveform_plot.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "bitmap_font.hpp"
#include "callsup/error.hpp"
#include "png_writer.hpp"

namespace callsup::demo {
namespace {

constexpr int min_width = 320;
constexpr int max_width = 8000;
constexpr int min_track_height = 40;
constexpr int max_track_height = 2000;

constexpr int margin = 16;
constexpr int right_margin = 40;  // room for the last time label, centred on the axis' end
constexpr int title_top = 14;
constexpr int title_scale = 3;
constexpr int phase_row_height = 28;
constexpr int text_scale = 2;  // labels, phase names, time labels
constexpr int label_gap = 12;  // between a track label and the plot
constexpr int min_gutter = 96;
constexpr int wave_padding = 8;  // between a waveform's peak and its band's edge
constexpr int major_tick = 8;
constexpr int minor_tick = 4;
constexpr int min_minor_tick_spacing = 6;
// Near-silence (a codec's noise) must look flat, not be blown up to the band's height.
constexpr double max_magnification = 8;

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
  if (height > max_canvas_dimension)
    invalid("waveform plot of " + std::to_string(plot.tracks.size()) + " tracks of track_height " +
            std::to_string(plot.track_height) + " would be " + std::to_string(height) +
            " px tall, more than " + std::to_string(max_canvas_dimension));
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
  const double room = text_width(time_label(std::floor(duration_s)), text_scale) + 10.0;
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

void draw_phases(Canvas& canvas, const WaveformPlot& plot, const WaveformLayout& layout) {
  for (std::size_t i = 0; i < plot.phases.size(); ++i) {
    const int left = layout.x_at(plot.phases[i].start_s);
    const int right = layout.x_at(plot.phases[i].end_s);
    canvas.fill_rect(left, layout.phase_row_top, right - left, layout.axis_y - layout.phase_row_top,
                     phase_tint(i));
  }
  for (std::size_t i = 1; i < plot.tracks.size(); ++i)
    canvas.horizontal_line(layout.plot_left, layout.plot_right, layout.track_top(i), separator_colour);
  for (const PhaseSpan& phase : plot.phases)
    for (const double edge : {phase.start_s, phase.end_s})
      canvas.vertical_line(layout.x_at(edge), layout.phase_row_top, layout.axis_y - 1, boundary_colour);
  for (const PhaseSpan& phase : plot.phases) {
    const int left = layout.x_at(phase.start_s);
    const int room = layout.x_at(phase.end_s) - left - 8;
    const int scale = text_width(phase.label, text_scale) <= room ? text_scale : 1;
    const std::string name = fit_text(phase.label, room, scale);
    const int cap_height = 7 * scale;
    canvas.draw_text(left + (room + 8 - text_width(name, scale)) / 2,
                     layout.phase_row_top + (phase_row_height - cap_height) / 2, name, text_colour, scale);
  }
}

/// One vertical min..max line per column: exact at any zoom, and a loud stretch stays
/// solid where a decimated polyline would alias.
void draw_waveform(Canvas& canvas, const WaveformPlot& plot, const WaveformLayout& layout, std::size_t index,
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
    canvas.vertical_line(layout.plot_left + column, y_of(*high), y_of(*low), track_colour(index));
  }
}

void draw_tracks(Canvas& canvas, const WaveformPlot& plot, const WaveformLayout& layout) {
  const double scale = full_scale(plot);
  for (std::size_t i = 0; i < plot.tracks.size(); ++i) {
    const int zero = layout.zero_line_y(i);
    canvas.horizontal_line(layout.plot_left, layout.plot_right - 1, zero, zero_line_colour);
    draw_waveform(canvas, plot, layout, i, scale);
    const std::string label =
        fit_text(plot.tracks[i].label, layout.plot_left - margin - label_gap, text_scale);
    canvas.draw_text(margin, zero - 7 * text_scale / 2, label, track_colour(i), text_scale);
  }
}

void draw_time_axis(Canvas& canvas, const WaveformLayout& layout) {
  canvas.horizontal_line(layout.plot_left - 1, layout.plot_right, layout.axis_y, axis_colour);
  canvas.vertical_line(layout.plot_left - 1, layout.tracks_top, layout.axis_y, axis_colour);
  const double pixels_per_second = (layout.plot_right - layout.plot_left) / layout.duration_s;
  if (pixels_per_second >= min_minor_tick_spacing)
    for (double t = 0; t <= layout.duration_s; t += 1)
      canvas.vertical_line(layout.x_at(t), layout.axis_y, layout.axis_y + minor_tick, axis_colour);
  for (double t = 0; t <= layout.duration_s; t += layout.label_step_s) {
    const int x = layout.x_at(t);
    canvas.vertical_line(x, layout.axis_y, layout.axis_y + major_tick, axis_colour);
    const std::string label = time_label(t);
    const int label_width = text_width(label, text_scale);
    const int left = std::min(x - label_width / 2, layout.width - label_width);
    canvas.draw_text(left, layout.axis_y + major_tick + 4, label, axis_colour, text_scale);
  }
}

void draw_title(Canvas& canvas, const std::string& title) {
  const int room = canvas.width() - 2 * margin;
  int scale = title_scale;
  while (scale > 1 && text_width(title, scale) > room) --scale;
  canvas.draw_text(margin, title_top, fit_text(title, room, scale), title_colour, scale);
}

}  // namespace

int WaveformLayout::x_at(double seconds) const noexcept {
  const double fraction = std::clamp(seconds / duration_s, 0.0, 1.0);
  return plot_left + static_cast<int>(std::lround(fraction * (plot_right - plot_left)));
}

WaveformLayout waveform_layout(const WaveformPlot& plot) {
  check_plot(plot);
  int widest_label = 0;
  for (const WaveformTrack& track : plot.tracks)
    widest_label = std::max(widest_label, text_width(track.label, text_scale));
  WaveformLayout layout;
  layout.width = plot.width;
  layout.track_height = plot.track_height;
  // The labels' width, but at least min_gutter and at most a quarter of the picture (a
  // narrow picture's quarter can be less than min_gutter: the quarter wins).
  layout.plot_left = std::min(std::max(margin + widest_label + label_gap, min_gutter), plot.width / 4);
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

Canvas draw_waveform_plot(const WaveformPlot& plot) {
  const WaveformLayout layout = waveform_layout(plot);
  Canvas canvas(layout.width, layout.height);
  draw_phases(canvas, plot, layout);
  draw_tracks(canvas, plot, layout);
  draw_time_axis(canvas, layout);
  draw_title(canvas, plot.title);
  return canvas;
}

void write_waveform_png(const std::string& path, const WaveformPlot& plot) {
  const Canvas canvas = draw_waveform_plot(plot);
  write_png(path, canvas.width(), canvas.height(), canvas.rgb());
}

}  // namespace callsup::demo
