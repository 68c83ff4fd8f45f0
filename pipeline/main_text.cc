#include "pipeline/main_text.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>

#include "pipeline/page_dates.h"
#include "pipeline/page_hints.h"
#include "pipeline/plain_text.h"

namespace tw {

namespace {

using NodeId = HtmlDom::NodeId;
constexpr NodeId kNone = HtmlDom::kNone;

// A container with at least this much text is an article; below it the next pass is tried.
constexpr uint32_t kEnoughChars = 250;
// Paragraph-like blocks shorter than this do not vote for their container.
constexpr uint32_t kMinScoredChars = 25;

// Per-node facts, computed once per pass.
struct Facts {
  bool removed = false;    // never text (scripts, form controls, hidden...), or inside such
  bool furniture = false;  // page furniture, or inside it
  bool in_link = false;
  NodeId unit = kNone;     // the nearest block ancestor-or-self: the paragraph the text belongs to
  // Subtree totals over text that is not removed.
  uint32_t chars = 0;
  uint32_t link_chars = 0;
  uint32_t commas = 0;
  uint32_t heading_chars = 0;
  uint32_t list_chars = 0;  // inside <ul>/<ol>
  uint32_t quote_chars = 0; // inside <blockquote> (quoted posts carry links: handles, dates, URLs)
  uint16_t paragraphs = 0;  // <p> elements
  uint16_t images = 0;
  uint16_t list_items = 0;
  uint16_t inputs = 0;
  uint16_t embeds = 0;
  uint16_t links = 0;
  // The text of this block itself (its inline content, not its nested blocks).
  uint32_t own_chars = 0;
  uint32_t own_link_chars = 0;
  uint32_t own_commas = 0;
  bool scored = false;
  float score = 0;  // Readability-style content score (link density applied once selected)
};

uint16_t AddSaturating(uint16_t a, uint16_t b) { return static_cast<uint16_t>(std::min<uint32_t>(a + b, UINT16_MAX)); }

double Ratio(uint32_t part, uint32_t whole) { return whole == 0 ? 0.0 : static_cast<double>(part) / whole; }

// Short lines that are page furniture in any article ("Advertisement", "Share this").
bool IsBoilerplateLine(std::string_view line) {
  if (line.size() > 40) return false;
  std::string s;
  for (char c : line) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80) s.push_back(c);
    else if (c >= 'A' && c <= 'Z') s.push_back(static_cast<char>(c - 'A' + 'a'));
    else if (c == ' ' && !s.empty() && s.back() != ' ') s.push_back(' ');
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  static const std::string_view kLines[] = {
      "advertisement", "advertisements", "advert", "adverts", "ad", "ads", "sponsored", "sponsored content", "anzeige", "werbung",
      "publicité", "publicidad", "pubblicità", "reklama", "share", "share this", "share this article",
      "share this story", "share on facebook", "share on twitter", "tweet", "email", "print", "comments",
      "read more", "continue reading", "related", "related articles", "related stories", "related posts",
      "loading", "skip to content", "skip to main content", "click to share", "follow us", "subscribe",
      "sign up", "newsletter", "more", "see more", "show more", "close", "menu", "search", "back to top",
      "image", "photo", "video", "watch", "listen", "advertisement continue reading below", "story continues below",
      "article continues below", "scroll to continue with content", "whatsapp", "facebook", "twitter", "linkedin",
      "pinterest", "reddit", "copy link", "link copied"};
  for (auto l : kLines) {
    if (s == l) return true;
  }
  return false;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A short paragraph that asks the reader to do something else: subscribe, sign up, follow,
// write in ("Get the latest updates in your inbox. Subscribe to our newsletters."). Two cues
// are needed, so an article about newsletters keeps its sentences.
bool IsCallToAction(std::string_view p) {
  if (p.size() > 300) return false;
  const std::string lower = LowerAscii(p);
  int cues = 0;
  for (std::string_view cue : {"sign up", "signup", "subscribe", "subscription", "newsletter", "click here", "inbox",
                               "follow us", "follow her", "follow him", "follow me", "on twitter", "on facebook",
                               "on instagram", "download our app", "letterbox", "for more information",
                               "may be reached at", "can be reached at", "have a tip", "email us", "contact us",
                               "tell us what you think", "inscreva-se", "assine", "abonnieren", "abonnez-vous",
                               "suscríbete", "iscriviti", "registrati", "melden sie sich"}) {
    if (lower.find(cue) != std::string::npos) ++cues;
  }
  return cues >= 2;
}

bool SameIgnoringCase(std::string_view a, std::string_view b) {
  return !a.empty() && a.size() == b.size() && LowerAscii(a) == LowerAscii(b);
}

bool StartsWithIgnoringCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// The lines above an article's first paragraph that belong to its header: a byline ("By Jane
// Roe -"), a publication or update line, a bare date.
bool IsHeaderLine(std::string_view line) {
  if (line.size() > 100) return false;
  for (std::string_view by : {"By ", "BY ", "Von ", "VON ", "Par ", "PAR ", "Por ", "POR ", "Di ", "Door ", "Av "}) {
    if (line.size() > by.size() + 1 && line.compare(0, by.size(), by) == 0) {
      const char next = line[by.size()];
      if ((next >= 'A' && next <= 'Z') || static_cast<unsigned char>(next) >= 0x80) return true;
    }
  }
  for (std::string_view word : {"updated", "published", "posted", "last updated", "last modified", "first published",
                                "aktualisiert", "veröffentlicht", "publié", "mis à jour", "publicado", "actualizado",
                                "pubblicato", "aggiornato", "gepubliceerd", "bijgewerkt"}) {
    if (StartsWithIgnoringCase(line, word)) return true;
  }
  const std::string lower = LowerAscii(line);
  for (std::string_view cue : {"posted by", "published by", "written by", "posted in", "filed under", "publicado por",
                               "publié par", "veröffentlicht von", "pubblicato da", "escrito por", "tags:",
                               "categoria:", "category:", "categorie:", "kategorie:"}) {
    if (lower.find(cue) != std::string::npos) return true;
  }
  if (line.size() <= 60 && !FindDate(line).empty()) {
    size_t words = 1;
    for (char c : line) words += c == ' ';
    return words <= 10;
  }
  return false;
}

// A line filing the article under its categories or tags ("Filed under: Politics", "Tags: ..."),
// which themes print above or below the article.
bool IsFilingLine(std::string_view line) {
  if (line.size() > 200) return false;
  for (std::string_view word : {"filed under", "tags:", "tag:", "tagged:", "tagged with", "tagged as", "categories:",
                                "category:", "topics:", "related topics", "schlagwörter:", "stichwörter:", "etiquetas:",
                                "étiquettes:", "mots-clés:", "parole chiave:", "categorie:", "kategorien:"}) {
    if (StartsWithIgnoringCase(line, word)) return true;
  }
  return false;
}

class Extractor {
 public:
  Extractor(const HtmlDom& dom, const MainTextOptions& options) : dom_(dom), options_(options) {
    hints_.resize(dom.size());
    for (NodeId id = 0; id < dom.size(); ++id) {
      const auto& n = dom.node(id);
      if (n.kind != HtmlDom::Kind::kElement) continue;
      hints_[id] = HintsFor(dom, id);
      any_hidden_ |= hints_[id].hidden;
      any_furniture_ |= hints_[id].furniture;
      if (n.tag == "body" && body_ == kNone) body_ = id;
    }
    if (body_ == kNone) body_ = dom.root();
    // A table cell holding a short text and no block or line break of its own is a piece of its
    // row: the row is the paragraph ("1 Kyle Busch 5040 5"), not each cell. Cells of a layout
    // table, which hold the page, stay blocks.
    block_.assign(dom.size(), false);
    std::vector<bool> breaks_inside(dom.size(), false);
    std::vector<uint32_t> text_bytes(dom.size(), 0);
    for (NodeId id = static_cast<NodeId>(dom.size()); id-- > 0;) {
      const auto& n = dom.node(id);
      if (n.kind == HtmlDom::Kind::kText) text_bytes[id] = static_cast<uint32_t>(n.text.size());
      if (n.kind == HtmlDom::Kind::kElement) {
        const bool simple_cell = (n.tag == "td" || n.tag == "th") && !breaks_inside[id] && text_bytes[id] <= 300;
        block_[id] = IsBlockTag(n.tag) && !simple_cell;
      }
      if (n.parent == kNone) continue;
      if (block_[id] || breaks_inside[id] || n.tag == "br") breaks_inside[n.parent] = true;
      text_bytes[n.parent] += text_bytes[id];
    }
  }

