#include "extractors/extractor.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "extractors/dates.h"
#include "extractors/events.h"
#include "extractors/fallback.h"
#include "extractors/gazetteer.h"
#include "extractors/text.h"
#include "pipeline/ascii.h"

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
  auto dates = DateFinder::Load(options.rules_dir + "/dates.toml");
  if (!dates.ok()) return dates.status();
  ex->dates_ = std::move(dates.value());
  // The fallback layer is optional: a rules directory without fallback.toml reads by the rules alone.
  const std::string fallback_path = options.rules_dir + "/fallback.toml";
  if (std::filesystem::exists(fallback_path)) {
    auto fallback = TieFallback::Load(fallback_path);
    if (!fallback.ok()) return fallback.status();
    ex->fallback_ = std::move(fallback.value());
  }
  return ex;
}

Extractor::~Extractor() = default;

std::vector<std::string> Extractor::PlaceNames(const Place& place) const {
  if (place.geonameid > 0) return gazetteer_->NamesOf(place.geonameid);
  return place.from_text ? gazetteer_->NamesOfFromText(place) : std::vector<std::string>{};
}

namespace {

// Whether `between` (text after an event, before a date) starts another clause: "..., and the two
// cities held talks last week" dates the talks, not the tie.
// So does a relative or participle clause: "ended its agreement with Pskov on Wednesday, closing
// a chapter that began in 1996" dates the agreement's start, not its end.
bool NewClause(std::string_view between) {
  for (const char* mark : {", and ", ", but ", "; ", ", while ", ", whereas ", " and the ", ", which ", ", when ", ", who ",
                           ", where ", ", whose ", " that began", " which began"}) {
    if (between.find(mark) != std::string_view::npos) return true;
  }
  // ", closing ...", ", ending ...": a comma and a word in -ing.
  for (size_t comma = between.find(", "); comma != std::string_view::npos; comma = between.find(", ", comma + 1)) {
    size_t end = comma + 2;
    while (end < between.size() && std::islower(static_cast<unsigned char>(between[end]))) ++end;
    const std::string_view word = between.substr(comma + 2, end - comma - 2);
    if (word.size() > 4 && word.substr(word.size() - 3) == "ing" && (end == between.size() || between[end] == ' ')) return true;
  }
  return false;
}

// Whether a sentence is a byline, "By Montserrat Puig i Ferrer": "By" and a name (capitalised words
// and short particles), no closing punctuation. Its names are a writer's, not what the text is about.
bool Byline(std::string_view sentence) {
  sentence = TrimAsciiSpace(sentence);
  if (sentence.substr(0, 3) != "By " || sentence.size() > 80) return false;
  if (std::string_view(".!?").find(sentence.back()) != std::string_view::npos) return false;
  for (size_t at = 3; at < sentence.size();) {
    size_t end = std::min(sentence.find(' ', at), sentence.size());
    const std::string_view word = sentence.substr(at, end - at);
    at = end + 1;
    if (word.empty() || std::isupper(static_cast<unsigned char>(word[0])) || (static_cast<unsigned char>(word[0]) & 0x80)) continue;
    if (word.size() > 3) return false;  // "i", "y", "de", "van", "and": particles of a name or two
  }
  return true;
}

// Whether a sentence is a heading: it ends without a sentence's closing punctuation ("Cutting
// Ties"). A heading names what follows; it does not refer back to the tie read before it.
bool Heading(std::string_view sentence) {
  sentence = TrimAsciiSpace(sentence);
  if (sentence.empty()) return true;
  const unsigned char last = static_cast<unsigned char>(sentence.back());
  // '.', '!', '?', quotes, a closing bracket, or the last byte of a closing curly quote or ellipsis.
  return std::string_view(".!?\"')").find(static_cast<char>(last)) == std::string_view::npos && last < 0x80;
}

// Whether bytes [start, end) of `sentence` are a word of their own, not inside a longer capitalised
// name: "Hřib signed", "Mayor Hřib", but not "Hřibová" or "Kieran McCarthy Hřib".
bool StandsAlone(std::string_view sentence, size_t start, size_t end) {
  auto word_byte = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) & 0x80); };
  if (start > 0 && word_byte(sentence[start - 1])) return false;
  if (end < sentence.size() && word_byte(sentence[end])) return false;
  // The word after: another capitalised word makes a longer name ("Xu Kunlin" when "Xu" is known).
  size_t next = end;
  while (next < sentence.size() && sentence[next] == ' ') ++next;
  if (next > end && next < sentence.size() && std::isupper(static_cast<unsigned char>(sentence[next]))) return false;
  return true;
}

// The word that ends at byte `end` of `text` ("x" when there is none).
std::string_view WordBefore(std::string_view text, size_t end) {
  size_t start = end;
  while (start > 0 && text[start - 1] != ' ') --start;
  return start < end ? text.substr(start, end - start) : std::string_view("x");
}

// The key a place is told apart by.
std::string PlaceKey(const Place& p) { return p.geonameid != 0 ? std::to_string(p.geonameid) : p.country + ":" + p.name; }

// Whether a mention is written in capitals ("TOKYO —", "JOENSUU, Finland (AP) —"): a dateline,
// where the report was filed, which is no party the next sentences speak of.
bool Dateline(const CityMention& m) {
  size_t letters = 0;
  for (unsigned char c : m.text) {
    if (std::islower(c)) return false;
    if (std::isupper(c)) ++letters;
  }
  return letters >= 3;
}

// Whether `division` is the first-level division `place` lies in: "Nakhodka in Primorsky Krai"
// says where Nakhodka is, and names no second party.
bool HoldsPlace(const Place& division, const Place& place) {
  return division.feature == "ADM1" && division.country == place.country && !division.admin1.empty() &&
         division.admin1 == place.admin1;
}

// The first two different places among `mentions`, if there are two; datelines, and a division
// named as where the first place lies, left out.
std::optional<std::pair<Place, Place>> FirstPair(const std::vector<CityMention>& mentions) {
  const CityMention* first = nullptr;
  for (const auto& m : mentions) {
    if (Dateline(m)) continue;
    if (first == nullptr) first = &m;
    else if (HoldsPlace(m.place, first->place)) continue;  // "Nakhodka in Primorsky Krai"
    else if (PlaceKey(m.place) != PlaceKey(first->place)) return std::make_pair(first->place, m.place);
  }
  return std::nullopt;
}

// Whether the words before a date (ending at `date_start`) end with `tail`.
bool EndsWith(std::string_view text, size_t date_start, std::string_view tail) {
  return date_start >= tail.size() && text.substr(date_start - tail.size(), tail.size()) == tail;
}

