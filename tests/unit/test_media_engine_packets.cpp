// The engine's receive path: each class of bad packet is counted and dropped, never thrown;
// good packets still get through afterwards.
#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include "callsup/media/media_engine.hpp"
#include "callsup/media/media_engine_asio.hpp"  // (brings <utility> before Asio)
#include "callsup/media/rtp_packet.hpp"
#include "callsup/media/sdes.hpp"
#include "callsup/media/srtp.hpp"
#include "support/checks.hpp"
#include "support/udp_peer.hpp"

using namespace callsup;
using callsup::test::eventually;
using callsup::test::UdpPeer;

namespace {

std::vector<std::uint8_t> rtp(std::uint16_t sequence, std::uint8_t payload_type = 0,
                              std::size_t payload = 160, std::uint32_t ssrc = 0x1234) {
  RtpHeader header;
  header.payload_type = payload_type;
  header.sequence = sequence;
  header.timestamp = sequence * 160u;
  header.ssrc = ssrc;
  std::vector<std::uint8_t> bytes(12 + payload + srtp_max_trailer);
  std::vector<std::uint8_t> body(payload, 0xFF);
  bytes.resize(write_rtp(header, body, bytes));
  return bytes;
}

/// rtp(sequence) as `phone` protects it.
std::vector<std::uint8_t> protected_rtp(SrtpContext& phone, std::uint16_t sequence) {
  std::vector<std::uint8_t> packet = rtp(sequence);
  std::size_t length = packet.size();
  packet.resize(length + srtp_max_trailer);
  REQUIRE(phone.protect(packet, length) == SrtpStatus::ok);
  packet.resize(length);
  return packet;
}

MediaEngineConfig single_thread_config() {
  MediaEngineConfig config;
  config.threads = 1;
  return config;
}

struct Fixture {
  MediaEngine engine{single_thread_config()};
  UdpPeer phone;
  std::shared_ptr<RtpEndpoint> endpoint;
  std::uint16_t sequence = 1;

  explicit Fixture(EndpointConfig config = {}) {
    config.socket = SocketMode::dedicated;
    config.remote = phone.address();
    endpoint = engine.add_endpoint("call-1", "leg-a", config);
  }
  void send(std::span<const std::uint8_t> datagram) { phone.send_to(endpoint->local_address(), datagram); }
  /// A valid packet gets counted (and so everything sent before it was processed).
  void send_valid_and_wait() {
    const auto before = endpoint->stats().packets_in;
    send(rtp(sequence++));
    REQUIRE(eventually([&] { return endpoint->stats().packets_in == before + 1; }));
  }
};

}  // namespace

TEST_CASE("media: engine drops each class of malformed RTP and counts it") {
  Fixture f;
  f.send_valid_and_wait();
  std::vector<std::uint8_t> packet = rtp(100);
  const auto before = f.endpoint->stats();

  SUBCASE("truncated") { f.send(std::span(packet).first(7)); }
  SUBCASE("wrong version") {
    packet[0] = static_cast<std::uint8_t>((packet[0] & 0x3F) | 0x40);  // version 1
    f.send(packet);
  }
  SUBCASE("CSRC count longer than the packet") {
    packet.resize(20);
    packet[0] = static_cast<std::uint8_t>(packet[0] | 0x0F);  // 15 CSRCs = 60 bytes
    f.send(packet);
  }
  SUBCASE("extension longer than the packet") {
    packet[0] = static_cast<std::uint8_t>(packet[0] | 0x10);
    packet[14] = 0xFF;  // extension length: 65,280+ words
    packet[15] = 0xFF;
    f.send(packet);
  }
  SUBCASE("padding larger than the payload") {
    packet[0] = static_cast<std::uint8_t>(packet[0] | 0x20);
    packet.back() = 200;
    f.send(packet);
  }
  SUBCASE("padding bit with a zero count") {
    packet[0] = static_cast<std::uint8_t>(packet[0] | 0x20);
    packet.back() = 0;
    f.send(packet);
  }
  f.send_valid_and_wait();
  const auto after = f.endpoint->stats();
  CHECK(after.malformed == before.malformed + 1);
  CHECK(after.packets_in == before.packets_in + 1);  // only the valid packet
}

