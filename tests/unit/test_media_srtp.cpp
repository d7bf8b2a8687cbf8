// Over 400 lines: the known answers need the independent OpenSSL model of RFC 3711 beside them.
// SRTP through libsrtp2: known answers against an independent OpenSSL model of RFC 3711
// (AES-CM PRF, AES-CM keystream, HMAC-SHA1) and RFC 7714 (AES-GCM), round trips, and the
// receive path's drops: tampering, replays, malformed packets.
#include <doctest/doctest.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "callsup/media/srtp.hpp"
#include "support/checks.hpp"

namespace {

using callsup::SrtpContext;
using callsup::SrtpKeyMaterial;
using callsup::SrtpStatus;
using callsup::SrtpSuite;
using Bytes = std::vector<std::uint8_t>;

}  // namespace

namespace callsup {
inline doctest::String toString(SrtpStatus v) { return std::string(to_string(v)).c_str(); }
}  // namespace callsup

namespace {

Bytes hex(std::string_view text) {
  Bytes out;
  int high = -1;
  for (const char c : text) {
    int value = -1;
    if (c >= '0' && c <= '9') value = c - '0';
    if (c >= 'a' && c <= 'f') value = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') value = c - 'A' + 10;
    if (value < 0) continue;  // spaces between groups
    if (high < 0) {
      high = value;
    } else {
      out.push_back(static_cast<std::uint8_t>(high * 16 + value));
      high = -1;
    }
  }
  return out;
}

// RFC 3711 Appendix B.3.
const Bytes b3_master_key = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
const Bytes b3_master_salt = hex("0EC675AD498AFEEBB6960B3AABE6");

// --- the model: OpenSSL EVP, written from the RFCs, sharing nothing with libsrtp -----------

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

// AES-128 in counter mode from a 16-byte initial counter block: the keystream XORed onto data.
Bytes aes_ctr(const Bytes& key, const std::array<std::uint8_t, 16>& iv, const Bytes& data) {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  REQUIRE(EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_ctr(), nullptr, key.data(), iv.data()) == 1);
  Bytes out(data.size());
  int length = 0;
  REQUIRE(EVP_EncryptUpdate(ctx.get(), out.data(), &length, data.data(), static_cast<int>(data.size())) == 1);
  return out;
}

// RFC 3711 §4.3.1/§4.3.3, key derivation rate 0 (index DIV kdr = 0): x = label * 2^48 XOR
// master salt (112 bits), keystream of AES-CM keyed with the master key from x * 2^16.
// A 96-bit (GCM) master salt is zero-extended to 112 bits first (RFC 7714 §11).
Bytes prf(const Bytes& master_key, Bytes master_salt, std::uint8_t label, std::size_t length) {
  master_salt.resize(14, 0);
  std::array<std::uint8_t, 16> iv{};
  std::copy(master_salt.begin(), master_salt.end(), iv.begin());
  iv[7] ^= label;
  return aes_ctr(master_key, iv, Bytes(length, 0));
}

struct SessionKeys {
  Bytes cipher_key, cipher_salt, auth_key;
};

SessionKeys derive(const Bytes& master_key, const Bytes& master_salt) {
  return {prf(master_key, master_salt, 0x00, 16), prf(master_key, master_salt, 0x02, master_salt.size()),
          prf(master_key, master_salt, 0x01, 20)};
}

std::uint32_t ssrc_of(const Bytes& rtp) {
  return (std::uint32_t{rtp[8]} << 24) | (std::uint32_t{rtp[9]} << 16) | (std::uint32_t{rtp[10]} << 8) |
         rtp[11];
}
std::uint16_t sequence_of(const Bytes& rtp) { return static_cast<std::uint16_t>((rtp[2] << 8) | rtp[3]); }

std::size_t header_length(const Bytes& rtp) {
  std::size_t length = 12 + 4 * (rtp[0] & 0x0F);
  if ((rtp[0] & 0x10) != 0) length += 4 + 4 * ((std::size_t{rtp[length + 2]} << 8) | rtp[length + 3]);
  return length;
}

void put32(Bytes& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}

