// A web server on 127.0.0.1 for crawler tests (cpp-httplib on a free port, in a thread), which
// remembers every request it was sent.
#pragma once

#include <httplib.h>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tw::test {

class LocalServer {
 public:
  struct Hit {
    std::string host;  // the Host header without the port
    std::string path;  // path and query as requested
    std::chrono::steady_clock::time_point at;  // when the request arrived
    std::map<std::string, std::string> headers;  // lowercase names
  };

  // Register handlers on http() first, then Start().
  LocalServer();
  ~LocalServer();
  httplib::Server& http() { return server_; }
  void Start();
  int port() const { return port_; }
  // "http://127.0.0.1:PORT" + path
  std::string Url(const std::string& path) const;

  std::vector<Hit> Hits() const;
  // Requests for `path` (path and query), any host.
  size_t CountOf(const std::string& path) const;

  // Answers with `body` exactly as given, with the headers given: cpp-httplib's own compression
  // (which it applies to text types) is kept out, so a test can serve any Content-Encoding.
  static void RawResponse(httplib::Response& res, std::string body, const std::string& content_type);

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = -1;
  mutable std::mutex mu_;
  std::vector<Hit> hits_;
};

}  // namespace tw::test