  MainText Run() {
    MainText best;
    // Each pass trusts less than the one before; the first with enough text wins.
    const Pass passes[] = {{true, false}, {false, false}, {false, true}};
    for (const Pass& pass : passes) {
      if (!pass.remove_hidden && !any_hidden_ && &pass != &passes[0] && !pass.furniture_votes) continue;
      if (pass.furniture_votes && !any_furniture_) continue;
      MainText text = FromContainer(pass);
      if (text.chars > best.chars) best = std::move(text);
      if (best.chars >= kEnoughChars) return best;
    }
    MainText page = WholePage();
    if (page.chars > 2 * best.chars || best.chars == 0) return page;
    return best;
  }

 private:
  struct Pass {
    bool remove_hidden;    // leave out text hidden by CSS / hidden attributes
    bool furniture_votes;  // let text inside furniture vote for its container
  };

  // Facts for one pass: a pre-order pass (parents before children) and a reverse pass (children
  // before parents, so totals flow up).
  void Analyse(const Pass& pass) {
    facts_.assign(dom_.size(), Facts{});
    for (NodeId id = 0; id < dom_.size(); ++id) {
      const auto& n = dom_.node(id);
      Facts& f = facts_[id];
      if (n.parent != kNone) {
        const Facts& p = facts_[n.parent];
        f.removed = p.removed;
        f.furniture = p.furniture;
        f.in_link = p.in_link || dom_.node(n.parent).tag == "a";
        f.unit = p.unit;
      }
      if (n.kind != HtmlDom::Kind::kElement) continue;
      const ElementHints& h = hints_[id];
      if (h.never_text || (pass.remove_hidden && h.hidden)) f.removed = true;
      if (h.furniture) f.furniture = true;
      if (block_[id]) f.unit = id;
    }
    for (NodeId id = static_cast<NodeId>(dom_.size()); id-- > 0;) {
      const auto& n = dom_.node(id);
      Facts& f = facts_[id];
      if (n.kind == HtmlDom::Kind::kText) {
        if (f.removed) continue;
        const TextCount count = CountText(n.text);
        f.chars = count.chars;
        f.commas = count.commas;
        f.link_chars = f.in_link ? count.chars : 0;
        if (f.unit != kNone) {
          Facts& u = facts_[f.unit];
          u.own_chars += count.chars;
          u.own_commas += count.commas;
          u.own_link_chars += f.link_chars;
        }
      } else {
        const std::string_view tag = n.tag;
        if (tag == "p") f.paragraphs = AddSaturating(f.paragraphs, 1);
        else if (tag == "img") f.images = AddSaturating(f.images, 1);
        else if (tag == "li") f.list_items = AddSaturating(f.list_items, 1);
        else if (tag == "a") f.links = AddSaturating(f.links, 1);
        else if (tag == "input") f.inputs = AddSaturating(f.inputs, 1);
        else if (tag == "iframe" || tag == "video" || tag == "embed" || tag == "object") f.embeds = AddSaturating(f.embeds, 1);
        if (IsHeadingTag(tag)) f.heading_chars = f.chars;
        if (tag == "ul" || tag == "ol") f.list_chars = f.chars;
        if (tag == "blockquote") f.quote_chars = f.chars;
      }
      if (n.parent == kNone) continue;
      Facts& p = facts_[n.parent];
      if (!f.removed) {
        p.chars += f.chars;
        p.link_chars += f.link_chars;
        p.commas += f.commas;
        p.heading_chars += f.heading_chars;
        p.list_chars += f.list_chars;
        p.quote_chars += f.quote_chars;
        p.paragraphs = AddSaturating(p.paragraphs, f.paragraphs);
        p.list_items = AddSaturating(p.list_items, f.list_items);
        p.links = AddSaturating(p.links, f.links);
      }
      p.images = AddSaturating(p.images, f.images);
      p.inputs = AddSaturating(p.inputs, f.inputs);
      p.embeds = AddSaturating(p.embeds, f.embeds);
    }
  }

