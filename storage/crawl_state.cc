#include "storage/crawl_state.h"

#include <nlohmann/json.hpp>

namespace tw {

std::string EncodeCrawlState(const CrawlState& s) {
  nlohmann::json j = {{"etag", s.etag},
                      {"last_modified", s.last_modified},
                      {"last_attempt", s.last_attempt},
                      {"last_success", s.last_success},
                      {"next_due", s.next_due},
                      {"failures", s.failures},
                      {"http_status", s.http_status},
                      {"last_error", s.last_error}};
  if (!s.kind.empty()) j["kind"] = s.kind;
  if (!s.source.empty()) j["source"] = s.source;
  if (s.pending) j["pending"] = true;
  if (!s.body.empty()) j["body"] = s.body;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);  // never throws on bad UTF-8
}

bool DecodeCrawlState(const std::string& bytes, CrawlState* s) {
  auto j = nlohmann::json::parse(bytes, nullptr, false);
  if (!j.is_object()) return false;
  try {
    *s = CrawlState{};
    s->etag = j.value("etag", "");
    s->last_modified = j.value("last_modified", "");
    s->last_attempt = j.value("last_attempt", int64_t{0});
    s->last_success = j.value("last_success", int64_t{0});
    s->next_due = j.value("next_due", int64_t{0});
    s->failures = j.value("failures", uint32_t{0});
    s->http_status = j.value("http_status", 0);
    s->last_error = j.value("last_error", "");
    s->kind = j.value("kind", "");
    s->source = j.value("source", "");
    s->pending = j.value("pending", false);
    s->body = j.value("body", "");
  } catch (const nlohmann::json::exception&) {
    return false;  // a field of the wrong type
  }
  return true;
}

}  // namespace tw
