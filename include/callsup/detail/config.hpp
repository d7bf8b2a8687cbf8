// callsup: how the control plane's out-of-class definitions are compiled.
//
// Header-only (callsup::core alone), the definitions in `impl/*.ipp` are `inline` and every
// translation unit that uses them compiles them. Linking callsup::callsup defines
// CALLSUP_SEPARATE_COMPILATION: the headers then only declare, and the library compiles the
// definitions once (Asio's separate compilation). Every translation unit of one program must
// agree on the macro; the CMake target and callsup.pc set it for their users.
#pragma once

#if defined(CALLSUP_SEPARATE_COMPILATION)
#define CALLSUP_DECL
#else
#define CALLSUP_DECL inline
#endif
