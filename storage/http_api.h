// The HTTP API over the store (`twinwatch serve`), JSON only:
//   GET /events?city=&country=&type=&since=&until=&limit=&offset=   {"total","offset","limit","events":[...]}
//   GET /events/{id}      one event (CONTRACT.md shape)
//   GET /articles/{id}    an article's metadata, cleaned text and the ids of its events
//   GET /stats            storage/stats.h
//   GET /healthz          {"status":"ok"}
// A bad parameter is 400 and an unknown id or path 404, each with {"error": "what to fix"}.
//
// The server reads through the Store it is given: a reader (secondary instance) that it brings up
// to date at most every `refresh_ms` while another process writes, or the writer itself when
// serving from inside the writing process.
#pragma once

#include <memory>
#include <string>

#include "pipeline/status.h"
#include "storage/store.h"

namespace tw {

struct ApiOptions {
  size_t default_limit = 100;  // events per page when the request gives no limit
  size_t max_limit = 1000;     // a larger limit is a 400
  int refresh_ms = 1000;       // how stale a reader may be before a request catches it up
};

class ApiServer {
 public:
  ApiServer(Store& store, ApiOptions options);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds `host`:`port` (port 0: any free one). The error names the address.
  Status Bind(const std::string& host, int port);
  int port() const;
  // Serves until Stop(); call after Bind.
  void Run();
  // Makes Run() return once the requests in flight are answered. Any thread.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Parses "HOST:PORT" ("127.0.0.1:8080", "[::1]:8080", "0.0.0.0:80"); the error names `flag`.
Status ParseListenAddress(const std::string& flag, const std::string& value, std::string* host, int* port);
// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(const std::string& host);

}  // namespace tw
