// callsup: the directory of tenants, sites, extensions and groups.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "callsup/detail/observer_list.hpp"
#include "callsup/detail/ordered_dispatcher.hpp"
#include "callsup/error.hpp"
#include "callsup/model/profile.hpp"

namespace callsup {

/// What changed in the directory (observers re-check decisions on it).
struct DirectoryChange {
  /// The kind of record that changed.
  enum class Kind : std::uint8_t { tenant, site, extension, group } kind{};  ///< what changed
  std::string name;  ///< tenant, site, extension or group name
  /// True when the record was removed (false: added or replaced).
  bool removed = false;
  std::uint64_t version = 0;  ///< the directory's version after the change
};

/// Thread-safe directory. Records are validated on the way in: a tenant must exist
/// before its sites, extensions and groups; a group's members and supervisors must be
/// extensions of its tenant. Lookups hand out immutable shared snapshots. Observers
/// get the changes in version order, after the lock is released, and a change returns
/// once it has been delivered (so a SupervisionService has re-checked its sessions).
/// Observer exceptions are caught and counted; once its Subscription is reset the
/// observer is not called again; an observer must not block on another thread that
/// changes the directory.
class Directory {
 public:
  /// Called with each change, after it was made (see the class comment).
  using Observer = std::function<void(const DirectoryChange&)>;

  Directory() : dispatcher_([this](DirectoryChange& change) { observers_.notify(change); }) {}
  Directory(const Directory&) = delete;
  Directory& operator=(const Directory&) = delete;

  // --- building ---------------------------------------------------------------------

  /// Adds or replaces a tenant's settings.
  void set_tenant(TenantSettings settings) {
    if (settings.name.empty()) throw Error(errc::invalid_argument, "tenant name must not be empty");
    settings.session_defaults.validate();
    const std::string name = settings.name;
    change({DirectoryChange::Kind::tenant, name},
           [&] { tenants_[name] = std::make_shared<const TenantSettings>(std::move(settings)); });
  }

  /// Adds a site of an existing tenant. Throws Error(duplicate_id) if it exists, Error(invalid_argument) for
  /// an empty name, Error(unknown_tenant).
  void add_site(Site site) {
    if (site.name.empty()) throw Error(errc::invalid_argument, "site name must not be empty");
    const std::string name = site.name;
    change({DirectoryChange::Kind::site, name}, [&] {
      require_tenant(site.tenant, "site " + quoted(name));
      if (sites_.count(name)) throw Error(errc::duplicate_id, "site " + quoted(name) + " already exists");
      sites_.emplace(name, std::move(site));
    });
  }

  /// Adds an extension of an existing tenant; Error(duplicate_id) if it exists.
  void add_extension(ExtensionProfile profile) { put_extension(std::move(profile), /*replace=*/false); }
  /// Replaces an existing extension's profile (privacy toggled, grants changed...).
  void update_extension(ExtensionProfile profile) { put_extension(std::move(profile), /*replace=*/true); }

  /// Removes an extension; it must not be in any group. Throws Error(unknown_extension) or
  /// Error(invalid_argument).
  void remove_extension(const std::string& extension) {
    change({DirectoryChange::Kind::extension, extension, true}, [&] {
      if (!extensions_.count(extension))
        throw Error(errc::unknown_extension, "no extension " + quoted(extension));
      for (auto& [name, group] : groups_)
        if (contains(group->members, extension) || contains(group->supervisors, extension))
          throw Error(errc::invalid_argument, "extension " + quoted(extension) + " is still in group " +
                                                  quoted(name) + "; remove it from the group first");
      extensions_.erase(extension);
      if (--lengths_[extension.size()] == 0) lengths_.erase(extension.size());
    });
  }

  /// Adds a group of an existing tenant, whose members and supervisors are its extensions;
  /// Error(duplicate_id) if it exists.
  void add_group(Group group) { put_group(std::move(group), /*replace=*/false); }
  /// Replaces an existing group (members or supervisors changed).
  void update_group(Group group) { put_group(std::move(group), /*replace=*/true); }
  /// Removes a group. Throws Error(unknown_group).
  void remove_group(const std::string& name) {
    change({DirectoryChange::Kind::group, name, true}, [&] {
      auto it = groups_.find(name);
      if (it == groups_.end()) throw Error(errc::unknown_group, "no group " + quoted(name));
      unindex_group(*it->second);
      groups_.erase(it);
    });
  }

  // --- lookups ----------------------------------------------------------------------

