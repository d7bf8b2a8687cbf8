// callsup-pbx: libre's headers, for C++ (the defines they need come from CMakeLists.txt).
#pragma once

extern "C" {
#include <re.h>
}

// re_dbg.h (not part of re.h) wants a module name and level before it is included.
#ifndef DEBUG_MODULE
#define DEBUG_MODULE "callsup-pbx"
#endif
#ifndef DEBUG_LEVEL
#define DEBUG_LEVEL 4
#endif
extern "C" {
#include <re_dbg.h>
}
