// callsup (internal): one leg's receive, decode, encode and send steps.
#include "media/engine/leg_media.hpp"

#include <algorithm>
#include <random>
#include <string>
#include <utility>

#include "callsup/error.hpp"
#include "callsup/media/rtp_packet.hpp"
#include "callsup/media/telephone_event.hpp"

namespace callsup::detail {
namespace {

std::uint32_t random_u32() {
  thread_local std::mt19937 generator{std::random_device{}()};
  return static_cast<std::uint32_t>(generator());
}

JitterBufferConfig jitter_config(const Codec& codec, std::size_t samples_per_frame, std::size_t depth) {
  JitterBufferConfig config;
  config.samples_per_frame = static_cast<std::uint32_t>(samples_per_frame);
  config.max_depth = depth;
  config.capacity = std::max<std::size_t>(16, depth * 2 + 4);
  config.max_payload = codec.encoded_bytes(samples_per_frame * static_cast<std::size_t>(codec.channels()));
  config.resync_after = static_cast<std::uint32_t>(codec.clock_rate()) * 2;
  config.keep_after_tick = 0;  // latency first: see docs/media.md
  config.shrink_after = 10;
  return config;
}

std::unique_ptr<Codec> checked_codec(const EndpointConfig& config) {
  auto codec = make_codec(config.codec);
  if (config.telephone_event_payload_type > 127 || config.telephone_event_payload_type < -1)
    throw Error(errc::invalid_argument, "telephone-event payload type " +
                                            std::to_string(config.telephone_event_payload_type) +
                                            " is outside 0..127");
  if (config.telephone_event_payload_type == codec->payload_type())
    throw Error(errc::invalid_argument, "telephone-event payload type " +
                                            std::to_string(config.telephone_event_payload_type) +
                                            " is the audio codec's too");
  if (config.srtp_receive.has_value() != config.srtp_send.has_value())
    throw Error(errc::invalid_argument, "SRTP needs both keys (srtp_receive and srtp_send) or neither");
  return codec;
}

std::uint64_t next_leg_serial() noexcept {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

LegMedia::LegMedia(CallId group, LegId id, EndpointConfig endpoint, LegHome leg_home, int ptime_ms,
                   std::size_t jitter_depth)
    : media_group(std::move(group)),
      leg(std::move(id)),
      config(std::move(endpoint)),
      ssrc(config.local_ssrc != 0 ? config.local_ssrc : random_u32() | 1u),
      home(std::move(leg_home)),
      serial(next_leg_serial()),
      codec_(checked_codec(config)),
      audio_payload_type_(codec_->payload_type()),
      format_(std::string(codec_->name()) + "/" + std::to_string(codec_->clock_rate()) + "/" +
              std::to_string(codec_->channels())),
      samples_per_frame_(static_cast<std::size_t>(codec_->clock_rate()) * static_cast<std::size_t>(ptime_ms) /
                         1000),
      jitter_(jitter_config(*codec_, samples_per_frame_, jitter_depth)),
      concealer_(samples_per_frame_ * static_cast<std::size_t>(codec_->channels())),
      dtmf_out_(codec_->clock_rate(), ptime_ms),
      out_sequence_(static_cast<std::uint16_t>(random_u32())),
      clock_timestamp_(random_u32()) {
  wanted_shard.store(home.thread);  // it starts at home
  if (config.srtp_receive) srtp_in_.emplace(SrtpContext::Direction::inbound, *config.srtp_receive);
  if (config.srtp_send) srtp_out_.emplace(SrtpContext::Direction::outbound, *config.srtp_send);
  if (config.remote) {
    remote_ = PeerAddress::from(*config.remote);
    remote_text_ = remote_.to_socket_address();
  }
  peer_ssrc_ = config.remote_ssrc;
  const std::size_t channels = static_cast<std::size_t>(codec_->channels());
  pcm_.assign(samples_per_frame_ * channels, 0);
  const std::size_t payload = codec_->encoded_bytes(samples_per_frame_ * channels);
  audio_out_.assign(rtp_fixed_header_size + payload + srtp_max_trailer, 0);
  dtmf_out_buffer_.assign(rtp_fixed_header_size + 4 + srtp_max_trailer, 0);
  silence_.assign(payload, 0);
  const std::vector<std::int16_t> zeros(samples_per_frame_ * channels, 0);
  silence_.resize(codec_->encode(zeros, silence_));
}

LegMedia::~LegMedia() = default;

ReceiveOutcome LegMedia::receive(std::span<std::uint8_t> data, std::size_t length,
                                 const sockaddr_storage& from, std::int64_t now_ns) noexcept {
  ReceiveOutcome outcome;
  const auto datagram = data.first(length);
  if (looks_like_rtcp(datagram)) {
    counters.rtcp.add();
    return outcome;
  }
  take_posted_rekey();
  const bool from_peer = !remote_.empty() && PeerKey::of(from) == PeerKey::of(remote_.storage);
  // A packet from elsewhere is taken only to learn the peer (symmetric RTP), and only once.
  const bool may_latch = !from_peer && (remote_.empty() || (config.latch && !peer_confirmed_));
  if (!from_peer && !may_latch) {
    counters.unexpected_source.add();
    return outcome;
  }
  if (srtp_in_) {
    switch (srtp_in_->unprotect(data, length)) {
    case SrtpStatus::ok: break;
    case SrtpStatus::auth_fail: counters.auth_fail.add(); return outcome;
    case SrtpStatus::replay: counters.replay.add(); return outcome;
    case SrtpStatus::malformed:
    case SrtpStatus::error: counters.malformed.add(); return outcome;
    }
  }
  const RtpParseResult parsed = parse_rtp(data.first(length));
  if (!parsed) {
    counters.malformed.add();
    return outcome;
  }
  const RtpHeader& header = parsed.packet.header;
  const bool audio = header.payload_type == audio_payload_type_;
  const bool event =
      config.telephone_event_payload_type >= 0 && header.payload_type == config.telephone_event_payload_type;
  if (!audio && !event) {
    counters.unknown_payload_type.add();
    return outcome;
  }
  if (!from_peer) {
    set_remote(from, from.ss_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in));
    outcome.relatched = true;
  }
  peer_confirmed_ = true;
  if (peer_ssrc_ != header.ssrc) {
    peer_ssrc_ = header.ssrc;
    outcome.new_ssrc = true;
  }
  outcome.accepted = true;
  count_sequence(header.ssrc, header.sequence);
  counters.packets_in.add();
  counters.bytes_in.add(datagram.size());
  if (audio) {
    arrivals_[header.sequence % arrivals_.size()] = now_ns;
    jitter_.push(header.sequence, header.timestamp, header.ssrc, header.marker, parsed.packet.payload);
    outcome.audio = ReceivedAudio{header.sequence,
                                  header.timestamp,
                                  header.ssrc,
                                  header.marker,
                                  static_cast<std::size_t>(parsed.packet.payload.data() - data.data()),
                                  parsed.packet.payload.size()};
  } else if (const TelephoneEventParse te = parse_telephone_event(parsed.packet.payload); te) {
    outcome.digit = dtmf_in_.on_packet(header.ssrc, header.timestamp, te.event);
    if (outcome.digit) counters.dtmf_in.add();
  } else {
    counters.malformed.add();
  }
  return outcome;
}

void LegMedia::set_remote(const sockaddr_storage& address, socklen_t length) {
  remote_.storage = address;
  remote_.length = length;
  std::lock_guard lock(shared_mutex_);
  remote_text_ = remote_.to_socket_address();
}

void LegMedia::pop_frame_now() noexcept { frame_ = jitter_.pop(); }

bool LegMedia::decode_frame() noexcept {
  switch (frame_.kind) {
  case JitterBuffer::Frame::Kind::audio: {
    const std::size_t n = codec_->decode(frame_.payload, pcm_);
    if (n < pcm_.size())
      std::fill(pcm_.begin() + static_cast<std::ptrdiff_t>(n), pcm_.end(), std::int16_t{0});
    concealer_.on_frame(pcm_);
    return true;
  }
  case JitterBuffer::Frame::Kind::missing:
    concealer_.conceal(pcm_);
    counters.concealed.add();
    return true;
  case JitterBuffer::Frame::Kind::idle: break;
  }
  return false;
}

std::size_t LegMedia::build_audio(std::span<const std::uint8_t> payload, std::uint64_t period) noexcept {
  if (rtp_fixed_header_size + payload.size() + srtp_max_trailer > audio_out_.size()) return 0;
  std::copy(payload.begin(), payload.end(), audio_out_.begin() + rtp_fixed_header_size);
  forward_.synced = false;  // a frame of the clock's: forwarding takes up from here
  note_built(period);
  return seal(audio_out_, std::exchange(first_audio_, false), audio_payload_type_, timestamp_for(period),
              payload.size());
}

std::size_t LegMedia::encode_and_build(std::span<const std::int16_t> pcm, std::uint64_t period) noexcept {
  std::span<std::uint8_t> payload(audio_out_.data() + rtp_fixed_header_size,
                                  audio_out_.size() - rtp_fixed_header_size - srtp_max_trailer);
  const std::size_t bytes = codec_->encode(pcm, payload);
  forward_.synced = false;
  note_built(period);
  return seal(audio_out_, std::exchange(first_audio_, false), audio_payload_type_, timestamp_for(period),
              bytes);
}

std::size_t LegMedia::seal(std::span<std::uint8_t> buffer, bool marker, std::uint8_t payload_type,
                           std::uint32_t timestamp, std::size_t payload_bytes) noexcept {
  // A packet of ours between forwarded ones takes a sequence number: forwarding moves past it.
  if (forward_.synced) ++forward_.sequence_offset;
  write_rtp_fixed_header(
      marker, payload_type, out_sequence_++, timestamp, ssrc,
      std::span<std::uint8_t, rtp_fixed_header_size>(buffer.data(), rtp_fixed_header_size));
  std::size_t out = rtp_fixed_header_size + payload_bytes;
  if (srtp_out_ && srtp_out_->protect(buffer, out) != SrtpStatus::ok) {
    counters.send_errors.add();
    return 0;
  }
  return out;
}

std::size_t LegMedia::build_dtmf(std::uint64_t period) noexcept {
  if (!dtmf_out_.busy()) return 0;
  const std::optional<DtmfSender::Packet> packet = dtmf_out_.next();
  if (!packet) return 0;
  if (packet->marker) {
    dtmf_timestamp_ = timestamp_for(period);
    counters.dtmf_out.add();
  }
  write_telephone_event(packet->event,
                        std::span<std::uint8_t, 4>(dtmf_out_buffer_.data() + rtp_fixed_header_size, 4));
  return seal(dtmf_out_buffer_, packet->marker,
              static_cast<std::uint8_t>(config.telephone_event_payload_type), dtmf_timestamp_, 4);
}

void LegMedia::count_sequence(std::uint32_t peer_ssrc, std::uint16_t sequence) noexcept {
  if (!sequence_started_ || peer_ssrc != sequence_ssrc_) {
    if (sequence_started_) lost_before_ = counters.lost.get();  // a new source starts its own count
    sequence_started_ = true;
    sequence_ssrc_ = peer_ssrc;
    base_sequence_ = highest_sequence_ = sequence;
    sequence_received_ = 0;
  } else {
    const auto delta = static_cast<std::int16_t>(sequence - static_cast<std::uint16_t>(highest_sequence_));
    if (delta > 0) highest_sequence_ += static_cast<std::uint32_t>(delta);  // also across the wrap
  }
  ++sequence_received_;
  const std::uint64_t expected = static_cast<std::uint64_t>(highest_sequence_ - base_sequence_) + 1;
  counters.lost.set(lost_before_ + (expected > sequence_received_ ? expected - sequence_received_ : 0));
}

void LegMedia::sync_jitter_stats() noexcept {
  const JitterBufferStats& now = jitter_.stats();
  counters.late.add(now.late - synced_.late);
  counters.duplicate.add(now.duplicates - synced_.duplicates);
  synced_ = now;
}

void LegMedia::queue_dtmf(const std::string& digits, int duration_ms) { dtmf_out_.send(digits, duration_ms); }

void LegMedia::post_dtmf(std::string digits, int duration_ms) {
  std::lock_guard lock(shared_mutex_);
  posted_dtmf_.emplace_back(std::move(digits), duration_ms);
  dtmf_posted_.store(true, std::memory_order_release);
}

void LegMedia::post_beep(const MonitoringToneConfig& tone) {
  std::lock_guard lock(shared_mutex_);
  posted_beep_ = tone;
  beep_posted_.store(true, std::memory_order_release);
}

std::optional<MonitoringToneConfig> LegMedia::take_posted_beep() noexcept {
  if (!beep_posted_.load(std::memory_order_acquire)) return std::nullopt;
  std::lock_guard lock(shared_mutex_);
  beep_posted_.store(false, std::memory_order_relaxed);
  return std::exchange(posted_beep_, std::nullopt);
}

void LegMedia::post_rekey(SrtpContext inbound, SrtpContext outbound) {
  std::lock_guard lock(shared_mutex_);
  posted_keys_.emplace(std::move(inbound), std::move(outbound));
  keys_posted_.store(true, std::memory_order_release);
}

void LegMedia::take_posted_rekey() noexcept {
  if (!keys_posted_.load(std::memory_order_acquire)) return;
  std::optional<std::pair<SrtpContext, SrtpContext>> keys;
  {
    std::lock_guard lock(shared_mutex_);
    keys.swap(posted_keys_);
    keys_posted_.store(false, std::memory_order_relaxed);
  }
  if (!keys) return;
  srtp_in_ = std::move(keys->first);
  srtp_out_ = std::move(keys->second);
}

void LegMedia::take_posted_dtmf() noexcept {
  if (!dtmf_posted_.load(std::memory_order_acquire)) return;
  std::vector<std::pair<std::string, int>> posted;
  {
    std::lock_guard lock(shared_mutex_);
    posted.swap(posted_dtmf_);
    dtmf_posted_.store(false, std::memory_order_relaxed);
  }
  for (auto& [digits, duration] : posted) {
    try {
      dtmf_out_.send(digits, duration);  // validated by RtpEndpoint::send_dtmf already
    } catch (...) {
      counters.send_errors.add();
    }
  }
}

std::optional<SocketAddress> LegMedia::remote_text() const {
  std::lock_guard lock(shared_mutex_);
  return remote_text_;
}

EndpointStats LegMedia::stats() const noexcept {
  EndpointStats s;
  s.packets_in = counters.packets_in.get();
  s.bytes_in = counters.bytes_in.get();
  s.packets_out = counters.packets_out.get();
  s.bytes_out = counters.bytes_out.get();
  s.lost = counters.lost.get();
  s.late = counters.late.get();
  s.duplicate = counters.duplicate.get();
  s.concealed = counters.concealed.get();
  s.malformed = counters.malformed.get();
  s.unknown_payload_type = counters.unknown_payload_type.get();
  s.auth_fail = counters.auth_fail.get();
  s.replay = counters.replay.get();
  s.unexpected_source = counters.unexpected_source.get();
  s.rtcp = counters.rtcp.get();
  s.dtmf_digits_in = counters.dtmf_in.get();
  s.dtmf_digits_out = counters.dtmf_out.get();
  s.send_errors = counters.send_errors.get();
  return s;
}

}  // namespace callsup::detail
