#include "storage/filter.h"

#include <re2/re2.h>

#include <cctype>

namespace tw {

Status ValidateDateBound(const std::string& flag, const std::string& value) {
  static const RE2 kForm(R"(\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?)");
  if (value.empty() || RE2::FullMatch(value, kForm)) return Status::OK();
  return Status::InvalidArgument(flag + " '" + value +
                                 "' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2019, 2019-10, 2019-10-07)");
}

Status ValidateCountry(const std::string& flag, const std::string& value) {
  if (value.empty() || (value.size() == 2 && std::isalpha(static_cast<unsigned char>(value[0])) &&
                        std::isalpha(static_cast<unsigned char>(value[1])))) {
    return Status::OK();
  }
  return Status::InvalidArgument(flag + " '" + value + "' is not a country code: use ISO 3166-1 alpha-2, e.g. CZ, CN, US");
}

Status ParseTypeFilter(const std::string& flag, const std::string& value, std::optional<EventType>* type) {
  type->reset();
  if (value.empty()) return Status::OK();
  EventType t;
  if (!ParseEventType(value, &t)) {
    return Status::InvalidArgument(flag + " '" + value + "' is not an event type: use agreement, termination, suspension or proposal");
  }
  *type = t;
  return Status::OK();
}

bool DateWithin(const std::string& date, const std::string& since, const std::string& until) {
  if (since.empty() && until.empty()) return true;
  if (date.empty()) return false;
  if (!since.empty() && date.substr(0, since.size()) < since.substr(0, date.size())) return false;
  if (!until.empty() && date.substr(0, until.size()) > until.substr(0, date.size())) return false;
  return true;
}

}  // namespace tw
