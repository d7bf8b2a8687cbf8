// The request's channel: set by how the request came in, seen by policies, kept by the
// session, written to every audit record.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/acme.hpp"

using namespace callsup;
using namespace callsup::testing;

namespace {

// Records the channel of every request it is asked, and allows everything.
class ChannelSpy final : public PermissionPolicy {
 public:
  Decision decide(const SupervisionRequest& request, const Call&, const Directory&) const override {
    std::lock_guard lock(mutex_);
    seen_.push_back(request.channel);
    return Decision::allow(ModeSet::all(), "spy");
  }
  std::vector<RequestChannel> seen() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  mutable std::mutex mutex_;
  mutable std::vector<RequestChannel> seen_;
};

}  // namespace

TEST_CASE("channels: dial is feature_code, keys are dtmf, start and switch_mode say theirs") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  const StartOutcome dialled = w.listen();
  REQUIRE(dialled.ok());
  CHECK(w.info(dialled.session).channel == RequestChannel::feature_code);
  for (const Event& e : w.events->events()) CHECK(e.channel == RequestChannel::feature_code);

  w.service->dtmf(dialled.session, '1');
  CHECK(w.info(dialled.session).channel == RequestChannel::dtmf);
  CHECK(w.events_of(EventKind::mode_changed, dialled.session).back().channel == RequestChannel::dtmf);

  w.service->switch_mode(dialled.session, Mode::barge, std::nullopt, RequestChannel::web);
  CHECK(w.info(dialled.session).channel == RequestChannel::web);
  const auto records = w.audit->records();
  CHECK(records.back().channel == RequestChannel::web);

  StartRequest web;
  web.supervisor_leg = "sup700b";
  web.supervisor = "700";
  web.target = "745";
  web.channel = RequestChannel::web;
  w.external_call("c2", "745", "client2", "agent745");
  const StartOutcome started = w.service->start(web);
  REQUIRE(started.ok());
  CHECK(w.info(started.session).channel == RequestChannel::web);
  CHECK(w.events_of(EventKind::started, started.session).front().channel == RequestChannel::web);
}

TEST_CASE("channels: a custom policy sees the channel of each request and re-check") {
  auto spy = std::make_shared<ChannelSpy>();
  Acme w;
  w.service.reset();
  w.service = std::make_unique<SupervisionService>(w.registry, w.directory, spy);
  w.external_call("c1", "744", "client", "agent744");
  const StartOutcome out = w.service->dial("sup700", "700", "*90744");
  REQUIRE(out.ok());
  w.service->dtmf(out.session, '1');
  w.registry.set_state("client", LegState::held);  // a re-check, in the session's channel
  const auto seen = spy->seen();
  REQUIRE(seen.size() >= 3);
  CHECK(seen[0] == RequestChannel::feature_code);
  CHECK(seen[1] == RequestChannel::dtmf);
  CHECK(seen.back() == RequestChannel::dtmf);
}

TEST_CASE(
    "channels: a profile limited to the phone may not start from the web or the API; a web switch is refused "
    "alone") {
  Acme w;
  ExtensionProfile phone_only = supervisor("701");
  phone_only.channels = ChannelSet::phone();
  w.directory.add_extension(phone_only);
  w.directory.update_group({"Support", "acme", {"744", "745"}, {"700", "701"}});
  w.external_call("c1", "744", "client", "agent744");

  StartRequest api;
  api.supervisor_leg = "s0";
  api.supervisor = "701";
  api.target = "744";
  const StartOutcome refused = w.service->start(api);
  CHECK(refused.status == StartOutcome::Status::denied);
  CHECK(refused.decision.reason == Reason::channel_not_allowed);
  CHECK(w.audit->records().back().reason == Reason::channel_not_allowed);
  CHECK(w.audit->records().back().channel == RequestChannel::api);

  const StartOutcome dialled = w.service->dial("s1", "701", "*90744");
  REQUIRE(dialled.ok());
  const Decision web_switch =
      w.service->switch_mode(dialled.session, Mode::whisper, std::nullopt, RequestChannel::web);
  CHECK(web_switch.reason == Reason::channel_not_allowed);
  CHECK(w.info(dialled.session).state == SessionState::active);  // the session goes on
  CHECK(w.info(dialled.session).mode == Mode::listen);
  CHECK(w.info(dialled.session).channel == RequestChannel::feature_code);
  const auto denied = w.events_of(EventKind::denied, dialled.session);
  REQUIRE(denied.size() == 1);
  CHECK(denied[0].channel == RequestChannel::web);
  w.service->dtmf(dialled.session, '1');
  CHECK(w.info(dialled.session).mode == Mode::whisper);
}
