// callsup: one simulated phone: builds its packets each tick and accounts for what it receives.
#include "phone.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "callsup/error.hpp"
#include "callsup/media/rtp_packet.hpp"
#include "callsup/media/telephone_event.hpp"
#include "counter_bump.hpp"
#include "udp_batch.hpp"

namespace callsup::sim {
namespace {

constexpr std::size_t max_cycle_frames = 50;  // precompute: loop at most 1 s (at 20 ms)
constexpr int max_gap_fill_seconds = 10;      // a larger timestamp jump is a restart, not loss

std::string phone_label(const PhoneConfig& config) {
  return config.name.empty() ? std::string("phone") : "phone " + quoted(config.name);
}

}  // namespace

Phone::Phone(PhoneConfig config, std::uint32_t ssrc, std::mt19937& rng)
    : config_(std::move(config)), ssrc_(ssrc) {
  const std::string label = phone_label(config_);
  if (!config_.signal) throw Error(errc::invalid_argument, label + ": the signal is empty");
  codec_ = make_codec(config_.codec);
  const int rate = codec_->clock_rate();
  if (config_.ptime_ms <= 0 || config_.ptime_ms > 1000 || (rate * config_.ptime_ms) % 1000 != 0)
    throw Error(errc::invalid_argument, label + ": ptime " + std::to_string(config_.ptime_ms) +
                                            " ms is not a whole number of " + std::to_string(rate) +
                                            " Hz clock units up to 1 s");
  if (config_.send_offset_ms < 0 || config_.send_offset_ms >= config_.ptime_ms)
    throw Error(errc::invalid_argument, label + ": send offset " + std::to_string(config_.send_offset_ms) +
                                            " ms is not in [0, ptime " + std::to_string(config_.ptime_ms) +
                                            ")");
  const int te = config_.telephone_event_pt;
  if (te < -1 || te > 127 || te == codec_->payload_type())
    throw Error(errc::invalid_argument, label + ": telephone-event payload type " + std::to_string(te) +
                                            " is not -1 or 0..127 other than the codec's");
  samples_per_frame_ = static_cast<std::uint32_t>(rate * config_.ptime_ms / 1000);
  frame_.resize(std::size_t{samples_per_frame_} * static_cast<std::size_t>(codec_->channels()));
  payload_bytes_ = codec_->encoded_bytes(frame_.size());
  if (te >= 0) dtmf_sender_.emplace(rate, config_.ptime_ms);
  if (config_.srtp_send) srtp_send_.emplace(SrtpContext::Direction::outbound, *config_.srtp_send);
  if (config_.srtp_receive) srtp_receive_.emplace(SrtpContext::Direction::inbound, *config_.srtp_receive);
  set_remote(config_.remote);
  // RFC 3550 §5.1: random initial sequence number and timestamp.
  sequence_ = static_cast<std::uint16_t>(rng());
  timestamp_ = static_cast<std::uint32_t>(rng());
  if (config_.precompute) precompute_cycle();
}

void Phone::precompute_cycle() {
  // Find the signal's period in whole frames (frame k == frame 0), up to 1 s.
  std::vector<std::int16_t> first(frame_.size());
  config_.signal(first, 0);
  std::vector<std::vector<std::int16_t>> frames{first};
  for (std::uint64_t k = 1; k < max_cycle_frames; ++k) {
    config_.signal(frame_, k);
    if (frame_ == first) break;
    frames.push_back(frame_);
  }
  cycle_frames_ = frames.size();
  cycle_.assign(cycle_frames_ * payload_bytes_, 0);
  for (std::size_t k = 0; k < cycle_frames_; ++k)
    codec_->encode(frames[k], std::span<std::uint8_t>(cycle_).subspan(k * payload_bytes_, payload_bytes_));
}

std::size_t Phone::max_packet_bytes() const noexcept {
  return rtp_fixed_header_size + std::max(payload_bytes_, telephone_event_size) + srtp_max_trailer;
}

void Phone::set_remote(const Address& remote) {
  remote_ = remote.port == 0 && remote.ip.empty() ? sockaddr_in{} : to_sockaddr(remote);
  config_.remote = remote;
}

// --- sending ------------------------------------------------------------------------------

void Phone::take_dtmf_requests() {
  if (!dtmf_pending_.load(std::memory_order_acquire)) return;
  std::lock_guard lock(mutex_);
  // Validated by queue_dtmf(), so send() does not throw here.
  for (const DtmfRequest& request : dtmf_requests_)
    dtmf_sender_->send(request.digits, request.duration_ms, request.gap_ms);
  dtmf_requests_.clear();
  dtmf_pending_.store(false, std::memory_order_relaxed);
}

std::size_t Phone::write_audio(std::span<std::uint8_t> buffer) {
  const std::span<std::uint8_t> payload = buffer.subspan(rtp_fixed_header_size, payload_bytes_);
  std::size_t bytes = payload_bytes_;
  if (cycle_frames_ > 0) {
    const std::size_t k = static_cast<std::size_t>(frame_index_ % cycle_frames_);
    std::memcpy(payload.data(), cycle_.data() + k * payload_bytes_, payload_bytes_);
  } else {
    config_.signal(frame_, frame_index_);
    bytes = codec_->encode(frame_, payload);
  }
  if (config_.tag_frames)
    write_frame_tag(payload.first(bytes), ssrc_, static_cast<std::uint32_t>(frame_index_));
  // RFC 3550: the marker starts a talkspurt; the stream's first packet is one.
  write_rtp_fixed_header(first_packet_, codec_->payload_type(), sequence_, timestamp_, ssrc_,
                         buffer.first<rtp_fixed_header_size>());
  first_packet_ = false;
  return rtp_fixed_header_size + bytes;
}

std::size_t Phone::next_packet(std::span<std::uint8_t> buffer) {
  std::size_t length = 0;
  std::optional<DtmfSender::Packet> event;
  if (dtmf_sender_) {
    take_dtmf_requests();
    event = dtmf_sender_->next();
  }
  if (event) {
    // All packets of one event carry the timestamp of its first (RFC 4733 §2.5.1.2).
    write_rtp_fixed_header(event->marker, static_cast<std::uint8_t>(config_.telephone_event_pt), sequence_,
                           timestamp_ - event->timestamp_offset, ssrc_,
                           buffer.first<rtp_fixed_header_size>());
    write_telephone_event(event->event, buffer.subspan<rtp_fixed_header_size, telephone_event_size>());
    length = rtp_fixed_header_size + telephone_event_size;
    if (event->marker) bump(counters_.dtmf_sent);
  } else {
    length = write_audio(buffer);
  }
  ++sequence_;
  timestamp_ += samples_per_frame_;
  ++frame_index_;
  if (srtp_send_ && srtp_send_->protect(buffer, length) != SrtpStatus::ok) return 0;
  bump(counters_.sent);
  return length;
}

// --- receiving ----------------------------------------------------------------------------

void Phone::count_malformed() noexcept { bump(counters_.malformed); }

void Phone::on_datagram(std::span<std::uint8_t> buffer, std::size_t length,
                        std::span<std::int16_t> scratch) noexcept {
  if (srtp_receive_) {
    switch (srtp_receive_->unprotect(buffer, length)) {
    case SrtpStatus::ok: break;
    case SrtpStatus::auth_fail: bump(counters_.auth_fail); return;
    case SrtpStatus::replay: bump(counters_.replay); return;
    case SrtpStatus::malformed:
    case SrtpStatus::error: bump(counters_.malformed); return;
    }
  }
  const RtpParseResult parsed = parse_rtp(buffer.first(length));
  if (!parsed) return bump(counters_.malformed);
  bump(counters_.received);
  const RtpHeader& header = parsed.packet.header;

  // A new sender (re-INVITE, the engine re-creating the leg) has its own sequence numbers.
  if (tracker_.started() && header.ssrc != remote_ssrc_) tracker_.new_source();
  remote_ssrc_ = header.ssrc;
  const SequenceTracker::Verdict verdict = tracker_.on_packet(header.sequence);
  counters_.lost.store(tracker_.lost(), std::memory_order_relaxed);
  counters_.duplicates.store(tracker_.duplicates(), std::memory_order_relaxed);
  counters_.reordered.store(tracker_.reordered(), std::memory_order_relaxed);
  if (verdict == SequenceTracker::Verdict::duplicate) return;
  if (verdict == SequenceTracker::Verdict::first || verdict == SequenceTracker::Verdict::restart)
    next_timestamp_.reset();

  if (config_.telephone_event_pt >= 0 && header.payload_type == config_.telephone_event_pt) {
    const TelephoneEventParse event = parse_telephone_event(parsed.packet.payload);
    if (!event) return bump(counters_.malformed);
    if (const std::optional<char> digit =
            dtmf_receiver_.on_packet(header.ssrc, header.timestamp, event.event)) {
      bump(counters_.dtmf_received);
      std::lock_guard lock(mutex_);
      dtmf_digits_ += *digit;  // may allocate: a few digits per test, never per audio packet
    }
    return;
  }
  if (header.payload_type != codec_->payload_type()) return bump(counters_.wrong_payload_type);
  if (verdict == SequenceTracker::Verdict::next && last_audio_ &&
      static_cast<std::uint16_t>(last_audio_->first + 1) == header.sequence &&
      header.timestamp - last_audio_->second != samples_per_frame_)
    bump(counters_.timestamp_jumps);
  if (verdict == SequenceTracker::Verdict::first || verdict == SequenceTracker::Verdict::restart ||
      verdict == SequenceTracker::Verdict::next || verdict == SequenceTracker::Verdict::gap)
    last_audio_.emplace(header.sequence, header.timestamp);
  if (config_.count_frames_from) count_frame(parsed.packet.payload);
  if (config_.record) record(header.timestamp, parsed.packet.payload, scratch);
}

void Phone::record(std::uint32_t timestamp, std::span<const std::uint8_t> payload,
                   std::span<std::int16_t> scratch) {
  const std::size_t samples = codec_->decode(payload, scratch);
  const auto channels = static_cast<std::size_t>(codec_->channels());
  std::size_t silence = 0;
  if (next_timestamp_) {
    const auto ahead = static_cast<std::int32_t>(timestamp - *next_timestamp_);
    if (ahead > 0 && ahead <= codec_->clock_rate() * max_gap_fill_seconds)
      silence = static_cast<std::size_t>(ahead) * channels;
  }
  const auto end = static_cast<std::uint32_t>(timestamp + samples / channels);
  // A reordered packet is recorded where it arrives but does not move the expectation back.
  if (!next_timestamp_ || static_cast<std::int32_t>(end - *next_timestamp_) > 0) next_timestamp_ = end;
  std::lock_guard lock(mutex_);
  recording_.insert(recording_.end(), silence, 0);
  recording_.insert(recording_.end(), scratch.begin(),
                    scratch.begin() + static_cast<std::ptrdiff_t>(samples));
}

// --- thread-safe accessors ----------------------------------------------------------------

void Phone::queue_dtmf(std::string_view digits, int duration_ms, int gap_ms) {
  if (!dtmf_sender_)
    throw Error(errc::invalid_argument, phone_label(config_) + " sends no DTMF (telephone_event_pt is -1)");
  // A scratch sender validates digits and durations with the real rules.
  DtmfSender(codec_->clock_rate(), config_.ptime_ms).send(digits, duration_ms, gap_ms);
  std::lock_guard lock(mutex_);
  dtmf_requests_.push_back({std::string(digits), duration_ms, gap_ms});
  dtmf_pending_.store(true, std::memory_order_release);
}

void Phone::count_frame(std::span<const std::uint8_t> payload) noexcept {
  if (const auto index = read_frame_tag(payload, *config_.count_frames_from))
    frame_tags_.on_tagged(*index);
  else
    frame_tags_.on_untagged();
  counters_.frames_tagged.store(frame_tags_.tagged(), std::memory_order_relaxed);
  counters_.frames_lost.store(frame_tags_.lost(), std::memory_order_relaxed);
  counters_.frames_replaced.store(frame_tags_.replaced(), std::memory_order_relaxed);
  counters_.frames_untagged.store(frame_tags_.untagged(), std::memory_order_relaxed);
  counters_.frames_repeated.store(frame_tags_.late(), std::memory_order_relaxed);
}

PhoneStats Phone::stats() const noexcept {
  const auto get = [](const std::atomic<std::uint64_t>& c) { return c.load(std::memory_order_relaxed); };
  PhoneStats s;
  s.sent = get(counters_.sent);
  s.received = get(counters_.received);
  s.lost = get(counters_.lost);
  s.duplicates = get(counters_.duplicates);
  s.reordered = get(counters_.reordered);
  s.malformed = get(counters_.malformed);
  s.auth_fail = get(counters_.auth_fail);
  s.replay = get(counters_.replay);
  s.wrong_payload_type = get(counters_.wrong_payload_type);
  s.dtmf_sent = get(counters_.dtmf_sent);
  s.dtmf_received = get(counters_.dtmf_received);
  s.frames_tagged = get(counters_.frames_tagged);
  s.frames_lost = get(counters_.frames_lost);
  s.frames_replaced = get(counters_.frames_replaced);
  s.frames_untagged = get(counters_.frames_untagged);
  s.frames_repeated = get(counters_.frames_repeated);
  s.timestamp_jumps = get(counters_.timestamp_jumps);
  return s;
}

std::vector<std::int16_t> Phone::recording() const {
  std::lock_guard lock(mutex_);
  return recording_;
}

void Phone::clear_recording() {
  std::lock_guard lock(mutex_);
  recording_.clear();
}

std::string Phone::dtmf_received() const {
  std::lock_guard lock(mutex_);
  return dtmf_digits_;
}

PhoneStats& PhoneStats::operator+=(const PhoneStats& other) noexcept {
  sent += other.sent;
  received += other.received;
  lost += other.lost;
  duplicates += other.duplicates;
  reordered += other.reordered;
  malformed += other.malformed;
  auth_fail += other.auth_fail;
  replay += other.replay;
  wrong_payload_type += other.wrong_payload_type;
  dtmf_sent += other.dtmf_sent;
  dtmf_received += other.dtmf_received;
  frames_tagged += other.frames_tagged;
  frames_lost += other.frames_lost;
  frames_replaced += other.frames_replaced;
  frames_untagged += other.frames_untagged;
  frames_repeated += other.frames_repeated;
  timestamp_jumps += other.timestamp_jumps;
  return *this;
}

}  // namespace callsup::sim
