// callsup-demo: the picture of what each phone heard: waveforms on one time axis, phases marked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "canvas.hpp"

namespace callsup::demo {

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
/// max_canvas_dimension, sample_rate <= 0, a phase time that is negative or not finite, or
/// a phase that ends before it starts.
WaveformLayout waveform_layout(const WaveformPlot& plot);

/// The colour of track `index`'s waveform and label (a palette that repeats after 5).
Rgb track_colour(std::size_t index) noexcept;
/// The light background of phase `index` (a palette that repeats after 5).
Rgb phase_tint(std::size_t index) noexcept;

/// Draws `plot`: the title at the top; the phases as tinted columns across all tracks, each
/// with a boundary line and its name above the tracks; per track its label at the left, a
/// zero line and the waveform as one min..max line per pixel column, on a vertical scale
/// shared by all tracks (the loudest sample reaches the band's edge, magnified at most 8x so
/// near-silence stays flat); a time axis with a labelled tick per second (fewer when long).
/// Throws as waveform_layout.
Canvas draw_waveform_plot(const WaveformPlot& plot);

/// draw_waveform_plot(plot) written to `path` as a PNG. Throws as waveform_layout, and
/// Error(io_error) naming the path when it cannot be written.
void write_waveform_png(const std::string& path, const WaveformPlot& plot);

}  // namespace callsup::demo
