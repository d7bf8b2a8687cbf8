# libsrtp2 for callsup's SRTP (placeholder; filled in by the SRTP work).
add_library(callsup_srtp INTERFACE)