  static int TagWeight(std::string_view tag) {
    if (tag == "div" || tag == "article" || tag == "main" || tag == "section") return 5;
    if (tag == "pre" || tag == "td" || tag == "blockquote") return 3;
    if (tag == "address" || tag == "ol" || tag == "ul" || tag == "dl" || tag == "dd" || tag == "dt" || tag == "li" ||
        tag == "form") {
      return -3;
    }
    if (IsHeadingTag(tag) || tag == "th") return -5;
    return 0;
  }

  void AddScore(NodeId id, double s) {
    Facts& f = facts_[id];
    if (!f.scored) {
      f.scored = true;
      f.score = static_cast<float>(TagWeight(dom_.node(id).tag) + hints_[id].weight);
    }
    f.score += static_cast<float>(s);
  }

  double LinkDensity(NodeId id) const { return Ratio(facts_[id].link_chars, facts_[id].chars); }

  // The score a candidate competes with: its content score, less its share of link text.
  double Final(NodeId id) const { return facts_[id].score * (1.0 - LinkDensity(id)); }

  // Paragraph-like blocks vote for their ancestors (Readability's scoring).
  void Score(const Pass& pass) {
    for (NodeId id = 0; id < dom_.size(); ++id) {
      const auto& n = dom_.node(id);
      const Facts& f = facts_[id];
      if (n.kind != HtmlDom::Kind::kElement || f.removed || f.own_chars < kMinScoredChars) continue;
      if (f.furniture && !pass.furniture_votes) continue;
      if (f.unit != id) continue;
      const double link_density = Ratio(f.own_link_chars, f.own_chars);
      const double s = (1.0 + f.own_commas + std::min(f.own_chars / 100.0, 3.0)) * (1.0 - link_density);
      if (s <= 0) continue;
      // A paragraph's score goes to its parent; the loose text of a <div> counts for the div.
      NodeId node = IsParagraphLikeTag(n.tag) ? n.parent : id;
      for (int level = 0; level < 5 && node != kNone; ++level) {
        const std::string_view tag = dom_.node(node).tag;
        if (tag == "html" || tag == "#document") break;
        AddScore(node, s / (level == 0 ? 1.0 : level == 1 ? 2.0 : level * 3.0));
        node = dom_.node(node).parent;
      }
    }
  }

