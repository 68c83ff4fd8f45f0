#include "storage/http_api.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <thread>

#include "storage/event.h"
#include "storage/stats.h"

namespace tw {

namespace {

const char* kJson = "application/json";

void Reply(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(DumpJson(body) + "\n", kJson);
}

void ReplyError(httplib::Response& res, int status, const std::string& message) {
  Reply(res, status, {{"error", message}});
}

// A store error as an HTTP answer: unknown ids are 404, anything else a 500 (logged).
void ReplyStatus(httplib::Response& res, const Status& st) {
  if (st.IsNotFound()) {
    ReplyError(res, 404, st.message());
    return;
  }
  spdlog::error("serve: {}", st.message());
  ReplyError(res, 500, "the store could not answer: " + st.message());
}

// A non-negative integer parameter; false (with `error` set) when it is not one.
bool ParseCount(const std::string& name, const std::string& value, uint64_t* out, std::string* error) {
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), *out);
  if (ec != std::errc() || end != value.data() + value.size() || value.empty()) {
    *error = name + " '" + value + "' is not a number: use a whole number >= 0";
    return false;
  }
  return true;
}

nlohmann::json NullIfEmpty(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

nlohmann::json ArticleToJson(const StoredArticle& stored) {
  const Article& a = stored.article;
  nlohmann::json found_in = nlohmann::json::object();
  for (const auto& [key, value] : {std::pair{"title", &a.title}, {"published", &a.published}, {"language", &a.language},
                                   {"canonical_url", &a.canonical_url}, {"author", &a.author}}) {
    if (!value->empty()) found_in[key] = value->source;
  }
  return {{"id", a.id},
          {"url", a.canonical_url.empty() ? a.url : a.canonical_url.value},
          {"source_url", a.url},
          {"title", NullIfEmpty(a.title.value)},
          {"published", NullIfEmpty(a.published.value)},
          {"language", NullIfEmpty(a.language.value)},
          {"author", NullIfEmpty(a.author.value)},
          {"charset", a.charset},
          {"found_in", found_in},
          {"fetched", IsoTime(a.fetch_time)},
          {"stored", IsoTime(stored.stored_at)},
          {"events", stored.event_ids},
          {"text", a.text}};
}

}  // namespace

struct ApiServer::Impl {
  Store& store;
  ApiOptions options;
  httplib::Server server;
  int port = 0;
  std::mutex run_mutex;
  bool stop_requested = false;
  std::atomic<bool> in_run{false};

  // Readers hold this shared while they read; catching up with the writer takes it alone.
  std::shared_mutex catch_up_mutex;
  std::mutex refresh_mutex;
  std::chrono::steady_clock::time_point last_refresh = std::chrono::steady_clock::now();

  Impl(Store& s, ApiOptions o) : store(s), options(o) {}

  // Brings a reader up to date when it is older than refresh_ms (one request does it, the others
  // go on with what they have).
  void RefreshIfStale() {
    std::unique_lock refresh(refresh_mutex, std::try_to_lock);
    if (!refresh.owns_lock()) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_refresh < std::chrono::milliseconds(options.refresh_ms)) return;
    last_refresh = now;
    std::unique_lock exclusive(catch_up_mutex);
    Status st = store.CatchUp();
    if (!st.ok()) spdlog::warn("serve: could not catch up with the writer: {}", st.message());
  }

  void Events(const httplib::Request& req, httplib::Response& res) {
    static const std::set<std::string> kKnown = {"city", "country", "type", "since", "until", "limit", "offset"};
    for (const auto& [name, value] : req.params) {
      if (!kKnown.count(name)) {
        ReplyError(res, 400, "unknown parameter '" + name + "': use city, country, type, since, until, limit, offset");
        return;
      }
    }
    EventFilter filter;
    filter.city = req.get_param_value("city");
    filter.country = req.get_param_value("country");
    filter.since = req.get_param_value("since");
    filter.until = req.get_param_value("until");
    for (const Status& st : {ParseTypeFilter("type", req.get_param_value("type"), &filter.type),
                             ValidateDateBound("since", filter.since), ValidateDateBound("until", filter.until),
                             ValidateCountry("country", filter.country)}) {
      if (!st.ok()) {
        ReplyError(res, 400, st.message());
        return;
      }
    }
    uint64_t limit = options.default_limit, offset = 0;
    std::string error;
    if ((req.has_param("limit") && !ParseCount("limit", req.get_param_value("limit"), &limit, &error)) ||
        (req.has_param("offset") && !ParseCount("offset", req.get_param_value("offset"), &offset, &error))) {
      ReplyError(res, 400, error);
      return;
    }
    if (limit == 0 || limit > options.max_limit) {
      ReplyError(res, 400, "limit " + std::to_string(limit) + " is out of range: use 1 to " + std::to_string(options.max_limit));
      return;
    }
    std::shared_lock lock(catch_up_mutex);
    auto page = store.Find(filter, offset, limit);
    if (!page.ok()) return ReplyStatus(res, page.status());
    nlohmann::json events = nlohmann::json::array();
    for (const auto& e : page->events) events.push_back(EventToJson(e));
    Reply(res, 200, {{"total", page->total}, {"offset", offset}, {"limit", limit}, {"events", std::move(events)}});
  }

  void Event(const httplib::Request& req, httplib::Response& res) {
    std::shared_lock lock(catch_up_mutex);
    const std::string asked = req.matches[1];
    auto event = store.GetEvent(asked);
    if (!event.ok()) return ReplyStatus(res, event.status());
    // An id the event had before a report changed its date: answered with the event as it is now,
    // and where it lives now.
    if (event->id != asked) res.set_header("Content-Location", "/events/" + event->id);
    Reply(res, 200, EventToJson(*event));
  }

  void ArticleById(const httplib::Request& req, httplib::Response& res) {
    std::shared_lock lock(catch_up_mutex);
    auto article = store.GetArticle(req.matches[1]);
    if (!article.ok()) return ReplyStatus(res, article.status());
    Reply(res, 200, ArticleToJson(*article));
  }

  void Stats(const httplib::Request&, httplib::Response& res) {
    std::shared_lock lock(catch_up_mutex);
    auto stats = StoreStats(store);
    if (!stats.ok()) return ReplyStatus(res, stats.status());
    Reply(res, 200, *stats);
  }
};

