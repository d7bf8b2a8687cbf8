#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "callsup/audit/audit_sink.hpp"
#include "callsup/audit/memory_audit_sink.hpp"
#include "callsup/error.hpp"
#include "callsup/json/audit_json.hpp"
#include "callsup/json/json_lines_audit_sink.hpp"
#include "support/scratch_dir.hpp"

using namespace callsup;
using callsup::testing::ScratchDir;

namespace {

namespace fs = std::filesystem;

AuditRecord make_record(std::uint64_t sequence, EventKind kind = EventKind::attempt) {
  AuditRecord record;
  record.kind = kind;
  record.sequence = sequence;
  // Whole milliseconds: the JSON form keeps milliseconds, and the tests compare exactly.
  record.time =
      std::chrono::system_clock::time_point{std::chrono::milliseconds{1'795'000'000'000 + sequence}};
  record.session = sequence % 5;
  record.tenant = "acme";
  record.call = "call-" + std::to_string(sequence);
  record.supervisor = "700";
  record.supervisor_leg = "leg-700";
  record.target = "744";
  record.target_leg = "leg-744";
  record.mode = Mode::listen;
  record.allowed = sequence % 2 == 0;
  record.reason = record.allowed ? Reason::allowed : Reason::out_of_scope;
  record.rule = "scope";
  record.source = EventSource::dial;
  record.detail = "*90744";
  return record;
}

void check_same_line(const AuditRecord& a, const AuditRecord& b) {
  CHECK(to_json_line(a) == to_json_line(b));  // covers every field; audit_json tests cover the mapping
  CHECK(a.time == b.time);
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void check_io_error(const std::string& path, const std::string& reason) {
  try {
    JsonLinesAuditSink sink(path);
    sink.write(make_record(1));
    FAIL("no error for " << path);
  } catch (const Error& error) {
    CHECK(error.code() == errc::io_error);
    const std::string message = error.what();
    CHECK_MESSAGE(message.find("'" + path + "'") != std::string::npos, message);
    CHECK_MESSAGE(message.find(reason) != std::string::npos, message);
  }
}

}  // namespace

TEST_SUITE_BEGIN("audit_sinks");

TEST_CASE("audit_sinks: JsonLinesAuditSink writes one parseable line per record") {
  const ScratchDir dir("callsup-audit");
  const std::string path = dir.file("audit.jsonl");
  JsonLinesAuditSink sink(path);
  CHECK(sink.path() == path);
  std::vector<AuditRecord> written;
  for (std::uint64_t seq = 1; seq <= 5; ++seq) {
    written.push_back(make_record(seq, seq == 5 ? EventKind::ended : EventKind::attempt));
    sink.write(written.back());
  }
  const auto lines = read_lines(path);
  REQUIRE(lines.size() == written.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    CHECK(lines[i] == to_json_line(written[i]));
    check_same_line(parse_audit_line(lines[i]), written[i]);
  }
  const std::string all = read_all(path);
  CHECK(all.back() == '\n');
}

TEST_CASE("audit_sinks: JsonLinesAuditSink: a record is in the file when write() returns") {
  const ScratchDir dir("callsup-audit");
  const std::string path = dir.file("audit.jsonl");
  JsonLinesAuditSink sink(path);
  CHECK(fs::exists(path));  // created at construction, not on first write
  for (std::uint64_t seq = 1; seq <= 3; ++seq) {
    sink.write(make_record(seq));
    // A separate reader, with the sink still open: nothing may sit in a user-space buffer.
    std::ifstream reader(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(reader, line);) lines.push_back(line);
    REQUIRE(lines.size() == seq);
    check_same_line(parse_audit_line(lines.back()), make_record(seq));
  }
}

TEST_CASE("audit_sinks: JsonLinesAuditSink appends and never truncates") {
  const ScratchDir dir("callsup-audit");
  const std::string path = dir.file("audit.jsonl");
  {
    std::ofstream existing(path);
    existing << "previous content\n";
  }
  {
    JsonLinesAuditSink first(path);
    first.write(make_record(1));
    first.write(make_record(2));
  }
  {
    JsonLinesAuditSink second(path);  // reopening must keep what the first one wrote
    second.write(make_record(3));
  }
  const auto lines = read_lines(path);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "previous content");
  for (std::uint64_t seq = 1; seq <= 3; ++seq)
    check_same_line(parse_audit_line(lines[seq]), make_record(seq));
}