  /// The extension's profile, or nullptr.
  std::shared_ptr<const ExtensionProfile> find_extension(const std::string& extension) const {
    std::shared_lock lock(mutex_);
    auto it = extensions_.find(extension);
    return it == extensions_.end() ? nullptr : it->second.profile;
  }
  /// The extension's profile, or Error(unknown_extension).
  std::shared_ptr<const ExtensionProfile> extension(const std::string& extension) const {
    if (auto found = find_extension(extension)) return found;
    throw Error(errc::unknown_extension, "no extension " + quoted(extension));
  }
  /// The tenant's settings, or nullptr.
  std::shared_ptr<const TenantSettings> find_tenant(const std::string& name) const {
    std::shared_lock lock(mutex_);
    auto it = tenants_.find(name);
    return it == tenants_.end() ? nullptr : it->second;
  }
  /// The tenant's settings, or Error(unknown_tenant).
  std::shared_ptr<const TenantSettings> tenant(const std::string& name) const {
    if (auto found = find_tenant(name)) return found;
    throw Error(errc::unknown_tenant, "no tenant " + quoted(name));
  }
  /// The group, or nullptr.
  std::shared_ptr<const Group> find_group(const std::string& name) const {
    std::shared_lock lock(mutex_);
    auto it = groups_.find(name);
    return it == groups_.end() ? nullptr : it->second;
  }
  /// True when the site exists.
  bool has_site(const std::string& name) const {
    std::shared_lock lock(mutex_);
    return sites_.count(name) != 0;
  }

  /// True when `supervisor` supervises a group that `member` belongs to.
  bool supervises_member(const std::string& supervisor, const std::string& member) const {
    std::shared_lock lock(mutex_);
    return View(*this).supervises_member(supervisor, member);
  }
  /// True when `supervisor` is one of the group's supervisors.
  bool supervises_group(const std::string& supervisor, const std::string& group) const {
    std::shared_lock lock(mutex_);
    return View(*this).supervises_group(supervisor, group);
  }

 private:
  // An extension's profile with the ids of its groups beside it, so that a scope check
  // touches the two extensions' entries and nothing else.
  struct Entry {
    std::shared_ptr<const ExtensionProfile> profile;
    std::vector<std::uint32_t> member_of;
    std::vector<std::uint32_t> supervises;  // groups whose supervision is allowed: its scope
    std::vector<std::uint32_t> listed_in;   // every group naming it a supervisor
  };

 public:
  /// Lookups under one shared lock, for code that asks several questions at once (a
  /// policy decision): one consistent version of the directory, and no reference
  /// counting. Pointers are valid only inside read()'s callback.
  class View {
   public:
    /// The extension's profile, or nullptr.
    const ExtensionProfile* find_extension(const std::string& extension) const {
      auto it = directory_->extensions_.find(extension);
      return it == directory_->extensions_.end() ? nullptr : it->second.profile.get();
    }
    /// The tenant's settings, or nullptr.
    const TenantSettings* find_tenant(const std::string& name) const {
      auto it = directory_->tenants_.find(name);
      return it == directory_->tenants_.end() ? nullptr : it->second.get();
    }
    /// True when `supervisor` may supervise a group that `member` is in.
    bool supervises_member(const std::string& supervisor, const std::string& member) const {
      const Entry* sup = entry(supervisor);
      const Entry* mem = entry(member);
      if (!sup || !mem) return false;
      for (std::uint32_t group : mem->member_of)
        if (contains_id(sup->supervises, group)) return true;
      return false;
    }
    /// True when `supervisor` may supervise `group`.
    bool supervises_group(const std::string& supervisor, const std::string& group) const {
      const Entry* sup = entry(supervisor);
      auto id = directory_->group_ids_.find(group);
      return sup && id != directory_->group_ids_.end() && contains_id(sup->supervises, id->second);
    }

   private:
    friend class Directory;
    explicit View(const Directory& directory) : directory_(&directory) {}
    const Entry* entry(const std::string& extension) const {
      auto it = directory_->extensions_.find(extension);
      return it == directory_->extensions_.end() ? nullptr : &it->second;
    }
    const Directory* directory_;
  };

  /// Calls fn(const View&) under the shared lock and returns what it returns.
  template <typename Fn>
  decltype(auto) read(Fn&& fn) const {
    std::shared_lock lock(mutex_);
    return std::forward<Fn>(fn)(View(*this));
  }

  /// The distinct lengths of the extensions present (for feature-code validation).
  std::set<std::size_t> extension_lengths() const {
    std::shared_lock lock(mutex_);
    std::set<std::size_t> out;
    for (const auto& [length, count] : lengths_) out.insert(length);
    return out;
  }
  /// Every extension, sorted.
  std::vector<std::string> extensions() const {
    std::shared_lock lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [ext, entry] : extensions_) out.push_back(ext);
    std::sort(out.begin(), out.end());
    return out;
  }
  /// How many extensions there are.
  std::size_t extension_count() const {
    std::shared_lock lock(mutex_);
    return extensions_.size();
  }
  /// Increases with every change; DirectoryChange::version says after which change.
  std::uint64_t version() const {
    std::shared_lock lock(mutex_);
    return version_;
  }

  /// Adds an observer; the returned Subscription removes it (callsup/subscription.hpp).
  Subscription subscribe(Observer observer) { return observers_.add(std::move(observer)); }
  /// Exceptions thrown by observers (caught so that the others still get the change).
  std::uint64_t observer_failures() const { return observers_.failures(); }

 private:
  // Queued under the lock, so observers see changes in version order.
  template <typename Fn>
  void change(DirectoryChange what, Fn&& apply) {
    detail::OrderedDispatcher<DirectoryChange>::Ticket ticket = 0;
    {
      std::unique_lock lock(mutex_);
      apply();
      what.version = ++version_;
      ticket = dispatcher_.enqueue(std::move(what));
    }
    dispatcher_.deliver_until(ticket);
  }

