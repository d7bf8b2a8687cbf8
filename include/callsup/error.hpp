// callsup: error codes and the exception thrown on misuse or invalid configuration.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace callsup {

/// Error codes carried by callsup::Error and std::error_code.
enum class errc {
  invalid_argument = 1,   ///< a value outside its domain (empty id, bad enum string)
  unknown_extension,      ///< no profile for this extension in the directory
  unknown_tenant,         ///< no settings for this tenant in the directory
  unknown_group,          ///< no group of this name in the directory
  unknown_call,           ///< no live call with this id
  unknown_leg,            ///< no leg with this id
  unknown_session,        ///< no session with this id
  duplicate_id,           ///< an id that already exists was added again
  malformed_dial_string,  ///< a dialled string that matched a code but is not well formed
  invalid_plan,           ///< a feature-code plan that is empty, ambiguous or collides
  session_ended,          ///< an operation on a session that has already ended
  malformed_directory,    ///< a directory document that cannot be loaded
  io_error,               ///< a file could not be opened or written
};

/// Stable, lower-case name of an error code ("unknown_extension").
constexpr const char* to_string(errc code) noexcept {
  switch (code) {
  case errc::invalid_argument: return "invalid_argument";
  case errc::unknown_extension: return "unknown_extension";
  case errc::unknown_tenant: return "unknown_tenant";
  case errc::unknown_group: return "unknown_group";
  case errc::unknown_call: return "unknown_call";
  case errc::unknown_leg: return "unknown_leg";
  case errc::unknown_session: return "unknown_session";
  case errc::duplicate_id: return "duplicate_id";
  case errc::malformed_dial_string: return "malformed_dial_string";
  case errc::invalid_plan: return "invalid_plan";
  case errc::session_ended: return "session_ended";
  case errc::malformed_directory: return "malformed_directory";
  case errc::io_error: return "io_error";
  }
  return "unknown";
}

namespace detail {
class error_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "callsup"; }
  std::string message(int value) const override { return to_string(static_cast<errc>(value)); }
};
}  // namespace detail

/// The std::error_category of callsup::errc.
inline const std::error_category& error_category() noexcept {
  static const detail::error_category_impl instance;
  return instance;
}

/// An std::error_code in callsup's category (so `errc` values compare with error codes).
inline std::error_code make_error_code(errc code) noexcept {
  return {static_cast<int>(code), error_category()};
}

/// Thrown on misuse and invalid configuration. The message names the bad value.
class Error : public std::runtime_error {
 public:
  /// An error of kind `code`; `message` names the bad value.
  Error(errc code, const std::string& message) : std::runtime_error(message), code_(code) {}
  /// What kind of error it is.
  errc code() const noexcept { return code_; }
  /// The same as a std::error_code of callsup's error category.
  std::error_code error_code() const noexcept { return make_error_code(code_); }

 private:
  errc code_;
};

/// Quotes a user-supplied value for an error message: 'value'.
inline std::string quoted(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 2);
  out += '\'';
  out += value;
  out += '\'';
  return out;
}
// Exact-match, non-template overloads: with <iomanip> in the translation unit,
// argument-dependent lookup also finds the std::quoted templates, and these win.
/// quoted(std::string_view) for a string. \overload
inline std::string quoted(const std::string& value) { return quoted(std::string_view(value)); }
/// quoted(std::string_view) for a string. \overload
inline std::string quoted(std::string& value) { return quoted(std::string_view(value)); }
/// quoted(std::string_view) for a C string. \overload
inline std::string quoted(const char* value) { return quoted(std::string_view(value)); }

/// A single character for an error message: '5', or '\\x07' when not printable ASCII
/// (a lone byte of a multi-byte UTF-8 character is not text on its own).
inline std::string quoted_char(char c) {
  auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7f) return quoted(std::string_view(&c, 1));
  constexpr char hex[] = "0123456789ABCDEF";
  const char text[] = {'\\', 'x', hex[byte >> 4], hex[byte & 0xf]};
  return quoted(std::string_view(text, sizeof text));
}

/// quoted(text), with ASCII control characters written as \\xNN so that a NUL or an
/// escape sequence in untrusted input neither truncates what() nor garbles a log line.
inline std::string quoted_text(std::string_view text) {
  auto is_control = [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  };
  bool clean = true;
  for (char c : text) clean = clean && !is_control(c);
  if (clean) return quoted(text);
  std::string out;
  for (char c : text) {
    if (!is_control(c)) {
      out += c;
      continue;
    }
    std::string one = quoted_char(c);  // '\xNN'
    out.append(one, 1, one.size() - 2);
  }
  return quoted(out);
}

}  // namespace callsup

/// \cond INTERNAL
template <>
struct std::is_error_code_enum<callsup::errc> : std::true_type {};
/// \endcond
