// callsup (internal): libsrtp's HMAC-SHA1 replaced by one that never allocates per packet.
#pragma once

namespace callsup::detail {

/// Registers callsup's HMAC-SHA1 with libsrtp's crypto kernel (after srtp_init). libsrtp runs its
/// own HMAC-SHA1 known-answer tests and ours before accepting it; returns false (and libsrtp keeps
/// its own) if they fail.
///
/// Why: libsrtp's OpenSSL HMAC re-initialises an HMAC_CTX for every packet, and OpenSSL 3 copies
/// a provider digest context each time (two allocations and frees per packet). Here the inner and
/// outer SHA-1 states after the key pads are computed once per key and copied by value.
bool install_hmac_sha1() noexcept;

/// libsrtp's description of the HMAC-SHA1 in use (ours once installed).
const char* hmac_sha1_description() noexcept;

}  // namespace callsup::detail
