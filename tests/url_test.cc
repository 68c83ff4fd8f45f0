#include <catch2/catch.hpp>

#include "pipeline/address_policy.h"
#include "pipeline/url.h"

using tw::CanonicalUrl;

namespace {
std::string Resolve(const std::string& base, const std::string& ref) {
  auto r = tw::ResolveUrl(base, ref);
  return r ? *r : "<none>";
}
std::string Canonical(const std::string& url) {
  auto c = CanonicalUrl(url);
  return c ? *c : "<none>";
}
}  // namespace

TEST_CASE("relative references resolve as in RFC 3986 section 5.4 (normal examples)") {
  const std::string base = "http://a/b/c/d;p?q";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"g:h", "g:h"},          {"g", "http://a/b/c/g"},       {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"},          {"//g", "http://g"},
      {"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"}, {"#s", "http://a/b/c/d;p?q#s"},
      {"g#s", "http://a/b/c/g#s"}, {"g?y#s", "http://a/b/c/g?y#s"}, {";x", "http://a/b/c/;x"},
      {"g;x", "http://a/b/c/g;x"}, {"g;x?y#s", "http://a/b/c/g;x?y#s"}, {"", "http://a/b/c/d;p?q"},
      {".", "http://a/b/c/"},   {"./", "http://a/b/c/"},       {"..", "http://a/b/"},
      {"../", "http://a/b/"},   {"../g", "http://a/b/g"},      {"../..", "http://a/"},
      {"../../", "http://a/"},  {"../../g", "http://a/g"},
  };
  for (const auto& [ref, want] : cases) {
    INFO("reference " << ref);
    CHECK(Resolve(base, ref) == want);
  }
}

TEST_CASE("relative references resolve as in RFC 3986 section 5.4 (abnormal examples)") {
  const std::string base = "http://a/b/c/d;p?q";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"../../../g", "http://a/g"},     {"../../../../g", "http://a/g"}, {"/./g", "http://a/g"},
      {"/../g", "http://a/g"},          {"g.", "http://a/b/c/g."},       {".g", "http://a/b/c/.g"},
      {"g..", "http://a/b/c/g.."},      {"..g", "http://a/b/c/..g"},     {"./../g", "http://a/b/g"},
      {"./g/.", "http://a/b/c/g/"},     {"g/./h", "http://a/b/c/g/h"},   {"g/../h", "http://a/b/c/h"},
      {"g;x=1/./y", "http://a/b/c/g;x=1/y"}, {"g;x=1/../y", "http://a/b/c/y"},
      {"g?y/./x", "http://a/b/c/g?y/./x"}, {"g?y/../x", "http://a/b/c/g?y/../x"},
      {"g#s/./x", "http://a/b/c/g#s/./x"}, {"g#s/../x", "http://a/b/c/g#s/../x"},
      {"http:g", "http:g"},  // strict parsers keep the scheme
  };
  for (const auto& [ref, want] : cases) {
    INFO("reference " << ref);
    CHECK(Resolve(base, ref) == want);
  }
}

TEST_CASE("feed links with whitespace and line breaks around them still resolve") {
  CHECK(Resolve("https://news.example/feed.xml", "\n   /2024/story.html \n") == "https://news.example/2024/story.html");
  CHECK(Resolve("file:///srv/samples/feed.xml", "lyon.html") == "file:///srv/samples/lyon.html");
  CHECK_FALSE(tw::ResolveUrl("not absolute", "x").has_value());
  CHECK_FALSE(tw::ParseUrl("http://[::1/x").has_value());
  CHECK_FALSE(tw::ParseUrl("http://host:80a/").has_value());
}

TEST_CASE("canonical URLs fold case, default ports, fragments, dot segments and encoding") {
  CHECK(Canonical("HTTP://News.Example.COM:80/a/./b/../c.html#comments") == "http://news.example.com/a/c.html");
  CHECK(Canonical("https://news.example:443") == "https://news.example/");
  CHECK(Canonical("https://news.example:8443/x") == "https://news.example:8443/x");
  CHECK(Canonical("http://news.example.:080/") == "http://news.example/");
  CHECK(Canonical("http://news.example/%7euser/%2fkept%2F/a%20b c") == "http://news.example/~user/%2Fkept%2F/a%20b%20c");
  CHECK(Canonical("http://news.example/caf\xC3\xA9") == "http://news.example/caf%C3%A9");
  CHECK(Canonical("http://news.example/100%/") == "http://news.example/100%25/");
  CHECK(Canonical("http://[2001:DB8::1]:80/") == "http://[2001:db8::1]/");
  CHECK(Canonical("file://localhost/srv/a.html") == "file:///srv/a.html");
}

TEST_CASE("canonical URLs drop tracking parameters and keep the others in order") {
  CHECK(Canonical("https://n.example/a?utm_source=rss&id=7&UTM_Medium=x&fbclid=abc&page=2#top") ==
        "https://n.example/a?id=7&page=2");
  CHECK(Canonical("https://n.example/a?utm_source=rss&gclid=1") == "https://n.example/a");
  CHECK(Canonical("https://n.example/a?") == "https://n.example/a");
  CHECK(Canonical("https://n.example/a?b=1&&c=2") == "https://n.example/a?b=1&c=2");
  CHECK(Canonical("https://n.example/a?ref=home") == "https://n.example/a?ref=home");
}

TEST_CASE("only http, https and file URLs have a canonical form") {
  CHECK(Canonical("mailto:desk@news.example") == "<none>");
  CHECK(Canonical("javascript:void(0)") == "<none>");
  CHECK(Canonical("ftp://news.example/") == "<none>");
  CHECK(Canonical("http:///no-host") == "<none>");
  CHECK(Canonical("/relative/only") == "<none>");
  CHECK(Canonical("http://n.example:99999/") == "<none>");
}

TEST_CASE("host keys and robots paths come from the canonical URL") {
  CHECK(tw::HostKey("https://n.example:8443/a?b") == "https://n.example:8443");
  CHECK(tw::HostKey("http://n.example/a") == "http://n.example");
  CHECK(tw::HostKey("file:///srv/a.html").empty());
  CHECK(tw::PathAndQuery("http://n.example/a/b?c=1") == "/a/b?c=1");
  CHECK(tw::PathAndQuery("http://n.example") == "/");
  CHECK(tw::FilePathFromUrl("file:///srv/my%20feeds/a.xml") == std::optional<std::string>("/srv/my feeds/a.xml"));
  CHECK_FALSE(tw::FilePathFromUrl("http://n.example/a").has_value());
}

TEST_CASE("loopback, private, link-local and other non-public addresses are recognised") {
  for (const char* addr : {"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                           "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::",
                           "fe80::1", "fd00::1", "fc12::3", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
                           "64:ff9b::a00:1", "2001:db8::5", "not-an-address"}) {
    INFO(addr);
    CHECK(tw::WhyNotPublic(std::string_view(addr)).has_value());
  }
  for (const char* addr : {"93.184.216.34", "172.32.0.1", "8.8.8.8", "2606:4700::1111", "::ffff:93.184.216.34"}) {
    INFO(addr);
    CHECK_FALSE(tw::WhyNotPublic(std::string_view(addr)).has_value());
  }
  CHECK(*tw::WhyNotPublic(std::string_view("127.0.0.1")) == "loopback");
  CHECK(*tw::WhyNotPublic(std::string_view("169.254.169.254")) == "link-local");
  CHECK(*tw::WhyNotPublic(std::string_view("192.168.0.10")) == "private");
}