ApiServer::ApiServer(Store& store, ApiOptions options) : impl_(std::make_unique<Impl>(store, options)) {
  Impl* impl = impl_.get();
  auto& server = impl->server;
  server.set_pre_routing_handler([impl](const httplib::Request&, httplib::Response&) {
    impl->RefreshIfStale();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { Reply(res, 200, {{"status", "ok"}}); });
  server.Get("/events", [impl](const httplib::Request& req, httplib::Response& res) { impl->Events(req, res); });
  server.Get(R"(/events/([^/]+))", [impl](const httplib::Request& req, httplib::Response& res) { impl->Event(req, res); });
  server.Get(R"(/articles/([^/]+))", [impl](const httplib::Request& req, httplib::Response& res) { impl->ArticleById(req, res); });
  server.Get("/stats", [impl](const httplib::Request& req, httplib::Response& res) { impl->Stats(req, res); });
  // Anything unanswered (unknown path, other method) gets a JSON body too.
  server.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const int status = res.status;
    ReplyError(res, status, status == 404 ? "no such resource: " + req.method + " " + req.path +
                                                " (try /events, /events/{id}, /articles/{id}, /stats, /healthz)"
                                          : "HTTP " + std::to_string(status));
    return httplib::Server::HandlerResponse::Handled;
  }));
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown error";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    spdlog::error("serve: {}", what);
    ReplyError(res, 500, what);
  });
}

ApiServer::~ApiServer() { Stop(); }

Status ApiServer::Bind(const std::string& host, int port) {
  if (port == 0) {
    impl_->port = impl_->server.bind_to_any_port(host);
    if (impl_->port <= 0) return Status::IOError("cannot listen on " + host + " (any port)");
  } else {
    if (!impl_->server.bind_to_port(host, port)) {
      return Status::IOError("cannot listen on " + host + ":" + std::to_string(port) +
                             " (in use, or not an address of this machine)");
    }
    impl_->port = port;
  }
  return Status::OK();
}

int ApiServer::port() const { return impl_->port; }

void ApiServer::Run() {
  {
    std::lock_guard lock(impl_->run_mutex);
    if (impl_->stop_requested) return;
    impl_->in_run = true;
  }
  impl_->server.listen_after_bind();
  impl_->in_run = false;
}

void ApiServer::Stop() {
  bool active;
  {
    std::lock_guard lock(impl_->run_mutex);
    impl_->stop_requested = true;
    active = impl_->in_run;
  }
  if (!active) return;
  // Run() may not have reached its accept loop yet: stop() before that would be lost.
  while (impl_->in_run && !impl_->server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  impl_->server.stop();
}

Status ParseListenAddress(const std::string& flag, const std::string& value, std::string* host, int* port) {
  const std::string usage = flag + " '" + value + "' is not HOST:PORT: use e.g. 127.0.0.1:8080 or [::1]:8080";
  const size_t colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0) return Status::InvalidArgument(usage);
  std::string h = value.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  const std::string p = value.substr(colon + 1);
  int n = 0;
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), n);
  if (h.empty() || p.empty() || ec != std::errc() || end != p.data() + p.size() || n < 0 || n > 65535) {
    return Status::InvalidArgument(usage);
  }
  *host = h;
  *port = n;
  return Status::OK();
}

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace tw