// The date of an event: the date of the sentence nearest the rule's trigger word (the matched span
// when the rule marks none), so "Parnu, which signed ... in 1999, on Tuesday terminated ..." is
// dated Tuesday. Dates after a clause break that follows the span are left out, and those further
// than `max_after` bytes after it. Two kinds of date cross a clause break: the one a
// report is dated by ("..., a spokesperson said on May 2") and, for a tie that exists, the one it
// exists since ("..., which have been twinned since 1956"). Dates in `others` (a list's members
// before the party) are another's. Offsets are bytes into `text`.
struct EventDate {
  std::string value;  // ISO, empty for none
  size_t distance = 0;  // bytes between the date and the trigger word
};
EventDate EventDateIn(std::string_view text, const std::vector<DateMention>& dates, const TextSpan& sentence,
                      const TextSpan& match, const TextSpan& trigger, EventType type, size_t max_after, size_t not_before,
                      const TextSpan& others) {
  const size_t match_end = match.end;
  auto distance_to = [](const DateMention& d, size_t start, size_t end) -> size_t {
    return d.end <= start ? start - d.end : (d.start >= end ? d.start - end : 0);
  };
  const DateMention* best = nullptr;
  size_t best_distance = 0;
  for (const auto& d : dates) {
    if (d.start < std::max(sentence.start, not_before) || d.end > sentence.end) continue;
    if (DateFinder::EventDate(d.value).empty()) continue;
    if (others.end > others.start && d.start >= others.start && d.end <= others.end) continue;
    if (d.start >= match_end) {
      if (d.start - match_end > max_after) continue;
      const std::string_view between = text.substr(match_end, d.start - match_end);
      // "since" crosses a relative clause on the tie (", which have been twinned since 1956"), not
      // a clause about something else (", and several districts have signed ... since 2022").
      auto about_else = [&] {
        for (const char* mark : {", and ", ", but ", "; ", ", whose ", ", while ", ", whereas "}) {
          if (between.find(mark) != std::string_view::npos) return true;
        }
        return false;
      };
      // So does the date a tie dates from (", its oldest, dating from 1957").
      auto dates_tie = [&] {
        for (const char* tail : {"since ", "dating from ", "dating back to ", "dates from ", "dates back to "}) {
          if (EndsWith(text, d.start, tail)) return true;
        }
        return false;
      };
      const bool crosses = EndsWith(text, d.start, "said on ") || EndsWith(text, d.start, "said ") ||
                           (type == EventType::kAgreement && dates_tie() && !about_else());
      if (!crosses && NewClause(between)) continue;
    }
    // A date inside an apposition before the trigger ("Gangneung, the city that hosted the 2018
    // Olympics, has signed ...") dates something else.
    if (d.start > match.start && d.end <= trigger.start &&
        text.substr(match.start, d.start - match.start).find(", ") != std::string_view::npos &&
        text.substr(d.end, trigger.start - d.end).find(',') != std::string_view::npos) {
      continue;
    }
    const size_t distance = distance_to(d, trigger.start, trigger.end);
    if (best == nullptr || distance < best_distance) {
      best = &d;
      best_distance = distance;
    }
  }
  if (best == nullptr) return {};
  return {DateFinder::EventDate(best->value), best_distance};
}

// How an event's date was read: how far the date stood from the rule's trigger word, and whether
// the event was read through a tie reference.
struct DateReading {
  size_t distance = 0;
  bool by_reference = false;
};

// The same type and pair read twice in one article is one event: the first reading, with the date
// that stood nearest its trigger word in any reading ("..., reminders of the city's sister-city
// relationship with Arkhangelsk" then "The relationship, established in 1988, ..."). In the sentence
// of a dated direct reading, a tie reference speaks of the tie's past and does not move its date:
// "renewed its agreement with Porto Alegre on September 4, 2023, extending a partnership that dates
// back to 1985" is a renewal of 2023, though 1985 stands nearer the reference's own trigger.
// A reading by a rule is preferred to the fallback's as the event's source. `readings` holds, for
// each event, how its date was read.
void MergeRepeats(std::vector<EventMention>* events, const std::vector<DateReading>& readings) {
  std::vector<EventMention> out;
  std::vector<size_t> out_distances;
  // The pair in a fixed order, whichever way the text names it.
  auto pair_key = [](const EventMention& e) {
    std::string a = PlaceKey(e.first), b = PlaceKey(e.second);
    return b < a ? b + "|" + a : a + "|" + b;
  };
  for (size_t i = 0; i < events->size(); ++i) {
    EventMention& e = (*events)[i];
    auto same = std::find_if(out.begin(), out.end(), [&](const EventMention& o) { return o.type == e.type && pair_key(o) == pair_key(e); });
    if (same == out.end()) {
      out.push_back(std::move(e));
      out_distances.push_back(readings[i].distance);
      continue;
    }
    size_t& distance = out_distances[same - out.begin()];
    const bool past_of_direct_reading = readings[i].by_reference && same->start == e.start;
    if (!e.date.empty() && (same->date.empty() || (!past_of_direct_reading && readings[i].distance < distance))) {
      same->date = e.date;
      distance = readings[i].distance;
    }
    // A tie the fallback read and a rule read too is the rule's: its evidence, id and confidence,
    // so the fallback's events are those only it read.
    if (same->rule.starts_with("fallback.") && !e.rule.starts_with("fallback.")) {
      same->evidence = e.evidence;
      same->start = e.start;
      same->end = e.end;
      same->rule = e.rule;
      same->confidence = e.confidence;
    }
  }
  *events = std::move(out);
}

// Reads one article's sentences in order, keeping what the text has said so far: the place it was
// last about, the place it is about, the two it last named, the office holders it introduced, and
// how each event's date was read. Each sentence: its city mentions, the stand-ins for places the
// sentence refers to without naming them, its events, then what the next sentences may refer to.
class ArticleReader {
 public:
  ArticleReader(const EventRules& rules, const TieFallback* fallback, const Gazetteer& gazetteer, const std::string& text,
                std::string_view original, Extraction& x)
      : rules_(rules), fallback_(fallback != nullptr && fallback->NamesTie(text) ? fallback : nullptr), gazetteer_(gazetteer), text_(text), original_(original), x_(x),
        on_topic_(rules.OnTopic(text)) {}

  void Read(const TextSpan& s) {
    const std::string_view sentence = std::string_view(text_).substr(s.start, s.end - s.start);
    if (lead_.end == 0) lead_ = s;
    std::vector<CityMention> in_sentence = CitiesIn(s, sentence);
    const size_t body_start = AfterDateline(s);
    const bool subject_said = AddDatelineSubject(sentence, body_start - s.start, in_sentence) ||
                              AddSubjectReference(sentence, in_sentence) || AddImpliedParty(sentence, in_sentence);
    AddOfficeHolders(sentence, in_sentence);
    if (!subject_said) AddPersonReference(sentence, in_sentence);
    AddDescribedPlaces(s, sentence, in_sentence);
    if (!subject_said) AddPossessiveReference(sentence, in_sentence);
    AddPairReference(sentence, in_sentence);
    DropDefeatedMotion(sentence);
    const size_t events_before = x_.events.size();
    const std::optional<Place> first_party = ReadEvents(s, body_start, sentence, in_sentence);
    RememberUnreadTie(sentence, in_sentence, x_.events.size() > events_before);
    DateAtMeeting(s, sentence, events_before);
    motion_events_ = fallback_ != nullptr && fallback_->Motion(sentence) ? std::make_pair(events_before, x_.events.size())
                                                                          : std::make_pair(size_t{0}, size_t{0});
    RememberSection(sentence, in_sentence);
    RememberPlaces(in_sentence, body_start - s.start, first_party);
    RememberOfficeHolders(sentence, in_sentence);
    RememberLastHolder(sentence);
  }

