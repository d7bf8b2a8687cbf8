// callsup (internal): a call's tick: forward, decode, mix, tone, encode, queue.
#include "media/engine/call_media.hpp"

#include <algorithm>
#include <set>

namespace callsup::detail {
namespace {

using Kind = JitterBuffer::Frame::Kind;

}  // namespace

bool CallMedia::tick(TickContext& context) noexcept {
  if (auto fresh = mailbox_->take()) {
    routes_ = std::move(fresh);
    try {
      context.mixer.on_routes(*routes_);
    } catch (...) {
      // A backend's failure must not stop the media of other calls; the routes still apply.
    }
    ended_ = routes_->ended;
    dirty_ = true;
  }
  if (ended_) return false;
  if (dirty_) {
    try {
      compile(context);
    } catch (...) {
      plan_ = {};  // out of memory while compiling: carry no audio rather than stale pointers
      unlink_forwards();
      slot_legs_.clear();
      ports_.clear();
    }
    dirty_ = false;
    context.placement_stale = true;
  }
  for (LegMedia* leg : slot_legs_) leg->pop_frame(context.period);
  if (!plan_.listeners.empty() && context.mixer.mixes_audio()) mix_and_send(context);
  if (tone_) tone_->advance(mix_samples_);
  return true;
}

void CallMedia::compile(TickContext& context) {
  std::vector<LegMedia*> old_legs = std::move(slot_legs_);
  std::vector<MixPort> old_ports = std::move(ports_);
  named_legs_.clear();
  slot_legs_.clear();
  ports_.clear();
  if (!routes_) return;
  std::set<LegId> named;
  for (const Route& r : routes_->routes) {
    named.insert(r.from);
    named.insert(r.to);
  }
  for (const LegId& id : routes_->tone_listeners) named.insert(id);
  named_legs_.assign(named.begin(), named.end());
  std::vector<LegId> slots;
  for (const LegId& id : named_legs_) {
    auto found = context.legs.find(id);
    if (found == context.legs.end()) continue;
    slots.push_back(id);
    slot_legs_.push_back(found->second);
    auto kept = std::find(old_legs.begin(), old_legs.end(), found->second);
    ports_.push_back(kept == old_legs.end() ? MixPort{} : std::move(old_ports[kept - old_legs.begin()]));
  }
  plan_ = compile_mix_plan(routes_, slots);
  context.unattached_routes.add(plan_.unattached_routes);
  mix_rate_ = 8000;
  for (LegMedia* leg : slot_legs_) mix_rate_ = std::max(mix_rate_, leg->codec().clock_rate());
  mix_samples_ = static_cast<std::size_t>(mix_rate_) * static_cast<std::size_t>(context.ptime_ms) / 1000;
  for (std::size_t i = 0; i < slot_legs_.size(); ++i) prepare_port(*slot_legs_[i], ports_[i]);
  const std::size_t n = slot_legs_.size();
  output_storage_.assign(n * 2 * mix_samples_, 0);
  scratch_.assign(2 * mix_samples_ * 2 + 64, 0);
  inputs_.assign(n, nullptr);
  outputs_.resize(n);
  for (std::size_t i = 0; i < n; ++i) outputs_[i] = output_storage_.data() + i * 2 * mix_samples_;
  skip_.assign(n, 0);
  produced_.assign(n, 0);
  needed_.assign(n, 0);
  const bool any_tone =
      std::any_of(plan_.hears_tone.begin(), plan_.hears_tone.end(), [](std::uint8_t t) { return t != 0; });
  if (!any_tone) {
    tone_.reset();
  } else if (!tone_) {
    tone_.emplace(context.tone, mix_rate_);  // monitoring starts now: the first beep now
  }
  if (context.mixer.mixes_audio()) {
    link_forwards();
  } else {
    unlink_forwards();  // an external media server carries the audio
  }
}

void CallMedia::link_forwards() {
  std::vector<std::pair<LegMedia*, LegMedia*>> wanted;
  for (const MixListener& listener : plan_.listeners) {
    if (!listener.unity_single || plan_.hears_tone[listener.slot] != 0) continue;
    LegMedia* out = slot_legs_[listener.slot];
    LegMedia* source = slot_legs_[listener.sources.front().slot];
    if (out != source && source->same_format(*out)) wanted.emplace_back(source, out);
  }
  for (const auto& link : forwards_)
    if (std::find(wanted.begin(), wanted.end(), link) == wanted.end() &&
        link.second->forwarding().source == link.first)
      link.second->unlink_forward();
  for (const auto& [source, listener] : wanted)
    LegMedia::link_forward(*source, *listener);  // keeps a link that stays
  forwards_ = std::move(wanted);
}

void CallMedia::unlink_forwards() noexcept {
  for (const auto& [source, listener] : forwards_)
    if (listener->forwarding().source == source) listener->unlink_forward();
  forwards_.clear();
}

void CallMedia::forget(LegMedia* leg) noexcept {
  for (auto link = forwards_.begin(); link != forwards_.end();) {
    if (link->first != leg && link->second != leg) {
      ++link;
      continue;
    }
    if (link->second->forwarding().source == link->first) link->second->unlink_forward();
    link = forwards_.erase(link);
  }
}

void CallMedia::prepare_port(LegMedia& leg, MixPort& port) {
  const int rate = leg.codec().clock_rate();
  if (rate == mix_rate_) {
    port.to_mix.reset();
    port.from_mix.reset();
  } else {
    if (!port.to_mix || port.to_mix->output_rate() != mix_rate_)
      port.to_mix = std::make_unique<Resampler>(rate, mix_rate_);
    if (!port.from_mix || port.from_mix->input_rate() != mix_rate_)
      port.from_mix = std::make_unique<Resampler>(mix_rate_, rate, leg.codec().channels());
  }
  port.mix_in.assign(mix_samples_, 0);
}

const std::int16_t* CallMedia::input_at_mix_rate(LegMedia& leg, MixPort& port) noexcept {
  std::span<std::int16_t> pcm = leg.pcm();
  const int channels = leg.codec().channels();
  if (channels == 2) {  // the mixer takes mono sources
    for (std::size_t i = 0; i < pcm.size() / 2; ++i)
      pcm[i] = static_cast<std::int16_t>((pcm[2 * i] + pcm[2 * i + 1]) / 2);
    pcm = pcm.first(pcm.size() / 2);
  }
  if (!port.to_mix) return pcm.data();
  const std::size_t n = port.to_mix->process(pcm, port.mix_in);
  std::fill(port.mix_in.begin() + static_cast<std::ptrdiff_t>(std::min(n, port.mix_in.size())),
            port.mix_in.end(), std::int16_t{0});
  return port.mix_in.data();
}

void CallMedia::mix_and_send(TickContext& context) noexcept {
  const std::size_t n = slot_legs_.size();
  std::fill(inputs_.begin(), inputs_.end(), nullptr);
  std::fill(skip_.begin(), skip_.end(), std::uint8_t{0});
  std::fill(produced_.begin(), produced_.end(), std::uint8_t{0});
  std::fill(needed_.begin(), needed_.end(), std::uint8_t{0});
  const bool tone_now = tone_ && tone_->sounding(mix_samples_);
  bool any_mix = false;
  for (const MixListener& listener : plan_.listeners) {
    LegMedia& out = *slot_legs_[listener.slot];
    start_posted_beep(out, ports_[listener.slot]);
    const bool toned =
        (tone_now && plan_.hears_tone[listener.slot] != 0) || ports_[listener.slot].beep.has_value();
    out.pause_forward(toned);
    if (listener.unity_single && !toned) {
      LegMedia& source = *slot_legs_[listener.sources.front().slot];
      if (source.same_format(out)) {
        skip_[listener.slot] = 1;
        if (out.forward_live()) continue;  // its source's packets went out as they arrived
        // A relay at the tick (the listener was mixed until now, or forwarding is off): the
        // frame goes out as received, or not at all when the source has none. Once the source
        // has nothing more queued, its next packet is forwarded on arrival, in step with this.
        if (source.frame().kind == Kind::audio) {
          send(context, out, out.build_audio(source.frame().payload, context.period));
          context.played_arrivals.push_back(source.arrival_ns(source.frame().sequence));
        }
        if (source.queued_frames() == 0) out.ready_to_forward();
        continue;
      }
    }
    if (heard_on_arrival(listener, out, context.period)) {
      skip_[listener.slot] = 1;
      continue;
    }
    any_mix = true;
    for (const MixSource& s : listener.sources) needed_[s.slot] = 1;
  }
  if (!any_mix) return;
  for (std::size_t i = 0; i < n; ++i) {
    if (needed_[i] == 0) continue;
    LegMedia& leg = *slot_legs_[i];
    if (!leg.decode_frame()) continue;
    inputs_[i] = input_at_mix_rate(leg, ports_[i]);
    if (leg.frame().kind == Kind::audio)
      context.played_arrivals.push_back(leg.arrival_ns(leg.frame().sequence));
  }
  MixFrames frames;
  frames.samples = mix_samples_;
  frames.inputs = inputs_;
  frames.outputs = outputs_;
  frames.skip = skip_;
  frames.produced = produced_;
  context.mixer.mix(plan_, frames);
  for (const MixListener& listener : plan_.listeners) {
    if (skip_[listener.slot] != 0) continue;
    MixPort& port = ports_[listener.slot];
    std::int16_t* mixed = outputs_[listener.slot];
    if (produced_[listener.slot] == 0) {
      if (!port.beep) continue;
      std::fill(mixed, mixed + mix_samples_, std::int16_t{0});  // its sources are silent: the beep alone
      produced_[listener.slot] = 1;
    }
    const int channels = produced_[listener.slot] == 2 ? 2 : 1;
    const std::span<std::int16_t> frame(mixed, mix_samples_ * static_cast<std::size_t>(channels));
    if (tone_now && plan_.hears_tone[listener.slot] != 0) tone_->add_to(frame, channels);
    if (port.beep) play_beep(port, frame, channels);
    send_mixed(context, listener.slot, mixed, channels);
  }
}

bool CallMedia::heard_on_arrival(const MixListener& listener, LegMedia& out, std::uint64_t period) noexcept {
  const ForwardState& forwarded = out.forwarding();
  if (!forwarded.played_any) return false;
  for (const MixSource& s : listener.sources) {
    LegMedia& source = *slot_legs_[s.slot];
    if (source.peer_ssrc() != forwarded.source_ssrc) continue;
    // Frames the listener had on arrival are behind it: the mix starts after them (the jitter
    // buffer fell behind the forwarded packets while nothing mixed the source).
    source.pop_through(forwarded.last_source_sequence);
    if (source.frame().kind != Kind::audio) continue;
    if (static_cast<std::int16_t>(source.frame().sequence - forwarded.last_source_sequence) > 0) break;
    // Mixed from now on, but the source's frame went out on arrival already (a mix would repeat
    // it): nothing goes out now, and the next mix follows that frame without a gap.
    out.hold_clock(period);
    return true;
  }
  out.forget_forwarded(period);
  return false;
}

void CallMedia::start_posted_beep(LegMedia& leg, MixPort& port) noexcept {
  const auto posted = leg.take_posted_beep();
  if (!posted) return;
  port.beep.emplace(*posted, mix_rate_);  // validated by RtpEndpoint::play_beep
  port.beep_samples_left =
      static_cast<std::uint64_t>(mix_rate_) * static_cast<std::uint64_t>(posted->beep_ms) / 1000;
}

void CallMedia::play_beep(MixPort& port, std::span<std::int16_t> frame, int channels) noexcept {
  const std::uint64_t samples = std::min<std::uint64_t>(mix_samples_, port.beep_samples_left);
  port.beep->add_to(frame.first(static_cast<std::size_t>(samples) * static_cast<std::size_t>(channels)),
                    channels);
  port.beep->advance(static_cast<std::size_t>(samples));
  port.beep_samples_left -= samples;
  if (port.beep_samples_left == 0) port.beep.reset();
}

void CallMedia::send_mixed(TickContext& context, std::size_t slot, std::int16_t* mixed,
                           int channels) noexcept {
  LegMedia& leg = *slot_legs_[slot];
  MixPort& port = ports_[slot];
  const int leg_channels = leg.codec().channels();
  std::span<const std::int16_t> pcm(mixed, mix_samples_ * static_cast<std::size_t>(channels));
  if (channels != leg_channels) {
    // Stereo for a mono codec: the two sides summed; mono for a stereo codec: both sides alike.
    std::int16_t* shaped = scratch_.data();
    for (std::size_t i = 0; i < mix_samples_; ++i) {
      if (channels == 2) {
        shaped[i] = static_cast<std::int16_t>(std::clamp(mixed[2 * i] + mixed[2 * i + 1], -32768, 32767));
      } else {
        shaped[2 * i] = shaped[2 * i + 1] = mixed[i];
      }
    }
    pcm = {shaped, mix_samples_ * static_cast<std::size_t>(leg_channels)};
  }
  if (port.from_mix) {
    std::span<std::int16_t> resampled = leg.pcm();
    const std::size_t n = port.from_mix->process(pcm, resampled);
    std::fill(resampled.begin() + static_cast<std::ptrdiff_t>(std::min(n, resampled.size())), resampled.end(),
              std::int16_t{0});
    pcm = resampled;
  }
  send(context, leg, leg.encode_and_build(pcm, context.period));
}

void CallMedia::send(TickContext& context, LegMedia& leg, std::size_t length) noexcept {
  if (length == 0 || !leg.has_remote()) return;
  context.batch.add(leg.out_fd(), leg.audio_out().first(length), leg.remote_address());
  leg.count_sent(length, true);
}

}  // namespace callsup::detail
