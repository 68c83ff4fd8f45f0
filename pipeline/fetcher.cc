#include "pipeline/fetcher.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>

#include "pipeline/address_policy.h"
#include "pipeline/ascii.h"
#include "pipeline/reader.h"
#include "pipeline/url.h"

namespace tw {

namespace {

// The decoded content types an article may have: what the cleaner reads.
bool IsArticleType(const std::string& type) {
  return type == "text/html" || type == "application/xhtml+xml" || type == "text/plain";
}

std::string Trim(std::string_view s) { return std::string(TrimAsciiSpace(s)); }

// "text/html; charset=ISO-8859-1" -> ("text/html", "ISO-8859-1").
void SplitContentType(const char* header, std::string* type, std::string* charset) {
  if (header == nullptr) return;
  const std::string value(header);
  const size_t semi = value.find(';');
  *type = AsciiLower(Trim(value.substr(0, semi)));
  if (semi == std::string::npos) return;
  const std::string params = AsciiLower(value.substr(semi + 1));
  const size_t at = params.find("charset=");
  if (at == std::string::npos) return;
  std::string cs = value.substr(semi + 1 + at + 8);
  cs = Trim(cs.substr(0, cs.find(';')));
  if (cs.size() >= 2 && (cs.front() == '"' || cs.front() == '\'')) cs = cs.substr(1, cs.size() - 2);
  *charset = cs;
}

std::string Header(CURL* easy, const char* name) {
  curl_header* h = nullptr;
  if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK || h == nullptr) return {};
  return Trim(h->value);
}

void EnsureCurlInitialised() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

const char* FetchErrorName(FetchError error) {
  switch (error) {
    case FetchError::kNone: return "none";
    case FetchError::kTimeout: return "timeout";
    case FetchError::kNetwork: return "network";
    case FetchError::kRefusedAddress: return "refused address";
    case FetchError::kRefusedProtocol: return "refused protocol";
    case FetchError::kTooLarge: return "too large";
    case FetchError::kContentType: return "content type";
    case FetchError::kNotFound: return "not found";
    case FetchError::kTooManyRedirects: return "too many redirects";
    case FetchError::kBadResponse: return "bad response";
  }
  return "?";
}

bool IsRetryable(FetchError error) { return error == FetchError::kTimeout || error == FetchError::kNetwork; }

// One transfer in flight: the request, what has arrived, and why it was cut short if it was.
struct Transfer {
  CURL* easy = nullptr;
  FetchRequest request;
  size_t max_body = 0;
  bool allow_private = false;
  bool is_file = false;
  std::string body;
  FetchError abort_reason = FetchError::kNone;  // set by a callback that stopped the transfer
  std::string abort_message;
  bool checked_type = false;
  curl_slist* headers = nullptr;
  int64_t started_ns = 0;
  uint64_t* connections = nullptr;

  ~Transfer() {
    if (headers) curl_slist_free_all(headers);
  }

  static size_t OnData(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const size_t n = size * count;
    if (!t->checked_type && t->request.article && !t->is_file) {
      t->checked_type = true;
      long status = 0;
      curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
      char* header = nullptr;
      curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &header);
      std::string type, charset;
      SplitContentType(header, &type, &charset);
      // Only a 2xx answer is an article; a missing type is sniffed once the body is here.
      if (status >= 200 && status < 300 && !type.empty() && !IsArticleType(type)) {
        t->abort_reason = FetchError::kContentType;
        t->abort_message = "content type " + type + " is not HTML or text";
        return 0;
      }
    }
    if (t->body.size() + n > t->max_body) {
      t->abort_reason = FetchError::kTooLarge;
      t->abort_message = "body over " + std::to_string(t->max_body >> 20) + " MiB (after decoding)";
      return 0;
    }
    t->body.append(data, n);
    return n;
  }

  // Every connection libcurl opens passes here, after DNS and for each redirect: the one place an
  // address can be refused whatever led to it.
  static curl_socket_t OnOpenSocket(void* user, curlsocktype, curl_sockaddr* address) {
    auto* t = static_cast<Transfer*>(user);
    if (!t->allow_private) {
      if (auto why = WhyNotPublic(&address->addr)) {
        t->abort_reason = FetchError::kRefusedAddress;
        t->abort_message = "refused to connect to " + AddressText(&address->addr) + ", a " + *why +
                           " address (set allow_private = true in [crawler] to allow it)";
        return CURL_SOCKET_BAD;
      }
    }
    ++*t->connections;
    return ::socket(address->family, address->socktype, address->protocol);
  }
};

