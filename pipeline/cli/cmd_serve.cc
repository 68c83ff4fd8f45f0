#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <thread>

#include "pipeline/cli/commands.h"
#include "pipeline/stop_signal.h"
#include "storage/http_api.h"
#include "storage/store.h"

namespace tw::cli {

namespace {

struct ServeArgs {
  std::string db;
  std::string listen = "127.0.0.1:8080";
  int refresh_ms = 1000;
  size_t max_limit = 1000;
  size_t cache_mb = 64;  // a server reads the same indexes again and again
};

int RunServeCommand(const ServeArgs& args) {
  StopSignal stop;  // before any thread starts
  std::string host;
  int port = 0;
  Status parsed = ParseListenAddress("--listen", args.listen, &host, &port);
  if (!parsed.ok()) {
    spdlog::error("{}", parsed.message());
    return kExitUsage;
  }
  StoreOptions options;
  options.read_only = true;
  options.block_cache_bytes = args.cache_mb << 20;
  auto store = Store::Open(args.db, options);
  if (!store.ok()) {
    spdlog::error("{}", store.status().message());
    return kExitUsage;
  }
  ApiOptions api;
  api.refresh_ms = args.refresh_ms;
  api.max_limit = args.max_limit;
  ApiServer server(**store, api);
  Status bound = server.Bind(host, port);
  if (!bound.ok()) {
    spdlog::error("{}", bound.message());
    return kExitUsage;
  }
  if (!IsLoopbackHost(host)) spdlog::warn("serve: listening on {}, reachable from other machines", host);
  spdlog::info("serve: http://{}:{} over {} (Ctrl-C stops)", host.find(':') != std::string::npos ? "[" + host + "]" : host,
               server.port(), args.db);
  std::thread watcher([&] {
    while (!stop.requested().load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    server.Stop();
  });
  server.Run();
  stop.Request();  // Run may also end on its own (a socket error): let the watcher go
  watcher.join();
  spdlog::info("serve: stopped");
  return kExitOk;
}

}  // namespace

Command AddServeCommand(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* sub = app.add_subcommand("serve", "HTTP API over the store (JSON): /events, /events/{id}, /articles/{id}, /stats, /healthz");
  AddDbOption(*sub, &args->db);
  sub->add_option("--listen", args->listen, "HOST:PORT to listen on (loopback unless told otherwise; port 0: any free one)")
      ->capture_default_str();
  sub->add_option("--refresh-ms", args->refresh_ms, "How often to take in what a running ingest or crawl has written")
      ->check(CLI::Range(0, 3600000))
      ->capture_default_str();
  sub->add_option("--max-limit", args->max_limit, "Largest page size /events accepts")->check(CLI::Range(1, 1000000))->capture_default_str();
  AddCacheOption(*sub, &args->cache_mb);
  return {sub, [args] { return RunServeCommand(*args); }};
}

}  // namespace tw::cli
