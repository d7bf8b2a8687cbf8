// callsup-pbx: libre's headers, for C++ (the defines they need come from CMakeLists.txt).
#pragma once

extern "C" {
#include <re.h>
}
