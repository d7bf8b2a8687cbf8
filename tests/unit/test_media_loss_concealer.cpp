// LossConcealer: repetition of the last frame, fading 1 -> 1/2 -> 1/4 -> 0 over three losses,
// then silence.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "callsup/media/loss_concealer.hpp"
#include "support/checks.hpp"

using callsup::LossConcealer;

namespace {

bool silent(const std::vector<std::int16_t>& frame) {
  return std::all_of(frame.begin(), frame.end(), [](std::int16_t s) { return s == 0; });
}

double energy(const std::vector<std::int16_t>& frame) {
  double sum = 0;
  for (std::int16_t s : frame) sum += static_cast<double>(s) * s;
  return sum;
}

}  // namespace

TEST_CASE("media: loss concealment before any real frame is silence") {
  LossConcealer concealer(160);
  CHECK(concealer.samples_per_frame() == 160);
  std::vector<std::int16_t> out(160, 123);
  concealer.conceal(out);
  CHECK(silent(out));
  CHECK(concealer.consecutive_losses() == 1);
}

TEST_CASE("media: a constant frame fades by half per loss without steps, then goes silent") {
  LossConcealer concealer(160);
  concealer.on_frame(std::vector<std::int16_t>(160, 10000));
  std::vector<std::vector<std::int16_t>> lost(5, std::vector<std::int16_t>(160));
  for (std::size_t k = 0; k < lost.size(); ++k) {
    concealer.conceal(lost[k]);
    CHECK(concealer.consecutive_losses() == k + 1);
  }
  // The first concealed sample continues the real audio at full level.
  CHECK(lost[0].front() == 10000);
  CHECK(lost[1].front() == 5000);
  CHECK(lost[2].front() == 2500);
  for (std::size_t k = 0; k < 3; ++k) {
    CAPTURE(k);
    // Monotonic fade inside the frame, ending where the next frame starts (no gain step).
    CHECK(std::is_sorted(lost[k].rbegin(), lost[k].rend()));
    const int next_start = k < 2 ? lost[k + 1].front() : 0;
    CHECK(std::abs(lost[k].back() - next_start) <= 10000 / 2 / 80);
  }
  CHECK(lost[2].back() < 100);
  CHECK(silent(lost[3]));
  CHECK(silent(lost[4]));
}

TEST_CASE("media: concealment repeats the last frame's waveform") {
  LossConcealer concealer(8);
  const std::vector<std::int16_t> frame{1000, -2000, 3000, -4000, 5000, -6000, 7000, INT16_MIN};
  concealer.on_frame(frame);
  std::vector<std::int16_t> out(8);
  concealer.conceal(out);
  for (std::size_t i = 0; i < frame.size(); ++i) {
    CAPTURE(i);
    // Same sign and at most the original magnitude, at least the end-of-frame gain (1/2).
    CHECK((out[i] < 0) == (frame[i] < 0));
    CHECK(std::abs(out[i]) <= std::abs(frame[i]));
    CHECK(std::abs(out[i]) >= std::abs(frame[i]) / 2);
  }
  CHECK(out[0] == 1000);
  CHECK(energy(out) > 0);
}

TEST_CASE("media: a real frame ends the run of losses") {
  LossConcealer concealer(160);
  concealer.on_frame(std::vector<std::int16_t>(160, -8000));
  std::vector<std::int16_t> out(160);
  for (int k = 0; k < 6; ++k) concealer.conceal(out);
  CHECK(silent(out));
  CHECK(concealer.consecutive_losses() == 6);

  concealer.on_frame(std::vector<std::int16_t>(160, 4000));
  CHECK(concealer.consecutive_losses() == 0);
  concealer.conceal(out);
  CHECK(out.front() == 4000);  // the newest frame, at full level again
  std::vector<std::int16_t> second(160);
  concealer.conceal(second);
  CHECK(energy(second) < energy(out));
}

TEST_CASE("media: frames shorter than the frame size are padded, longer outputs cycle") {
  LossConcealer concealer(4);
  concealer.on_frame(std::vector<std::int16_t>{7000, 7000});  // short: the rest is silence
  std::vector<std::int16_t> out(4);
  concealer.conceal(out);
  CHECK(out[0] == 7000);
  CHECK(out[1] > 0);
  CHECK(out[2] == 0);
  CHECK(out[3] == 0);

  concealer.on_frame(std::vector<std::int16_t>{100, 200, 300, 400, 500, 600});  // long: first 4 kept
  std::vector<std::int16_t> longer(8);
  concealer.conceal(longer);
  CHECK(longer[0] == 100);
  CHECK(longer[4] > 0);
  CHECK(longer[4] <= 100);  // cycles back to the first sample, faded
  CHECK(longer[3] > longer[4]);
}

TEST_CASE("media: reset forgets the frame and the losses") {
  LossConcealer concealer(160);
  concealer.on_frame(std::vector<std::int16_t>(160, 9000));
  std::vector<std::int16_t> out(160);
  concealer.conceal(out);
  concealer.reset();
  CHECK(concealer.consecutive_losses() == 0);
  concealer.conceal(out);
  CHECK(silent(out));
}

TEST_CASE("media: LossConcealer rejects an empty frame size") {
  CHECK_CALLSUP_ERROR(LossConcealer(0), callsup::errc::invalid_argument, "samples_per_frame 0");
}