// RFC 3711 §3.1, §4.1.1, §4.2: AES-CM encryption of the payload, IV = salt * 2^16 XOR
// SSRC * 2^64 XOR index * 2^16; HMAC-SHA1 over header || encrypted payload || ROC, truncated;
// an MKI (not authenticated) goes between payload and tag.
Bytes model_protect_cm(const SessionKeys& keys, const Bytes& rtp, std::uint32_t roc, std::size_t tag_length,
                       const Bytes& mki = {}) {
  const std::size_t header = header_length(rtp);
  const std::uint64_t index = (std::uint64_t{roc} << 16) | sequence_of(rtp);
  const std::uint32_t ssrc = ssrc_of(rtp);
  std::array<std::uint8_t, 16> iv{};
  std::copy(keys.cipher_salt.begin(), keys.cipher_salt.end(), iv.begin());
  for (int i = 0; i < 4; ++i) iv[4 + i] ^= static_cast<std::uint8_t>(ssrc >> (24 - 8 * i));
  for (int i = 0; i < 6; ++i) iv[8 + i] ^= static_cast<std::uint8_t>(index >> (40 - 8 * i));

  Bytes out(rtp.begin(), rtp.begin() + static_cast<std::ptrdiff_t>(header));
  const Bytes encrypted =
      aes_ctr(keys.cipher_key, iv, Bytes(rtp.begin() + static_cast<std::ptrdiff_t>(header), rtp.end()));
  out.insert(out.end(), encrypted.begin(), encrypted.end());

  Bytes authenticated = out;
  put32(authenticated, roc);
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> mac{};
  unsigned mac_length = 0;
  REQUIRE(HMAC(EVP_sha1(), keys.auth_key.data(), static_cast<int>(keys.auth_key.size()), authenticated.data(),
               authenticated.size(), mac.data(), &mac_length) != nullptr);
  REQUIRE(mac_length == 20);
  out.insert(out.end(), mki.begin(), mki.end());
  out.insert(out.end(), mac.begin(), mac.begin() + static_cast<std::ptrdiff_t>(tag_length));
  return out;
}

// RFC 7714 §8.1, §8.2: IV = (00 00 || SSRC || ROC || SEQ) XOR salt; AAD = the RTP header;
// ciphertext then 16-byte tag; an MKI follows the tag.
Bytes model_protect_gcm(const Bytes& key, const Bytes& salt, const Bytes& rtp, std::uint32_t roc,
                        const Bytes& mki = {}) {
  const std::size_t header = header_length(rtp);
  Bytes iv{0, 0};
  put32(iv, ssrc_of(rtp));
  put32(iv, roc);
  iv.push_back(rtp[2]);
  iv.push_back(rtp[3]);
  for (std::size_t i = 0; i < 12; ++i) iv[i] ^= salt[i];

  CipherCtx ctx(EVP_CIPHER_CTX_new());
  REQUIRE(EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, nullptr, nullptr) == 1);
  REQUIRE(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, 12, nullptr) == 1);
  REQUIRE(EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), iv.data()) == 1);
  int length = 0;
  REQUIRE(EVP_EncryptUpdate(ctx.get(), nullptr, &length, rtp.data(), static_cast<int>(header)) == 1);
  Bytes out(rtp.begin(), rtp.begin() + static_cast<std::ptrdiff_t>(header));
  Bytes encrypted(rtp.size() - header + 16);
  REQUIRE(EVP_EncryptUpdate(ctx.get(), encrypted.data(), &length, rtp.data() + header,
                            static_cast<int>(rtp.size() - header)) == 1);
  REQUIRE(EVP_EncryptFinal_ex(ctx.get(), encrypted.data() + length, &length) == 1);
  REQUIRE(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16,
                              encrypted.data() + (rtp.size() - header)) == 1);
  out.insert(out.end(), encrypted.begin(), encrypted.end());
  out.insert(out.end(), mki.begin(), mki.end());
  return out;
}

// --- packets and helpers ----------------------------------------------------------------------

struct RtpSpec {
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0xCAFEBABE;
  std::size_t payload = 160;
  std::uint8_t csrcs = 0;
  std::size_t extension_words = 0;  // > 0: an RFC 8285 one-byte header extension
};

