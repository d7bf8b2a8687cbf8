// Test support: a check for callsup::Error, and readable names for enums in failure
// messages (doctest 2.4 prints enums as numbers; these overloads are found by ADL).
#pragma once

#include <doctest/doctest.h>

#include <exception>
#include <string>

#include "callsup/session/supervision_service.hpp"

namespace callsup {
inline doctest::String toString(errc v) { return to_string(v); }
inline doctest::String toString(Mode v) { return std::string(to_string(v)).c_str(); }
inline doctest::String toString(Reason v) { return std::string(to_string(v)).c_str(); }
inline doctest::String toString(EndReason v) { return std::string(to_string(v)).c_str(); }
inline doctest::String toString(SessionState v) { return std::string(to_string(v)).c_str(); }
inline doctest::String toString(StartOutcome::Status v) { return std::string(to_string(v)).c_str(); }
inline doctest::String toString(EventKind v) { return std::string(to_string(v)).c_str(); }
inline doctest::String toString(EventSource v) { return std::string(to_string(v)).c_str(); }
inline doctest::String toString(DtmfResult::Kind v) { return std::string(to_string(v)).c_str(); }
inline doctest::String toString(LegState v) { return std::string(to_string(v)).c_str(); }
inline doctest::String toString(Channel v) { return std::string(to_string(v)).c_str(); }
}  // namespace callsup

/// `expr` must throw callsup::Error with code `code_` and a message containing `needle_`
/// (the bad value).
#define CHECK_CALLSUP_ERROR(expr, code_, needle_)                                             \
  do {                                                                                        \
    try {                                                                                     \
      (void)(expr);                                                                           \
      FAIL_CHECK("no callsup::Error from: " #expr);                                           \
    } catch (const ::callsup::Error& error_) {                                                \
      INFO("what(): " << error_.what());                                                      \
      CHECK_MESSAGE(error_.code() == (code_), "got " << ::callsup::to_string(error_.code())); \
      CHECK_MESSAGE(std::string(error_.what()).find(needle_) != std::string::npos,            \
                    "message '" << error_.what() << "' does not name " << (needle_));         \
    } catch (const std::exception& other_) {                                                  \
      FAIL_CHECK("not a callsup::Error from " #expr ": " << other_.what());                   \
    }                                                                                         \
  } while (false)
