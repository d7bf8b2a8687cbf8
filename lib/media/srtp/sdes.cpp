// callsup: RFC 4568 a=crypto parsing and formatting, fresh SDES keys.
#include "callsup/media/sdes.hpp"

#include <openssl/rand.h>

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>

#include "ascii.hpp"
#include "callsup/error.hpp"

namespace callsup {

namespace {

constexpr std::uint64_t max_lifetime = std::uint64_t{1} << 48;  // RFC 3711 §9.2 for AES-CM; RFC 7714 too
constexpr unsigned max_tag = 999'999'999;                       // tag = 1*9DIGIT

[[noreturn]] void fail(const std::string& message) {
  throw Error(errc::invalid_argument, "SDES a=crypto: " + message);
}

bool is_decimal_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t'; }
// RFC 4568 session-param = 1*(VCHAR): visible ASCII only.
bool is_vchar(char c) {
  return static_cast<unsigned char>(c) >= 0x21 && static_cast<unsigned char>(c) <= 0x7E;
}

// A field for an error message: key parameters (they have a ':') are never repeated, so that
// a line with a field missing does not put its key into a log.
std::string describe(std::string_view field) {
  return field.find(':') == std::string_view::npos ? quoted(field)
                                                   : std::string("(key parameters, not shown)");
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && detail::ascii_iequals(text.substr(0, prefix.size()), prefix);
}

// Decimal digits only, at most `max_digits`, no sign: nullopt otherwise.
std::optional<std::uint64_t> parse_decimal(std::string_view text, std::size_t max_digits) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (!is_decimal_digit(c)) return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

// --- base64 (RFC 4648 §4, the alphabet RFC 4568 names); padding optional on input ---------

constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::vector<std::uint8_t> base64_decode(std::string_view text) {
  std::size_t data = text.size();
  while (data > 0 && text[data - 1] == '=') --data;
  const std::size_t padding = text.size() - data;
  // Padding only completes the last quantum; one character alone encodes no byte.
  if (padding > 2 || (padding != 0 && text.size() % 4 != 0) || data % 4 == 1) {
    fail("the inline key is not valid base64 (bad length or padding)");
  }
  std::vector<std::uint8_t> out;
  out.reserve(data * 3 / 4);
  std::uint32_t bits = 0;
  int count = 0;
  for (std::size_t i = 0; i < data; ++i) {
    const int value = base64_value(text[i]);
    if (value < 0) {
      // The character is named only when it cannot be part of a key (it is not base64).
      fail("the inline key is not valid base64 (character " + quoted(std::string(1, text[i])) +
           " at offset " + std::to_string(i) + ")");
    }
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<std::uint8_t>(bits >> count));
    }
  }
  return out;
}

