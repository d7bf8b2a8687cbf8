// callsup-pbx: security incidents go to the log and to the SDK's audit trail.
#include "security_reporter.hpp"

#include "control.hpp"
#include "log.hpp"

namespace callsup::pbx {

void SecurityReporter::report(const SecurityIncident& incident, const std::string& log_text) {
  log_line("security", log_text);
  std::lock_guard lock(mutex_);
  if (control_ == nullptr) return;  // stderr lines before the SDK exists: logged only
  control_->post([control = control_, incident] { control->service().record_security(incident); });
}

void SecurityReporter::set_control(Control* control) {
  std::lock_guard lock(mutex_);
  control_ = control;
}

}  // namespace callsup::pbx
