// callsup-demo: an in-place radix-2 complex FFT, the engine of hearing.hpp's correlations.
#pragma once

#include <complex>
#include <cstddef>
#include <span>
#include <vector>

namespace callsup::demo {

/// Is `n` a power of two (1, 2, 4, ...)?
constexpr bool is_power_of_two(std::size_t n) noexcept { return n != 0 && (n & (n - 1)) == 0; }

/// The smallest power of two >= n (1 for n = 0). Throws Error(invalid_argument) when it does
/// not fit a size_t.
std::size_t next_power_of_two(std::size_t n);

/// An FFT of one size with its twiddle factors computed once, for callers that transform many
/// blocks of the same size. Forward: X[k] = sum_n x[n] e^(-2 pi i k n / N); inverse:
/// x[n] = (1 / N) sum_k X[k] e^(+2 pi i k n / N), so inverse(forward(x)) == x up to rounding.
/// Iterative radix-2 (bit-reversal permutation, then butterflies), in place, O(N log N).
class FftPlan {
 public:
  /// Throws Error(invalid_argument) when `size` is not a power of two.
  explicit FftPlan(std::size_t size);

  std::size_t size() const noexcept { return size_; }

  /// Transforms `data` in place. Throws Error(invalid_argument) when data.size() != size().
  void forward(std::span<std::complex<double>> data) const { transform(data, false); }
  void inverse(std::span<std::complex<double>> data) const { transform(data, true); }

 private:
  void transform(std::span<std::complex<double>> data, bool inverse) const;

  std::size_t size_;
  std::vector<std::complex<double>> twiddles_;  // e^(-2 pi i k / N), k < N / 2
};

/// One transform of `data` in place (forward, or inverse with the 1/N scale), as FftPlan.
/// Throws Error(invalid_argument) when data.size() is not a power of two (an empty span too).
void fft(std::span<std::complex<double>> data, bool inverse = false);

}  // namespace callsup::demo
