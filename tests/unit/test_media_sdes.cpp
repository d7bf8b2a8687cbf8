// SDES a=crypto (RFC 4568, AEAD_AES_128_GCM per RFC 7714 §12): parsing the RFC's own
// examples, formatting, round trips, and a named rejection for every malformed part.
#include <doctest/doctest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "callsup/media/sdes.hpp"
#include "support/bytes.hpp"
#include "support/checks.hpp"

namespace {

using callsup::errc;
using callsup::SdesCrypto;
using callsup::SrtpSuite;
using callsup::test::concat;
using Bytes = std::vector<std::uint8_t>;

// An independent base64 decoder (OpenSSL's), for the expected bytes.
Bytes openssl_base64(std::string_view text) {
  Bytes out(text.size() / 4 * 3 + 3);
  const int length = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                     static_cast<int>(text.size()));
  REQUIRE(length >= 0);
  out.resize(static_cast<std::size_t>(length) -
             static_cast<std::size_t>(std::count(text.begin(), text.end(), '=')));
  return out;
}

std::string openssl_base64(const Bytes& bytes) {
  std::string out(bytes.size() / 3 * 4 + 8, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                     static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(length));
  return out;
}

// Examples from RFC 4568 (offer, answer, FEC_ORDER session parameter).
constexpr std::string_view rfc_offer_80 =
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4";
constexpr std::string_view rfc_offer_32 =
    "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:32";
constexpr std::string_view rfc_answer =
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj|2^20|1:32";
constexpr std::string_view rfc_fec =
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4 "
    "FEC_ORDER=FEC_SRTP";

constexpr std::string_view key80 = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR";

// The line must be rejected with a message that names `needle` and never repeats the key.
void check_rejected(const std::string& line, const std::string& needle) {
  CAPTURE(line);
  CHECK_CALLSUP_ERROR(callsup::parse_sdes_crypto(line), errc::invalid_argument, needle);
  try {
    (void)callsup::parse_sdes_crypto(line);
  } catch (const callsup::Error& error) {
    CHECK(std::string(error.what()).find(key80) == std::string::npos);
    CHECK(std::string(error.what()).find(key80.substr(0, 12)) == std::string::npos);
  }
}

}  // namespace

TEST_CASE("media: SDES parses the RFC 4568 examples field by field") {
  const SdesCrypto offer = callsup::parse_sdes_crypto(rfc_offer_80);
  CHECK(offer.tag == 1);
  CHECK(offer.suite == SrtpSuite::aes_cm_128_hmac_sha1_80);
  const Bytes key_salt = openssl_base64(key80);
  REQUIRE(key_salt.size() == 30);
  CHECK(offer.master_key == Bytes(key_salt.begin(), key_salt.begin() + 16));
  CHECK(offer.master_salt == Bytes(key_salt.begin() + 16, key_salt.end()));
  CHECK(offer.lifetime == std::uint64_t{1} << 20);
  CHECK(offer.mki_value == 1u);
  CHECK(offer.mki_length == 4);
  CHECK(offer.session_params.empty());

  const SdesCrypto offer32 = callsup::parse_sdes_crypto(rfc_offer_32);
  CHECK(offer32.tag == 2);
  CHECK(offer32.suite == SrtpSuite::aes_cm_128_hmac_sha1_32);
  CHECK(concat(offer32.master_key, offer32.master_salt) ==
        openssl_base64(std::string_view("NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj")));
  CHECK(offer32.mki_length == 32);

  const SdesCrypto fec = callsup::parse_sdes_crypto(rfc_fec);
  CHECK(fec.session_params == std::vector<std::string>{"FEC_ORDER=FEC_SRTP"});

  // Each example formats back to itself.
  for (const std::string_view line : {rfc_offer_80, rfc_offer_32, rfc_answer, rfc_fec}) {
    CHECK(callsup::format_sdes_crypto(callsup::parse_sdes_crypto(line)) == line);
  }
}

