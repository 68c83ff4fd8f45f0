// The fetcher: many HTTP(S) and file transfers in flight on one thread, on libcurl's multi
// interface. It knows nothing of politeness or retries (the scheduler and the crawl decide those);
// it enforces what must hold for every single transfer: timeouts, the body cap (also on the decoded
// size, so a gzip bomb stops there), the content types an article may have, the addresses a
// connection may reach (SSRF), and the protocols a URL may use.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tw {

struct FetcherOptions {
  std::string user_agent;
  double connect_timeout_seconds = 10;
  double timeout_seconds = 30;
  size_t max_body_bytes = 10u << 20;
  bool allow_private = false;         // let connections reach loopback/private/link-local addresses
  std::vector<std::string> resolve;   // "host:port:address" pins (CURLOPT_RESOLVE)
  size_t max_idle_connections = 256;  // kept open for reuse (keep-alive), all hosts together
  std::string ca_file;                // PEM bundle to verify HTTPS servers with; empty: the system store
};

struct FetchRequest {
  uint64_t tag = 0;                   // the caller's id for this transfer, echoed in the result
  std::string url;                    // http(s) or file
  std::string if_none_match;          // conditional GET validators, when known
  std::string if_modified_since;
  bool article = false;               // an article: anything but HTML or plain text is refused early
  bool follow_redirects = false;      // let libcurl follow up to 5 redirects (robots.txt); otherwise a
                                      // 3xx comes back with its Location for the caller to judge
  size_t max_body_bytes = 0;          // 0: FetcherOptions::max_body_bytes
};

// Why a transfer gave no usable answer (an HTTP error status is not one of these: it is an answer).
enum class FetchError {
  kNone,
  kTimeout,           // connect or total timeout
  kNetwork,           // DNS, connection refused or reset, truncated answer: worth retrying
  kRefusedAddress,    // the host resolved to a loopback/private/link-local address (SSRF guard)
  kRefusedProtocol,   // e.g. a redirect to file:// or ftp://
  kTooLarge,          // over the body cap (declared or decoded)
  kContentType,       // an article that is not HTML or text
  kNotFound,          // file:// that does not exist
  kTooManyRedirects,  // (follow_redirects only) more than 5
  kBadResponse,       // undecodable content encoding, malformed answer
};
const char* FetchErrorName(FetchError error);
// Timeouts and network errors may go away on a later try; the others will not.
bool IsRetryable(FetchError error);

struct FetchResult {
  uint64_t tag = 0;
  std::string url;                    // as requested
  std::string effective_url;          // after redirects libcurl followed
  FetchError error = FetchError::kNone;
  std::string message;                // why, naming the URL (empty when error == kNone)
  long http_status = 0;               // 0 when there was no answer; file:// reads report 200
  std::string body;                   // decoded (gzip, deflate, br, zstd undone)
  std::string content_type;           // "text/html", lowercase, without parameters
  std::string charset;                // from the Content-Type parameters, if any
  std::string etag, last_modified;    // validators for the next conditional GET
  std::string location;               // Location of a 3xx, as sent
  std::optional<int64_t> retry_after_seconds;  // Retry-After of a 429/503 (seconds or HTTP date)
  int http_version = 0;               // 1, 2 or 3 (0 for file://)
  double seconds = 0;
};

class Fetcher {
 public:
  explicit Fetcher(FetcherOptions options);
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  // Starts a transfer; it finishes in a later Poll().
  void Start(FetchRequest request);
  // Moves every transfer along, waiting up to `timeout_ms` for network activity, and returns the
  // transfers that finished.
  std::vector<FetchResult> Poll(int timeout_ms);
  size_t in_flight() const;
  // Connections opened so far (keep-alive reuse shows as fewer connections than requests).
  uint64_t connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tw