Bytes rtp_packet(const RtpSpec& spec) {
  Bytes out{static_cast<std::uint8_t>(0x80 | (spec.extension_words > 0 ? 0x10 : 0) | spec.csrcs), 0,
            static_cast<std::uint8_t>(spec.sequence >> 8), static_cast<std::uint8_t>(spec.sequence)};
  put32(out, spec.timestamp);
  put32(out, spec.ssrc);
  for (std::uint8_t i = 0; i < spec.csrcs; ++i) put32(out, 0x01020300u + i);
  if (spec.extension_words > 0) {
    out.insert(out.end(), {0xBE, 0xDE, 0, static_cast<std::uint8_t>(spec.extension_words)});
    for (std::size_t i = 0; i < 4 * spec.extension_words; ++i)
      out.push_back(static_cast<std::uint8_t>(0x40 + i));
  }
  for (std::size_t i = 0; i < spec.payload; ++i) {
    out.push_back(static_cast<std::uint8_t>(i * 7 + spec.sequence));
  }
  return out;
}

SrtpKeyMaterial b3_keys(SrtpSuite suite) {
  SrtpKeyMaterial keys;
  keys.suite = suite;
  keys.master_key = b3_master_key;
  keys.master_salt =
      Bytes(b3_master_salt.begin(),
            b3_master_salt.begin() + static_cast<std::ptrdiff_t>(callsup::srtp_master_salt_length(suite)));
  return keys;
}

// Runs protect() on a copy of `rtp` in a buffer with the trailer room; returns the SRTP bytes.
std::pair<SrtpStatus, Bytes> protect(SrtpContext& context, const Bytes& rtp) {
  Bytes buffer(rtp.size() + callsup::srtp_max_trailer, 0xEE);
  std::copy(rtp.begin(), rtp.end(), buffer.begin());
  std::size_t length = rtp.size();
  const SrtpStatus status = context.protect(buffer, length);
  buffer.resize(status == SrtpStatus::ok ? length : rtp.size());
  return {status, buffer};
}

std::pair<SrtpStatus, Bytes> unprotect(SrtpContext& context, Bytes srtp) {
  std::size_t length = srtp.size();
  const SrtpStatus status = context.unprotect(srtp, length);
  REQUIRE(length <= srtp.size());
  srtp.resize(length);
  return {status, srtp};
}

constexpr std::array all_suites{SrtpSuite::aes_cm_128_hmac_sha1_80, SrtpSuite::aes_cm_128_hmac_sha1_32,
                                SrtpSuite::aead_aes_128_gcm};

}  // namespace

TEST_CASE("media: the SRTP model reproduces RFC 3711 B.2/B.3 and RFC 7714 16.1.1") {
  // B.3: session keys from the master key and salt through the AES-CM PRF.
  const SessionKeys keys = derive(b3_master_key, b3_master_salt);
  CHECK(keys.cipher_key == hex("C61E7A93744F39EE10734AFE3FF7A087"));
  CHECK(keys.cipher_salt == hex("30CBBC08863D8C85D49DB34A9AE1"));
  CHECK(keys.auth_key == hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));

  // B.2: the AES-CM keystream for SSRC 0, index 0 (an all-zero payload encrypts to it).
  const SessionKeys b2{hex("2B7E151628AED2A6ABF7158809CF4F3C"), hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"),
                       Bytes(20, 0)};
  Bytes zero_packet = rtp_packet({.sequence = 0, .ssrc = 0, .payload = 0});
  zero_packet.resize(12 + 48, 0);
  const Bytes keystream = model_protect_cm(b2, zero_packet, 0, 0);
  CHECK(Bytes(keystream.begin() + 12, keystream.end()) ==
        hex("E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB "
            "41E95B3BB0A2E8DD477901E4FCA894C0"));

  // RFC 7714 16.1.1: AEAD_AES_128_GCM with the session key and salt given directly.
  const Bytes plain =
      hex("8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976 69736120"
          " 696e2070 61727465 73207472 6573");
  CHECK(
      model_protect_gcm(hex("000102030405060708090a0b0c0d0e0f"), hex("517569642070726f2071756f"), plain, 0) ==
      hex("8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a"
          " 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce"));
}

