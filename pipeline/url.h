// URLs for the crawler: parsing (RFC 3986), resolution of relative references against a base
// (RFC 3986 section 5), and the canonical form under which the crawler dedups, records state and
// stores articles (the article id is a hash of that form).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tw {

// The five parts of a URI reference (RFC 3986 section 3). `has_*` tell an empty part ("?") from an
// absent one, which resolution needs.
struct Url {
  std::string scheme;    // as written; Canonicalize lowercases it
  bool has_authority = false;
  std::string userinfo;  // without the '@'
  std::string host;      // "[::1]" keeps its brackets
  std::string port;      // digits only, empty when absent
  std::string path;
  bool has_query = false;
  std::string query;     // without the '?'
  bool has_fragment = false;
  std::string fragment;  // without the '#'

  // Reassembles the reference (RFC 3986 section 5.3).
  std::string ToString() const;
  bool IsAbsolute() const { return !scheme.empty(); }
};

// Splits a URI reference into its parts. Leading and trailing whitespace (common in feeds) is
// dropped. Fails (nullopt) only on what cannot be a reference at all: control characters, an
// unclosed IPv6 literal, a non-numeric port.
std::optional<Url> ParseUrl(std::string_view text);

// Resolves `reference` against the absolute `base` (RFC 3986 section 5.2, strict), e.g.
// "../b?q" against "http://a/b/c/d;p?q" is "http://a/b/b?q".
std::optional<Url> ResolveUrl(const Url& base, const Url& reference);
// Both steps on strings: nullopt when either is not a URL or the result is not absolute.
std::optional<std::string> ResolveUrl(std::string_view base, std::string_view reference);

// The form the crawler keys everything by: scheme and host lowercased, the default port and the
// fragment dropped, dot segments removed, an empty http(s) path made "/", percent-encoding
// normalised (unreserved characters decoded, hex upper case, spaces and non-ASCII bytes encoded),
// and tracking parameters (utm_*, fbclid, gclid and the like) removed from the query.
// Only http, https and file URLs have one; anything else (mailto:, javascript:) is nullopt.
std::optional<std::string> CanonicalUrl(std::string_view absolute_url);

// Resolve then canonicalise: what discovery does with every link it finds.
std::optional<std::string> CanonicalLink(std::string_view base, std::string_view reference);

// "scheme://host[:port]" of an absolute URL in canonical form: the unit of politeness (one request
// in flight, per-host delay) and of robots.txt. Empty for file URLs, which need neither.
std::string HostKey(std::string_view canonical_url);

// The path and query of a URL, as robots.txt rules match them ("/" when the path is empty).
std::string PathAndQuery(std::string_view canonical_url);

// Percent-encoding in its normal form: %XX of an unreserved character decoded, hex upper case, a
// '%' that starts no escape, spaces, controls and non-ASCII bytes encoded. Reserved characters keep
// their form ("%2F" and "/" stay different). Used for URL paths and queries and robots.txt rules.
std::string NormalizePercentEncoding(std::string_view text);

// "file:///abs/dir/name" -> "/abs/dir/name" (percent-decoded); nullopt for other schemes.
std::optional<std::string> FilePathFromUrl(std::string_view url);

}  // namespace tw
