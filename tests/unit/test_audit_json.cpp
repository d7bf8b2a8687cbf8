#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include "callsup/error.hpp"
#include "callsup/json/audit_json.hpp"

using namespace callsup;
using namespace std::chrono;

namespace {

system_clock::time_point utc(int y, unsigned mo, unsigned d, int h, int mi, int s, int ms) {
  return system_clock::time_point{sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} +
                                  seconds{s} + milliseconds{ms}};
}

AuditRecord sample_record() {
  AuditRecord record;
  record.kind = EventKind::mode_changed;
  record.sequence = 42;
  record.time = utc(2026, 11, 21, 10, 15, 2, 123);
  record.session = 7;
  record.tenant = "acme";
  record.call = "call-1";
  record.supervisor = "700";
  record.supervisor_leg = "leg-s";
  record.target = "744";
  record.target_leg = "leg-a";
  record.mode = Mode::whisper;
  record.from_mode = Mode::listen;
  record.allowed = true;
  record.reason = Reason::allowed;
  record.rule = "group_supervisor";
  record.end_reason = EndReason::none;
  record.source = EventSource::dtmf;
  record.detail = "*91";
  return record;
}

void check_same(const AuditRecord& a, const AuditRecord& b) {
  CHECK(a.kind == b.kind);
  CHECK(a.sequence == b.sequence);
  CHECK(a.time == b.time);
  CHECK(a.session == b.session);
  CHECK(a.tenant == b.tenant);
  CHECK(a.call == b.call);
  CHECK(a.supervisor == b.supervisor);
  CHECK(a.supervisor_leg == b.supervisor_leg);
  CHECK(a.target == b.target);
  CHECK(a.target_leg == b.target_leg);
  CHECK(a.mode == b.mode);
  CHECK(a.from_mode == b.from_mode);
  CHECK(a.allowed == b.allowed);
  CHECK(a.reason == b.reason);
  CHECK(a.rule == b.rule);
  CHECK(a.end_reason == b.end_reason);
  CHECK(a.source == b.source);
  CHECK(a.channel == b.channel);
  CHECK(a.detail == b.detail);
}

// The sample line with one fragment replaced (the fragment must occur).
std::string sample_with(const std::string& from, const std::string& to) {
  std::string line = to_json_line(sample_record());
  const auto at = line.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "fragment not in sample line: " << from);
  return line.replace(at, from.size(), to);
}

// Parsing `line` throws Error(invalid_argument) whose message contains each fragment.
void check_rejected(const std::string& line, std::initializer_list<std::string> fragments) {
  INFO("line: " << line);
  try {
    parse_audit_line(line);
    FAIL("accepted");
  } catch (const Error& error) {
    CHECK(error.code() == errc::invalid_argument);
    const std::string message = error.what();
    for (const auto& fragment : fragments)
      CHECK_MESSAGE(message.find(fragment) != std::string::npos, message);
  }
}

}  // namespace

TEST_SUITE_BEGIN("audit_json");

TEST_CASE("audit_json: to_json_line writes the documented keys in order, on one line") {
  CHECK(
      to_json_line(sample_record()) ==
      R"({"seq":42,"time":"2026-11-21T10:15:02.123Z","kind":"mode_changed","tenant":"acme","session":7,)"
      R"("call":"call-1","supervisor":"700","supervisor_leg":"leg-s","target":"744","target_leg":"leg-a",)"
      R"("mode":"whisper","from_mode":"listen","decision":"allowed","reason":"allowed","rule":"group_supervisor",)"
      R"("end_reason":"none","source":"dtmf","channel":"api","detail":"*91"})");
}

TEST_CASE("audit_json: absent modes are null and a denial says denied") {
  AuditRecord record = sample_record();
  record.kind = EventKind::denied;
  record.mode.reset();
  record.from_mode.reset();
  record.allowed = false;
  record.reason = Reason::privacy;
  const std::string line = to_json_line(record);
  CHECK(line.find(R"("mode":null,"from_mode":null,"decision":"denied","reason":"privacy")") !=
        std::string::npos);
  check_same(parse_audit_line(line), record);
}