TEST_CASE("media: SRTP AES-CM protect() matches the RFC 3711 model byte for byte, across a ROC change") {
  const SessionKeys keys = derive(b3_master_key, b3_master_salt);
  for (const auto& entry : {std::pair{SrtpSuite::aes_cm_128_hmac_sha1_80, std::size_t{10}},
                            std::pair{SrtpSuite::aes_cm_128_hmac_sha1_32, std::size_t{4}}}) {
    const SrtpSuite suite = entry.first;
    const std::size_t tag = entry.second;
    CAPTURE(to_string(suite));
    SrtpContext sender(SrtpContext::Direction::outbound, b3_keys(suite));
    std::uint32_t roc = 0;
    const std::array<RtpSpec, 6> packets{
        RtpSpec{.sequence = 65533, .timestamp = 1000, .payload = 160},
        RtpSpec{.sequence = 65534, .timestamp = 1160, .payload = 172 - 12},
        RtpSpec{.sequence = 65535, .timestamp = 1320, .payload = 33, .csrcs = 2, .extension_words = 2},
        RtpSpec{.sequence = 0, .timestamp = 1480, .payload = 160},  // wraps: ROC 1
        RtpSpec{.sequence = 1, .timestamp = 1640, .payload = 1},
        RtpSpec{.sequence = 2, .timestamp = 1800, .payload = 0},
    };
    for (const RtpSpec& spec : packets) {
      CAPTURE(spec.sequence);
      if (spec.sequence == 0) roc = 1;
      const Bytes rtp = rtp_packet(spec);
      const auto [status, srtp] = protect(sender, rtp);
      REQUIRE(status == SrtpStatus::ok);
      CHECK(srtp.size() == rtp.size() + tag);
      CHECK(srtp == model_protect_cm(keys, rtp, roc, tag));
    }
    CHECK(sender.counters().ok == packets.size());
  }
}

TEST_CASE("media: SRTP AEAD_AES_128_GCM protect() matches the RFC 7714 model byte for byte") {
  SrtpKeyMaterial material = b3_keys(SrtpSuite::aead_aes_128_gcm);
  REQUIRE(material.master_salt.size() == 12);
  const Bytes key = prf(material.master_key, material.master_salt, 0x00, 16);
  const Bytes salt = prf(material.master_key, material.master_salt, 0x02, 12);
  SrtpContext sender(SrtpContext::Direction::outbound, material);
  std::uint32_t roc = 0;
  for (const RtpSpec& spec : {RtpSpec{.sequence = 65534, .payload = 160},
                              RtpSpec{.sequence = 65535, .payload = 20, .csrcs = 1, .extension_words = 1},
                              RtpSpec{.sequence = 0, .payload = 160}, RtpSpec{.sequence = 1, .payload = 0}}) {
    CAPTURE(spec.sequence);
    if (spec.sequence == 0) roc = 1;
    const Bytes rtp = rtp_packet(spec);
    const auto [status, srtp] = protect(sender, rtp);
    REQUIRE(status == SrtpStatus::ok);
    CHECK(srtp.size() == rtp.size() + 16);
    CHECK(srtp == model_protect_gcm(key, salt, rtp, roc));
  }
}