TEST_CASE("audit_sinks: JsonLinesAuditSink: two sinks open on one file interleave whole lines") {
  const ScratchDir dir("callsup-audit");
  const std::string path = dir.file("audit.jsonl");
  JsonLinesAuditSink a(path);
  JsonLinesAuditSink b(path);
  a.write(make_record(1));
  b.write(make_record(2));
  a.write(make_record(3));
  const auto lines = read_lines(path);
  REQUIRE(lines.size() == 3);
  for (std::uint64_t seq = 1; seq <= 3; ++seq)
    check_same_line(parse_audit_line(lines[seq - 1]), make_record(seq));
}

TEST_CASE("audit_sinks: JsonLinesAuditSink creates the file no more permissive than 0640") {
  const ScratchDir dir("callsup-audit");
  const std::string path = dir.file("audit.jsonl");
  JsonLinesAuditSink sink(path);
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777 & ~0640) == 0);
}

TEST_CASE("audit_sinks: JsonLinesAuditSink with fsync_each_record and flush()") {
  const ScratchDir dir("callsup-audit");
  const std::string path = dir.file("audit.jsonl");
  JsonLinesAuditSink sink(path, JsonLinesOptions{true});
  CHECK(sink.options().fsync_each_record);
  sink.write(make_record(1));
  sink.flush();
  sink.write(make_record(2));
  CHECK(read_lines(path).size() == 2);
}

TEST_CASE("audit_sinks: JsonLinesAuditSink reports unusable paths as io_error naming the path") {
  const ScratchDir dir("callsup-audit");
  check_io_error(dir.file("no-such-dir/audit.jsonl"), "No such file or directory");
  check_io_error(dir.file(""), "Is a directory");  // the directory itself
  try {
    JsonLinesAuditSink sink("");
    FAIL("empty path accepted");
  } catch (const Error& error) {
    CHECK(error.code() == errc::invalid_argument);
  }
}

TEST_CASE("audit_sinks: JsonLinesAuditSink reports a failed write as io_error; the sink stays usable") {
  if (::access("/dev/full", W_OK) != 0) return;  // not every sandbox has it
  JsonLinesAuditSink sink("/dev/full");
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      sink.write(make_record(1));
      FAIL("write to /dev/full succeeded");
    } catch (const Error& error) {
      CHECK(error.code() == errc::io_error);
      const std::string message = error.what();
      CHECK_MESSAGE(message.find("'/dev/full'") != std::string::npos, message);
      CHECK_MESSAGE(message.find("No space left on device") != std::string::npos, message);
    }
  }
}

TEST_CASE("audit_sinks: JsonLinesAuditSink: 4 threads x 1000 records give 4000 intact lines") {
  const ScratchDir dir("callsup-audit");
  const std::string path = dir.file("audit.jsonl");
  constexpr std::uint64_t threads = 4;
  constexpr std::uint64_t per_thread = 1000;
  {
    JsonLinesAuditSink sink(path);
    std::vector<std::thread> writers;
    writers.reserve(4);
    for (std::uint64_t t = 0; t < threads; ++t)
      writers.emplace_back([&sink, t] {
        for (std::uint64_t i = 0; i < per_thread; ++i) sink.write(make_record(t * per_thread + i + 1));
      });
    for (auto& writer : writers) writer.join();
  }
  const auto lines = read_lines(path);
  REQUIRE(lines.size() == threads * per_thread);
  std::set<std::uint64_t> seen;
  for (const auto& line : lines) {
    const AuditRecord record = parse_audit_line(line);  // throws on a torn line
    CHECK(line == to_json_line(make_record(record.sequence)));
    seen.insert(record.sequence);
  }
  CHECK(seen.size() == threads * per_thread);
  CHECK(*seen.begin() == 1);
  CHECK(*seen.rbegin() == threads * per_thread);
}

TEST_CASE("audit_sinks: JsonLinesAuditSink: separate sinks on one file from 2 threads keep lines intact") {
  // Stands in for two processes sharing a log: only O_APPEND keeps them apart.
  const ScratchDir dir("callsup-audit");
  const std::string path = dir.file("audit.jsonl");
  {
    JsonLinesAuditSink a(path);
    JsonLinesAuditSink b(path);
    std::thread first([&] {
      for (std::uint64_t i = 1; i <= 500; ++i) a.write(make_record(i));
    });
    std::thread second([&] {
      for (std::uint64_t i = 501; i <= 1000; ++i) b.write(make_record(i));
    });
    first.join();
    second.join();
  }
  const auto lines = read_lines(path);
  REQUIRE(lines.size() == 1000);
  std::set<std::uint64_t> seen;
  for (const auto& line : lines) seen.insert(parse_audit_line(line).sequence);
  CHECK(seen.size() == 1000);
}

