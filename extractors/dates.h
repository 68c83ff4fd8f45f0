// The date layer: date expressions in text, normalised to ISO 8601 at the precision the text gives.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/extraction.h"

namespace tw {

class DateFinder {
 public:
  DateFinder();
  ~DateFinder();
  DateFinder(const DateFinder&) = delete;
  DateFinder& operator=(const DateFinder&) = delete;

  // Date mentions in `text`, in order. `anchor` ("YYYY-MM-DD", may be empty) is the publication
  // date; it supplies the year of forms that give none ("June 27", "this June"). Thread-safe.
  std::vector<DateMention> Find(std::string_view text, const std::string& anchor) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tw