TEST_CASE("media: SRTP with an MKI places it as RFC 3711 / RFC 7714 say and round-trips") {
  const Bytes mki = hex("00000102");
  const Bytes rtp = rtp_packet({.sequence = 77, .payload = 160});
  SUBCASE("AES-CM: MKI between payload and tag, not authenticated") {
    SrtpKeyMaterial material = b3_keys(SrtpSuite::aes_cm_128_hmac_sha1_80);
    material.mki = mki;
    SrtpContext sender(SrtpContext::Direction::outbound, material);
    const auto [status, srtp] = protect(sender, rtp);
    REQUIRE(status == SrtpStatus::ok);
    CHECK(srtp == model_protect_cm(derive(b3_master_key, b3_master_salt), rtp, 0, 10, mki));
    SrtpContext receiver(SrtpContext::Direction::inbound, material);
    CHECK(unprotect(receiver, srtp) == std::pair{SrtpStatus::ok, rtp});
  }
  SUBCASE("GCM: MKI after the tag") {
    SrtpKeyMaterial material = b3_keys(SrtpSuite::aead_aes_128_gcm);
    material.mki = mki;
    SrtpContext sender(SrtpContext::Direction::outbound, material);
    const auto [status, srtp] = protect(sender, rtp);
    REQUIRE(status == SrtpStatus::ok);
    const Bytes key = prf(material.master_key, material.master_salt, 0x00, 16);
    const Bytes salt = prf(material.master_key, material.master_salt, 0x02, 12);
    CHECK(srtp == model_protect_gcm(key, salt, rtp, 0, mki));
    SrtpContext receiver(SrtpContext::Direction::inbound, material);
    CHECK(unprotect(receiver, srtp) == std::pair{SrtpStatus::ok, rtp});
  }
  SUBCASE("a receiver expecting another MKI drops the packet") {
    SrtpKeyMaterial material = b3_keys(SrtpSuite::aes_cm_128_hmac_sha1_80);
    material.mki = mki;
    SrtpContext sender(SrtpContext::Direction::outbound, material);
    material.mki = hex("00000103");
    SrtpContext receiver(SrtpContext::Direction::inbound, material);
    CHECK(unprotect(receiver, protect(sender, rtp).second).first == SrtpStatus::auth_fail);
    CHECK(receiver.counters().auth_fail == 1);
  }
}

TEST_CASE(
    "media: SRTP protect -> unprotect round trips for every suite, several SSRCs, across a ROC change") {
  for (const SrtpSuite suite : all_suites) {
    CAPTURE(to_string(suite));
    SrtpKeyMaterial material = b3_keys(suite);
    material.master_key[0] ^= 0x5A;  // not only the RFC key
    SrtpContext sender(SrtpContext::Direction::outbound, material);
    SrtpContext receiver(SrtpContext::Direction::inbound, material);
    int sent = 0;
    for (std::uint32_t ssrc : {0x11111111u, 0x22222222u}) {
      for (std::uint16_t sequence = 65530; sequence != 10; ++sequence) {
        const Bytes rtp = rtp_packet({.sequence = sequence, .ssrc = ssrc, .payload = sequence % 200u});
        const auto [status, srtp] = protect(sender, rtp);
        REQUIRE(status == SrtpStatus::ok);
        CHECK(srtp.size() == rtp.size() + callsup::srtp_tag_length(suite));
        if (rtp.size() > 16) CHECK(!std::equal(rtp.begin() + 12, rtp.end(), srtp.begin() + 12));  // encrypted
        const auto [back, plain] = unprotect(receiver, srtp);
        REQUIRE(back == SrtpStatus::ok);
        CHECK(plain == rtp);
        ++sent;
      }
    }
    CHECK(sender.counters().ok == static_cast<std::uint64_t>(sent));
    CHECK(receiver.counters().ok == static_cast<std::uint64_t>(sent));
    CHECK(receiver.counters().auth_fail + receiver.counters().replay + receiver.counters().malformed +
              receiver.counters().error ==
          0);
  }
}

