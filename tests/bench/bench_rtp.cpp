// Benchmarks of RTP (RFC 3550) on the per-packet path: parse_rtp and write_rtp of a 20 ms
// G.711 packet (12-byte header + 160 bytes of payload), the fixed-header fast path, and the
// RFC 4733 receiver. Nothing here may allocate per iteration.

#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <cstdint>

#include "callsup/media/dtmf_receiver.hpp"
#include "callsup/media/rtp_packet.hpp"
#include "callsup/media/telephone_event.hpp"

namespace {

using namespace callsup;

constexpr std::size_t payload_size = 160;

RtpHeader pcmu_header() {
  RtpHeader header;
  header.payload_type = 0;
  header.sequence = 4321;
  header.timestamp = 0x12345678;
  header.ssrc = 0xCAFEBABE;
  return header;
}

std::array<std::uint8_t, payload_size> payload() {
  std::array<std::uint8_t, payload_size> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 7);
  return bytes;
}

void BM_RtpParse(benchmark::State& state) {
  const auto body = payload();
  std::array<std::uint8_t, rtp_fixed_header_size + payload_size> datagram{};
  if (write_rtp(pcmu_header(), body, datagram) != datagram.size()) {
    state.SkipWithError("write_rtp did not fill the 172-byte datagram");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(datagram.data());
    RtpParseResult result = parse_rtp(datagram);
    benchmark::DoNotOptimize(result);
    if (!result || result.packet.payload.size() != payload_size) {
      state.SkipWithError("parse_rtp rejected the datagram");
      break;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * datagram.size()));
}
BENCHMARK(BM_RtpParse);

void BM_RtpWrite(benchmark::State& state) {
  const auto body = payload();
  RtpHeader header = pcmu_header();
  std::array<std::uint8_t, 1500> out{};
  for (auto _ : state) {
    ++header.sequence;
    header.timestamp += 160;
    const std::size_t written = write_rtp(header, body, out);
    benchmark::DoNotOptimize(written);
    benchmark::ClobberMemory();
    if (written != rtp_fixed_header_size + payload_size) {
      state.SkipWithError("write_rtp wrote an unexpected size");
      break;
    }
  }
  state.SetBytesProcessed(
      static_cast<std::int64_t>(state.iterations() * (rtp_fixed_header_size + payload_size)));
}
BENCHMARK(BM_RtpWrite);

void BM_RtpWriteFixedHeader(benchmark::State& state) {
  std::array<std::uint8_t, rtp_fixed_header_size> out{};
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  for (auto _ : state) {
    write_rtp_fixed_header(false, 0, ++sequence, timestamp += 160, 0xCAFEBABE, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_RtpWriteFixedHeader);

/// One telephone-event packet through parse_telephone_event and DtmfReceiver: a key press
/// of 8 continuation/end packets, so mostly the "already known" path, with a new event
/// every 8 packets.
void BM_RtpDtmfReceive(benchmark::State& state) {
  DtmfReceiver receiver;
  std::array<std::uint8_t, telephone_event_size> block{};
  std::uint32_t timestamp = 0;
  std::uint16_t duration = 0;
  std::uint32_t packet = 0;
  for (auto _ : state) {
    const bool end = packet % 8 >= 5;
    write_telephone_event(TelephoneEvent{static_cast<std::uint8_t>(packet / 8 % 16), end, 10, duration},
                          block);
    benchmark::DoNotOptimize(block.data());
    const TelephoneEventParse parsed = parse_telephone_event(block);
    benchmark::DoNotOptimize(receiver.on_packet(0x1234, timestamp, parsed.event));
    if (++packet % 8 == 0) {
      timestamp += 1280;
      duration = 0;
    } else if (!end) {
      duration = static_cast<std::uint16_t>(duration + 160);
    }
  }
  if (receiver.digits() != (packet + 7) / 8) state.SkipWithError("DtmfReceiver miscounted digits");
}
BENCHMARK(BM_RtpDtmfReceive);

}  // namespace