TEST_CASE("media: engine drops unknown payload types, RTCP and strangers' packets and counts them") {
  Fixture f;
  f.send_valid_and_wait();
  SUBCASE("unknown payload type") {
    f.send(rtp(200, 13));
    f.send_valid_and_wait();
    CHECK(f.endpoint->stats().unknown_payload_type == 1);
  }
  SUBCASE("RTCP on the RTP port") {
    std::vector<std::uint8_t> rtcp = {0x80, 200, 0x00, 0x06, 0, 0, 0x12, 0x34, 0, 0, 0, 0, 0, 0,
                                      0,    0,   0,    0,    0, 0, 0,    0,    0, 0, 0, 0, 0, 0};
    f.send(rtcp);
    f.send_valid_and_wait();
    CHECK(f.endpoint->stats().rtcp == 1);
  }
  SUBCASE("from an unexpected source") {
    UdpPeer stranger;
    stranger.send_to(f.endpoint->local_address(), rtp(300));
    f.send_valid_and_wait();
    CHECK(f.endpoint->stats().unexpected_source == 1);
    CHECK(f.endpoint->remote() == f.phone.address());  // the stranger did not take the leg over
  }
  CHECK(f.endpoint->stats().packets_in == 2);
}

TEST_CASE("media: engine drops tampered and replayed SRTP and counts them") {
  for (const SrtpSuite suite : {SrtpSuite::aes_cm_128_hmac_sha1_80, SrtpSuite::aes_cm_128_hmac_sha1_32,
                                SrtpSuite::aead_aes_128_gcm}) {
    CAPTURE(to_string(suite));
    const SrtpKeyMaterial phone_key = key_material(make_sdes_crypto(suite));
    EndpointConfig config;
    config.srtp_receive = phone_key;
    config.srtp_send = key_material(make_sdes_crypto(suite));
    Fixture f(config);
    SrtpContext phone(SrtpContext::Direction::outbound, phone_key);
    auto protect = [&](std::uint16_t sequence) { return protected_rtp(phone, sequence); };
    std::uint64_t accepted = 0;  // packets the endpoint must have taken so far
    auto send_valid = [&] {
      f.send(protect(f.sequence++));
      ++accepted;
      const bool all_in = eventually([&] { return f.endpoint->stats().packets_in == accepted; });
      const EndpointStats now = f.endpoint->stats();
      CAPTURE(now.packets_in);
      CAPTURE(now.auth_fail);
      CAPTURE(now.malformed);
      CAPTURE(now.replay);
      REQUIRE(all_in);
    };
    send_valid();
    std::vector<std::uint8_t> tampered = protect(f.sequence++);
    tampered[20] ^= 0x01;  // one payload bit
    f.send(tampered);
    std::vector<std::uint8_t> tag_tampered = protect(f.sequence++);
    tag_tampered.back() ^= 0x80;
    f.send(tag_tampered);
    const std::vector<std::uint8_t> once = protect(f.sequence++);
    f.send(once);
    f.send(once);  // replayed
    ++accepted;    // the first copy
    send_valid();
    const EndpointStats s = f.endpoint->stats();
    CHECK(s.auth_fail == 2);
    CHECK(s.replay == 1);
    CHECK(s.packets_in == 3);  // two valid ones and the first copy of `once`
    // Plain RTP to an SRTP leg does not authenticate either.
    f.send(rtp(f.sequence++));
    send_valid();
    CHECK(f.endpoint->stats().auth_fail == 3);
  }
}

TEST_CASE("media: a shared-socket leg needs its peer's address or SSRC") {
  MediaEngine engine(single_thread_config());
  EndpointConfig config;  // shared socket, nothing to tell its packets apart
  CHECK_CALLSUP_ERROR(engine.add_endpoint("call-1", "leg-a", config), errc::invalid_argument, "leg-a");
  config.remote_ssrc = 42;
  CHECK(engine.add_endpoint("call-1", "leg-a", config)->local_address() == engine.shared_addresses().front());
  CHECK_CALLSUP_ERROR(engine.add_endpoint("call-1", "leg-a", config), errc::duplicate_id, "leg-a");
}

