// The date layer: date expressions in text, normalised to ISO 8601 at the precision the text gives,
// by the rules of rules/dates.toml (absolute forms, forms anchored on the publication date, forms
// anchored on the previous date in the text, and forms that are no dates).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/extraction.h"
#include "extractors/text.h"
#include "pipeline/status.h"

namespace tw {

struct DateRule;

class DateFinder {
 public:
  // Loads a date rule file. Every problem is "FILE:LINE: message"; the first fails the load.
  static Result<std::unique_ptr<DateFinder>> Load(const std::string& path);
  ~DateFinder();
  DateFinder(const DateFinder&) = delete;
  DateFinder& operator=(const DateFinder&) = delete;

  // Date mentions in `text`, in order. `sentences` bound every expression (and give the tense);
  // `anchor` ("YYYY-MM-DD", may be empty) is the publication date: without it, forms that need it
  // ("June 27", "last year") are left out. Thread-safe.
  std::vector<DateMention> Find(std::string_view text, const std::vector<TextSpan>& sentences,
                                const std::string& anchor) const;

  size_t size() const;

  // The value an event can carry for a mention's value: a week becomes its month (by its Thursday),
  // a decade none. ISO YYYY, YYYY-MM or YYYY-MM-DD, or empty.
  static std::string EventDate(const std::string& value);

 private:
  DateFinder();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tw