TEST_CASE("media: SDES accepts the attribute with or without a=, CRLF, extra spaces, any case") {
  const SdesCrypto expected = callsup::parse_sdes_crypto(rfc_offer_80);
  const std::string bare(rfc_offer_80.substr(2));
  for (const std::string& line :
       {bare, std::string(rfc_offer_80) + "\r\n", std::string(rfc_offer_80) + "\n", bare + " \r\n",
        std::string("a=crypto:1  aes_cm_128_hmac_sha1_80\tINLINE:") + std::string(key80) + "|2^20|1:4"}) {
    CAPTURE(line);
    CHECK(callsup::parse_sdes_crypto(line) == expected);
  }
}

TEST_CASE("media: SDES lifetime and MKI forms") {
  const std::string base = "a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:" + std::string(key80);
  SdesCrypto crypto = callsup::parse_sdes_crypto(base + "|2^31");
  CHECK(crypto.lifetime == 2147483648u);
  CHECK(!crypto.mki_value);
  CHECK(callsup::format_sdes_crypto(crypto) == base + "|2^31");

  crypto = callsup::parse_sdes_crypto(base + "|1048576");  // decimal, a power of two
  CHECK(crypto.lifetime == 1048576u);
  CHECK(callsup::format_sdes_crypto(crypto) == base + "|2^20");
  crypto = callsup::parse_sdes_crypto(base + "|1000");
  CHECK(crypto.lifetime == 1000u);
  CHECK(callsup::format_sdes_crypto(crypto) == base + "|1000");
  CHECK(callsup::parse_sdes_crypto(base + "|2^48").lifetime == std::uint64_t{1} << 48);

  crypto = callsup::parse_sdes_crypto(base + "|255:1");  // MKI without lifetime
  CHECK(!crypto.lifetime);
  CHECK(crypto.mki_value == 255u);
  CHECK(crypto.mki_length == 1);
  CHECK(callsup::format_sdes_crypto(crypto) == base + "|255:1");
  crypto = callsup::parse_sdes_crypto(base + "|4294967295:128");
  CHECK(crypto.mki_value == 4294967295u);
  CHECK(crypto.mki_length == 128);
}

TEST_CASE("media: SDES AEAD_AES_128_GCM carries a 16-byte key and a 12-byte salt") {
  Bytes key_salt(28);
  for (std::size_t i = 0; i < key_salt.size(); ++i) key_salt[i] = static_cast<std::uint8_t>(0xA0 + i);
  const std::string encoded = openssl_base64(key_salt);
  REQUIRE(encoded.size() == 40);
  REQUIRE(encoded.back() == '=');
  const std::string line = "a=crypto:3 AEAD_AES_128_GCM inline:" + encoded;
  const SdesCrypto crypto = callsup::parse_sdes_crypto(line);
  CHECK(crypto.suite == SrtpSuite::aead_aes_128_gcm);
  CHECK(crypto.master_key == Bytes(key_salt.begin(), key_salt.begin() + 16));
  CHECK(crypto.master_salt == Bytes(key_salt.begin() + 16, key_salt.end()));
  CHECK(callsup::format_sdes_crypto(crypto) == line);
  // Unpadded base64 is accepted as well (some implementations omit the "=="); half a pad is not.
  REQUIRE(line.substr(line.size() - 2) == "==");
  CHECK(callsup::parse_sdes_crypto(line.substr(0, line.size() - 2)) == crypto);
  CHECK_CALLSUP_ERROR(callsup::parse_sdes_crypto(line.substr(0, line.size() - 1)), errc::invalid_argument,
                      "bad length or padding");
  const callsup::SrtpKeyMaterial keys = callsup::key_material(crypto);
  CHECK(keys.master_key.size() == 16);
  CHECK(keys.master_salt.size() == 12);
  CHECK(keys.mki.empty());
}