  bool IsAncestor(NodeId ancestor, NodeId node) const {
    for (NodeId a = dom_.node(node).parent; a != kNone; a = dom_.node(a).parent) {
      if (a == ancestor) return true;
    }
    return false;
  }

  size_t ElementChildren(NodeId id) const {
    size_t count = 0;
    for (NodeId c = dom_.node(id).first_child; c != kNone; c = dom_.node(c).next_sibling) {
      count += dom_.node(c).kind == HtmlDom::Kind::kElement;
    }
    return count;
  }

  // The best container, then Readability's refinements: a common ancestor of several close
  // runners-up, a parent that scores higher, a parent whose only child it is.
  NodeId TopCandidate() const {
    std::vector<NodeId> top;  // the five best, best first
    for (NodeId id = 0; id < dom_.size(); ++id) {
      if (!facts_[id].scored || facts_[id].removed) continue;
      const double s = Final(id);
      auto pos = std::find_if(top.begin(), top.end(), [&](NodeId t) { return s > Final(t); });
      if (pos != top.end() || top.size() < 5) top.insert(pos, id);
      if (top.size() > 5) top.pop_back();
    }
    if (top.empty()) return kNone;
    NodeId best = top[0];
    const double best_score = Final(best);
    std::vector<NodeId> alternatives;
    for (size_t i = 1; i < top.size(); ++i) {
      if (best_score > 0 && Final(top[i]) / best_score >= 0.75) alternatives.push_back(top[i]);
    }
    if (alternatives.size() >= 3) {
      for (NodeId p = dom_.node(best).parent; p != kNone && p != body_; p = dom_.node(p).parent) {
        size_t containing = 0;
        for (NodeId a : alternatives) containing += IsAncestor(p, a);
        if (containing >= 3) {
          best = p;
          break;
        }
      }
    }
    double last = Final(best);
    const double threshold = last / 3;
    for (NodeId p = dom_.node(best).parent; p != kNone && p != body_ && dom_.node(p).tag != "html";
         p = dom_.node(p).parent) {
      if (!facts_[p].scored) continue;
      const double s = Final(p);
      if (s < threshold) break;
      if (s > last) {
        best = p;
        break;
      }
      last = s;
    }
    while (dom_.node(best).parent != kNone && dom_.node(best).parent != body_ &&
           dom_.node(dom_.node(best).parent).tag != "html" && ElementChildren(dom_.node(best).parent) == 1) {
      best = dom_.node(best).parent;
    }
    return best;
  }