struct Fetcher::Impl {
  FetcherOptions options;
  CURLM* multi = nullptr;
  curl_slist* resolve = nullptr;
  std::vector<CURL*> idle_handles;
  std::vector<std::unique_ptr<Transfer>> transfers;
  uint64_t connections = 0;

  void Configure(Transfer& t) {
    CURL* e = t.easy;
    const FetchRequest& r = t.request;
    curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::OnData);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &Transfer::OnOpenSocket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, &t);
    curl_easy_setopt(e, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl decodes: gzip, deflate, br, zstd
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));  // HTTP/2 where offered
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);  // prefer an HTTP/2 connection that can multiplex
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout_seconds * 1000));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout_seconds * 1000));
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(t.max_body));
    // A file:// URL comes only from the sources file or a file:// document; http(s) never leads there.
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, t.is_file ? "file" : "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    if (r.follow_redirects) {
      curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
      curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
    }
    if (resolve) curl_easy_setopt(e, CURLOPT_RESOLVE, resolve);
    if (!options.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, options.ca_file.c_str());
    t.headers = curl_slist_append(t.headers, r.article ? "Accept: text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1"
                                                       : "Accept: application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,text/html;q=0.8,*/*;q=0.5");
    if (!r.if_none_match.empty()) t.headers = curl_slist_append(t.headers, ("If-None-Match: " + r.if_none_match).c_str());
    if (!r.if_modified_since.empty()) {
      t.headers = curl_slist_append(t.headers, ("If-Modified-Since: " + r.if_modified_since).c_str());
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);
  }

  FetchResult Finish(Transfer& t, CURLcode code) {
    FetchResult out;
    out.tag = t.request.tag;
    out.url = t.request.url;
    out.seconds = (NowNs() - t.started_ns) / 1e9;
    CURL* e = t.easy;
    char* effective = nullptr;
    curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &effective);
    out.effective_url = effective ? effective : t.request.url;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &out.http_status);
    long version = 0;
    curl_easy_getinfo(e, CURLINFO_HTTP_VERSION, &version);
    out.http_version = version == CURL_HTTP_VERSION_2_0 ? 2 : version == CURL_HTTP_VERSION_3 ? 3 : version ? 1 : 0;
    char* type = nullptr;
    curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &type);
    SplitContentType(type, &out.content_type, &out.charset);
    if (!t.is_file) {
      out.etag = Header(e, "ETag");
      out.last_modified = Header(e, "Last-Modified");
      out.location = Header(e, "Location");
      curl_off_t retry_after = 0;
      if (curl_easy_getinfo(e, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after > 0) {
        out.retry_after_seconds = static_cast<int64_t>(retry_after);
      }
    }

    auto fail = [&](FetchError error, const std::string& why) {
      out.error = error;
      out.message = t.request.url + ": " + why;
      out.body.clear();
    };
    if (t.abort_reason != FetchError::kNone) {
      fail(t.abort_reason, t.abort_message);
      return out;
    }
    switch (code) {
      case CURLE_OK:
        break;
      case CURLE_OPERATION_TIMEDOUT:
        fail(FetchError::kTimeout, std::string("timed out (") + curl_easy_strerror(code) + ")");
        return out;
      case CURLE_FILESIZE_EXCEEDED:
        fail(FetchError::kTooLarge, "declared body over " + std::to_string(t.max_body >> 20) + " MiB");
        return out;
      case CURLE_TOO_MANY_REDIRECTS:
        fail(FetchError::kTooManyRedirects, "more than 5 redirects");
        return out;
      case CURLE_UNSUPPORTED_PROTOCOL:
        fail(FetchError::kRefusedProtocol, "protocol not allowed here (" + out.effective_url + ")");
        return out;
      case CURLE_FILE_COULDNT_READ_FILE:
        fail(FetchError::kNotFound, "no such file");
        return out;
      case CURLE_BAD_CONTENT_ENCODING:
      case CURLE_WEIRD_SERVER_REPLY:
        fail(FetchError::kBadResponse, curl_easy_strerror(code));
        return out;
      case CURLE_PEER_FAILED_VERIFICATION:
        // Retried like a network error: an expired certificate is often renewed within days.
        fail(FetchError::kNetwork, std::string(curl_easy_strerror(code)) +
                                       " (a server with a private CA needs [crawler] ca_file)");
        return out;
      default:
        fail(FetchError::kNetwork, curl_easy_strerror(code));
        return out;
    }
    out.body = std::move(t.body);
    if (t.is_file) {
      out.http_status = 200;
      out.content_type = GuessContentType(FilePathFromUrl(t.request.url).value_or(t.request.url), out.body);
    } else if (out.content_type.empty() && out.http_status >= 200 && out.http_status < 300) {
      out.content_type = GuessContentType(PathAndQuery(t.request.url), out.body);
    }
    if (t.request.article && out.http_status >= 200 && out.http_status < 300 && !IsArticleType(out.content_type)) {
      fail(FetchError::kContentType, "content type " + out.content_type + " is not HTML or text");
    }
    return out;
  }
};