TEST_CASE("media: engine rejects bad endpoint and engine configurations naming the value") {
  MediaEngine engine(single_thread_config());
  EndpointConfig config;
  config.remote_ssrc = 1;
  config.codec.name = "G729";
  CHECK_CALLSUP_ERROR(engine.add_endpoint("c", "l1", config), errc::invalid_argument, "G729");
  config.codec.name = "PCMU";
  config.telephone_event_payload_type = 0;
  CHECK_CALLSUP_ERROR(engine.add_endpoint("c", "l2", config), errc::invalid_argument, "0");
  config.telephone_event_payload_type = 101;
  config.srtp_send = key_material(make_sdes_crypto(SrtpSuite::aes_cm_128_hmac_sha1_80));
  CHECK_CALLSUP_ERROR(engine.add_endpoint("c", "l3", config), errc::invalid_argument, "srtp_receive");
  MediaEngineConfig bad = single_thread_config();
  bad.ptime_ms = 25;
  CHECK_CALLSUP_ERROR(MediaEngine{bad}, errc::invalid_argument, "25");
  bad = single_thread_config();
  bad.port_min = 3000;
  bad.port_max = 2000;
  CHECK_CALLSUP_ERROR(MediaEngine{bad}, errc::invalid_argument, "3000-2000");
}

TEST_CASE("media: rekey swaps both SRTP keys of a leg (a re-INVITE's new SDES keys)") {
  const SrtpKeyMaterial old_in = key_material(make_sdes_crypto(SrtpSuite::aes_cm_128_hmac_sha1_80));
  const SrtpKeyMaterial old_out = key_material(make_sdes_crypto(SrtpSuite::aes_cm_128_hmac_sha1_80));
  const SrtpKeyMaterial new_in = key_material(make_sdes_crypto(SrtpSuite::aead_aes_128_gcm));
  const SrtpKeyMaterial new_out = key_material(make_sdes_crypto(SrtpSuite::aead_aes_128_gcm));
  EndpointConfig config;
  config.srtp_receive = old_in;
  config.srtp_send = old_out;
  Fixture f(config);
  SrtpContext phone_old(SrtpContext::Direction::outbound, old_in);
  f.send(protected_rtp(phone_old, f.sequence++));
  REQUIRE(eventually([&] { return f.endpoint->stats().packets_in == 1; }));

  f.endpoint->rekey(new_in, new_out);
  SrtpContext phone_new(SrtpContext::Direction::outbound, new_in);
  f.send(protected_rtp(phone_new, f.sequence++));  // the new key works...
  REQUIRE(eventually([&] { return f.endpoint->stats().packets_in == 2; }));
  f.send(protected_rtp(phone_old, f.sequence++));  // ...and the old one no longer does
  REQUIRE(eventually([&] { return f.endpoint->stats().auth_fail == 1; }));
  CHECK(f.endpoint->stats().packets_in == 2);

  // What the leg sends (silence to a peer that hears nobody) is protected with the new key.
  SrtpContext phone_in(SrtpContext::Direction::inbound, new_out);
  bool decrypted = false;
  for (int i = 0; i < 50 && !decrypted; ++i) {
    auto packet = f.phone.receive(std::chrono::milliseconds(200));
    REQUIRE(packet.has_value());
    std::size_t length = packet->size();
    decrypted = phone_in.unprotect(*packet, length) == SrtpStatus::ok;
  }
  CHECK(decrypted);

  CHECK_THROWS_WITH_AS(Fixture().endpoint->rekey(new_in, new_out), doctest::Contains("without SRTP"), Error);
}

TEST_CASE("media: a burst larger than one wake-up's reads reaches a dedicated leg whole") {
  // Dedicated sockets are edge-triggered and read in bounded rounds (1,024 datagrams): what a
  // wake-up leaves must still be read though nothing more arrives. The engine runs on our
  // io_context, not yet running, so the whole burst waits in the socket before the first read.
  boost::asio::io_context context;
  auto work = boost::asio::make_work_guard(context);
  MediaEngineConfig config = single_thread_config();
  config.socket_buffer_bytes = 16 << 20;
  {
    MediaEngine engine(config, MediaEngine::Executor{context.get_executor()});
    UdpPeer phone;
    EndpointConfig leg;
    leg.socket = SocketMode::dedicated;
    leg.remote = phone.address();
    auto endpoint = engine.add_endpoint("call-1", "leg-a", leg);
    constexpr std::uint64_t burst = 2500;
    for (std::uint16_t i = 1; i <= burst; ++i) phone.send_to(endpoint->local_address(), rtp(i));
    std::thread runner([&] { context.run(); });
    CHECK(eventually([&] { return endpoint->stats().packets_in == burst; }, std::chrono::seconds(5)));
    CHECK(endpoint->stats().packets_in == burst);
    engine.stop();
    work.reset();
    runner.join();
  }
}
