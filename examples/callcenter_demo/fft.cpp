// callsup-demo: iterative radix-2 FFT.
#include "fft.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <utility>

#include "callsup/error.hpp"

namespace callsup::demo {
namespace {

void check_size(std::size_t n) {
  if (!is_power_of_two(n))
    throw Error(errc::invalid_argument, "fft: size " + std::to_string(n) + " is not a power of two");
}

// e^(-2 pi i k / n) for k < n / 2. Each factor is a product of two exactly computed ones
// (a coarse angle and a fine one), so the error stays at a rounding or two, unlike a running
// product, while only about 2 sqrt(n) sines and cosines are evaluated.
std::vector<std::complex<double>> make_twiddles(std::size_t n) {
  const std::size_t count = n / 2;
  std::size_t fine = 1;
  while (fine * fine < count) fine *= 2;
  const double step = -2 * std::numbers::pi / static_cast<double>(n);
  const auto unit = [step](std::size_t k) { return std::polar(1.0, step * static_cast<double>(k)); };
  std::vector<std::complex<double>> fine_factors(fine);
  for (std::size_t j = 0; j < fine; ++j) fine_factors[j] = unit(j);
  std::vector<std::complex<double>> twiddles(count);
  for (std::size_t coarse = 0; coarse < count; coarse += fine) {
    const std::complex<double> base = unit(coarse);
    for (std::size_t j = 0; j < fine && coarse + j < count; ++j)
      twiddles[coarse + j] = base * fine_factors[j];
  }
  return twiddles;
}

}  // namespace

std::size_t next_power_of_two(std::size_t n) {
  std::size_t size = 1;
  while (size < n) {
    if (size > std::numeric_limits<std::size_t>::max() / 2)
      throw Error(errc::invalid_argument, "fft: no power of two >= " + std::to_string(n) + " fits a size_t");
    size *= 2;
  }
  return size;
}

FftPlan::FftPlan(std::size_t size) : size_(size) {
  check_size(size);
  twiddles_ = make_twiddles(size);
}

void FftPlan::transform(std::span<std::complex<double>> data, bool inverse) const {
  const std::size_t n = size_;
  if (data.size() != n)
    throw Error(errc::invalid_argument,
                "fft: " + std::to_string(data.size()) + " values for a plan of size " + std::to_string(n));

  // Bit-reversal permutation, so that the butterflies below can work in place.
  for (std::size_t i = 1, j = 0; i < n; ++i) {
    std::size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j |= bit;
    if (i < j) std::swap(data[i], data[j]);
  }

  // Plain double arithmetic on the interleaved (re, im) pairs, which std::complex guarantees:
  // the demo's tests run this at -Og, where std::complex's operators are not inlined.
  double* const values = reinterpret_cast<double*>(data.data());
  const double* const factors = reinterpret_cast<const double*>(twiddles_.data());
  const double conjugate = inverse ? -1.0 : 1.0;
  for (std::size_t half = 1; half < n; half *= 2) {
    const std::size_t stride = n / (2 * half);  // this stage's factors are every stride-th one
    for (std::size_t start = 0; start < n; start += 2 * half) {
      for (std::size_t k = 0; k < half; ++k) {
        const double w_re = factors[2 * k * stride];
        const double w_im = conjugate * factors[2 * k * stride + 1];
        double* const even = values + 2 * (start + k);
        double* const odd = values + 2 * (start + k + half);
        const double odd_re = odd[0] * w_re - odd[1] * w_im;
        const double odd_im = odd[0] * w_im + odd[1] * w_re;
        odd[0] = even[0] - odd_re;
        odd[1] = even[1] - odd_im;
        even[0] += odd_re;
        even[1] += odd_im;
      }
    }
  }

  if (inverse) {
    const double scale = 1.0 / static_cast<double>(n);
    for (std::complex<double>& value : data) value *= scale;
  }
}

void fft(std::span<std::complex<double>> data, bool inverse) {
  check_size(data.size());
  const FftPlan plan(data.size());
  if (inverse)
    plan.inverse(data);
  else
    plan.forward(data);
}

}  // namespace callsup::demo
