// callsup-demo: reading and writing 16-bit PCM WAV files (the voices and the recordings).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace callsup::demo {

/// Decoded 16-bit PCM audio.
struct Pcm {
  int sample_rate = 8000;
  int channels = 1;
  std::vector<std::int16_t> samples;  ///< interleaved when channels > 1
};

/// Reads a RIFF/WAVE file holding 16-bit PCM (format 1, or WAVE_FORMAT_EXTENSIBLE with the PCM
/// sub-format), 1 or 2 channels, any sample rate. Chunks other than "fmt " and "data" (LIST,
/// fact, ...) are skipped, with their odd-size padding byte. Throws Error(io_error) when the
/// file cannot be opened or read, Error(invalid_argument) when its content is not such a file;
/// both messages name the path and what is wrong ("x.wav: 24-bit samples, expected 16").
Pcm read_wav(const std::string& path);

/// Writes `samples` (interleaved when channels is 2) as a canonical 44-byte-header PCM WAV
/// file, replacing any file at `path`. Throws Error(invalid_argument) when sample_rate is not
/// positive, channels is not 1 or 2, samples.size() is not a multiple of channels or the
/// data does not fit a WAV file (4 GiB); Error(io_error) when the file cannot be written.
void write_wav(const std::string& path, std::span<const std::int16_t> samples, int sample_rate,
               int channels = 1);

}  // namespace callsup::demo
