// callsup-demo: the built-in call centre's directory.
#pragma once

#include <string>

namespace callsup::demo {

/// Tenant "acme" (portaswitch codes): agents 744 (Alice) and 745 (Bob) in hunt group
/// "Support", supervised by 700 (Sam, all modes); 746 (Dr. Grey) has privacy on, so nobody may
/// supervise her calls. The document load_directory_json reads (--print-config shows it).
std::string default_directory_json();

}  // namespace callsup::demo
