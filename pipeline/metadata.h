// An HTML page's metadata, each value with the place it was found: title, publication date,
// author, canonical URL, language, and the JSON-LD article body when the page has one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/html_dom.h"
#include "pipeline/types.h"

namespace tw {

struct PageMetadata {
  SourcedValue title;          // og:title, json-ld:headline, h1, <title> (minus the site name)
  SourcedValue published;      // "YYYY-MM-DD"; never a modified date, never after the fetch
  SourcedValue author;         // names joined by ", "
  SourcedValue canonical_url;  // absolute: link rel=canonical, og:url, json-ld:url
  SourcedValue language;       // primary tag: html lang, content-language, og:locale, json-ld:inLanguage
  std::string site_name;       // og:site_name, application-name, json-ld:publisher
  std::string article_body;    // json-ld articleBody as given (plain text, sometimes with markup)
};

// Reads the metadata of `dom`, the page at `page_url` (relative canonical URLs are resolved
// against it) fetched at `fetch_time` (Unix seconds, 0 if unknown: then no date is too late).
// Sources, in order of trust, for the publication date: JSON-LD datePublished,
// article:published_time and the usual meta names (DC, Parsely, Sailthru...), itemprop
// datePublished, <time datetime> (not one marked as an update), a date in the URL path.
PageMetadata ReadPageMetadata(const HtmlDom& dom, const std::string& page_url, int64_t fetch_time);

// A dateline among `lines` (the article's header lines and first paragraphs: "November 18, 2019
// | 10:30 AM", "BERLIN, Nov. 18, 2019 -"), when the markup gave no date: "YYYY-MM-DD" or empty.
std::string DatelineDate(const std::vector<std::string>& lines, int64_t fetch_time);

// "Headline | Site Name" -> "Headline": drops the site's name (when known) or, failing that, the
// shorter parts around a title separator.
std::string StripSiteName(const std::string& title, const std::string& site_name);

// "Headline | Section | Site" -> its parts, split at the first kind of title separator found
// (" | ", " - ", " – ", " :: "...); the whole title when there is none.
std::vector<std::string> TitleParts(const std::string& title);

}  // namespace tw
