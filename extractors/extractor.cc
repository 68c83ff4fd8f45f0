#include "extractors/extractor.h"

#include <algorithm>

#include "extractors/dates.h"
#include "extractors/events.h"
#include "extractors/gazetteer.h"
#include "extractors/text.h"

namespace tw {

const char* EventTypeName(EventType type) {
  switch (type) {
    case EventType::kAgreement: return "agreement";
    case EventType::kTermination: return "termination";
    case EventType::kSuspension: return "suspension";
    case EventType::kProposal: return "proposal";
  }
  return "agreement";
}

bool ParseEventType(const std::string& name, EventType* type) {
  for (EventType t : {EventType::kAgreement, EventType::kTermination, EventType::kSuspension, EventType::kProposal}) {
    if (name == EventTypeName(t)) {
      *type = t;
      return true;
    }
  }
  return false;
}

Result<std::unique_ptr<Extractor>> Extractor::Open(const ExtractorOptions& options) {
  std::unique_ptr<Extractor> ex(new Extractor());
  ex->options_ = options;
  auto splitter = SentenceSplitter::Load(options.rules_dir + "/text.toml");
  if (!splitter.ok()) return splitter.status();
  ex->sentences_ = std::move(splitter.value());
  auto gazetteer = Gazetteer::Load(options.rules_dir + "/gazetteer");
  if (!gazetteer.ok()) return gazetteer.status();
  ex->gazetteer_ = std::move(gazetteer.value());
  auto events = EventRules::Load(options.rules_dir + "/events.toml");
  if (!events.ok()) return events.status();
  ex->events_ = std::move(events.value());
  ex->dates_ = std::make_unique<DateFinder>();
  return ex;
}

Extractor::~Extractor() = default;

std::vector<std::string> Extractor::PlaceNames(const Place& place) const {
  return place.geonameid > 0 ? gazetteer_->NamesOf(place.geonameid) : std::vector<std::string>{};
}

Extraction Extractor::Process(Article article) const {
  Extraction x;
  const std::string& text = article.text;
  const std::string anchor = article.published.empty() ? options_.default_published : article.published.value;
  const std::vector<TextSpan> sentences = sentences_->Split(text);
  x.cities = gazetteer_->FindCities(text, sentences);
  x.dates = dates_->Find(text, anchor);

  for (const TextSpan& s : sentences) {
    // City mentions inside this sentence, re-based to the sentence start.
    std::vector<CityMention> in_sentence;
    for (const auto& c : x.cities) {
      if (c.start >= s.start && c.end <= s.end) {
        CityMention local = c;
        local.start -= s.start;
        local.end -= s.start;
        in_sentence.push_back(std::move(local));
      }
    }
    if (in_sentence.size() < 2) continue;
    const std::string_view sentence = std::string_view(text).substr(s.start, s.end - s.start);
    for (const auto& m : events_->MatchSentence(sentence, in_sentence)) {
      EventMention ev;
      ev.type = m.type;
      ev.first = in_sentence[m.first_city].place;
      ev.second = in_sentence[m.second_city].place;
      ev.evidence = std::string(sentence);
      ev.start = s.start;
      ev.end = s.end;
      ev.rule = EventRules::RuleId(m.rule);
      ev.confidence = EventRules::RuleConfidence(m.rule);
      // The date of the event: one inside the matched clause, else the first in the sentence.
      const DateMention* in_match = nullptr;
      const DateMention* in_sent = nullptr;
      for (const auto& d : x.dates) {
        if (d.start >= s.start && d.end <= s.end) {
          if (!in_sent) in_sent = &d;
          if (!in_match && d.start >= s.start + m.start && d.end <= s.start + m.end) in_match = &d;
        }
      }
      if (in_match) ev.date = in_match->value;
      else if (in_sent) ev.date = in_sent->value;
      x.events.push_back(std::move(ev));
    }
  }
  // The anchor a user gave (--published) is the article's publication date from here on: stored
  // with it, so re-extraction later anchors relative dates the same way.
  if (article.published.empty() && !options_.default_published.empty()) {
    article.published = {options_.default_published, "--published"};
  }
  x.article = std::move(article);
  return x;
}

}  // namespace tw