TEST_CASE("media: SDES rejects every malformed part, naming it and never the key") {
  const std::string head = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:";
  const std::string line = head + std::string(key80);
  SUBCASE("not a crypto attribute or parts missing") {
    check_rejected("a=rtpmap:0 PCMU/8000", "'crypto:'");
    check_rejected("a=crypto:", "tag is missing");
    check_rejected("a=crypto:1", "suite is missing");
    check_rejected("a=crypto:1 AES_CM_128_HMAC_SHA1_80", "key parameters");
    check_rejected("a=crypto:1 " + line.substr(head.size() - 7),
                   "key parameters");  // no suite: key not shown
  }
  SUBCASE("tag") {
    check_rejected("a=crypto:0 AES_CM_128_HMAC_SHA1_80 inline:" + std::string(key80), "tag '0'");
    check_rejected("a=crypto:1234567890 AES_CM_128_HMAC_SHA1_80 inline:" + std::string(key80),
                   "tag '1234567890'");
    check_rejected("a=crypto:-1 AES_CM_128_HMAC_SHA1_80 inline:" + std::string(key80), "tag '-1'");
    check_rejected("a=crypto:x AES_CM_128_HMAC_SHA1_80 inline:" + std::string(key80), "tag 'x'");
  }
  SUBCASE("suite") {
    check_rejected("a=crypto:1 AES_256_CM_HMAC_SHA1_80 inline:" + std::string(key80),
                   "'AES_256_CM_HMAC_SHA1_80'");
    check_rejected(
        "a=crypto:2 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4;"
        "inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4 FEC_ORDER=FEC_SRTP",
        "'F8_128_HMAC_SHA1_80'");
  }
  SUBCASE("key method and number of keys") {
    check_rejected("a=crypto:1 AES_CM_128_HMAC_SHA1_80 uri:" + std::string(key80), "key method 'uri'");
    check_rejected("a=crypto:1 AES_CM_128_HMAC_SHA1_80 " + std::string(key80), "no key method");
    check_rejected(line + ";inline:" + std::string(key80), "more than one key");
    check_rejected(line + "|2^20|1:4|5", "more than key, lifetime and MKI");
  }
  SUBCASE("base64") {
    std::string bad = line;
    bad[head.size() + 5] = '!';
    check_rejected(bad, "character '!' at offset 5");
    check_rejected(line + "A", "bad length or padding");  // 41 characters
    check_rejected(head + std::string(key80.substr(0, 36)) + "A===", "bad length or padding");
    check_rejected(head + "=" + std::string(key80.substr(1)), "character '=' at offset 0");
  }
  SUBCASE("key length") {
    check_rejected(head, "decodes to 0 bytes");  // "inline:" and nothing
    check_rejected(head + std::string(key80.substr(0, 36)) + "AAA=", "decodes to 29 bytes");
    check_rejected(head + std::string(key80) + "AAAA", "decodes to 33 bytes");
    check_rejected(head.substr(0, 2) + "crypto:1 AEAD_AES_128_GCM inline:" + std::string(key80),
                   "decodes to 30 bytes; AEAD_AES_128_GCM needs 28");
  }
  SUBCASE("lifetime") {
    for (const char* lifetime : {"0", "2^49", "2^", "2^x", "abc", "281474976710657", "2^-1", "-5"}) {
      check_rejected(line + "|" + lifetime, "lifetime '" + std::string(lifetime) + "'");
    }
    check_rejected(line + "||1:4", "lifetime ''");
  }
  SUBCASE("MKI") {
    check_rejected(line + "|2^20|1:0", "MKI '1:0'");
    check_rejected(line + "|2^20|1:129", "MKI '1:129'");
    check_rejected(line + "|256:1", "MKI '256:1'");
    check_rejected(line + "|65536:2", "MKI '65536:2'");
    check_rejected(line + "|4294967296:8", "MKI '4294967296:8'");
    check_rejected(line + "|1:", "MKI '1:'");
    check_rejected(line + "|:4", "MKI ':4'");
    check_rejected(line + "|2^20|x:4", "MKI 'x:4'");
    check_rejected(line + "|2^20|1:1000", "MKI '1:1000'");
  }
  SUBCASE("session parameters") {
    check_rejected(line +
                       " KDR=0 WSH=\x01"
                       "1",
                   "session parameter 2");
    check_rejected(line + " caf\xC3\xA9", "session parameter 1");
  }
}

