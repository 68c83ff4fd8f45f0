// Which network addresses the crawler may connect to. A feed is written by someone else: without
// this check a link (or a redirect, or a DNS answer) could point the crawler at the machine itself
// or the private network behind it (server-side request forgery).
#pragma once

#include <optional>
#include <string>
#include <string_view>

struct sockaddr;

namespace tw {

// Why `address` is not a public Internet address ("loopback", "private", "link-local", ...), or
// nullopt when it is public. Handles IPv4, IPv6 and IPv4-mapped IPv6.
std::optional<std::string> WhyNotPublic(const sockaddr* address);
// The same for an address in text form ("10.0.0.1", "::1"); text that is not an address is
// refused as "not an IP address".
std::optional<std::string> WhyNotPublic(std::string_view address_text);

// "127.0.0.1" / "::1" for messages.
std::string AddressText(const sockaddr* address);

}  // namespace tw
