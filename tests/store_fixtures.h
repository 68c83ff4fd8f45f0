// Building blocks for store tests: places, event mentions and articles as the extractor gives them.
#pragma once

#include <string>
#include <vector>

#include "extractors/extraction.h"
#include "pipeline/types.h"

namespace tw::test {

inline Place TestPlace(const std::string& name, const std::string& cc, int64_t geonameid, double lat = 0, double lon = 0) {
  Place p;
  p.name = name;
  p.country = cc;
  p.geonameid = geonameid;
  p.lat = lat;
  p.lon = lon;
  return p;
}

inline EventMention TestMention(EventType type, const Place& a, const Place& b, const std::string& date,
                                const std::string& evidence, const std::string& rule = "test.rule", double confidence = 0.9) {
  EventMention m;
  m.type = type;
  m.first = a;
  m.second = b;
  m.date = date;
  m.evidence = evidence;
  m.rule = rule;
  m.confidence = confidence;
  return m;
}

// An extracted article at `url` with `text` (its id and content hash follow from them).
inline Extraction TestArticle(const std::string& url, const std::string& text, std::vector<EventMention> events) {
  Extraction x;
  x.article.url = url;
  x.article.id = ArticleIdForUrl(url);
  x.article.origin = url;
  x.article.text = text;
  x.article.content_hash = Hash64(text);
  x.article.title = {"Title of " + url, "test"};
  x.events = std::move(events);
  return x;
}

}  // namespace tw::test
