// callsup (internal): Shard, which leg a datagram belongs to: the address and SSRC indexes and following a
// peer that moved.
#include "media/engine/shard.hpp"

#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <future>

#include <unistd.h>

#include "media/engine/shard_support.hpp"

namespace callsup::detail {

void Shard::index_leg(LegSlot& slot) {
  LegMedia* leg = slot.media.get();
  by_id_[leg->leg] = leg;
  if (slot.socket || leg->home.thread != index_) return;  // a dedicated socket, or indexed at its home
  auto [entry, fresh] = home_legs_.try_emplace(leg);
  mark_away(entry->second, nullptr);
  if (!fresh) return;  // back home: indexed since it first came
  entry->second.media = slot.media;
  if (leg->has_remote()) {
    const PeerKey peer = PeerKey::of(leg->remote_address().storage);
    peers_[peer].push_back(leg);
    if (leg->peer_ssrc()) register_stream(entry->second, {peer, *leg->peer_ssrc()});
  }
  if (leg->config.remote_ssrc) ssrcs_[*leg->config.remote_ssrc].push_back(leg);
}

void Shard::unindex_leg(LegMedia* leg) {
  auto found = home_legs_.find(leg);
  if (found == home_legs_.end()) return;
  if (found->second.stream) streams_.erase(*found->second.stream);
  unindex_peer(leg);
  if (leg->config.remote_ssrc) erase_from(ssrcs_, *leg->config.remote_ssrc, leg);
  mark_away(found->second, nullptr);
  home_legs_.erase(found);
}

void Shard::unindex_peer(LegMedia* leg) {
  for (auto it = peers_.begin(); it != peers_.end();) {
    auto& legs = it->second;
    legs.erase(std::remove(legs.begin(), legs.end(), leg), legs.end());
    it = legs.empty() ? peers_.erase(it) : std::next(it);
  }
}

void Shard::register_stream(HomeEntry& entry, const StreamKey& key) {
  if (entry.stream && *entry.stream == key) return;
  if (entry.stream) streams_.erase(*entry.stream);
  streams_[key] = entry.media.get();
  entry.stream = key;
}

void Shard::relatch(LegMedia* leg, const PeerKey& peer, std::optional<std::uint32_t> ssrc, bool moved) {
  auto found = home_legs_.find(leg);
  if (found == home_legs_.end()) return;
  try {
    if (moved) {
      unindex_peer(leg);
      peers_[peer].push_back(leg);
    }
    if (ssrc) register_stream(found->second, {peer, *ssrc});
  } catch (...) {
    // Out of memory for an index entry: the slower lookups still find the leg.
  }
}

LegMedia* Shard::demultiplex(const sockaddr_storage& from, std::span<const std::uint8_t> datagram) noexcept {
  const PeerKey peer = PeerKey::of(from);
  const bool has_ssrc = datagram.size() >= 12;
  const std::uint32_t ssrc = has_ssrc ? read_u32(datagram.data() + 8) : 0;
  if (has_ssrc) {
    if (auto found = streams_.find({peer, ssrc}); found != streams_.end()) return found->second;
  }
  if (auto found = peers_.find(peer); found != peers_.end() && found->second.size() == 1)
    return found->second.front();
  if (has_ssrc) {
    if (auto found = ssrcs_.find(ssrc); found != ssrcs_.end() && found->second.size() == 1)
      return found->second.front();
  }
  return nullptr;
}

// The shared socket's demultiplexing follows a peer that moved or changed SSRC; the index is
// kept by the leg's home thread.
void Shard::follow_peer(LegMedia& leg, const ReceiveOutcome& outcome) {
  const PeerKey peer = PeerKey::of(leg.remote_address().storage);
  if (leg.home.thread == index_) {
    relatch(&leg, peer, leg.peer_ssrc(), outcome.relatched);
    return;
  }
  auto found = slots_.find(&leg);
  if (found == slots_.end()) return;
  try {
    Shard& home = home_of(leg);
    asio::post(home.executor_, [&home, media = found->second.media, peer, ssrc = leg.peer_ssrc(),
                                moved = outcome.relatched] { home.relatch(media.get(), peer, ssrc, moved); });
  } catch (...) {
    // Out of memory: the home keeps the old entry; the slower lookups may still find the leg.
  }
}

}  // namespace callsup::detail