  bool LooksLikeSentence(NodeId id) const {
    const std::string text = FoldSpaces(dom_.TextContent(id));
    return text.find(". ") != std::string::npos || (!text.empty() && text.back() == '.');
  }

  // The candidate and those of its siblings that look like more of the article (Readability).
  std::vector<NodeId> WithSiblings(NodeId best) const {
    const NodeId parent = dom_.node(best).parent;
    if (parent == kNone || best == body_) return {best};
    const double best_score = Final(best);
    const double threshold = std::max(10.0, best_score * 0.2);
    const std::string_view best_class = dom_.Attribute(best, "class");
    std::vector<NodeId> out;
    for (NodeId s = dom_.node(parent).first_child; s != kNone; s = dom_.node(s).next_sibling) {
      const auto& n = dom_.node(s);
      const Facts& f = facts_[s];
      if (n.kind != HtmlDom::Kind::kElement || f.removed) continue;
      bool append = s == best;
      if (!append && !f.furniture) {
        const double bonus = !best_class.empty() && dom_.Attribute(s, "class") == best_class ? best_score * 0.2 : 0.0;
        if (f.scored && Final(s) + bonus >= threshold) {
          append = true;
        } else if (bonus > 0 && f.chars >= 100 && LinkDensity(s) < 0.3) {
          // More of the same: a sibling built like the best one (the article in several parts,
          // its paragraphs too deep to have voted for it).
          append = true;
        } else if (n.tag == "p") {
          const double ld = LinkDensity(s);
          if (f.chars > 80 && ld < 0.25) append = true;
          else if (f.chars > 0 && f.chars <= 80 && ld == 0 && LooksLikeSentence(s)) append = true;
        }
      }
      if (append) out.push_back(s);
    }
    return out;
  }

  // Readability's conditional cleaning: blocks inside the article that look like link lists,
  // image strips, forms or widgets. A block holding most of the article (`total` characters)
  // stays whatever it looks like.
  bool CleanAway(NodeId id, uint32_t total) const {
    const auto& n = dom_.node(id);
    const std::string_view tag = n.tag;
    if (!(tag == "div" || tag == "section" || tag == "table" || tag == "ul" || tag == "ol" || tag == "form" ||
          tag == "fieldset" || tag == "aside" || tag == "dl")) {
      return false;
    }
    const Facts& f = facts_[id];
    if (f.chars * 2 >= total) return false;
    const int weight = hints_[id].weight;
    // Readability's "weight + score < 0", without the tag's own weight: a short list or table of
    // plain text inside the article is part of it.
    if (weight + (f.scored ? f.score - TagWeight(tag) : 0.0) < 0) return true;
    const bool is_list = tag == "ul" || tag == "ol" || Ratio(f.list_chars, f.chars) > 0.9;
    // An embedded post (a quoted tweet) is mostly a quote with a few links: handle, date, URL.
    const double ld = Ratio(f.quote_chars, f.chars) > 0.8 ? std::max(0.0, LinkDensity(id) - 0.3) : LinkDensity(id);
    if (is_list && ld > 0.5) return true;  // a list of links: navigation, related stories, tags
    if (f.commas >= 10) return false;
    // A sentence with a link in it, wrapped in a block of its own ("The study was published in
    // <a>Nature</a>."): running text, not a link list. (Short, so nested blocks cost little.)
    if (f.links <= 2 && f.paragraphs <= 1 && f.list_items == 0 && f.chars <= 600 && f.chars - f.link_chars >= 50 &&
        ld <= 0.5 && LooksLikeSentence(id)) {
      return false;
    }
    const double p = f.paragraphs, img = f.images, li = static_cast<double>(f.list_items) - 100;
    const bool in_figure = HasAncestor(id, "figure");
    return (img > 1 && p / img < 0.5 && !in_figure) || (!is_list && li > p) || (f.inputs > p / 3) ||
           (!is_list && tag != "table" && Ratio(f.heading_chars, f.chars) < 0.9 && f.chars < 25 && (img == 0 || img > 2) &&
            !in_figure) ||
           (!is_list && weight < 25 && ld > 0.2) || (weight >= 25 && ld > 0.5) || (f.embeds == 1 && f.chars < 75) ||
           f.embeds > 1;
  }

