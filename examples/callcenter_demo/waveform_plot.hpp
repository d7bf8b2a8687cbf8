// callsup-demo: the picture of what each phone heard: waveforms on one time axis, phases marked.
// Drawn with cairo (shapes, text in DejaVu Sans through fontconfig) and written as a PNG by it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace callsup::demo {

/// An 8-bit-per-channel colour.
struct Rgb {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;
  friend constexpr bool operator==(const Rgb&, const Rgb&) = default;
};

inline constexpr Rgb white{255, 255, 255};  ///< the picture's background

/// One phone's received audio: mono PCM, sample i at i / sample_rate seconds.
struct WaveformTrack {
  std::string label;  ///< drawn at the left of the track, e.g. "customer heard"
  std::vector<std::int16_t> samples;
};

/// A stretch of the scenario, e.g. "listen" from 3.0 s to 8.0 s.
struct PhaseSpan {
  std::string label;
  double start_s = 0;
  double end_s = 0;
};

/// What write_waveform_png draws.
struct WaveformPlot {
  std::string title;                  ///< e.g. "callsup-demo: what each phone heard (SRTP)"
  int sample_rate = 8000;             ///< of every track
  std::vector<WaveformTrack> tracks;  ///< stacked top to bottom; at least one
  std::vector<PhaseSpan> phases;      ///< in time order; gaps allowed; may be empty
  int width = 1400;                   ///< pixels, in [320, 8000]
  int track_height = 170;             ///< pixels per track, in [40, 2000]
};

/// Pixels above the first track (the title, then a row with the phase names) and below the
/// last one (the time axis): the image is width x (header + tracks x track_height + footer).
inline constexpr int waveform_plot_header_height = 86;
inline constexpr int waveform_plot_footer_height = 44;
/// The tallest picture waveform_layout accepts: a bound on memory, far above any plot's needs.
inline constexpr int max_waveform_plot_height = 16384;

/// The picture's font sizes in pixels: the title (bold, smaller when it does not fit) and the
/// rest (track labels, time labels, phase names; these smaller when the phase is narrow).
inline constexpr double waveform_title_font_px = 22;
inline constexpr double waveform_text_font_px = 14;

/// Where each part of the picture goes, in pixels. Time runs from plot_left (0 s) to
/// plot_right (duration_s); track i is the band [track_top(i), track_top(i) + track_height).
struct WaveformLayout {
  int width = 0;
  int height = 0;
  int plot_left = 0;      ///< x of 0 s; the track labels are to its left
  int plot_right = 0;     ///< x of duration_s
  int phase_row_top = 0;  ///< the phase names' row, just above the tracks
  int tracks_top = 0;
  int track_height = 0;
  int axis_y = 0;  ///< the time axis line, just below the last track
  /// The later of the longest track's end and the last phase's end (1 s when both are 0).
  double duration_s = 1;
  /// Seconds between labelled ticks: 1 when they fit, more (2, 5, 10, 15, 30, 60, ...) when long.
  double label_step_s = 1;

  int track_top(std::size_t index) const noexcept {
    return tracks_top + static_cast<int>(index) * track_height;
  }
  /// The row of the track's zero line (its middle).
  int zero_line_y(std::size_t index) const noexcept { return track_top(index) + track_height / 2; }
  /// The column of time `seconds`, clamped to the axis.
  int x_at(double seconds) const noexcept;
};

/// The layout of `plot`, after checking it. Throws Error(invalid_argument) naming the bad
/// value: no tracks, width or track_height out of range, an image taller than
/// max_waveform_plot_height, sample_rate <= 0, a phase time that is negative or not finite, or
/// a phase that ends before it starts.
WaveformLayout waveform_layout(const WaveformPlot& plot);

/// The colour of track `index`'s waveform and label (a palette that repeats after 5).
Rgb track_colour(std::size_t index) noexcept;
/// The light background of phase `index` (a palette that repeats after 5).
Rgb phase_tint(std::size_t index) noexcept;

/// The width in pixels of `text` (UTF-8; invalid bytes show as U+FFFD) in the picture's font at
/// `font_px`, bold or not: how far drawing it advances.
double text_width(std::string_view text, double font_px, bool bold = false);

/// `text`, or as much of it as fits in `max_width` pixels at `font_px` followed by "…" (whole
/// characters only), or "" when not even that fits: for labels in a space of fixed width.
std::string fit_text(std::string_view text, double max_width, double font_px, bool bold = false);

/// Draws `plot` with cairo and writes it to `path` as an 8-bit RGB PNG: the title at the top;
/// the phases as tinted columns across all tracks, each with a boundary line and its name above
/// the tracks; per track its label at the left, a zero line and the waveform as one min..max
/// line per pixel column, on a vertical scale shared by all tracks (the loudest sample reaches
/// the band's edge, magnified at most 8x so near-silence stays flat); a time axis with a
/// labelled tick per second (fewer when long). Shapes are whole pixels in exactly the colours
/// given (track_colour, phase_tint); text is anti-aliased. Throws as waveform_layout, and
/// Error(io_error) naming the path when it cannot be written.
void write_waveform_png(const std::string& path, const WaveformPlot& plot);

}  // namespace callsup::demo