TEST_CASE(
    "media: SRTP drops and counts a tampered packet (header, payload, tag) and still accepts the original") {
  for (const SrtpSuite suite : all_suites) {
    CAPTURE(to_string(suite));
    SrtpContext sender(SrtpContext::Direction::outbound, b3_keys(suite));
    SrtpContext receiver(SrtpContext::Direction::inbound, b3_keys(suite));
    const Bytes rtp = rtp_packet({.sequence = 4242, .payload = 160});
    const Bytes srtp = protect(sender, rtp).second;
    const std::size_t tag = callsup::srtp_tag_length(suite);
    std::uint64_t expected_failures = 0;
    // Header fields (marker/PT, sequence, timestamp, SSRC), payload bytes, every tag byte.
    std::vector<std::size_t> positions{1, 3, 5, 11, 12, 80, srtp.size() - tag - 1};
    for (std::size_t i = srtp.size() - tag; i < srtp.size(); ++i) positions.push_back(i);
    for (const std::size_t position : positions) {
      CAPTURE(position);
      Bytes tampered = srtp;
      tampered[position] ^= 0x01;
      std::size_t length = tampered.size();
      const SrtpStatus status = receiver.unprotect(tampered, length);
      CHECK(status == SrtpStatus::auth_fail);
      CHECK(length == srtp.size());  // not turned into an RTP packet
      ++expected_failures;
    }
    CHECK(receiver.counters().auth_fail == expected_failures);
    CHECK(receiver.counters().ok == 0);
    // The forgeries did not enter the replay window: the genuine packet still authenticates.
    CHECK(unprotect(receiver, srtp) == std::pair{SrtpStatus::ok, rtp});
    // A receiver with another key rejects everything.
    SrtpKeyMaterial other = b3_keys(suite);
    other.master_salt[3] ^= 0x80;
    SrtpContext stranger(SrtpContext::Direction::inbound, other);
    CHECK(unprotect(stranger, srtp).first == SrtpStatus::auth_fail);
  }
}

TEST_CASE("media: SRTP drops and counts replays: the same packet twice, and one older than the window") {
  for (const SrtpSuite suite : all_suites) {
    CAPTURE(to_string(suite));
    SrtpContext sender(SrtpContext::Direction::outbound, b3_keys(suite));
    SrtpContext receiver(SrtpContext::Direction::inbound, b3_keys(suite));
    std::vector<Bytes> protected_packets;
    for (std::uint16_t sequence = 1000; sequence <= 1300; ++sequence) {
      protected_packets.push_back(protect(sender, rtp_packet({.sequence = sequence, .payload = 40})).second);
    }
    const auto packet = [&](std::uint16_t sequence) { return protected_packets[sequence - 1000]; };

    CHECK(unprotect(receiver, packet(1000)).first == SrtpStatus::ok);
    CHECK(unprotect(receiver, packet(1000)).first == SrtpStatus::replay);
    CHECK(unprotect(receiver, packet(1300)).first == SrtpStatus::ok);
    // Within the 128-packet window and never seen: accepted (reordering), then a replay.
    CHECK(unprotect(receiver, packet(1200)).first == SrtpStatus::ok);
    CHECK(unprotect(receiver, packet(1200)).first == SrtpStatus::replay);
    // Never seen, but older than the window: dropped as a replay.
    CHECK(unprotect(receiver, packet(1100)).first == SrtpStatus::replay);
    CHECK(unprotect(receiver, packet(1001)).first == SrtpStatus::replay);
    const SrtpContext::Counters& counters = receiver.counters();
    CHECK(counters.ok == 3);
    CHECK(counters.replay == 4);
    CHECK(counters.auth_fail == 0);
  }
}

TEST_CASE("media: SRTP protect() refuses to protect the same packet index twice") {
  SrtpContext sender(SrtpContext::Direction::outbound, b3_keys(SrtpSuite::aes_cm_128_hmac_sha1_80));
  const Bytes rtp = rtp_packet({.sequence = 9, .payload = 20});
  CHECK(protect(sender, rtp).first == SrtpStatus::ok);
  // Same index, same keystream: a second payload would leak the XOR of both.
  CHECK(protect(sender, rtp).first == SrtpStatus::replay);
  CHECK(sender.counters().replay == 1);
}