  static bool contains(const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
  }
  static bool all_digits(const std::string& text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  }

  void require_tenant(const std::string& tenant, const std::string& what) const {
    if (!tenants_.count(tenant))
      throw Error(errc::unknown_tenant, what + " names unknown tenant " + quoted(tenant));
  }

  void put_extension(ExtensionProfile profile, bool replace) {
    if (!all_digits(profile.extension))
      throw Error(errc::invalid_argument, "extension " + quoted(profile.extension) + " must be digits only");
    profile.session_defaults.validate();
    const std::string ext = profile.extension;
    change({DirectoryChange::Kind::extension, ext}, [&] {
      const std::string what = "extension " + quoted(ext);
      require_tenant(profile.tenant, what);
      const bool exists = extensions_.count(ext) != 0;
      if (exists && !replace) throw Error(errc::duplicate_id, what + " already exists");
      if (!exists && replace) throw Error(errc::unknown_extension, "no extension " + quoted(ext));
      if (exists) {
        const Entry& old = extensions_.at(ext);
        if (old.profile->tenant != profile.tenant && (!old.member_of.empty() || !old.listed_in.empty()))
          throw Error(errc::invalid_argument, what + " cannot change tenant while in a group");
      }
      require_site(profile.site, profile.tenant, what);
      for (const auto& site : profile.managed_sites) require_site(site, profile.tenant, what);
      extensions_[ext].profile = std::make_shared<const ExtensionProfile>(std::move(profile));
      if (!exists) ++lengths_[ext.size()];
    });
  }

  void require_site(const std::string& site, const std::string& tenant, const std::string& what) const {
    if (site.empty()) return;
    auto it = sites_.find(site);
    if (it == sites_.end()) throw Error(errc::invalid_argument, what + " names unknown site " + quoted(site));
    if (it->second.tenant != tenant)
      throw Error(errc::invalid_argument, what + " names site " + quoted(site) + " of another tenant");
  }

  void put_group(Group group, bool replace) {
    if (group.name.empty()) throw Error(errc::invalid_argument, "group name must not be empty");
    const std::string name = group.name;
    change({DirectoryChange::Kind::group, name}, [&] {
      const std::string what = "group " + quoted(name);
      require_tenant(group.tenant, what);
      auto existing = groups_.find(name);
      if (existing != groups_.end() && !replace) throw Error(errc::duplicate_id, what + " already exists");
      if (existing == groups_.end() && replace) throw Error(errc::unknown_group, "no group " + quoted(name));
      for (const auto* list : {&group.members, &group.supervisors})
        for (const auto& ext : *list) {
          auto profile = extensions_.find(ext);
          if (profile == extensions_.end())
            throw Error(errc::unknown_extension, what + " names unknown extension " + quoted(ext));
          if (profile->second.profile->tenant != group.tenant)
            throw Error(errc::invalid_argument,
                        what + " names extension " + quoted(ext) + " of another tenant");
        }
      if (existing != groups_.end()) unindex_group(*existing->second);
      auto stored = std::make_shared<const Group>(std::move(group));
      const std::uint32_t id =
          group_ids_.emplace(name, static_cast<std::uint32_t>(group_ids_.size())).first->second;
      for (const auto& ext : stored->members) add_id(extensions_.at(ext).member_of, id);
      for (const auto& ext : stored->supervisors) {
        add_id(extensions_.at(ext).listed_in, id);
        if (stored->supervision_allowed) add_id(extensions_.at(ext).supervises, id);
      }
      groups_[name] = std::move(stored);
    });
  }

  void unindex_group(const Group& group) {
    const std::uint32_t id = group_ids_.at(group.name);
    for (const auto& ext : group.members) remove_id(extensions_.at(ext).member_of, id);
    for (const auto& ext : group.supervisors) {
      remove_id(extensions_.at(ext).supervises, id);
      remove_id(extensions_.at(ext).listed_in, id);
    }
  }

  static bool contains_id(const std::vector<std::uint32_t>& ids, std::uint32_t id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }
  static void add_id(std::vector<std::uint32_t>& ids, std::uint32_t id) {
    if (!contains_id(ids, id)) ids.push_back(id);
  }
  static void remove_id(std::vector<std::uint32_t>& ids, std::uint32_t id) {
    ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
  }

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const TenantSettings>> tenants_;
  std::unordered_map<std::string, Site> sites_;
  std::unordered_map<std::string, Entry> extensions_;
  std::unordered_map<std::string, std::shared_ptr<const Group>> groups_;
  std::unordered_map<std::string, std::uint32_t> group_ids_;  // assigned once, never reused
  std::map<std::size_t, std::size_t> lengths_;                // extension length -> count
  std::uint64_t version_ = 0;
  detail::ObserverList<DirectoryChange> observers_;
  detail::OrderedDispatcher<DirectoryChange> dispatcher_;  // last: built after what it reads
};

}  // namespace callsup
