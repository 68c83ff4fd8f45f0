#include "pipeline/url.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "pipeline/ascii.h"

namespace tw {

namespace {

constexpr char kHex[] = "0123456789ABCDEF";

bool IsSchemeChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
}
bool IsHexDigit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return (std::tolower(static_cast<unsigned char>(c)) - 'a') + 10;
}
bool IsUnreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// Feeds and pages wrap URLs in whitespace and sometimes break them over lines: leading and
// trailing whitespace goes, as do tabs and line breaks inside (what browsers do).
std::string StripWhitespace(std::string_view text) {
  size_t b = 0, e = text.size();
  while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
  std::string out;
  out.reserve(e - b);
  for (size_t i = b; i < e; ++i) {
    if (text[i] != '\t' && text[i] != '\n' && text[i] != '\r') out.push_back(text[i]);
  }
  return out;
}

// RFC 3986 section 5.2.4, iteratively over the input buffer.
std::string RemoveDotSegments(std::string_view path) {
  std::string in(path), out;
  while (!in.empty()) {
    if (in.rfind("../", 0) == 0) {
      in.erase(0, 3);
    } else if (in.rfind("./", 0) == 0) {
      in.erase(0, 2);
    } else if (in.rfind("/./", 0) == 0) {
      in.erase(0, 2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.rfind("/../", 0) == 0 || in == "/..") {
      in = in.size() == 3 ? "/" : in.substr(3);
      const size_t slash = out.rfind('/');
      out.erase(slash == std::string::npos ? 0 : slash);
    } else if (in == "." || in == "..") {
      in.clear();
    } else {
      const size_t next = in.find('/', 1);
      const size_t take = next == std::string::npos ? in.size() : next;
      out.append(in, 0, take);
      in.erase(0, take);
    }
  }
  return out;
}

std::string Merge(const Url& base, const std::string& reference_path) {
  if (base.has_authority && base.path.empty()) return "/" + reference_path;
  const size_t slash = base.path.rfind('/');
  if (slash == std::string::npos) return reference_path;
  return base.path.substr(0, slash + 1) + reference_path;
}

// Bytes that may not appear in a URL as they are (controls, space, non-ASCII, quotes, brackets)
// are encoded too.
std::string NormalizeEncoding(std::string_view s) {
  static constexpr std::string_view kMustEncode = "\"<>\\^`{|} ";
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '%' && i + 2 < s.size() && IsHexDigit(s[i + 1]) && IsHexDigit(s[i + 2])) {
      const unsigned char decoded = static_cast<unsigned char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      if (IsUnreserved(decoded)) {
        out.push_back(static_cast<char>(decoded));
      } else {
        out.push_back('%');
        out.push_back(kHex[decoded >> 4]);
        out.push_back(kHex[decoded & 15]);
      }
      i += 2;
    } else if (c == '%' || c <= 0x20 || c >= 0x7f || kMustEncode.find(static_cast<char>(c)) != std::string_view::npos) {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

// Query parameters that only say where a click came from. Removing them merges the many URLs a
// story is shared under into one.
bool IsTrackingParameter(std::string_view name) {
  static constexpr std::array<std::string_view, 20> kExact = {
      "fbclid", "gclid",  "gclsrc", "dclid",   "gbraid",   "wbraid", "msclkid",  "mc_cid",  "mc_eid",  "igshid",
      "yclid",  "_ga",    "_gl",    "_hsenc",  "_hsmi",    "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "twclid"};
  const std::string lower = AsciiLower(name);
  if (lower.rfind("utm_", 0) == 0) return true;
  return std::find(kExact.begin(), kExact.end(), lower) != kExact.end();
}

std::string StripTrackingParameters(const std::string& query) {
  std::string out;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string_view param(query.data() + start, end - start);
    const std::string_view name = param.substr(0, param.find('='));
    if (!param.empty() && !IsTrackingParameter(name)) {
      if (!out.empty()) out.push_back('&');
      out.append(param);
    }
    start = end + 1;
  }
  return out;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && IsHexDigit(s[i + 1]) && IsHexDigit(s[i + 2])) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

std::string NormalizePercentEncoding(std::string_view text) { return NormalizeEncoding(text); }

std::string Url::ToString() const {
  std::string out;
  if (!scheme.empty()) out += scheme + ":";
  if (has_authority) {
    out += "//";
    if (!userinfo.empty()) out += userinfo + "@";
    out += host;
    if (!port.empty()) out += ":" + port;
  }
  out += path;
  if (has_query) out += "?" + query;
  if (has_fragment) out += "#" + fragment;
  return out;
}

std::optional<Url> ParseUrl(std::string_view text) {
  const std::string s = StripWhitespace(text);
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::nullopt;
  }
  Url url;
  size_t pos = 0;
  // scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" before any '/', '?' or '#'.
  const size_t colon = s.find(':');
  const size_t delimiter = s.find_first_of("/?#");
  if (colon != std::string::npos && colon > 0 && (delimiter == std::string::npos || colon < delimiter) &&
      std::isalpha(static_cast<unsigned char>(s[0])) &&
      std::all_of(s.begin(), s.begin() + static_cast<long>(colon), IsSchemeChar)) {
    url.scheme = s.substr(0, colon);
    pos = colon + 1;
  }
  if (s.compare(pos, 2, "//") == 0) {
    url.has_authority = true;
    pos += 2;
    const size_t end = std::min(s.find_first_of("/?#", pos), s.size());
    std::string authority = s.substr(pos, end - pos);
    pos = end;
    const size_t at = authority.rfind('@');
    if (at != std::string::npos) {
      url.userinfo = authority.substr(0, at);
      authority.erase(0, at + 1);
    }
    std::string host_port = authority;
    if (!host_port.empty() && host_port[0] == '[') {
      const size_t close = host_port.find(']');
      if (close == std::string::npos) return std::nullopt;
      url.host = host_port.substr(0, close + 1);
      host_port.erase(0, close + 1);
      if (!host_port.empty()) {
        if (host_port[0] != ':') return std::nullopt;
        url.port = host_port.substr(1);
      }
    } else {
      const size_t port_colon = host_port.rfind(':');
      url.host = host_port.substr(0, port_colon);
      if (port_colon != std::string::npos) url.port = host_port.substr(port_colon + 1);
      // A ':' left in the host ("a:b:" with an empty port) is no host: written back without the
      // empty port, it would read as host "a" and port "b" (found by fuzz_url).
      if (url.host.find(':') != std::string::npos) return std::nullopt;
    }
    if (!std::all_of(url.port.begin(), url.port.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      return std::nullopt;
    }
  }
  const size_t path_end = std::min(s.find_first_of("?#", pos), s.size());
  url.path = s.substr(pos, path_end - pos);
  pos = path_end;
  if (pos < s.size() && s[pos] == '?') {
    url.has_query = true;
    const size_t query_end = std::min(s.find('#', pos), s.size());
    url.query = s.substr(pos + 1, query_end - pos - 1);
    pos = query_end;
  }
  if (pos < s.size() && s[pos] == '#') {
    url.has_fragment = true;
    url.fragment = s.substr(pos + 1);
  }
  return url;
}

std::optional<Url> ResolveUrl(const Url& base, const Url& r) {
  if (!base.IsAbsolute()) return std::nullopt;
  Url t;
  if (!r.scheme.empty()) {
    t = r;
    t.path = RemoveDotSegments(r.path);
  } else {
    if (r.has_authority) {
      t.has_authority = true;
      t.userinfo = r.userinfo;
      t.host = r.host;
      t.port = r.port;
      t.path = RemoveDotSegments(r.path);
      t.has_query = r.has_query;
      t.query = r.query;
    } else {
      if (r.path.empty()) {
        t.path = base.path;
        t.has_query = r.has_query || base.has_query;
        t.query = r.has_query ? r.query : base.query;
      } else {
        t.path = RemoveDotSegments(r.path[0] == '/' ? r.path : Merge(base, r.path));
        t.has_query = r.has_query;
        t.query = r.query;
      }
      t.has_authority = base.has_authority;
      t.userinfo = base.userinfo;
      t.host = base.host;
      t.port = base.port;
    }
    t.scheme = base.scheme;
  }
  t.has_fragment = r.has_fragment;
  t.fragment = r.fragment;
  return t;
}

std::optional<std::string> ResolveUrl(std::string_view base, std::string_view reference) {
  auto b = ParseUrl(base);
  auto r = ParseUrl(reference);
  if (!b || !r) return std::nullopt;
  auto t = ResolveUrl(*b, *r);
  if (!t) return std::nullopt;
  return t->ToString();
}

std::optional<std::string> CanonicalUrl(std::string_view absolute_url) {
  auto parsed = ParseUrl(absolute_url);
  if (!parsed || !parsed->IsAbsolute()) return std::nullopt;
  Url u = std::move(*parsed);
  u.scheme = AsciiLower(u.scheme);
  u.has_fragment = false;
  u.fragment.clear();
  if (u.scheme == "file") {
    if (AsciiLower(u.host) == "localhost") u.host.clear();
    u.has_authority = true;
    u.userinfo.clear();
    u.port.clear();
    u.path = RemoveDotSegments(NormalizeEncoding(u.path));
    if (u.path.empty() || u.path[0] != '/') return std::nullopt;
    return u.ToString();
  }
  if (u.scheme != "http" && u.scheme != "https") return std::nullopt;
  if (!u.has_authority || u.host.empty()) return std::nullopt;
  u.host = AsciiLower(u.host);
  // "example.com." is example.com; so is "example.com.." (one dot less would not be a fixed point:
  // found by fuzz_discovery).
  while (u.host.size() > 1 && u.host.back() == '.') u.host.pop_back();
  while (u.port.size() > 1 && u.port[0] == '0') u.port.erase(0, 1);
  if ((u.scheme == "http" && u.port == "80") || (u.scheme == "https" && u.port == "443")) u.port.clear();
  if (!u.port.empty() && std::stoul(u.port.substr(0, 6)) > 65535) return std::nullopt;
  u.path = RemoveDotSegments(NormalizeEncoding(u.path));
  if (u.path.empty()) u.path = "/";
  if (u.has_query) {
    u.query = StripTrackingParameters(NormalizeEncoding(u.query));
    u.has_query = !u.query.empty();
  }
  return u.ToString();
}

std::optional<std::string> CanonicalLink(std::string_view base, std::string_view reference) {
  auto resolved = ResolveUrl(base, reference);
  if (!resolved) return std::nullopt;
  return CanonicalUrl(*resolved);
}

std::string HostKey(std::string_view canonical_url) {
  auto u = ParseUrl(canonical_url);
  if (!u || u->scheme == "file") return {};
  std::string key = u->scheme + "://" + u->host;
  if (!u->port.empty()) key += ":" + u->port;
  return key;
}

std::string PathAndQuery(std::string_view canonical_url) {
  auto u = ParseUrl(canonical_url);
  if (!u) return "/";
  std::string out = u->path.empty() ? "/" : u->path;
  if (u->has_query) out += "?" + u->query;
  return out;
}

std::optional<std::string> FilePathFromUrl(std::string_view url) {
  auto u = ParseUrl(url);
  if (!u || AsciiLower(u->scheme) != "file") return std::nullopt;
  return PercentDecode(u->path);
}

}  // namespace tw