TEST_CASE("media: SDES format rejects fields the parser would reject") {
  SdesCrypto crypto = callsup::make_sdes_crypto(SrtpSuite::aes_cm_128_hmac_sha1_80);
  SdesCrypto bad = crypto;
  bad.tag = 0;
  CHECK_CALLSUP_ERROR(callsup::format_sdes_crypto(bad), errc::invalid_argument, "tag 0");
  bad = crypto;
  bad.tag = 1'000'000'000;
  CHECK_CALLSUP_ERROR(callsup::format_sdes_crypto(bad), errc::invalid_argument, "tag 1000000000");
  bad = crypto;
  bad.master_salt.pop_back();
  CHECK_CALLSUP_ERROR(callsup::format_sdes_crypto(bad), errc::invalid_argument, "not 16 and 13");
  bad = crypto;
  bad.suite = SrtpSuite::aead_aes_128_gcm;  // a 14-byte salt is one for AES-CM
  CHECK_CALLSUP_ERROR(callsup::format_sdes_crypto(bad), errc::invalid_argument,
                      "12-byte salt, not 16 and 14");
  bad = crypto;
  bad.lifetime = 0;
  CHECK_CALLSUP_ERROR(callsup::format_sdes_crypto(bad), errc::invalid_argument, "lifetime 0");
  bad.lifetime = (std::uint64_t{1} << 48) + 1;
  CHECK_CALLSUP_ERROR(callsup::format_sdes_crypto(bad), errc::invalid_argument, "lifetime 281474976710657");
  bad = crypto;
  bad.mki_length = 4;
  CHECK_CALLSUP_ERROR(callsup::format_sdes_crypto(bad), errc::invalid_argument, "MKI length 4 without");
  bad.mki_value = 300;
  bad.mki_length = 1;
  CHECK_CALLSUP_ERROR(callsup::format_sdes_crypto(bad), errc::invalid_argument, "MKI '300:1'");
  bad = crypto;
  bad.session_params = {"KDR=0", "two words"};
  CHECK_CALLSUP_ERROR(callsup::format_sdes_crypto(bad), errc::invalid_argument, "session parameter 2");
  bad.session_params = {""};
  CHECK_CALLSUP_ERROR(callsup::format_sdes_crypto(bad), errc::invalid_argument, "session parameter 1");
}

TEST_CASE("media: SDES fresh keys are random, well sized, and survive format -> parse") {
  for (const SrtpSuite suite : {SrtpSuite::aes_cm_128_hmac_sha1_80, SrtpSuite::aes_cm_128_hmac_sha1_32,
                                SrtpSuite::aead_aes_128_gcm}) {
    CAPTURE(to_string(suite));
    SdesCrypto a = callsup::make_sdes_crypto(suite, 42);
    const SdesCrypto b = callsup::make_sdes_crypto(suite, 42);
    CHECK(a.tag == 42);
    CHECK(a.suite == suite);
    CHECK(a.master_key.size() == callsup::srtp_master_key_length(suite));
    CHECK(a.master_salt.size() == callsup::srtp_master_salt_length(suite));
    CHECK(a.master_key != b.master_key);  // 2^-128 chance of a false failure
    CHECK(a.master_salt != b.master_salt);
    CHECK(!a.lifetime);
    CHECK(!a.mki_value);

    const std::string line = callsup::format_sdes_crypto(a);
    CHECK(line.find(openssl_base64(concat(a.master_key, a.master_salt))) != std::string::npos);
    CHECK(callsup::parse_sdes_crypto(line) == a);
    a.lifetime = 123456789;
    a.mki_value = 7;
    a.mki_length = 2;
    a.session_params = {"WSH=256", "UNENCRYPTED_SRTCP"};
    CHECK(callsup::parse_sdes_crypto(callsup::format_sdes_crypto(a)) == a);
  }
  CHECK_CALLSUP_ERROR(callsup::make_sdes_crypto(SrtpSuite::aes_cm_128_hmac_sha1_80, 0),
                      errc::invalid_argument, "tag 0");
}

