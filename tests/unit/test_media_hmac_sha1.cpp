// callsup's HMAC-SHA1 (lib/media/srtp/hmac_sha1.hpp, libsrtp's HMAC for SRTP): the seven test
// cases of RFC 2202, truncated tags, messages in pieces, and a key reused for many messages.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "media/srtp/hmac_sha1.hpp"

namespace {

using callsup::detail::HmacSha1;
using Bytes = std::vector<std::uint8_t>;

Bytes repeated(std::uint8_t byte, std::size_t count) { return Bytes(count, byte); }
Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

std::string hex(const Bytes& bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (const std::uint8_t b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 0xF];
  }
  return out;
}

/// The MAC of `message`, fed in pieces of at most `piece` bytes, truncated to tag_length.
std::string mac(HmacSha1& hmac, const Bytes& message, std::size_t tag_length = HmacSha1::digest_size,
                std::size_t piece = 1 << 20) {
  REQUIRE(hmac.start());
  for (std::size_t at = 0; at < message.size(); at += piece) {
    const std::size_t length = std::min(piece, message.size() - at);
    REQUIRE(hmac.update(message.data() + at, length));
  }
  Bytes tag(tag_length);
  REQUIRE(hmac.finish(tag.data(), tag.size()));
  return hex(tag);
}

struct Rfc2202Case {
  Bytes key, data;
  std::string digest;
};

// RFC 2202, section 3 (HMAC-SHA-1). Cases 6 and 7 have keys longer than a block (hashed first).
std::vector<Rfc2202Case> rfc2202_cases() {
  Bytes key4;
  for (std::uint8_t b = 1; b <= 25; ++b) key4.push_back(b);
  return {
      {repeated(0x0b, 20), text("Hi There"), "b617318655057264e28bc0b6fb378c8ef146be00"},
      {text("Jefe"), text("what do ya want for nothing?"), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
      {repeated(0xaa, 20), repeated(0xdd, 50), "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
      {key4, repeated(0xcd, 50), "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
      {repeated(0x0c, 20), text("Test With Truncation"), "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"},
      {repeated(0xaa, 80), text("Test Using Larger Than Block-Size Key - Hash Key First"),
       "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
      {repeated(0xaa, 80), text("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"),
       "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
  };
}

}  // namespace

TEST_CASE("media: HMAC-SHA1 gives the MACs of the seven RFC 2202 test cases") {
  int number = 0;
  for (const Rfc2202Case& c : rfc2202_cases()) {
    ++number;
    CAPTURE(number);
    HmacSha1 hmac;
    REQUIRE(hmac.valid());
    REQUIRE(hmac.set_key(c.key.data(), c.key.size()));
    CHECK(mac(hmac, c.data) == c.digest);
    // The same message again with the same key (the pads' states are reused), and fed in pieces.
    CHECK(mac(hmac, c.data, HmacSha1::digest_size, 7) == c.digest);
    CHECK(mac(hmac, c.data, HmacSha1::digest_size, 1) == c.digest);
  }
}

TEST_CASE("media: HMAC-SHA1 truncates to the tag length asked for (RFC 2202 case 5, SRTP's 80 and 32 bits)") {
  const Rfc2202Case c = rfc2202_cases()[4];
  HmacSha1 hmac;
  REQUIRE(hmac.set_key(c.key.data(), c.key.size()));
  CHECK(mac(hmac, c.data, 12) == "4c1a03424b55e07fe7f27be1");  // HMAC-SHA-1-96 in RFC 2202
  CHECK(mac(hmac, c.data, 10) == c.digest.substr(0, 20));
  CHECK(mac(hmac, c.data, 4) == c.digest.substr(0, 8));
  Bytes too_long(HmacSha1::digest_size + 1);
  REQUIRE(hmac.start());
  CHECK_FALSE(hmac.finish(too_long.data(), too_long.size()));
}

TEST_CASE("media: HMAC-SHA1 keys are independent, and a new key replaces the old") {
  const std::vector<Rfc2202Case> cases = rfc2202_cases();
  HmacSha1 first, second;
  REQUIRE(first.set_key(cases[0].key.data(), cases[0].key.size()));
  REQUIRE(second.set_key(cases[1].key.data(), cases[1].key.size()));
  for (int round = 0; round < 3; ++round) {
    CHECK(mac(first, cases[0].data) == cases[0].digest);
    CHECK(mac(second, cases[1].data) == cases[1].digest);
  }
  REQUIRE(first.set_key(cases[2].key.data(), cases[2].key.size()));
  CHECK(mac(first, cases[2].data) == cases[2].digest);
}