  // The headline ("Tainan signs sister-city pact with Czech city of Plzeň"), read after the body:
  // the act a report is about is named there, often in words the body does not repeat. `headline`
  // is the title with plain spaces, `cities` its city mentions. Only the event rules read it (no
  // stand-ins: a headline refers to nothing before it). An event read here alone is dated by the
  // lead, the body's first dated sentence ("... on Monday inked a sister-city agreement ...").
  void ReadHeadline(std::string_view headline, std::string_view shown, std::vector<CityMention> cities,
                    const std::vector<TextSpan>& sentences) {
    if (cities.size() < 2) return;
    // A name the body resolved, with the cues a headline lacks ("Brest, France"), is that place.
    for (auto& c : cities) {
      const std::string_view name = headline.substr(c.start, c.end - c.start);
      auto in_body = std::find_if(x_.cities.begin(), x_.cities.end(), [&](const CityMention& b) {
        return std::string_view(text_).substr(b.start, b.end - b.start) == name;
      });
      if (in_body != x_.cities.end()) c.place = in_body->place;
    }
    const std::string read = HeadlinePairsJoined(headline, cities);
    const std::string lead_date = LeadDate(sentences);
    const size_t events_before = x_.events.size();
    for (const auto& m : rules_.MatchSentence(read, cities, on_topic_)) {
      EventMention ev;
      ev.type = m.type;
      ev.first = cities[m.first_city].place;
      ev.second = cities[m.second_city].place;
      ev.evidence = std::string(shown);
      ev.start = ev.end = 0;  // not in the text: the headline is the article's title
      ev.rule = EventRules::RuleId(m.rule);
      ev.confidence = EventRules::RuleConfidence(m.rule);
      ev.date = lead_date;
      // The farthest a date can be: any reading in the body dates the event before the lead does.
      date_readings_.push_back({std::string::npos, false});
      x_.events.push_back(std::move(ev));
    }
    if (x_.events.size() == events_before) ReadHeadlineFallback(read, shown, cities, lead_date);
  }

  // The ties the fallback layer reads in a headline no rule read ("Kassel and Perm put their
  // Städtepartnerschaft on ice"): two places of the headline (it refers to no place before it),
  // dated by the lead as the rules' headline events are.
  void ReadHeadlineFallback(std::string_view read, std::string_view shown, const std::vector<CityMention>& cities,
                            const std::string& lead_date) {
    if (fallback_ == nullptr) return;
    for (const auto& r : fallback_->Read(read, cities, std::nullopt, rules_)) {
      if (r.founding) continue;  // a founding needs its own date, which a headline rarely gives
      EventMention ev;
      ev.type = r.type;
      ev.first = r.first;
      ev.second = r.second;
      ev.evidence = std::string(shown);
      ev.start = ev.end = 0;  // not in the text: the headline is the article's title
      ev.rule = TieFallback::RuleId(r.type);
      ev.confidence = fallback_->confidence();
      ev.date = lead_date;
      date_readings_.push_back({std::string::npos, false});
      x_.events.push_back(std::move(ev));
    }
  }