  // An inline element in running text that is nothing but several links: a pop-up card or a
  // "see also" strip woven into a paragraph. The innermost such element goes, so a linked name
  // the card hangs on stays.
  bool LinkCluster(NodeId id) const {
    if (!IsCluster(id)) return false;
    for (NodeId c = dom_.node(id).first_child; c != kNone; c = dom_.node(c).next_sibling) {
      if (dom_.node(c).kind == HtmlDom::Kind::kElement && IsCluster(c)) return false;
    }
    return true;
  }
  bool IsCluster(NodeId id) const {
    const Facts& f = facts_[id];
    return !block_[id] && dom_.node(id).tag != "a" && f.links >= 3 && f.chars >= 40 && LinkDensity(id) >= 0.9;
  }

  bool HasAncestor(NodeId id, std::string_view tag) const {
    for (NodeId a = dom_.node(id).parent; a != kNone; a = dom_.node(a).parent) {
      if (dom_.node(a).tag == tag) return true;
    }
    return false;
  }

  // Collects paragraphs from the subtrees of `roots`, in document order.
  class Collector {
   public:
    Collector(const Extractor& x, MainText& out) : x_(x), out_(out) {}

    void Text(NodeId id) {
      const NodeId unit = x_.facts_[id].unit;
      if (unit != unit_) Flush();
      unit_ = unit;
      AppendFolded(current_, x_.dom_.node(id).text);
    }

    // An inline element left out of the text (a card of links in a sentence): its text no longer
    // counts for its paragraph.
    void Skipped(NodeId id) {
      const Facts& f = x_.facts_[id];
      if (x_.block_[id] || f.unit == kNone) return;
      if (f.unit != skipped_unit_) {
        skipped_unit_ = f.unit;
        skipped_chars_ = skipped_link_chars_ = 0;
      }
      skipped_chars_ += f.chars;
      skipped_link_chars_ += f.link_chars;
    }

    // Separates two cells of a row.
    void Space() {
      if (!current_.empty() && current_.back() != ' ') current_.push_back(' ');
    }

    void Flush() {
      std::string_view p = TrimSpaces(current_);
      if (!p.empty() && Keep(p)) {
        const uint32_t chars = CountText(p).chars;
        if (chars >= 80) seen_long_ = true;
        out_.chars += chars;
        bytes_ += p.size() + 2;
        out_.paragraphs.emplace_back(p);
      }
      current_.clear();
      unit_ = kNone;
    }

    bool Full() const { return bytes_ + current_.size() > x_.options_.max_text_bytes; }

   private:
    bool Keep(std::string_view p) {
      if (unit_ != kNone) {
        // A block that is mostly a link is navigation ("Next story", a list of related links),
        // unless it also says something of its own (a list of news items with linked headlines).
        // What was left out of it (a card of links in a sentence) does not count.
        const Facts& u = x_.facts_[unit_];
        const bool cut = skipped_unit_ == unit_;
        const uint32_t chars = u.own_chars - std::min(u.own_chars, cut ? skipped_chars_ : 0);
        const uint32_t link_chars = u.own_link_chars - std::min(u.own_link_chars, cut ? skipped_link_chars_ : 0);
        const double ld = Ratio(link_chars, chars);
        const uint32_t unlinked = chars - std::min(chars, link_chars);
        if (ld > 0.8 || (ld > 0.5 && unlinked < 30)) return false;
        // A heading that repeats the page's title, or says only the site's name, is not body text.
        if (IsHeadingTag(x_.dom_.node(unit_).tag) &&
            (p == x_.options_.title || SameIgnoringCase(p, x_.options_.site_name))) {
          return false;
        }
      }
      if (!seen_long_ && IsHeaderLine(p)) {
        if (out_.header_lines.size() < 8) out_.header_lines.emplace_back(p);
        return false;
      }
      return !IsBoilerplateLine(p) && !IsCallToAction(p) && !IsFilingLine(p);
    }