Fetcher::Fetcher(FetcherOptions options) : impl_(std::make_unique<Impl>()) {
  EnsureCurlInitialised();
  impl_->options = std::move(options);
  impl_->multi = curl_multi_init();
  curl_multi_setopt(impl_->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  curl_multi_setopt(impl_->multi, CURLMOPT_MAXCONNECTS, static_cast<long>(impl_->options.max_idle_connections));
  for (const auto& entry : impl_->options.resolve) impl_->resolve = curl_slist_append(impl_->resolve, entry.c_str());
}

Fetcher::~Fetcher() {
  for (auto& t : impl_->transfers) {
    curl_multi_remove_handle(impl_->multi, t->easy);
    curl_easy_cleanup(t->easy);
  }
  for (CURL* e : impl_->idle_handles) curl_easy_cleanup(e);
  curl_multi_cleanup(impl_->multi);
  if (impl_->resolve) curl_slist_free_all(impl_->resolve);
}

void Fetcher::Start(FetchRequest request) {
  auto t = std::make_unique<Transfer>();
  if (!impl_->idle_handles.empty()) {
    t->easy = impl_->idle_handles.back();
    impl_->idle_handles.pop_back();
    curl_easy_reset(t->easy);
  } else {
    t->easy = curl_easy_init();
  }
  t->request = std::move(request);
  t->max_body = t->request.max_body_bytes ? t->request.max_body_bytes : impl_->options.max_body_bytes;
  t->allow_private = impl_->options.allow_private;
  t->is_file = t->request.url.rfind("file:", 0) == 0;
  t->connections = &impl_->connections;
  t->started_ns = NowNs();
  impl_->Configure(*t);
  curl_multi_add_handle(impl_->multi, t->easy);
  impl_->transfers.push_back(std::move(t));
}

std::vector<FetchResult> Fetcher::Poll(int timeout_ms) {
  std::vector<FetchResult> done;
  int running = 0;
  curl_multi_perform(impl_->multi, &running);
  auto collect = [&] {
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(impl_->multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      const CURLcode code = msg->data.result;
      auto it = std::find_if(impl_->transfers.begin(), impl_->transfers.end(), [&](const auto& t) { return t->easy == easy; });
      if (it == impl_->transfers.end()) continue;
      done.push_back(impl_->Finish(**it, code));
      curl_multi_remove_handle(impl_->multi, easy);
      impl_->idle_handles.push_back(easy);
      impl_->transfers.erase(it);
    }
  };
  collect();
  if (done.empty()) {
    // With nothing in flight this simply waits: the caller's idle sleep.
    curl_multi_poll(impl_->multi, nullptr, 0, timeout_ms, nullptr);
    curl_multi_perform(impl_->multi, &running);
    collect();
  }
  return done;
}

size_t Fetcher::in_flight() const { return impl_->transfers.size(); }
uint64_t Fetcher::connections_opened() const { return impl_->connections; }

}  // namespace tw