TEST_CASE("audit_sinks: MemoryAuditSink keeps records in order") {
  MemoryAuditSink sink;
  CHECK(sink.size() == 0);
  sink.write(make_record(1, EventKind::attempt));
  sink.write(make_record(2, EventKind::started));
  sink.write(make_record(3, EventKind::attempt));
  sink.flush();  // the default hook: nothing to do
  REQUIRE(sink.size() == 3);
  const auto records = sink.records();
  for (std::uint64_t i = 0; i < 3; ++i) check_same_line(records[i], make_record(i + 1, records[i].kind));
  const auto attempts = sink.of_kind(EventKind::attempt);
  REQUIRE(attempts.size() == 2);
  CHECK(attempts[0].sequence == 1);
  CHECK(attempts[1].sequence == 3);
  CHECK(sink.of_kind(EventKind::ended).empty());

  auto copy = sink.records();
  copy.clear();  // a copy: the sink keeps its records
  CHECK(sink.size() == 3);
  sink.clear();
  CHECK(sink.size() == 0);
  CHECK(sink.records().empty());
}

TEST_CASE("audit_sinks: MemoryAuditSink under concurrent writers and readers") {
  MemoryAuditSink sink;
  std::atomic<bool> done{false};
  bool consistent = true;
  std::thread reader([&] {
    while (!done) {
      const auto records = sink.records();
      if (sink.size() < records.size()) consistent = false;  // records only ever grow
    }
  });
  std::vector<std::thread> writers;
  writers.reserve(4);
  for (std::uint64_t t = 0; t < 4; ++t)
    writers.emplace_back([&sink, t] {
      for (std::uint64_t i = 0; i < 1000; ++i) sink.write(make_record(t * 1000 + i));
    });
  for (auto& writer : writers) writer.join();
  done = true;
  reader.join();
  CHECK(consistent);
  CHECK(sink.size() == 4000);
}

namespace {

/// The smallest possible sink: only do_write. Also proves the base class serialises.
class CountingSink final : public AuditSink {
 public:
  int count = 0;
  bool overlapped = false;
  bool fail_next = false;

 protected:
  void do_write(const AuditRecord& record) override {
    if (inside_.exchange(true)) overlapped = true;
    if (fail_next) {
      fail_next = false;
      inside_ = false;
      throw std::runtime_error("backend down for seq " + std::to_string(record.sequence));
    }
    ++count;  // unsynchronised on purpose: the base class must provide the exclusion
    inside_ = false;
  }

 private:
  std::atomic<bool> inside_{false};
};

}  // namespace

TEST_CASE("audit_sinks: an AuditSink subclass overriding only do_write works and needs no locking") {
  CountingSink sink;
  sink.write(make_record(1));
  sink.flush();
  CHECK(sink.count == 1);

  std::vector<std::thread> writers;
  writers.reserve(4);
  for (int t = 0; t < 4; ++t)
    writers.emplace_back([&sink] {
      for (int i = 0; i < 1000; ++i) sink.write(make_record(static_cast<std::uint64_t>(i)));
    });
  for (auto& writer : writers) writer.join();
  CHECK(sink.count == 4001);
  CHECK_FALSE(sink.overlapped);
}

TEST_CASE("audit_sinks: a throwing do_write reaches the caller and releases the lock") {
  CountingSink sink;
  sink.fail_next = true;
  CHECK_THROWS_WITH_AS(sink.write(make_record(9)), "backend down for seq 9", std::runtime_error);
  sink.write(make_record(10));  // would deadlock if the lock had been kept
  CHECK(sink.count == 1);
}

TEST_CASE("audit_sinks: AuditSink is used through the base class") {
  const ScratchDir dir("callsup-audit");
  std::vector<std::unique_ptr<AuditSink>> sinks;
  sinks.push_back(std::make_unique<MemoryAuditSink>());
  sinks.push_back(std::make_unique<JsonLinesAuditSink>(dir.file("audit.jsonl")));
  for (auto& sink : sinks) sink->write(make_record(1));
  CHECK(static_cast<MemoryAuditSink&>(*sinks[0]).size() == 1);
  CHECK(read_lines(dir.file("audit.jsonl")).size() == 1);
}

TEST_SUITE_END();
