// Benchmarks of SrtpContext::protect() / unprotect() on a 172-byte RTP packet (12-byte header,
// 160 bytes of G.711 at 20 ms), for the three suites, with 1 context and with 1,000 contexts
// used round-robin (a busy server: keys and replay state no longer all sit in L1), and of
// callsup's HMAC-SHA1 alone on the bytes SRTP authenticates per such packet.
// Why it matters: Debian's NSS build of libsrtp2 slows down as sessions grow; the OpenSSL
// build that scripts/deps makes should not. srtp_backend() is printed in the context.
//
//   cmake --preset release -B build/release && cmake --build build/release --target callsup_bench
//   build/release/bin/callsup_bench --benchmark_filter='Srtp|HmacSha1'

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "callsup/media/srtp.hpp"
#include "media/srtp/hmac_sha1.hpp"

namespace {

using callsup::SrtpContext;
using callsup::SrtpKeyMaterial;
using callsup::SrtpStatus;
using callsup::SrtpSuite;

constexpr std::size_t rtp_length = 172;
constexpr std::size_t stride = rtp_length + callsup::srtp_max_trailer;

SrtpKeyMaterial keys_for(SrtpSuite suite, std::size_t index) {
  SrtpKeyMaterial keys;
  keys.suite = suite;
  keys.master_key.resize(callsup::srtp_master_key_length(suite));
  keys.master_salt.resize(callsup::srtp_master_salt_length(suite));
  for (std::size_t i = 0; i < keys.master_key.size(); ++i)
    keys.master_key[i] = static_cast<std::uint8_t>(i + index);
  for (std::size_t i = 0; i < keys.master_salt.size(); ++i) {
    keys.master_salt[i] = static_cast<std::uint8_t>(3 * i + (index >> 8));
  }
  return keys;
}

void write_header(std::uint8_t* packet, std::uint16_t sequence, std::uint32_t ssrc) {
  const std::uint32_t timestamp = sequence * 160u;
  packet[0] = 0x80;
  packet[1] = 0;  // PCMU
  packet[2] = static_cast<std::uint8_t>(sequence >> 8);
  packet[3] = static_cast<std::uint8_t>(sequence);
  for (int i = 0; i < 4; ++i) {
    packet[4 + i] = static_cast<std::uint8_t>(timestamp >> (24 - 8 * i));
    packet[8 + i] = static_cast<std::uint8_t>(ssrc >> (24 - 8 * i));
  }
}

// One sending and one receiving context per simulated session, each with its own SSRC.
struct Sessions {
  std::vector<SrtpContext> senders, receivers;
  std::vector<std::uint16_t> sequences;

  Sessions(SrtpSuite suite, std::size_t count) : sequences(count, 1) {
    senders.reserve(count);
    receivers.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      senders.emplace_back(SrtpContext::Direction::outbound, keys_for(suite, i));
      receivers.emplace_back(SrtpContext::Direction::inbound, keys_for(suite, i));
    }
  }
  static std::uint32_t ssrc(std::size_t session) { return 0x10000000u + static_cast<std::uint32_t>(session); }
};

void set_context(benchmark::State& state, SrtpSuite suite) {
  state.SetLabel(std::string(to_string(suite)));
  state.counters["contexts"] = static_cast<double>(state.range(1));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(rtp_length));
}

void BM_SrtpProtect(benchmark::State& state) {
  const auto suite = static_cast<SrtpSuite>(state.range(0));
  const auto count = static_cast<std::size_t>(state.range(1));
  Sessions sessions(suite, count);
  std::vector<std::uint8_t> buffer(stride, 0x5A);
  std::size_t next = 0;
  for (auto _ : state) {
    // The payload is whatever the last iteration left: encrypting it costs the same.
    write_header(buffer.data(), sessions.sequences[next]++, Sessions::ssrc(next));
    std::size_t length = rtp_length;
    if (sessions.senders[next].protect(buffer, length) != SrtpStatus::ok) {
      state.SkipWithError("protect failed");
      break;
    }
    benchmark::DoNotOptimize(buffer.data());
    if (++next == count) next = 0;
  }
  set_context(state, suite);
}