TEST_CASE("media: SRTP unprotect() drops malformed packets, never reading outside them") {
  for (const SrtpSuite suite : all_suites) {
    CAPTURE(to_string(suite));
    SrtpContext sender(SrtpContext::Direction::outbound, b3_keys(suite));
    SrtpContext receiver(SrtpContext::Direction::inbound, b3_keys(suite));
    const std::size_t tag = callsup::srtp_tag_length(suite);
    const Bytes good = protect(sender, rtp_packet({.sequence = 5, .payload = 0})).second;
    REQUIRE(good.size() == 12 + tag);

    std::uint64_t malformed = 0;
    const auto expect_malformed = [&](Bytes packet, std::size_t length) {
      CHECK(receiver.unprotect(packet, length) == SrtpStatus::malformed);
      ++malformed;
    };
    expect_malformed({}, 0);
    expect_malformed(Bytes(good.begin(), good.begin() + 11), 11);            // shorter than the fixed header
    expect_malformed(Bytes(good.begin(), good.end() - 1), good.size() - 1);  // tag cut short
    Bytes version = good;
    version[0] = 0x40;  // version 1
    expect_malformed(version, version.size());
    Bytes csrcs = good;
    csrcs[0] = 0x8F;  // 15 CSRCs announced, none there
    expect_malformed(csrcs, csrcs.size());
    Bytes extension = rtp_packet({.sequence = 6, .payload = 0, .extension_words = 1});
    extension[15] = 200;  // extension length far beyond the packet
    extension.resize(extension.size() + tag);
    expect_malformed(extension, extension.size());
    expect_malformed(good, good.size() + 1);  // length beyond the buffer

    CHECK(receiver.counters().malformed == malformed);
    CHECK(receiver.counters().ok == 0);
    CHECK(unprotect(receiver, good) == std::pair{SrtpStatus::ok, Bytes(good.begin(), good.begin() + 12)});
  }
}

TEST_CASE("media: SRTP unprotect() of random datagrams never succeeds and counts each one") {
  SrtpContext receiver(SrtpContext::Direction::inbound, b3_keys(SrtpSuite::aes_cm_128_hmac_sha1_80));
  std::mt19937 random(1234);
  Bytes datagram;
  for (int i = 0; i < 2000; ++i) {
    datagram.resize(random() % 300);
    for (auto& byte : datagram) byte = static_cast<std::uint8_t>(random());
    if (i % 2 == 0 && !datagram.empty()) datagram[0] = 0x80;  // plausible header, forged tag
    std::size_t length = datagram.size();
    CHECK(receiver.unprotect(datagram, length) != SrtpStatus::ok);
  }
  const auto& counters = receiver.counters();
  CHECK(counters.ok == 0);
  CHECK(counters.auth_fail + counters.malformed + counters.replay + counters.error == 2000);
  CHECK(counters.auth_fail > 0);
  CHECK(counters.malformed > 0);
}

TEST_CASE("media: SRTP protect() reports errors without touching the packet length") {
  const Bytes rtp = rtp_packet({.sequence = 1, .payload = 100});
  SUBCASE("no room for the tag") {
    SrtpContext sender(SrtpContext::Direction::outbound, b3_keys(SrtpSuite::aead_aes_128_gcm));
    Bytes buffer = rtp;
    buffer.resize(rtp.size() + 15);  // GCM needs 16
    std::size_t length = rtp.size();
    CHECK(sender.protect(buffer, length) == SrtpStatus::error);
    CHECK(length == rtp.size());
    buffer.resize(rtp.size() + 16);
    CHECK(sender.protect(buffer, length) == SrtpStatus::ok);
    CHECK(length == rtp.size() + 16);
  }
  SUBCASE("not an RTP packet") {
    SrtpContext sender(SrtpContext::Direction::outbound, b3_keys(SrtpSuite::aes_cm_128_hmac_sha1_80));
    Bytes buffer(64, 0);
    std::size_t length = 8;
    CHECK(sender.protect(buffer, length) == SrtpStatus::malformed);
    CHECK(length == 8);
  }
  SUBCASE("wrong direction, moved-from context") {
    SrtpContext receiver(SrtpContext::Direction::inbound, b3_keys(SrtpSuite::aes_cm_128_hmac_sha1_80));
    Bytes buffer = rtp;
    buffer.resize(rtp.size() + callsup::srtp_max_trailer);
    std::size_t length = rtp.size();
    CHECK(receiver.protect(buffer, length) == SrtpStatus::error);
    SrtpContext sender(SrtpContext::Direction::outbound, b3_keys(SrtpSuite::aes_cm_128_hmac_sha1_80));
    CHECK(sender.unprotect(buffer, length) == SrtpStatus::error);
    SrtpContext moved = std::move(sender);
    CHECK(sender.protect(buffer, length) == SrtpStatus::error);  // NOLINT(bugprone-use-after-move)
    CHECK(moved.protect(buffer, length) == SrtpStatus::ok);
    CHECK(moved.direction() == SrtpContext::Direction::outbound);
    CHECK(moved.counters().error == 1);  // counters moved along
  }
}

