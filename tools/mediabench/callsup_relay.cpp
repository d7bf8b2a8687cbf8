// callsup-mediabench callsup-relay: the callsup system under test. One MediaEngine thread carries N
// unsupervised two-leg calls: each call's RouteSet says A hears B and B hears A, which the engine
// serves by forwarding each packet as it arrives (no decode, no mix). Legs use the engine's shared
// socket, or with --dedicated-sockets one socket each.
//
// Config (stdin, one line): {"calls": [{"id": "c0", "legs": [
//     {"id": "c0-a", "remote": "127.0.0.1:40001", "remote_ssrc": 1296171008,
//      "srtp_send": "<base64>", "srtp_receive": "<base64>"}, {...}]}, ...]}
//   (remote_ssrc and the SRTP keys are optional; keys both or neither, SDES inline key material)
// Addresses (stdout): {"legs": [{"id": "c0-a", "address": "127.0.0.1:20000"}, ...]}
// Runs until stdin closes or SIGTERM, then writes the engine's stats as JSON to --stats FILE (or stderr).
#include <fstream>
#include <iostream>
#include <memory>

#include "callsup/error.hpp"
#include "callsup/media/media_engine.hpp"
#include "io_json.hpp"
#include "subcommands.hpp"

namespace callsup::mediabench {

namespace {

struct Options {
  bool dedicated = false;
  std::string stats_file;
};

Options parse_options(const Args& args) {
  Options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--dedicated-sockets") {
      options.dedicated = true;
    } else if (args[i] == "--stats" && i + 1 < args.size()) {
      options.stats_file = args[++i];
    } else {
      throw Error(errc::invalid_argument, "unknown or incomplete option " + quoted(args[i]));
    }
  }
  return options;
}

EndpointConfig endpoint_config(const json& leg, bool dedicated, const std::string& where) {
  EndpointConfig config;
  config.socket = dedicated ? SocketMode::dedicated : SocketMode::shared;
  const sim::Address remote = parse_address(string_member(leg, "remote", where));
  config.remote = SocketAddress{remote.ip, remote.port};
  config.codec = CodecSpec{"PCMU"};
  if (const auto ssrc = leg.find("remote_ssrc"); ssrc != leg.end()) {
    if (!ssrc->is_number_unsigned() || ssrc->get<std::uint64_t>() > 0xFFFFFFFFu)
      throw Error(errc::invalid_argument,
                  where + ": \"remote_ssrc\" must be a 32-bit unsigned number, got " + ssrc->dump());
    config.remote_ssrc = ssrc->get<std::uint32_t>();
  }
  const bool has_send = leg.contains("srtp_send"), has_receive = leg.contains("srtp_receive");
  if (has_send != has_receive)
    throw Error(errc::invalid_argument, where + ": give both srtp_send and srtp_receive, or neither");
  if (has_send) {
    config.srtp_send = inline_key(string_member(leg, "srtp_send", where), where);
    config.srtp_receive = inline_key(string_member(leg, "srtp_receive", where), where);
  }
  return config;
}

/// A hears B, B hears A: each listener has one source at unity gain, so the engine forwards.
std::shared_ptr<const RouteSet> two_way_routes(const CallId& call, const LegId& a, const LegId& b) {
  auto routes = std::make_shared<RouteSet>();
  routes->call = call;
  routes->version = 1;
  routes->routes = {Route{b, a}, Route{a, b}};  // sorted by (to, from)
  std::sort(routes->routes.begin(), routes->routes.end(),
            [](const Route& x, const Route& y) { return std::tie(x.to, x.from) < std::tie(y.to, y.from); });
  return routes;
}

json stats_json(const EngineThreadStats& s) {
  return {{"packets_in", s.packets_in},
          {"packets_out", s.packets_out},
          {"relayed_on_arrival", s.relayed_on_arrival},
          {"receive_batches", s.receive_batches},
          {"send_batches", s.send_batches},
          {"relay_latency_p99_ms", s.relay_latency_p99_ms},
          {"missed_ticks", s.missed_ticks},
          {"unknown_source", s.unknown_source},
          {"cpu_seconds", s.cpu_seconds},
          {"legs", s.legs}};
}

}  // namespace

int run_callsup_relay(const Args& args) {
  const Options options = parse_options(args);
  raise_fd_limit();
  install_stop_signals();
  const json config = read_json_line(std::cin, "callsup-relay config");
  const auto calls = config.find("calls");
  if (calls == config.end() || !calls->is_array() || calls->empty())
    throw Error(errc::invalid_argument, "callsup-relay config: \"calls\" must be a non-empty list");

  MediaEngineConfig engine_config;
  engine_config.threads = 1;
  engine_config.port_min = 20000;  // below the ephemeral range the generator's ports come from
  engine_config.port_max = 32000;
  MediaEngine engine(engine_config);
  json addresses = json::array();
  for (const json& call : *calls) {
    const std::string call_id =
        call.is_object() ? string_member(call, "id", "callsup-relay config: call") : "";
    const std::string where = "callsup-relay config: call " + quoted(call_id);
    const auto legs = call.find("legs");
    if (legs == call.end() || !legs->is_array() || legs->size() != 2)
      throw Error(errc::invalid_argument, where + ": \"legs\" must be a list of two legs");
    std::string ids[2];
    for (std::size_t side = 0; side < 2; ++side) {
      const json& leg = (*legs)[side];
      if (!leg.is_object())
        throw Error(errc::invalid_argument, where + ": a leg is not an object: " + leg.dump());
      ids[side] = string_member(leg, "id", where);
      const auto endpoint = engine.add_endpoint(
          call_id, ids[side], endpoint_config(leg, options.dedicated, where + " leg " + quoted(ids[side])));
      addresses.push_back({{"id", ids[side]}, {"address", endpoint->local_address().to_string()}});
    }
    engine.update_routes(two_way_routes(call_id, ids[0], ids[1]));
  }
  print_json_line({{"legs", addresses}});

  // Bounded by the orchestrator: it closes stdin or sends SIGTERM (and kills us after a grace time).
  while (!stdin_closed_or_stopped(200)) {
  }
  const EngineStats stats = engine.stats();
  engine.stop();
  const std::string text = stats_json(stats.total).dump();
  if (options.stats_file.empty()) {
    std::cerr << text << std::endl;
  } else {
    std::ofstream(options.stats_file) << text << "\n";
  }
  return 0;
}

}  // namespace callsup::mediabench
