// An HTTP/2 server on 127.0.0.1 for crawler tests: nghttpd (from nghttp2) serving a folder over TLS
// with a certificate made for the test. cpp-httplib, which the other tests use, speaks HTTP/1.1 only.
#pragma once

#include <string>

#include "tests/test_util.h"

namespace tw::test {

class Http2Server {
 public:
  // `host` is the name the certificate is made for (pin it to 127.0.0.1 with CURLOPT_RESOLVE).
  explicit Http2Server(std::string host);
  ~Http2Server();
  Http2Server(const Http2Server&) = delete;
  Http2Server& operator=(const Http2Server&) = delete;

  // False (with the reason in error()) when nghttpd or openssl is missing or would not start.
  bool available() const { return pid_ > 0; }
  const std::string& error() const { return error_; }

  // Files are served from here; write them before or after Start.
  std::string DocPath(const std::string& name) const { return dir_ / ("docs/" + name); }
  // The certificate, to trust as a CA file.
  std::string CertFile() const { return dir_ / "cert.pem"; }
  int port() const { return port_; }
  // "https://HOST:PORT" + path
  std::string Url(const std::string& path) const;
  // "HOST:PORT:127.0.0.1", for CURLOPT_RESOLVE / [crawler] resolve
  std::string ResolveEntry() const;

 private:
  void Launch();

  TempDir dir_;
  std::string host_;
  int port_ = -1;
  int pid_ = -1;
  std::string error_;
};

}  // namespace tw::test