TEST_CASE("media: SrtpContext rejects bad key material, naming the value") {
  using callsup::errc;
  SrtpKeyMaterial keys = b3_keys(SrtpSuite::aes_cm_128_hmac_sha1_80);
  keys.master_key.pop_back();
  CHECK_CALLSUP_ERROR(SrtpContext(SrtpContext::Direction::outbound, keys), errc::invalid_argument, "not 15");
  keys = b3_keys(SrtpSuite::aes_cm_128_hmac_sha1_32);
  keys.master_salt.push_back(0);
  CHECK_CALLSUP_ERROR(SrtpContext(SrtpContext::Direction::inbound, keys), errc::invalid_argument, "not 15");
  // A 14-byte AES-CM salt is too long for GCM.
  keys = b3_keys(SrtpSuite::aes_cm_128_hmac_sha1_80);
  keys.suite = SrtpSuite::aead_aes_128_gcm;
  CHECK_CALLSUP_ERROR(SrtpContext(SrtpContext::Direction::inbound, keys), errc::invalid_argument,
                      "'AEAD_AES_128_GCM' must be 12 bytes, not 14");
  keys = b3_keys(SrtpSuite::aes_cm_128_hmac_sha1_80);
  keys.mki = Bytes(129, 1);
  CHECK_CALLSUP_ERROR(SrtpContext(SrtpContext::Direction::inbound, keys), errc::invalid_argument, "not 129");
  keys = b3_keys(SrtpSuite::aes_cm_128_hmac_sha1_80);
  keys.suite = static_cast<SrtpSuite>(7);
  CHECK_CALLSUP_ERROR(SrtpContext(SrtpContext::Direction::inbound, keys), errc::invalid_argument, "suite 7");
}

TEST_CASE("media: SRTP suite names and sizes") {
  for (const SrtpSuite suite : all_suites) {
    CHECK(callsup::srtp_suite_from_string(to_string(suite)) == suite);
    CHECK(callsup::srtp_master_key_length(suite) == 16);
    CHECK(callsup::srtp_tag_length(suite) + callsup::srtp_max_mki_length <= callsup::srtp_max_trailer);
  }
  CHECK(callsup::srtp_suite_from_string("aes_cm_128_hmac_sha1_32") == SrtpSuite::aes_cm_128_hmac_sha1_32);
  CHECK(callsup::srtp_suite_from_string("AES_256_CM_HMAC_SHA1_80") == std::nullopt);
  CHECK(callsup::srtp_suite_from_string("AES_CM_128_HMAC_SHA1_8") == std::nullopt);
  CHECK(callsup::srtp_suite_from_string("") == std::nullopt);
  CHECK(callsup::srtp_master_salt_length(SrtpSuite::aes_cm_128_hmac_sha1_80) == 14);
  CHECK(callsup::srtp_master_salt_length(SrtpSuite::aead_aes_128_gcm) == 12);
  CHECK(to_string(SrtpStatus::auth_fail) == "auth_fail");
}

TEST_CASE("media: srtp_backend() reports libsrtp2 doing its crypto with the OpenSSL loaded in this process") {
  const callsup::SrtpBackend backend = callsup::srtp_backend();
  INFO("library: " << backend.library << ", crypto: " << backend.crypto);
  CHECK(backend.library.rfind("libsrtp2 ", 0) == 0);
  // The default build (CALLSUP_SRTP=openssl-static): libsrtp registered its OpenSSL ciphers,
  // and the version is that of the libcrypto this test process runs with.
  CHECK(backend.crypto.find("using openssl") != std::string::npos);
  CHECK(backend.crypto.rfind(OpenSSL_version(OPENSSL_VERSION), 0) == 0);
  // callsup's HMAC-SHA1 passed libsrtp's known-answer tests and replaced libsrtp's (the tags it
  // makes are checked byte for byte against the RFC 3711 model above).
  CHECK(backend.crypto.find("HMAC-SHA1 (callsup") != std::string::npos);
}