void BM_SrtpUnprotect(benchmark::State& state) {
  const auto suite = static_cast<SrtpSuite>(state.range(0));
  const auto count = static_cast<std::size_t>(state.range(1));
  Sessions sessions(suite, count);
  // A batch of packets protected ahead, in round-robin order, each unprotected once (a second
  // time would be a replay); refilled outside the timing when used up.
  const std::size_t batch = count == 1 ? 8192 : 16 * count;
  std::vector<std::uint8_t> ring(batch * stride, 0x5A);
  std::vector<std::size_t> lengths(batch);
  const auto refill = [&] {
    for (std::size_t slot = 0; slot < batch; ++slot) {
      const std::size_t session = slot % count;
      std::uint8_t* packet = ring.data() + slot * stride;
      write_header(packet, sessions.sequences[session]++, Sessions::ssrc(session));
      lengths[slot] = rtp_length;
      if (sessions.senders[session].protect({packet, stride}, lengths[slot]) != SrtpStatus::ok) return false;
    }
    return true;
  };
  if (!refill()) state.SkipWithError("protect failed");
  std::size_t slot = 0;
  for (auto _ : state) {
    if (slot == batch) {
      state.PauseTiming();
      const bool ok = refill();
      state.ResumeTiming();
      if (!ok) {
        state.SkipWithError("protect failed");
        break;
      }
      slot = 0;
    }
    std::size_t length = lengths[slot];
    if (sessions.receivers[slot % count].unprotect({ring.data() + slot * stride, stride}, length) !=
        SrtpStatus::ok) {
      state.SkipWithError("unprotect failed");
      break;
    }
    benchmark::DoNotOptimize(length);
    ++slot;
  }
  set_context(state, suite);
}

void suites_and_contexts(benchmark::internal::Benchmark* benchmark) {
  benchmark->ArgNames({"suite", "contexts"});
  for (const SrtpSuite suite : {SrtpSuite::aes_cm_128_hmac_sha1_80, SrtpSuite::aes_cm_128_hmac_sha1_32,
                                SrtpSuite::aead_aes_128_gcm}) {
    for (const int contexts : {1, 1000}) benchmark->Args({static_cast<int>(suite), contexts});
  }
}

BENCHMARK(BM_SrtpProtect)->Apply(suites_and_contexts);
BENCHMARK(BM_SrtpUnprotect)->Apply(suites_and_contexts);

// The HMAC-SHA1 of one AES_CM_128_HMAC_SHA1_80 packet, as libsrtp calls it: start, the
// 172-byte packet, the 4-byte rollover counter, an 80-bit tag.
void BM_HmacSha1_172B(benchmark::State& state) {
  callsup::detail::HmacSha1 hmac;
  std::vector<std::uint8_t> key(20), packet(rtp_length, 0x5A), tag(10);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i);
  const std::uint8_t rollover_counter[4] = {0, 0, 0, 1};
  if (!hmac.set_key(key.data(), key.size())) state.SkipWithError("set_key failed");
  for (auto _ : state) {
    if (!(hmac.start() && hmac.update(packet.data(), packet.size()) &&
          hmac.update(rollover_counter, sizeof rollover_counter) && hmac.finish(tag.data(), tag.size()))) {
      state.SkipWithError("HMAC failed");
      break;
    }
    benchmark::DoNotOptimize(tag.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(rtp_length + sizeof rollover_counter));
}
BENCHMARK(BM_HmacSha1_172B);

// Which libsrtp and crypto ran: printed once in the benchmark context.
[[maybe_unused]] const bool backend_in_context = [] {
  const callsup::SrtpBackend backend = callsup::srtp_backend();
  benchmark::AddCustomContext("srtp_backend", backend.library + ", " + backend.crypto);
  return true;
}();

}  // namespace