std::string base64_encode(const std::vector<std::uint8_t>& bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n =
        (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    out += base64_alphabet[(n >> 18) & 63];
    out += base64_alphabet[(n >> 12) & 63];
    out += base64_alphabet[(n >> 6) & 63];
    out += base64_alphabet[n & 63];
  }
  if (const std::size_t rest = bytes.size() - i; rest != 0) {
    const std::uint32_t n =
        (std::uint32_t{bytes[i]} << 16) | (rest == 2 ? std::uint32_t{bytes[i + 1]} << 8 : 0);
    out += base64_alphabet[(n >> 18) & 63];
    out += base64_alphabet[(n >> 12) & 63];
    out += rest == 2 ? base64_alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// --- the parts of the attribute ----------------------------------------------------------

unsigned parse_tag(std::string_view text) {
  const auto value = parse_decimal(text, 9);
  if (!value || *value == 0) fail("tag " + describe(text) + " is not a number in 1..999999999");
  return static_cast<unsigned>(*value);
}

std::uint64_t parse_lifetime(std::string_view text) {
  std::optional<std::uint64_t> value;
  if (text.size() > 2 && text.substr(0, 2) == "2^") {
    const auto exponent = parse_decimal(text.substr(2), 2);
    if (exponent && *exponent <= 48) value = std::uint64_t{1} << *exponent;
  } else {
    value = parse_decimal(text, 15);
  }
  if (!value || *value == 0 || *value > max_lifetime) {
    fail("lifetime " + quoted(text) + " is not a packet count in 1..2^48 (decimal or 2^n)");
  }
  return *value;
}

void check_mki(std::uint64_t value, std::uint64_t length, std::string_view text) {
  if (length == 0 || length > srtp_max_mki_length) {
    fail("MKI " + quoted(text) + ": length " + std::to_string(length) + " is not supported (1.." +
         std::to_string(srtp_max_mki_length) + " bytes)");
  }
  if (value > 0xFFFF'FFFFu) fail("MKI " + quoted(text) + ": values above 2^32-1 are not supported");
  if (length < 4 && value >> (8 * length) != 0) {
    fail("MKI " + quoted(text) + ": value does not fit in " + std::to_string(length) + " byte(s)");
  }
}

void parse_mki(std::string_view text, SdesCrypto& crypto) {
  const std::size_t colon = text.find(':');
  const auto value =
      colon == std::string_view::npos ? std::nullopt : parse_decimal(text.substr(0, colon), 10);
  const auto length =
      colon == std::string_view::npos ? std::nullopt : parse_decimal(text.substr(colon + 1), 3);
  if (!value || !length) fail("MKI " + quoted(text) + " is not <value>:<length> in decimal");
  check_mki(*value, *length, text);
  crypto.mki_value = static_cast<std::uint32_t>(*value);
  crypto.mki_length = static_cast<std::uint8_t>(*length);
}

void parse_key_params(std::string_view text, SdesCrypto& crypto) {
  if (text.find(';') != std::string_view::npos) fail("more than one key (';') is not supported");
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) fail("the key parameters have no key method (inline:<key>)");
  if (!detail::ascii_iequals(text.substr(0, colon), "inline")) {
    fail("key method " + quoted(text.substr(0, colon)) + " is not supported (only inline:)");
  }
  std::string_view info = text.substr(colon + 1);
  std::array<std::string_view, 4> parts{};
  std::size_t count = 0;
  while (count < parts.size()) {
    const std::size_t bar = info.find('|');
    parts[count++] = info.substr(0, bar);
    if (bar == std::string_view::npos) break;
    info.remove_prefix(bar + 1);
  }
  if (count > 3) fail("the inline key has more than key, lifetime and MKI ('|' fields)");

  const std::vector<std::uint8_t> key_salt = base64_decode(parts[0]);
  const std::size_t key_length = srtp_master_key_length(crypto.suite);
  const std::size_t salt_length = srtp_master_salt_length(crypto.suite);
  if (key_salt.size() != key_length + salt_length) {
    fail("the inline key decodes to " + std::to_string(key_salt.size()) + " bytes; " +
         std::string(to_string(crypto.suite)) + " needs " + std::to_string(key_length + salt_length) + " (" +
         std::to_string(key_length) + "-byte key and " + std::to_string(salt_length) + "-byte salt)");
  }
  crypto.master_key.assign(key_salt.begin(), key_salt.begin() + static_cast<std::ptrdiff_t>(key_length));
  crypto.master_salt.assign(key_salt.begin() + static_cast<std::ptrdiff_t>(key_length), key_salt.end());

  // key-salt ["|" lifetime] ["|" mki]: a single extra field is the MKI when it has a ':'.
  if (count == 3) {
    crypto.lifetime = parse_lifetime(parts[1]);
    parse_mki(parts[2], crypto);
  } else if (count == 2) {
    if (parts[1].find(':') != std::string_view::npos) {
      parse_mki(parts[1], crypto);
    } else {
      crypto.lifetime = parse_lifetime(parts[1]);
    }
  }
}

void check_fields(const SdesCrypto& crypto) {
  if (crypto.tag == 0 || crypto.tag > max_tag) {
    fail("tag " + std::to_string(crypto.tag) + " is not in 1..999999999");
  }
  if (!srtp_suite_from_string(to_string(crypto.suite))) {
    fail("suite " + std::to_string(static_cast<unsigned>(crypto.suite)) + " is not a SrtpSuite");
  }
  if (crypto.master_key.size() != srtp_master_key_length(crypto.suite) ||
      crypto.master_salt.size() != srtp_master_salt_length(crypto.suite)) {
    fail(std::string(to_string(crypto.suite)) + " needs a " +
         std::to_string(srtp_master_key_length(crypto.suite)) + "-byte key and a " +
         std::to_string(srtp_master_salt_length(crypto.suite)) + "-byte salt, not " +
         std::to_string(crypto.master_key.size()) + " and " + std::to_string(crypto.master_salt.size()));
  }
  if (crypto.lifetime && (*crypto.lifetime == 0 || *crypto.lifetime > max_lifetime)) {
    fail("lifetime " + std::to_string(*crypto.lifetime) + " is not in 1..2^48");
  }
  if (crypto.mki_value) {
    check_mki(*crypto.mki_value, crypto.mki_length,
              std::to_string(*crypto.mki_value) + ":" + std::to_string(crypto.mki_length));
  } else if (crypto.mki_length != 0) {
    fail("MKI length " + std::to_string(crypto.mki_length) + " without an MKI value");
  }
  for (std::size_t i = 0; i < crypto.session_params.size(); ++i) {
    const std::string& param = crypto.session_params[i];
    bool visible = !param.empty();
    for (const char c : param) visible = visible && is_vchar(c);
    if (!visible) fail("session parameter " + std::to_string(i + 1) + " is empty or not visible ASCII");
  }
}

std::string format_lifetime(std::uint64_t lifetime) {
  if ((lifetime & (lifetime - 1)) == 0) {
    int exponent = 0;
    while ((std::uint64_t{1} << exponent) != lifetime) ++exponent;
    return "2^" + std::to_string(exponent);
  }
  return std::to_string(lifetime);
}

}  // namespace

SdesCrypto parse_sdes_crypto(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.substr(0, 2) == "a=") line.remove_prefix(2);
  if (!istarts_with(line, "crypto:")) fail("the attribute does not start with 'crypto:'");
  line.remove_prefix(7);

  // Fields are separated by whitespace: tag, suite, key params, then session params.
  std::vector<std::string_view> fields;
  while (true) {
    while (!line.empty() && is_space(line.front())) line.remove_prefix(1);
    if (line.empty()) break;
    std::size_t end = 0;
    while (end < line.size() && !is_space(line[end])) ++end;
    fields.push_back(line.substr(0, end));
    line.remove_prefix(end);
  }
  if (fields.empty()) fail("the tag is missing");
  if (fields.size() < 2) fail("the crypto suite is missing");
  if (fields.size() < 3) fail("the key parameters (inline:...) are missing");

  SdesCrypto crypto;
  crypto.tag = parse_tag(fields[0]);
  const auto suite = srtp_suite_from_string(fields[1]);
  if (!suite) fail("crypto suite " + describe(fields[1]) + " is not supported");
  crypto.suite = *suite;
  parse_key_params(fields[2], crypto);
  for (std::size_t i = 3; i < fields.size(); ++i) {
    for (const char c : fields[i]) {
      if (!is_vchar(c)) fail("session parameter " + std::to_string(i - 2) + " is not visible ASCII");
    }
    crypto.session_params.emplace_back(fields[i]);
  }
  return crypto;
}

