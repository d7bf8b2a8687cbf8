// callsup Python bindings: a SupervisedMedia connection as Python holds it (dropped unclosed, it
// stays connected, like a Subscription: see subscriptions.hpp).
#pragma once

#include <utility>

#include "callsup/supervised_media.hpp"

namespace callsup::python {

struct PySupervisedMedia {
  explicit PySupervisedMedia(SupervisedMedia m) : media(std::move(m)) {}
  PySupervisedMedia(const PySupervisedMedia&) = delete;
  PySupervisedMedia& operator=(const PySupervisedMedia&) = delete;
  ~PySupervisedMedia() { media.release(); }
  SupervisedMedia media;
};

}  // namespace callsup::python