TEST_CASE("media: SDES key_material: MKI bytes, and session parameters that change SRTP are refused") {
  SdesCrypto crypto = callsup::parse_sdes_crypto(rfc_offer_80);
  callsup::SrtpKeyMaterial keys = callsup::key_material(crypto);
  CHECK(keys.suite == SrtpSuite::aes_cm_128_hmac_sha1_80);
  CHECK(keys.master_key == crypto.master_key);
  CHECK(keys.master_salt == crypto.master_salt);
  CHECK(keys.mki == Bytes{0, 0, 0, 1});
  crypto.mki_value = 0x01020304;
  crypto.mki_length = 32;
  Bytes expected(28, 0);
  expected.insert(expected.end(), {1, 2, 3, 4});
  CHECK(callsup::key_material(crypto).mki == expected);
  crypto.mki_value = 0x0203;
  crypto.mki_length = 2;
  CHECK(callsup::key_material(crypto).mki == Bytes{2, 3});

  crypto.session_params = {"KDR=0", "WSH=128", "UNENCRYPTED_SRTCP", "FEC_ORDER=FEC_SRTP"};
  CHECK_NOTHROW((void)callsup::key_material(crypto));
  for (const char* param : {"UNENCRYPTED_SRTP", "unauthenticated_srtp", "KDR=1", "KDR=24"}) {
    crypto.session_params = {"WSH=128", param};
    CHECK_CALLSUP_ERROR(callsup::key_material(crypto), errc::invalid_argument,
                        "'" + std::string(param) + "'");
  }
  crypto.session_params = {"FEC_KEY=inline:" + std::string(key80)};
  CHECK_CALLSUP_ERROR(callsup::key_material(crypto), errc::invalid_argument, "FEC_KEY");
  try {
    (void)callsup::key_material(crypto);
  } catch (const callsup::Error& error) {
    CHECK(std::string(error.what()).find(key80) == std::string::npos);
  }
}

TEST_CASE("media: SDES offer -> answer -> SRTP: both sides protect and unprotect with the exchanged keys") {
  for (const SrtpSuite suite : {SrtpSuite::aes_cm_128_hmac_sha1_80, SrtpSuite::aes_cm_128_hmac_sha1_32,
                                SrtpSuite::aead_aes_128_gcm}) {
    CAPTURE(to_string(suite));
    SdesCrypto offered = callsup::make_sdes_crypto(suite, 5);
    offered.mki_value = 9;  // as RFC 4568's examples do
    offered.mki_length = 4;
    const std::string sdp_line = callsup::format_sdes_crypto(offered) + "\r\n";
    const SdesCrypto received = callsup::parse_sdes_crypto(sdp_line);

    callsup::SrtpContext sender(callsup::SrtpContext::Direction::outbound, callsup::key_material(offered));
    callsup::SrtpContext receiver(callsup::SrtpContext::Direction::inbound, callsup::key_material(received));
    Bytes packet{0x80, 0x00, 0x12, 0x34, 0, 0, 0x10, 0, 0xDE, 0xAD, 0xBE, 0xEF};
    for (int i = 0; i < 160; ++i) packet.push_back(static_cast<std::uint8_t>(i));
    const Bytes rtp = packet;
    std::size_t length = packet.size();
    packet.resize(length + callsup::srtp_max_trailer);
    REQUIRE(sender.protect(packet, length) == callsup::SrtpStatus::ok);
    CHECK(length == rtp.size() + callsup::srtp_tag_length(suite) + 4);
    REQUIRE(receiver.unprotect(packet, length) == callsup::SrtpStatus::ok);
    packet.resize(length);
    CHECK(packet == rtp);
  }
}