std::string format_sdes_crypto(const SdesCrypto& crypto) {
  check_fields(crypto);
  std::vector<std::uint8_t> key_salt = crypto.master_key;
  key_salt.insert(key_salt.end(), crypto.master_salt.begin(), crypto.master_salt.end());
  // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false positive) about
  // "literal" + std::string temporaries here.
  std::string out = "a=crypto:";
  out += std::to_string(crypto.tag);
  out += ' ';
  out += to_string(crypto.suite);
  out += " inline:";
  out += base64_encode(key_salt);
  if (crypto.lifetime) {
    out += '|';
    out += format_lifetime(*crypto.lifetime);
  }
  if (crypto.mki_value) {
    out += '|';
    out += std::to_string(*crypto.mki_value);
    out += ':';
    out += std::to_string(crypto.mki_length);
  }
  for (const std::string& param : crypto.session_params) {
    out += ' ';
    out += param;
  }
  return out;
}

SdesCrypto make_sdes_crypto(SrtpSuite suite, unsigned tag) {
  SdesCrypto crypto;
  crypto.tag = tag;
  crypto.suite = suite;
  if (tag == 0 || tag > max_tag) fail("tag " + std::to_string(tag) + " is not in 1..999999999");
  if (!srtp_suite_from_string(to_string(suite))) {
    fail("suite " + std::to_string(static_cast<unsigned>(suite)) + " is not a SrtpSuite");
  }
  crypto.master_key.resize(srtp_master_key_length(suite));
  crypto.master_salt.resize(srtp_master_salt_length(suite));
  if (RAND_bytes(crypto.master_key.data(), static_cast<int>(crypto.master_key.size())) != 1 ||
      RAND_bytes(crypto.master_salt.data(), static_cast<int>(crypto.master_salt.size())) != 1) {
    throw std::runtime_error("SDES: OpenSSL RAND_bytes failed to produce a key");
  }
  return crypto;
}

SrtpKeyMaterial key_material(const SdesCrypto& crypto) {
  check_fields(crypto);
  for (const std::string& param : crypto.session_params) {
    const bool kdr = istarts_with(param, "KDR=");
    if (detail::ascii_iequals(param, "UNENCRYPTED_SRTP") ||
        detail::ascii_iequals(param, "UNAUTHENTICATED_SRTP") ||
        (kdr && param.find_first_not_of('0', 4) != std::string::npos)) {
      fail("session parameter " + quoted(param) + " is not supported");
    }
    if (istarts_with(param, "FEC_KEY=")) fail("session parameter FEC_KEY is not supported");  // holds a key
  }
  SrtpKeyMaterial keys;
  keys.suite = crypto.suite;
  keys.master_key = crypto.master_key;
  keys.master_salt = crypto.master_salt;
  if (crypto.mki_value) {
    // Big-endian in mki_length bytes: leading zero bytes, then the (at most 4) value bytes.
    keys.mki.assign(crypto.mki_length, 0);
    for (std::size_t i = 0; i < 4 && i < keys.mki.size(); ++i) {
      keys.mki[keys.mki.size() - 1 - i] = static_cast<std::uint8_t>(*crypto.mki_value >> (8 * i));
    }
  }
  return keys;
}

}  // namespace callsup