    const Extractor& x_;
    MainText& out_;
    std::string current_;
    NodeId unit_ = kNone;
    // Text of inline elements left out of the block `skipped_unit_`.
    NodeId skipped_unit_ = kNone;
    uint32_t skipped_chars_ = 0, skipped_link_chars_ = 0;
    size_t bytes_ = 0;  // of the paragraphs collected, with their separators
    bool seen_long_ = false;  // a paragraph of the article proper has been collected
  };

  // Walks the subtree of `root`, skipping what `skip` rejects, feeding text and paragraph breaks
  // to `collector`.
  template <typename Skip>
  void Walk(NodeId root, Collector& collector, const Skip& skip) const {
    NodeId id = root;
    while (id != kNone) {
      const auto& n = dom_.node(id);
      bool descend = false;
      if (n.kind == HtmlDom::Kind::kText) {
        if (!facts_[id].removed) collector.Text(id);
      } else if (!skip(id)) {
        if (block_[id] || n.tag == "br") collector.Flush();
        else if (n.tag == "td" || n.tag == "th") collector.Space();
        descend = true;
      } else {
        collector.Skipped(id);
      }
      if (collector.Full()) break;
      if (descend && n.first_child != kNone) {
        id = n.first_child;
        continue;
      }
      // Leave this node and every ancestor that has no next sibling.
      while (id != kNone) {
        const auto& m = dom_.node(id);
        if (m.kind == HtmlDom::Kind::kElement && block_[id]) collector.Flush();
        if (id == root) {
          id = kNone;
          break;
        }
        if (m.next_sibling != kNone) {
          id = m.next_sibling;
          break;
        }
        id = m.parent;
      }
    }
    collector.Flush();
  }

  MainText FromContainer(const Pass& pass) {
    Analyse(pass);
    Score(pass);
    MainText out;
    const NodeId best = TopCandidate();
    if (best == kNone) return out;
    const std::vector<NodeId> roots = WithSiblings(best);
    if (spdlog::should_log(spdlog::level::trace)) {
      for (NodeId r : roots) {
        spdlog::trace("main text: container <{} class=\"{}\" id=\"{}\"> score {:.1f}, {} chars{}", dom_.node(r).tag,
                      dom_.Attribute(r, "class"), dom_.Attribute(r, "id"), facts_[r].scored ? Final(r) : 0.0,
                      facts_[r].chars, r == best ? " (best)" : "");
      }
    }
    uint32_t total = 0;
    for (NodeId r : roots) total += facts_[r].chars;
    out.method = pass.remove_hidden ? "container" : "container+hidden";
    Collector collector(*this, out);
    for (NodeId root : roots) {
      Walk(root, collector, [&](NodeId id) {
        const Facts& f = facts_[id];
        if (f.removed) return true;
        // Furniture inside the article goes, unless it holds most of the article (a container
        // whose class names a share bar it also holds).
        const char* why = nullptr;
        if (hints_[id].furniture && id != root && f.chars * 2 < total) why = "furniture";
        else if (id != root && CleanAway(id, total)) why = "cleaned away";
        else if (id != root && LinkCluster(id)) why = "link cluster";
        if (why && f.chars >= 50 && spdlog::should_log(spdlog::level::trace)) {
          spdlog::trace("main text: left out <{} class=\"{}\">, {} chars: {}", dom_.node(id).tag,
                        dom_.Attribute(id, "class"), f.chars, why);
        }
        return why != nullptr;
      });
    }
    return out;
  }

  // Every readable block of the page, furniture and link lists left out.
  MainText WholePage() {
    Analyse({true, false});
    MainText out;
    out.method = "page";
    Collector collector(*this, out);
    Walk(body_, collector, [&](NodeId id) {
      const Facts& f = facts_[id];
      return f.removed || (hints_[id].furniture && id != body_) ||
             (dom_.node(id).tag == "ul" && LinkDensity(id) > 0.5);
    });
    return out;
  }

  const HtmlDom& dom_;
  const MainTextOptions& options_;
  std::vector<ElementHints> hints_;
  std::vector<bool> block_;  // elements whose content is a paragraph of its own
  std::vector<Facts> facts_;
  NodeId body_ = kNone;
  bool any_hidden_ = false;
  bool any_furniture_ = false;
};

}  // namespace

MainText ExtractMainText(const HtmlDom& dom, const MainTextOptions& options) { return Extractor(dom, options).Run(); }

}  // namespace tw