TEST_CASE("audit_json: round trip is exact for every enum value") {
  const EventKind kinds[] = {EventKind::attempt, EventKind::denied,         EventKind::started,
                             EventKind::armed,   EventKind::mode_changed,   EventKind::target_changed,
                             EventKind::ended,   EventKind::agent_notified, EventKind::action_requested,
                             EventKind::security};
  const EventSource sources[] = {EventSource::api, EventSource::dial, EventSource::dtmf,
                                 EventSource::registry, EventSource::directory};
  AuditRecord record = sample_record();
  for (EventKind kind : kinds) {
    record.kind = kind;
    check_same(parse_audit_line(to_json_line(record)), record);
  }
  for (EventSource source : sources) {
    record.source = source;
    check_same(parse_audit_line(to_json_line(record)), record);
  }
  for (RequestChannel channel : all_request_channels) {
    record.channel = channel;
    check_same(parse_audit_line(to_json_line(record)), record);
  }
  for (Reason reason : all_reasons) {
    record.reason = reason;
    check_same(parse_audit_line(to_json_line(record)), record);
  }
  for (EndReason reason : all_end_reasons) {
    record.end_reason = reason;
    check_same(parse_audit_line(to_json_line(record)), record);
  }
  for (Mode mode : all_modes) {
    record.mode = mode;
    record.from_mode = mode;
    check_same(parse_audit_line(to_json_line(record)), record);
  }
}

TEST_CASE("audit_json: a default record and extreme numbers round-trip") {
  AuditRecord record;  // epoch, empty strings, seq 0
  CHECK(to_json_line(record).find(R"("time":"1970-01-01T00:00:00.000Z")") != std::string::npos);
  check_same(parse_audit_line(to_json_line(record)), record);
  record.sequence = std::numeric_limits<std::uint64_t>::max();
  record.session = std::numeric_limits<std::uint64_t>::max();
  check_same(parse_audit_line(to_json_line(record)), record);
}

TEST_CASE("audit_json: strings with quotes, control characters and unicode stay on one line and round-trip") {
  AuditRecord record = sample_record();
  record.detail = "line1\nline2\t\"quoted\" \\ back\x01slash";
  record.tenant = "Müller & Söhne — 東京";
  record.rule = "";
  const std::string line = to_json_line(record);
  CHECK(line.find('\n') == std::string::npos);
  check_same(parse_audit_line(line), record);
}

TEST_CASE("audit_json: invalid UTF-8 is replaced, never thrown: the record must not be lost") {
  AuditRecord record = sample_record();
  record.detail = std::string("bad\xff\xfe") + "end";
  std::string line;
  CHECK_NOTHROW(line = to_json_line(record));
  const AuditRecord back = parse_audit_line(line);
  CHECK(back.detail ==
        "bad\xEF\xBF\xBD\xEF\xBF\xBD"
        "end");  // U+FFFD twice
}

TEST_CASE("audit_json: time is written in UTC with milliseconds, truncated") {
  AuditRecord record = sample_record();
  record.time = utc(2026, 11, 21, 10, 15, 2, 123) + microseconds{999};
  CHECK(to_json_line(record).find(R"("time":"2026-11-21T10:15:02.123Z")") != std::string::npos);
  CHECK(parse_audit_line(to_json_line(record)).time == utc(2026, 11, 21, 10, 15, 2, 123));

  record.time = utc(2028, 2, 29, 23, 59, 59, 999);  // leap day, last millisecond
  CHECK(to_json_line(record).find(R"("time":"2028-02-29T23:59:59.999Z")") != std::string::npos);
  check_same(parse_audit_line(to_json_line(record)), record);

  // Before the epoch the milliseconds still count upwards within the second.
  record.time = system_clock::time_point{} - milliseconds{1};
  CHECK(to_json_line(record).find(R"("time":"1969-12-31T23:59:59.999Z")") != std::string::npos);
  check_same(parse_audit_line(to_json_line(record)), record);
}

TEST_CASE("audit_json: malformed times are rejected naming the field and value") {
  for (const char* bad :
       {"2026-11-21T10:15:02Z", "2026-11-21T10:15:02.123", "2026-11-21 10:15:02.123Z",
        "2026-11-21T10:15:02.123+01:00", "2026-02-30T10:15:02.123Z", "2026-13-01T10:15:02.123Z",
        "2026-11-21T24:00:00.000Z", "2026-11-21T10:60:00.000Z", "2026-11-21T10:15:60.000Z",
        "2026-11-2xT10:15:02.123Z", "", "9999-12-31T23:59:59.999Z"}) {
    check_rejected(sample_with("2026-11-21T10:15:02.123Z", bad), {"'time'", std::string("'") + bad + "'"});
  }
  check_rejected(sample_with(R"("2026-11-21T10:15:02.123Z")", "1700000000"), {"'time'", "must be a string"});
}

