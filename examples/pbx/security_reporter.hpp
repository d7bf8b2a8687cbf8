// callsup-pbx: security incidents go to the log and to the SDK's audit trail.
#pragma once

#include <mutex>
#include <string>

#include "callsup/audit/event.hpp"

namespace callsup::pbx {

class Control;

/// Bad credentials, malformed SIP: each incident is logged ("security: ...") and written to the
/// audit trail as an EventKind::security record (SupervisionService::record_security, run on the
/// control thread). Thread-safe: the SIP thread and the stderr reader both report.
class SecurityReporter {
 public:
  /// Logs `log_text` and audits `incident` once a control thread is attached.
  void report(const SecurityIncident& incident, const std::string& log_text);
  /// While the returned guard lives, incidents also go to `control`'s audit trail (the stderr
  /// reader outlives the control thread: the guard ends first).
  class Attachment {
   public:
    explicit Attachment(SecurityReporter& reporter) : reporter_(reporter) {}
    ~Attachment() { reporter_.set_control(nullptr); }
    Attachment(const Attachment&) = delete;
    Attachment& operator=(const Attachment&) = delete;

   private:
    SecurityReporter& reporter_;
  };
  [[nodiscard]] Attachment attach(Control& control) {
    set_control(&control);
    return Attachment(*this);
  }

 private:
  void set_control(Control* control);

  std::mutex mutex_;
  Control* control_ = nullptr;
};

}  // namespace callsup::pbx