  // "3. Ballarat and Inagawa, Japan": a heading that names two places and nothing else opens a
  // section on their tie, whose sentences may describe the two without naming them (ReadFallback);
  // any other heading ends it.
  void RememberSection(std::string_view sentence, const std::vector<CityMention>& in_sentence) {
    if (fallback_ == nullptr || !Heading(sentence)) return;
    section_pair_.reset();
    if (sentence.size() > 80 || in_sentence.size() < 2) return;
    const CityMention& a = in_sentence[0];
    const CityMention& b = in_sentence[1];
    if (b.start < a.end || sentence.substr(a.end, b.start - a.end) != " and " || PlaceKey(a.place) == PlaceKey(b.place)) return;
    // Before the pair only a number ("3. "); after it only where the second lies (", Japan").
    for (size_t i = 0; i < a.start; ++i) {
      const char c = sentence[i];
      if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.' && c != ')' && c != ' ') return;
    }
    for (size_t i = 2; i < in_sentence.size(); ++i) {
      if (in_sentence[i].place.country != b.place.country) return;
    }
    const std::string_view rest = sentence.substr(b.end);
    if (!rest.empty() && !rest.starts_with(",")) return;
    section_pair_ = std::make_pair(a.place, b.place);
  }

  // "He signed a friendship agreement with Yangzhou" after "Mayor Kim of Gwangju": a sentence that
  // opens with words for a person ([person] of fallback.toml) speaks of the office holder the text
  // named last, who acts for the place the text gave them.
  void AddPersonReference(std::string_view sentence, std::vector<CityMention>& in_sentence) const {
    if (fallback_ == nullptr || !last_holder_place_) return;
    const auto ref = fallback_->PersonReference(sentence);
    if (!ref || (!in_sentence.empty() && in_sentence.front().start < ref->end)) return;
    in_sentence.insert(in_sentence.begin(),
                       CityMention{ref->start, ref->end, std::string(sentence.substr(ref->start, ref->end - ref->start)), *last_holder_place_});
  }

  // The place of the office holder the text named last, for AddPersonReference: unknown again when
  // the last one named has no place the text said, or two are named at once (which one "he" is,
  // the text must say). Read after RememberOfficeHolders has placed them.
  void RememberLastHolder(std::string_view sentence) {
    if (fallback_ == nullptr) return;
    const auto holders = rules_.OfficeHolders(sentence);
    if (holders.empty()) return;
    last_holder_place_.reset();
    if (holders.size() > 1) return;
    const std::string_view name = sentence.substr(holders[0].name.start, holders[0].name.end - holders[0].name.start);
    const size_t space = name.rfind(' ');
    const std::string last_word(name.substr(space == std::string_view::npos ? 0 : space + 1));
    if (auto known = office_holders_.find(last_word); known != office_holders_.end()) last_holder_place_ = known->second;
  }

  // "Moved by Councillor Fitch: THAT Council suspend the relationship with Yaroslavl." then
  // "Defeated 5-7.": a motion the next sentence says failed is no event (the events the motion's
  // sentence read, which are the last ones read, are dropped).
  void DropDefeatedMotion(std::string_view sentence) {
    if (fallback_ == nullptr || motion_events_.first == motion_events_.second || !fallback_->MotionDefeated(sentence)) return;
    x_.events.erase(x_.events.begin() + motion_events_.first, x_.events.begin() + motion_events_.second);
    date_readings_.erase(date_readings_.begin() + motion_events_.first, date_readings_.begin() + motion_events_.second);
    motion_events_ = {0, 0};
  }

  // Council meetings: the undated events of a sentence that took place at the meeting last dated
  // ("In the same session, the council approved ..."; in minutes, "Council approved the renewal
  // of ...") take its date; then the meeting this sentence dates, if it dates one ("Summary of the
  // regular meeting of Monday, March 9, 2026"; "The municipal council approved on Monday ...").
  // `events_before`: the number of events before this sentence's.
  void DateAtMeeting(const TextSpan& s, std::string_view sentence, size_t events_before) {
    if (fallback_ == nullptr) return;
    if (x_.events.size() > events_before) {
      // "In the same session" before any meeting was dated: the meeting the report's lead dates.
      const bool same = fallback_->SameMeeting(sentence);
      const std::string date = !meeting_date_.empty() ? meeting_date_ : (same ? LeadDate({lead_}) : std::string());
      if (!date.empty() && (same || (in_minutes_ && fallback_->Decision(sentence)))) {
        for (size_t i = events_before; i < x_.events.size(); ++i) {
          if (!x_.events[i].date.empty()) continue;
          x_.events[i].date = date;
          date_readings_[i].distance = kMeetingDistance;  // any date read in a sentence of its own is nearer
        }
      }
    }
    if (fallback_->OpensMinutes(sentence)) in_minutes_ = true;
    const auto named = fallback_->MeetingDateAfter(sentence);
    if (!named) return;
    const TextSpan at{s.start + named->start, s.start + named->end};
    const DateMention* nearest = nullptr;
    size_t nearest_distance = 0;
    for (const auto& d : x_.dates) {
      if (d.start < s.start || d.end > s.end || DateFinder::EventDate(d.value).empty()) continue;
      const size_t distance = d.end <= at.start ? at.start - d.end : (d.start >= at.end ? d.start - at.end : 0);
      if (distance > fallback_->meeting_date_within()) continue;
      if (nearest == nullptr || distance < nearest_distance) {
        nearest = &d;
        nearest_distance = distance;
      }
    }
    if (nearest != nullptr) meeting_date_ = DateFinder::EventDate(nearest->value);
  }

  // For each event of the extraction, how its date was read (MergeRepeats).
  const std::vector<DateReading>& date_readings() const { return date_readings_; }

 private:
  // A headline joins a pair with a comma where a sentence says "and" ("Changsha, Kisumu become
  // friendship cities", "Tamil Nadu, Japan's Ehime Prefecture sign ..."): the first such comma
  // between two places reads as "and", and the mentions after it move with the text. Not a
  // comma before the first place's own region ("Springfield, Illinois").
  static std::string HeadlinePairsJoined(std::string_view headline, std::vector<CityMention>& cities) {
    std::string read(headline);
    for (size_t i = 0; i + 1 < cities.size(); ++i) {
      const CityMention& a = cities[i];
      const CityMention& b = cities[i + 1];
      if (b.start < a.end + 2 || headline.substr(a.end, 2) != ", ") continue;
      const std::string_view between = headline.substr(a.end + 2, b.start - a.end - 2);
      if (between.size() > 16 || between.find(',') != std::string_view::npos) continue;
      if (b.place.feature.starts_with("ADM") && b.place.country == a.place.country) continue;
      read.replace(a.end, 2, " and ");
      for (size_t j = i + 1; j < cities.size(); ++j) {
        cities[j].start += 3;
        cities[j].end += 3;
      }
      break;
    }
    return read;
  }

  // The date of the lead: the first date an event can take in the first sentence, after its
  // dateline. Empty when the lead gives none.
  std::string LeadDate(const std::vector<TextSpan>& sentences) const {
    if (sentences.empty()) return {};
    const TextSpan lead{AfterDateline(sentences.front()), sentences.front().end};
    for (const auto& d : x_.dates) {
      if (d.start < lead.start || d.end > lead.end) continue;
      if (std::string value = DateFinder::EventDate(d.value); !value.empty()) return value;
    }
    return {};
  }

  // Where sentence `s` begins after a dateline: a place in capitals up to the dash after it
  // ("DAEGU, South Korea (Korea Herald) — Daegu has ..."), or a place and a date ("Taipei, March 10
  // (CNA) Tainan Mayor ..."; the date says when the report was filed, not when what it reports
  // happened). The sentence's start when it opens otherwise.
  size_t AfterDateline(const TextSpan& s) const {
    size_t start = s.start;
    while (start < s.end && text_[start] == ' ') ++start;
    auto place = std::lower_bound(x_.cities.begin(), x_.cities.end(), start, [](const CityMention& c, size_t at) { return c.start < at; });
    if (place == x_.cities.end() || place->start != start) return s.start;
    if (Dateline(*place)) {
      const std::string_view opening = std::string_view(text_).substr(place->end, std::min<size_t>(80, s.end - place->end));
      size_t dash = std::string_view::npos, dash_size = 0;
      for (std::string_view mark : {" — ", " – ", " -- ", " - "}) {
        if (size_t at = opening.find(mark); at < dash) {
          dash = at;
          dash_size = mark.size();
        }
      }
      if (dash != std::string_view::npos) return place->end + dash + dash_size;
    }
    if (text_.compare(place->end, 2, ", ") != 0) return s.start;
    auto date = std::lower_bound(x_.dates.begin(), x_.dates.end(), place->end, [](const DateMention& d, size_t at) { return d.start < at; });
    if (date == x_.dates.end() || date->start != place->end + 2 || date->end > s.end) return s.start;
    return date->end;
  }

  // The city mentions inside sentence `s`, re-based to the sentence start; none in a byline.
  std::vector<CityMention> CitiesIn(const TextSpan& s, std::string_view sentence) {
    std::vector<CityMention> in_sentence;
    while (next_city_ < x_.cities.size() && x_.cities[next_city_].start < s.start) ++next_city_;
    if (Byline(sentence)) return in_sentence;
    for (size_t i = next_city_; i < x_.cities.size() && x_.cities[i].end <= s.end; ++i) {
      CityMention local = x_.cities[i];
      local.start -= s.start;
      local.end -= s.start;
      in_sentence.push_back(std::move(local));
    }
    return in_sentence;
  }

  // "LUBLIN, Poland — The city council on Thursday passed ...": "the city" (or "the council")
  // right after a dateline is the dateline's place, the only one named before it. `body` is
  // where the sentence's words begin after the dateline (AfterDateline), bytes into it.
  bool AddDatelineSubject(std::string_view sentence, size_t body, std::vector<CityMention>& in_sentence) const {
    if (body == 0 || in_sentence.empty() || !Dateline(in_sentence.front())) return false;
    auto ref = rules_.SubjectReference(sentence.substr(body));
    if (!ref) return false;
    const TextSpan at{body + ref->start, body + ref->end};
    const std::string said(sentence.substr(at.start, at.end - at.start));
    if (said == "It" || said == "it") return false;
    auto after = std::find_if(in_sentence.begin(), in_sentence.end(), [&](const CityMention& c) { return c.start >= body; });
    if (after != in_sentence.end() && after->start <= at.end + 4) return false;  // "The city of Nakhodka"
    in_sentence.insert(after, CityMention{at.start, at.end, said, in_sentence.front().place});
    return true;
  }

  // "It also has three other twin cities: ..." is the city the text was last about; "The city ..."
  // the one it is about. Whether the sentence opens with such a stand-in.
  bool AddSubjectReference(std::string_view sentence, std::vector<CityMention>& in_sentence) const {
    if (!subject_) return false;
    auto ref = rules_.SubjectReference(sentence);
    if (!ref || (!in_sentence.empty() && in_sentence[0].start < ref->end)) return false;
    const std::string said(sentence.substr(ref->start, ref->end - ref->start));
    std::optional<Place> meant = said != "It" && said != "it" && main_place_ ? *main_place_ : *subject_;
    if (SaysCity(said) && IsDivision(*meant)) meant = IsDivision(*subject_) ? std::nullopt : subject_;
    if (!meant) return false;
    in_sentence.insert(in_sentence.begin(), CityMention{ref->start, ref->end, said, *meant});
    return true;
  }

  // "the city", "The town's": a word that names a city or a town, which a province or a region
  // is not ("Last autumn the city signed ..." in an article on the Novosibirsk Oblast speaks of
  // Novosibirsk, the city named last).
  static bool SaysCity(std::string_view said) {
    return said.find("city") != std::string_view::npos || said.find("City") != std::string_view::npos ||
           said.find("town") != std::string_view::npos || said.find("Town") != std::string_view::npos;
  }
  static bool IsDivision(const Place& p) { return p.feature == "ADM1" || p.feature == "ADM2" || p.feature == "ADMD"; }

  // "Contacts with Pskov were frozen in March 2022": the city the article is about, else the one
  // the text was last about, as the first party of the tie the sentence opens with.
  bool AddImpliedParty(std::string_view sentence, std::vector<CityMention>& in_sentence) const {
    if (in_sentence.empty() || (!main_place_ && !subject_)) return false;
    auto at = rules_.ImpliedParty(sentence);
    if (!at || in_sentence[0].start < at->end) return false;
    in_sentence.insert(in_sentence.begin(), CityMention{at->start, at->start, "", main_place_ ? *main_place_ : *subject_});
    return true;
  }

  // "Hřib signed ... with Taipei": a name of a mayor or governor named before acts for the place.
  void AddOfficeHolders(std::string_view sentence, std::vector<CityMention>& in_sentence) const {
    for (const auto& [surname, place] : office_holders_) {
      for (size_t at = sentence.find(surname); at != std::string_view::npos; at = sentence.find(surname, at + 1)) {
        const size_t end = at + surname.size();
        if (!StandsAlone(sentence, at, end)) continue;
        auto pos = std::find_if(in_sentence.begin(), in_sentence.end(), [&](const CityMention& c) { return c.end > at; });
        if (pos != in_sentence.end() && pos->start < end) continue;  // a place's own name
        in_sentence.insert(pos, CityMention{at, end, surname, place});
      }
    }
  }

  // "..., making the Czech brewing city the first in Central Europe ...", "The province established
  // friendly relations with Kenya's Nakuru County": a place named before, described by its
  // country's adjective or its kind, is the last place named before it that fits both. Words that
  // say neither ("the city", "its partner", "the Bavarian town") are too vague to read here; words
  // that a name follows are an apposition ("the Chinese capital Beijing"), the name is the place.
  void AddDescribedPlaces(const TextSpan& s, std::string_view sentence, std::vector<CityMention>& in_sentence) const {
    if (in_sentence.empty()) return;  // no other party for it
    for (const auto& described : rules_.DescribedPlaces(sentence)) {
      const TextSpan& ref = described.ref;
      const std::string_view said = sentence.substr(ref.start, ref.end - ref.start);
      std::string country;
      for (size_t start = 0; start < said.size();) {
        const size_t end = std::min(said.find(' ', start), said.size());
        if (std::string code = gazetteer_.DemonymCountry(said.substr(start, end - start)); !code.empty()) country = code;
        start = end + 1;
      }
      if (country.empty() && described.kind != EventRules::DescribedPlace::kDivision) continue;
      auto next = std::find_if(in_sentence.begin(), in_sentence.end(), [&](const CityMention& c) { return c.end > ref.start; });
      if (next != in_sentence.end() && next->start <= ref.end + 4) continue;  // its own name, or one right after it
      if (sentence.substr(ref.end, 4) == " of ") continue;                       // "the Japanese city of Kobe"
      if (ref.end + 1 < sentence.size() && sentence[ref.end] == ' ' && std::isupper(static_cast<unsigned char>(sentence[ref.end + 1]))) {
        continue;  // a name the gazetteer does not know: "the Japanese city Kakamigahara"
      }
      // "Taiji, the Japanese whaling town": an apposition describes the name before it, which
      // the gazetteer did not know.
      if (ref.start >= 3 && sentence.substr(ref.start - 2, 2) == ", " &&
          (std::isupper(static_cast<unsigned char>(WordBefore(sentence, ref.start - 2).front())))) {
        continue;
      }
      if (country.empty()) {
        // "The province ...": only the place the text was last about, if a division.
        if (subject_ && subject_->feature.starts_with("ADM")) {
          in_sentence.insert(next, CityMention{ref.start, ref.end, std::string(said), *subject_});
        }
        continue;
      }
      const size_t at = s.start + ref.start;
      std::optional<Place> meant;
      for (size_t i = x_.cities.size(); i-- > 0 && !meant;) {
        const CityMention& c = x_.cities[i];
        if (c.end > at || Dateline(c)) continue;
        const bool division = c.place.feature.starts_with("ADM");
        if (described.kind == EventRules::DescribedPlace::kDivision && !division) continue;
        if (described.kind == EventRules::DescribedPlace::kCity && division) continue;
        if (!country.empty() && c.place.country != country) continue;
        meant = c.place;
      }
      if (meant) in_sentence.insert(next, CityMention{ref.start, ref.end, std::string(said), *meant});
    }
  }

  // "..., reminders of the city's sister-city relationship with Arkhangelsk": the city the article
  // is about; before any sentence opened with a city, the first one named in this sentence.
  void AddPossessiveReference(std::string_view sentence, std::vector<CityMention>& in_sentence) const {
    auto own = rules_.PossessiveReference(sentence);
    if (!own) return;
    auto at = std::find_if(in_sentence.begin(), in_sentence.end(), [&](const CityMention& c) { return c.end > own->start; });
    std::optional<Place> meant = main_place_ ? main_place_
                                 : (at != in_sentence.begin() ? std::optional<Place>(in_sentence.front().place) : std::nullopt);
    const std::string_view said = sentence.substr(own->start, own->end - own->start);
    if (meant && SaysCity(said) && IsDivision(*meant)) meant = subject_ && !IsDivision(*subject_) ? subject_ : std::nullopt;
    if (meant && (at == in_sentence.end() || at->start >= own->end)) {
      in_sentence.insert(at, CityMention{own->start, own->end, std::string(sentence.substr(own->start, own->end - own->start)), *meant});
    }
  }

  // "the two cities": the first two places named before it in this sentence, else in the last
  // sentence that named two.
  void AddPairReference(std::string_view sentence, std::vector<CityMention>& in_sentence) const {
    auto ref = rules_.PairReference(sentence);
    if (!ref) return;
    std::vector<CityMention> before;
    for (const auto& c : in_sentence) {
      if (c.end <= ref->start) before.push_back(c);
    }
    const auto referred = FirstPair(before) ? FirstPair(before) : pair_;
    if (!referred) return;
    const std::string said(sentence.substr(ref->start, ref->end - ref->start));
    InsertPair(in_sentence, *ref, said, *referred);
  }

  // Inserts the two places of `pair` as mentions with the span `ref`, before the mentions after it.
  static void InsertPair(std::vector<CityMention>& mentions, const TextSpan& ref, const std::string& said,
                         const std::pair<Place, Place>& pair) {
    auto at = std::find_if(mentions.begin(), mentions.end(), [&](const CityMention& c) { return c.start >= ref.end; });
    at = mentions.insert(at, CityMention{ref.start, ref.end, said, pair.second});
    mentions.insert(at, CityMention{ref.start, ref.end, said, pair.first});
  }

  // Whether the words after a place make it say where the next name lies: "(the Sakhalin) port of
  // Nevelsk", "(the Hebei) port city Qinhuangdao", "(the Gyeonggi) city of Suwon". Not "(Seoul)
  // city Mayor Oh": without "of", only a port says so.
  static bool SaysWhereNextLies(std::string_view after) {
    size_t name = 0;
    while (name < after.size() && !std::isupper(static_cast<unsigned char>(after[name])) && name < 40) ++name;
    if (name < 3 || name >= after.size() || after.front() != ' ' || after[name - 1] != ' ') return false;
    std::string_view words = after.substr(1, name - 2);
    const bool of = words.ends_with(" of");
    if (of) words.remove_suffix(3);
    for (std::string_view side : {"northern ", "southern ", "eastern ", "western ", "central ", "coastal ", "industrial ", "river "}) {
      if (words.starts_with(side)) words.remove_prefix(side.size());
    }
    if (words == "port city" || words == "port town" || words == "port") return true;
    return of && (words == "city" || words == "town" || words == "village");
  }

  // The sentence's events: those its rules read directly, then those read through a reference to
  // a tie named before ("terminated the deal"). Returns the first party of the first event.
  // `body_start`: where the sentence's own words begin, after a dateline and its date.
  std::optional<Place> ReadEvents(const TextSpan& s, size_t body_start, std::string_view sentence,
                                  std::vector<CityMention> in_sentence) {
    // "VLADIVOSTOK, May 13 (Far East News) — The city of Nakhodka ...": where and by whom the
    // report was filed names no party (the fallback may take it as the place referred to).
    std::optional<Place> dateline;
    if (!in_sentence.empty() && in_sentence.front().start < body_start - s.start) dateline = in_sentence.front().place;
    std::erase_if(in_sentence, [&](const CityMention& c) { return c.start < body_start - s.start; });
    // "Nakhodka in Primorsky Krai", "Naucalpan, State of Mexico, Mexico": a division right after a
    // place it holds, or the name of the place's country after a comma, says where that place
    // lies; it is no party (a country's name is its capital only where they share it).
    for (size_t i = 1; i < in_sentence.size();) {
      const CityMention& before = in_sentence[i - 1];
      const CityMention& c = in_sentence[i];
      const std::string_view between =
          c.start >= before.end ? sentence.substr(before.end, c.start - before.end) : std::string_view("x");
      const bool country_name = c.start >= 2 && sentence.substr(c.start - 2, 2) == ", " && c.place.country == before.place.country &&
                                gazetteer_.CountryCode(c.text) == c.place.country;
      if (((between == ", " || between == " in ") && HoldsPlace(c.place, before.place)) || country_name) {
        in_sentence.erase(in_sentence.begin() + i);
      } else {
        ++i;
      }
    }
    // "the Sakhalin port of Nevelsk", "the capital of Tatarstan renewed ...": the region is where
    // the party lies, not the party (which the gazetteer may lack: then there is none).
    std::erase_if(in_sentence, [&](const CityMention& c) {
      return SaysWhereNextLies(sentence.substr(c.end)) ||
             (IsDivision(c.place) && c.start >= 15 && sentence.substr(c.start - 15, 15) == "the capital of ");
    });
    const size_t events_before = x_.events.size();
    std::optional<Place> first_party = ReadRuleEvents(s, body_start, sentence, in_sentence);
    // The fallback reads only what the rules left: a sentence they read no event in.
    if (dateline) dateline_ = dateline;
    if (fallback_ != nullptr && x_.events.size() == events_before && !Heading(sentence)) {
      ReadFallback(s, body_start, sentence, in_sentence, first_party);
    }
    return first_party;
  }

  // The sentence's events the rules read: directly, then through a reference to a tie named
  // before. Returns the first party of the first event.
  std::optional<Place> ReadRuleEvents(const TextSpan& s, size_t body_start, std::string_view sentence,
                                      const std::vector<CityMention>& in_sentence) {
    std::optional<Place> first_party;
    const size_t events_before = x_.events.size();
    std::optional<std::pair<Place, Place>> tie_in_sentence;  // the last tie read before the tie reference
    size_t tie_end = body_start;                               // and where its match ends
    // A tie reference needs a tie read before it: in this sentence (two places) or before.
    const bool tie_possible = !Heading(sentence) && (in_sentence.size() >= 2 || events_before > 0);
    const auto tie_ref = tie_possible ? rules_.TieReference(sentence) : std::nullopt;
    if (in_sentence.size() >= 2) {
      for (const auto& m : rules_.MatchSentence(sentence, in_sentence, on_topic_)) {
        if (tie_ref && m.end <= tie_ref->start) {
          tie_in_sentence = std::make_pair(in_sentence[m.first_city].place, in_sentence[m.second_city].place);
          tie_end = s.start + m.end;
        }
        AddEvent(s, m, in_sentence, body_start, false, first_party);
      }
    }
    if (!tie_ref) return first_party;
    // "..., said on Tuesday it had terminated the deal": the deal is the tie read last, in this
    // sentence before it, else in the sentences before. Only the rules for such references read it,
    // and only an event whose match takes the reference in counts.
    auto tie = tie_in_sentence;
    if (!tie && events_before > 0 && !tie_unread_) tie = std::make_pair(x_.events[events_before - 1].first, x_.events[events_before - 1].second);
    // "Tallinn ended the deal too": a place named before the reference that is no party of the
    // tie speaks of another one.
    if (tie && !in_sentence.empty() && in_sentence.front().start < tie_ref->start &&
        PlaceKey(in_sentence.front().place) != PlaceKey(tie->first) && PlaceKey(in_sentence.front().place) != PlaceKey(tie->second)) {
      tie.reset();
    }
    if (!tie) return first_party;
    std::vector<CityMention> with_tie = in_sentence;
    InsertPair(with_tie, *tie_ref, std::string(sentence.substr(tie_ref->start, tie_ref->end - tie_ref->start)), *tie);
    for (const auto& m : rules_.MatchSentence(sentence, with_tie, on_topic_, true)) {
      if (m.end <= tie_ref->start || m.start >= tie_ref->end) continue;
      AddEvent(s, m, with_tie, tie_end, true, first_party);
    }
    return first_party;
  }

  // The ties the fallback layer reads in sentence `s` (TieFallback): a place the sentence names
  // alone is paired with the city the article is about, else the dateline's.
  void ReadFallback(const TextSpan& s, size_t body_start, std::string_view sentence, const std::vector<CityMention>& in_sentence,
                    std::optional<Place>& first_party) {
    std::optional<Place> referred = main_place_ ? main_place_ : dateline_;
    // "Wen-je signed ... with Taipei" after a mayor whose city the text did not say: the sentence's
    // actor is someone of an unknown place, not the article's city.
    for (const auto& name : unplaced_holders_) {
      for (size_t at = sentence.find(name); at != std::string_view::npos; at = sentence.find(name, at + 1)) {
        if (StandsAlone(sentence, at, at + name.size())) referred.reset();
      }
    }
    std::vector<TieFallback::Reading> readings = fallback_->Read(sentence, in_sentence, referred, rules_);
    std::vector<CityMention> with_tie;
    if (readings.empty() && (section_pair_ || (!x_.events.empty() && !tie_unread_))) {
      // "Cologne put it on ice in March 2022": a reference to the tie read last (under a heading
      // that names a pair, that pair's: "Darwin and the capital of Maluku province signed their
      // agreement in 1988"), where the sentence names no place outside it (a division that holds
      // one of the two is none).
      const std::pair<Place, Place> tie = section_pair_ ? *section_pair_ : std::make_pair(x_.events.back().first, x_.events.back().second);
      auto ref = rules_.TieReference(sentence);
      if (!ref) ref = fallback_->TiePronoun(sentence);
      const bool outside = std::any_of(in_sentence.begin(), in_sentence.end(), [&](const CityMention& c) {
        return PlaceKey(c.place) != PlaceKey(tie.first) && PlaceKey(c.place) != PlaceKey(tie.second) &&
               !HoldsPlace(c.place, tie.first) && !HoldsPlace(c.place, tie.second);
      });
      if (ref && !outside) {
        with_tie = {};
        InsertPair(with_tie, *ref, std::string(sentence.substr(ref->start, ref->end - ref->start)), tie);
        readings = fallback_->Read(sentence, with_tie, std::nullopt, rules_, *ref);
      }
    }
    if (readings.empty() && section_pair_) readings = fallback_->Read(sentence, in_sentence, std::nullopt, rules_, std::nullopt, section_pair_);
    for (const auto& r : readings) {
      EventMention ev;
      ev.type = r.type;
      ev.first = r.first;
      ev.second = r.second;
      ev.evidence = std::string(original_.substr(s.start, s.end - s.start));
      ev.start = s.start;
      ev.end = s.end;
      ev.rule = TieFallback::RuleId(r.type);
      ev.confidence = fallback_->confidence();
      const EventDate date = EventDateIn(text_, x_.dates, s, TextSpan{s.start + r.match.start, s.start + r.match.end},
                                         TextSpan{s.start + r.trigger.start, s.start + r.trigger.end}, r.type,
                                         std::string::npos, body_start, TextSpan{0, 0});
      // A founding stands only with its own date, right after its word ("formalised in 1985").
      if (r.founding && (date.value.empty() || date.distance > 12)) continue;
      ev.date = date.value;
      date_readings_.push_back({date.distance, false});
      if (!first_party) first_party = ev.first;
      x_.events.push_back(std::move(ev));
    }
  }

  // One event of sentence `s` from match `m` over `mentions`. `not_before`: dates before it belong
  // to another event (the tie a reference refers to).
  void AddEvent(const TextSpan& s, const EventRules::Match& m, const std::vector<CityMention>& mentions, size_t not_before,
                bool by_reference, std::optional<Place>& first_party) {
    EventMention ev;
    ev.type = m.type;
    ev.first = mentions[m.first_city].place;
    ev.second = mentions[m.second_city].place;
    ev.evidence = std::string(original_.substr(s.start, s.end - s.start));
    ev.start = s.start;
    ev.end = s.end;
    ev.rule = EventRules::RuleId(m.rule);
    ev.confidence = EventRules::RuleConfidence(m.rule);
    // A party read from a list takes no date the list gives a member before it ("Kobe, Japan, its
    // oldest, dating from 1957, and Mombasa, Kenya"); its own ("and Tel Aviv in 1979") it does.
    const EventDate date = EventDateIn(text_, x_.dates, s, TextSpan{s.start + m.start, s.start + m.end},
                                       TextSpan{s.start + m.trigger_start, s.start + m.trigger_end}, m.type,
                                       EventRules::RuleDateAfter(m.rule), not_before,
                                       TextSpan{s.start + m.others_dates.start, s.start + m.others_dates.end});
    ev.date = date.value;
    date_readings_.push_back({date.distance, by_reference});
    if (!first_party) first_party = ev.first;
    x_.events.push_back(std::move(ev));
  }

  // What the next sentences may refer to: the subject (this sentence's first party, else its first
  // city), the place the article is about, and the last two places named together. `body`: where
  // the sentence's own words begin after a dateline, bytes into it (AfterDateline).
  void RememberPlaces(const std::vector<CityMention>& in_sentence, size_t body, const std::optional<Place>& first_party) {
    if (first_party) subject_ = first_party;
    else if (!in_sentence.empty()) subject_ = in_sentence.front().place;
    // A dateline ("MOSCOW, February 19. /TASS/. Nizhny Novgorod and ...", "Lima, Mar 10 (EFE).- The
    // Provincial Municipality of Cusco ...") says where the report was filed: the sentence opens
    // with the place after it.
    auto opening = std::find_if(in_sentence.begin(), in_sentence.end(),
                                [&](const CityMention& c) { return !Dateline(c) && c.start >= body; });
    if (opening != in_sentence.end()) {
      const size_t n = ++openings_[PlaceKey(opening->place)];
      if (n > main_openings_) {  // on a tie, the place that got there first
        main_openings_ = n;
        main_place_ = opening->place;
      }
    }
    if (auto two = FirstPair(in_sentence)) pair_ = two;
  }

  // "Wakkanai became a sister city of the Sakhalin port of Nevelsk ... Since 2022, the tie has been
  // frozen.": when the last sentence that named a tie and a place gave no event (a place the
  // gazetteer lacks), "the tie" after it is that one, not the tie read before it.
  void RememberUnreadTie(std::string_view sentence, const std::vector<CityMention>& in_sentence, bool read) {
    if (read) tie_unread_ = false;
    else if (on_topic_ && !in_sentence.empty() && rules_.OnTopic(sentence)) tie_unread_ = true;
  }

  // Office holders named here, for the sentences after: the place named right before the title
  // ("Jiangsu Governor Xu Kunlin"), else right after the name ("Mayor Ko Wen-je of Taipei"), else,
  // when the sentence names no place, the city the article is about.
  void RememberOfficeHolders(std::string_view sentence, const std::vector<CityMention>& in_sentence) {
    for (const auto& holder : rules_.OfficeHolders(sentence)) {
      std::optional<Place> place;
      for (const auto& c : in_sentence) {
        if (c.end <= holder.whole.start && holder.whole.start - c.end <= 5) place = c.place;
        if (!place && c.start >= holder.whole.end && c.start - holder.whole.end <= 4 &&
            sentence.substr(holder.whole.end, c.start - holder.whole.end).find("of") != std::string_view::npos) {
          place = c.place;
        }
      }
      if (!place && in_sentence.empty() && main_place_) place = main_place_;
      // Each word of the name: "Hřib" of "Zdeněk Hřib", "Xu" of "Xu Kunlin" (family name first).
      const std::string_view name = sentence.substr(holder.name.start, holder.name.end - holder.name.start);
      for (size_t start = 0; start < name.size();) {
        size_t end = std::min(name.find(' ', start), name.size());
        const std::string word(name.substr(start, end - start));
        start = end + 1;
        if (word.size() < 2) continue;
        if (place) {
          office_holders_[word] = *place;
          unplaced_holders_.erase(word);
        } else {
          office_holders_.erase(word);  // whose office it is, the text does not say
          unplaced_holders_.insert(word);
        }
      }
    }
  }

  const EventRules& rules_;
  const TieFallback* fallback_;   // null: no fallback layer, or an article that names no tie
  const Gazetteer& gazetteer_;
  const std::string& text_;       // the article's text with plain spaces, which the layers read
  std::string_view original_;     // the article's text, for the evidence a user sees
  Extraction& x_;
  const bool on_topic_;
  size_t next_city_ = 0;          // the first city of x_.cities not before the current sentence
  std::optional<Place> subject_;  // the city the text was last about, for "It"
  // How often each place opened a sentence (was its first city), and the place that did so most:
  // the city the article is about, for "The city" ("Lyon is one of seven sister cities of
  // Yokohama. The city's oldest tie ..." speaks of Yokohama).
  std::map<std::string, size_t> openings_;
  std::optional<Place> main_place_;
  bool tie_unread_ = false;  // the last sentence naming a tie and a place gave no event (RememberUnreadTie)
  size_t main_openings_ = 0;
  std::optional<Place> dateline_;  // the place of the last dateline, where the report was filed
  std::optional<std::pair<Place, Place>> pair_;  // the two it was last about, for "the two cities"
  std::map<std::string, Place> office_holders_;  // a name of a mayor or governor -> the place
  std::set<std::string> unplaced_holders_;       // names of office holders whose place the text did not say
  std::vector<DateReading> date_readings_;       // for each event of x_.events
  TextSpan lead_;                                // the first sentence
  std::pair<size_t, size_t> motion_events_{0, 0};  // the events (indexes) of the sentence before, if it moved a motion
  std::optional<std::pair<Place, Place>> section_pair_;  // the pair the heading above named
  std::optional<Place> last_holder_place_;       // the place of the office holder named last, for "he"
  std::string meeting_date_;                     // the date of the council meeting the text last dated
  bool in_minutes_ = false;                      // whether the text said it is a meeting's minutes or summary
  static constexpr size_t kMeetingDistance = 1 << 20;  // how far a meeting's date stands from the act it dates
};

}  // namespace

