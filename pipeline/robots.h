// robots.txt per RFC 9309: groups chosen by the crawler's product token (falling back to '*'),
// Allow/Disallow rules with '*' and '$', the longest match deciding (Allow on a tie), plus the
// widespread Crawl-delay extension and Sitemap lines.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tw {

class RobotsRules {
 public:
  // At most this much of a robots.txt is read (RFC 9309 section 2.5 asks for at least 500 KiB).
  static constexpr size_t kMaxBytes = 500 * 1024;

  // Parses a robots.txt body for the crawler whose product token is `product_token` (see
  // ProductToken). Never fails: lines it does not understand are ignored, as the RFC asks.
  static RobotsRules Parse(std::string_view body, std::string_view product_token);
  // No robots.txt (HTTP 4xx): everything is allowed.
  static RobotsRules AllowAll() { return RobotsRules(); }
  // robots.txt unreachable (5xx, network error): nothing may be fetched (RFC 9309 section 2.3.1.4).
  static RobotsRules DisallowAll();

  // Whether the URL with this path and query ("/a/b?c", see PathAndQuery) may be fetched.
  bool Allowed(std::string_view path_and_query) const;
  // Crawl-delay of the group that applies, in seconds, if it gives one.
  std::optional<double> crawl_delay_seconds() const { return crawl_delay_; }
  // Sitemap URLs listed anywhere in the file, as written.
  const std::vector<std::string>& sitemaps() const { return sitemaps_; }

 private:
  struct Rule {
    bool allow = false;
    std::string pattern;  // percent-encoding normalised; '*' any run of characters, final '$' the end
  };
  std::vector<Rule> rules_;
  std::optional<double> crawl_delay_;
  std::vector<std::string> sitemaps_;
};

// The product token robots.txt groups are matched against: the leading run of letters, '-' and '_'
// of a User-Agent string ("twinwatch/0.1 (+https://…)" -> "twinwatch").
std::string ProductToken(std::string_view user_agent);

}  // namespace tw
