// Uses an installed callsup and exits non-zero when what it observes is wrong.
#include <cstdlib>
#include <iostream>
#include <string>

#include "callsup/mode.hpp"
#include "callsup/model/call_registry.hpp"
#include "callsup/model/directory.hpp"
#ifndef CONSUMER_CORE_ONLY
#include <cstdint>
#include <vector>

#include "callsup/media/sdes.hpp"
#include "callsup/media/srtp.hpp"
#endif

#ifndef CONSUMER_TARGET
#define CONSUMER_TARGET "callsup (pkg-config)"
#endif

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "FAIL: " << what << '\n';
    ++failures;
  }
}

}  // namespace

int main() {
  // Modes: the hierarchy and separate grants.
  using callsup::Mode;
  using callsup::ModeSet;
  expect(ModeSet::up_to(Mode::whisper).contains(Mode::listen), "up_to(whisper) contains listen");
  expect(!ModeSet::up_to(Mode::whisper).contains(Mode::barge), "up_to(whisper) does not contain barge");
  expect(ModeSet::up_to(Mode::whisper).to_string() == "listen|whisper",
         "up_to(whisper) prints listen|whisper");
  expect(callsup::parse_mode("barge") == Mode::barge, "parse_mode(barge)");

  // Registry: one call, two legs, bridged.
  callsup::CallRegistry registry;
  int events = 0;
  auto subscription = registry.subscribe([&](const callsup::RegistryEvent&) { ++events; });
  registry.add_call("c1", "acme");
  registry.add_leg("c1", callsup::Leg::off_net("l1", "+15551234", callsup::LegState::up));
  registry.add_leg("c1", callsup::Leg::on_net("l2", "744", callsup::LegState::up));
  registry.bridge("c1");
  expect(registry.size() == 1, "registry holds one call");
  expect(registry.call("c1")->legs.size() == 2, "call c1 has two legs");
  expect(registry.call("c1")->bridged, "call c1 is bridged");
  expect(registry.calls_of_extension("744").size() == 1, "extension 744 is in one call");
  expect(events == 4, "observer saw 4 events");

  // Errors carry a code.
  bool threw = false;
  try {
    registry.add_call("c1", "acme");
  } catch (const callsup::Error& error) {
    threw = error.code() == callsup::errc::duplicate_id;
  }
  expect(threw, "adding c1 twice throws duplicate_id");

  // Directory: a tenant and an extension with a grant.
  callsup::Directory directory;
  callsup::TenantSettings tenant;
  tenant.name = "acme";
  directory.set_tenant(tenant);
  callsup::ExtensionProfile supervisor;
  supervisor.extension = "700";
  supervisor.tenant = "acme";
  supervisor.can_supervise = true;
  supervisor.granted_modes = ModeSet::up_to(Mode::whisper);
  directory.add_extension(supervisor);
  expect(directory.extension_count() == 1, "directory holds one extension");
  const auto found = directory.find_extension("700");
  expect(found && found->granted_modes.contains(Mode::whisper) && !found->granted_modes.contains(Mode::barge),
         "extension 700 is granted listen and whisper only");
  expect(directory.find_extension("701") == nullptr, "extension 701 is unknown");

#ifndef CONSUMER_CORE_ONLY
  // The compiled media part: SDES keys (OpenSSL's RAND_bytes) and an SRTP round trip, so
  // that the link really needs libsrtp2 and libcrypto as the installed package provides them.
  const callsup::SrtpBackend backend = callsup::srtp_backend();
  std::cout << CONSUMER_TARGET << ": SRTP by " << backend.library << ", " << backend.crypto << '\n';
  expect(backend.library.rfind("libsrtp2", 0) == 0, "srtp_backend() names libsrtp2");
  const callsup::SdesCrypto offer = callsup::make_sdes_crypto(callsup::SrtpSuite::aes_cm_128_hmac_sha1_80);
  const callsup::SdesCrypto answer = callsup::parse_sdes_crypto(callsup::format_sdes_crypto(offer));
  expect(answer == offer, "a=crypto survives format and parse");
  callsup::SrtpContext sender(callsup::SrtpContext::Direction::outbound, callsup::key_material(offer));
  callsup::SrtpContext receiver(callsup::SrtpContext::Direction::inbound, callsup::key_material(answer));
  std::vector<std::uint8_t> packet{0x80, 0, 0, 1, 0, 0, 0, 160, 0, 0, 0, 42};
  packet.resize(packet.size() + 160, 0xD5);
  const std::vector<std::uint8_t> rtp = packet;
  std::size_t length = packet.size();
  packet.resize(length + callsup::srtp_max_trailer);
  expect(sender.protect(packet, length) == callsup::SrtpStatus::ok && length == rtp.size() + 10,
         "SRTP protect adds an 80-bit tag");
  expect(receiver.unprotect(packet, length) == callsup::SrtpStatus::ok && length == rtp.size() &&
             std::vector<std::uint8_t>(packet.begin(),
                                       packet.begin() + static_cast<std::ptrdiff_t>(length)) == rtp,
         "SRTP unprotect gives the packet back");
#endif

  if (failures != 0) {
    std::cerr << CONSUMER_TARGET << ": " << failures << " check(s) failed\n";
    return EXIT_FAILURE;
  }
  std::cout << CONSUMER_TARGET << ": all checks passed\n";
  return EXIT_SUCCESS;
}