Extraction Extractor::Process(Article article) const {
  Extraction x;
  // The layers read the text with plain spaces; offsets are the same, and the text the user sees
  // (mentions, evidence) is taken from the article.
  const std::string text = WithAsciiSpaces(article.text);
  const std::string_view original = article.text;
  const std::string anchor = article.published.empty() ? options_.default_published : article.published.value;
  const std::vector<TextSpan> sentences = sentences_->Split(text);
  x.cities = gazetteer_->FindCities(text, sentences);
  x.dates = dates_->Find(text, sentences, anchor);
  // A word that is a date ("March", "Of") is no city.
  std::erase_if(x.cities, [&](const CityMention& c) {
    return std::any_of(x.dates.begin(), x.dates.end(), [&](const DateMention& d) { return c.start < d.end && d.start < c.end; });
  });
  for (auto& c : x.cities) c.text = std::string(original.substr(c.start, c.end - c.start));
  for (auto& d : x.dates) d.text = std::string(original.substr(d.start, d.end - d.start));

  ArticleReader reader(*events_, fallback_.get(), *gazetteer_, text, original, x);
  for (const TextSpan& s : sentences) reader.Read(s);
  if (!article.title.empty()) {
    const std::string headline = WithAsciiSpaces(article.title.value);
    const std::vector<TextSpan> whole{TextSpan{0, headline.size()}};
    std::vector<CityMention> cities = gazetteer_->FindCities(headline, whole);
    const std::vector<DateMention> dates = dates_->Find(headline, whole, anchor);
    std::erase_if(cities, [&](const CityMention& c) {
      return std::any_of(dates.begin(), dates.end(), [&](const DateMention& d) { return c.start < d.end && d.start < c.end; });
    });
    reader.ReadHeadline(headline, article.title.value, std::move(cities), sentences);
  }
  MergeRepeats(&x.events, reader.date_readings());
  // The anchor a user gave (--published) is the article's publication date from here on: stored
  // with it, so re-extraction later anchors relative dates the same way.
  if (article.published.empty() && !options_.default_published.empty()) {
    article.published = {options_.default_published, "--published"};
  }
  x.article = std::move(article);
  return x;
}

}  // namespace tw
