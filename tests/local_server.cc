#include "tests/local_server.h"

#include <catch2/catch.hpp>

#include <cctype>
#include <memory>

namespace tw::test {

LocalServer::LocalServer() {
  server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response&) {
    Hit hit;
    hit.at = std::chrono::steady_clock::now();
    hit.host = req.get_header_value("Host");
    hit.host = hit.host.substr(0, hit.host.rfind(':'));
    hit.path = req.target;
    for (const auto& [name, value] : req.headers) {
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      hit.headers[lower] = value;
    }
    std::lock_guard lock(mu_);
    hits_.push_back(std::move(hit));
    return httplib::Server::HandlerResponse::Unhandled;
  });
}

void LocalServer::Start() {
  port_ = server_.bind_to_any_port("127.0.0.1");
  REQUIRE(port_ > 0);
  // bind_to_any_port already listens: connections made before the thread runs wait in the backlog.
  thread_ = std::thread([this] { server_.listen_after_bind(); });
}

LocalServer::~LocalServer() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

std::string LocalServer::Url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

std::vector<LocalServer::Hit> LocalServer::Hits() const {
  std::lock_guard lock(mu_);
  return hits_;
}

size_t LocalServer::CountOf(const std::string& path) const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& h : hits_) n += h.path == path;
  return n;
}

void LocalServer::RawResponse(httplib::Response& res, std::string body, const std::string& content_type) {
  auto shared = std::make_shared<std::string>(std::move(body));
  // A fixed-length content provider is sent as is; set_content() would be compressed again.
  res.set_content_provider(shared->size(), content_type, [shared](size_t offset, size_t length, httplib::DataSink& sink) {
    sink.write(shared->data() + offset, length);
    return true;
  });
}

}  // namespace tw::test