TEST_CASE("audit_json: numbers must be non-negative integers") {
  check_rejected(sample_with(R"("seq":42)", R"("seq":-1)"), {"'seq'", "non-negative integer", "-1"});
  check_rejected(sample_with(R"("seq":42)", R"("seq":4.5)"), {"'seq'", "4.5"});
  check_rejected(sample_with(R"("seq":42)", R"("seq":"42")"), {"'seq'", "\"42\""});
  check_rejected(sample_with(R"("session":7)", R"("session":null)"), {"'session'", "null"});
}

TEST_CASE("audit_json: unknown enum names are rejected naming field and value") {
  check_rejected(sample_with(R"("kind":"mode_changed")", R"("kind":"exploded")"), {"'kind'", "'exploded'"});
  check_rejected(sample_with(R"("mode":"whisper")", R"("mode":"shout")"), {"'mode'", "'shout'"});
  check_rejected(sample_with(R"("from_mode":"listen")", R"("from_mode":"Listen")"),
                 {"'from_mode'", "'Listen'"});
  check_rejected(sample_with(R"("mode":"whisper")", R"("mode":2)"), {"'mode'", "mode name or null", "2"});
  check_rejected(sample_with(R"("decision":"allowed")", R"("decision":"maybe")"), {"'decision'", "'maybe'"});
  check_rejected(sample_with(R"("decision":"allowed")", R"("decision":true)"), {"'decision'", "true"});
  check_rejected(sample_with(R"("reason":"allowed")", R"("reason":"because")"), {"'reason'", "'because'"});
  check_rejected(sample_with(R"("end_reason":"none")", R"("end_reason":"")"), {"'end_reason'", "''"});
  check_rejected(sample_with(R"("source":"dtmf")", R"("source":"sip")"), {"'source'", "'sip'"});
}

TEST_CASE("audit_json: strings must be strings") {
  check_rejected(sample_with(R"("tenant":"acme")", R"("tenant":17)"), {"'tenant'", "must be a string", "17"});
  check_rejected(sample_with(R"("detail":"*91")", R"("detail":["*91"])"), {"'detail'", "[\"*91\"]"});
}

TEST_CASE("audit_json: the set of keys is exact") {
  check_rejected(sample_with(R"("seq":42,)", ""), {"missing key 'seq'"});
  check_rejected(sample_with(R"(,"detail":"*91")", ""), {"missing key 'detail'"});
  check_rejected(sample_with(R"("seq":42,)", R"("seq":42,"extra":1,)"), {"unknown key 'extra'"});
  check_rejected(sample_with(R"("seq":42,)", R"("seq":42,"seq":43,)"), {"duplicate key 'seq'"});
}

TEST_CASE("audit_json: text that is not one JSON object is rejected") {
  check_rejected("", {"invalid JSON"});
  check_rejected("{\"seq\":", {"invalid JSON"});
  check_rejected(to_json_line(sample_record()) + " trailing", {"invalid JSON"});
  check_rejected("[1,2]", {"expected a JSON object", "[1,2]"});
  check_rejected("null", {"expected a JSON object", "null"});
  check_rejected("{\"seq\": 1E999}", {"invalid JSON", "number overflow"});  // out_of_range, not parse_error
}

TEST_CASE("audit_json: whitespace around the object is accepted: a line read with its newline parses") {
  const AuditRecord record = sample_record();
  check_same(parse_audit_line(to_json_line(record) + "\n"), record);
  check_same(parse_audit_line("  " + to_json_line(record) + "\r\n"), record);
}

TEST_SUITE_END();

TEST_CASE("audit_json: a line written before channels existed reads as channel api; a bad channel is named") {
  AuditRecord record = sample_record();
  record.channel = RequestChannel::web;
  std::string line = to_json_line(record);
  CHECK(line.find(R"("channel":"web")") != std::string::npos);
  CHECK(parse_audit_line(line).channel == RequestChannel::web);

  // Replacing a piece of the line by hand: std::regex trips GCC 12's maybe-uninitialized at -O1.
  auto replaced = [&](const std::string& piece, const std::string& with) {
    std::string out = line;
    const auto at = out.find(piece);
    REQUIRE(at != std::string::npos);
    return out.replace(at, piece.size(), with);
  };
  const std::string old_line = replaced(R"(,"channel":"web")", "");
  REQUIRE(old_line.find("channel") == std::string::npos);
  CHECK(parse_audit_line(old_line).channel == RequestChannel::api);

  const std::string bad = replaced(R"("channel":"web")", R"("channel":"fax")");
  CHECK_THROWS_WITH_AS(parse_audit_line(bad), doctest::Contains("fax"), Error);
}
