// Byte strings in tests: joining packets and payloads.
#pragma once

#include <cstdint>
#include <vector>

namespace callsup::test {

/// `a` followed by `b`.
inline std::vector<std::uint8_t> concat(std::vector<std::uint8_t> a, const std::vector<std::uint8_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace callsup::test
