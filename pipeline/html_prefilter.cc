#include "pipeline/html_prefilter.h"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tw {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool ContainsIgnoringCase(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && Lower(haystack[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

bool In(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// What the tree builder does with a tag name, as bits (looked up once per tag).
enum TagFlag : uint32_t {
  kVoid = 1u << 0,
  kRawText = 1u << 1,            // content read as text up to the end tag
  kFormatting = 1u << 2,         // goes into the list of active formatting elements
  kMarker = 1u << 3,             // puts a marker in that list, cleared when it closes
  kHeading = 1u << 4,
  kForeignRoot = 1u << 5,        // <svg>, <math>
  kClosesParagraph = 1u << 6,    // its start tag closes an open <p>
  kScopeBoundary = 1u << 7,      // limits "has an element in scope"
  kBreaksOutOfForeign = 1u << 8, // leaves <svg>/<math> content
  kStopsListItemSearch = 1u << 9,// the spec's "special" elements other than address, div, p
};

using FlagTable = std::unordered_map<std::string_view, uint32_t>;

FlagTable BuildFlagTable() {
  FlagTable t;
  auto add = [&t](uint32_t flag, std::initializer_list<std::string_view> names) {
    for (auto n : names) t[n] |= flag;
  };
  const std::initializer_list<std::string_view> headings = {"h1", "h2", "h3", "h4", "h5", "h6"};
  add(kVoid, {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
              "wbr", "keygen", "basefont", "bgsound", "frame", "image"});
  add(kRawText, {"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title"});
  add(kFormatting, {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"});
  add(kMarker, {"applet", "object", "marquee", "template", "td", "th", "caption"});
  add(kHeading, headings);
  add(kForeignRoot, {"svg", "math"});
  add(kClosesParagraph, headings);
  add(kClosesParagraph, {"address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div",
                         "dl", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "main", "menu",
                         "nav", "ol", "p", "section", "summary", "ul", "pre", "listing", "table", "hr", "xmp",
                         "plaintext", "li", "dd", "dt"});
  add(kScopeBoundary, {"applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "svg", "math"});
  add(kBreaksOutOfForeign, headings);
  add(kBreaksOutOfForeign, {"b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em",
                            "embed", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby",
                            "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var"});
  add(kStopsListItemSearch, {"applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "svg",
                             "math", "ul", "ol", "menu", "dl", "tr", "tbody", "thead", "tfoot", "body", "button",
                             "blockquote", "section", "article", "nav", "aside", "main", "header", "footer", "form",
                             "fieldset", "figure", "details", "dialog", "center", "select"});
  return t;
}

uint32_t FlagsOf(std::string_view name) {
  static const FlagTable kTable = BuildFlagTable();  // immutable after first use
  auto it = kTable.find(name);
  return it == kTable.end() ? 0 : it->second;
}

class Prefilter {
 public:
  Prefilter(std::string_view html, const PrefilterLimits& limits) : html_(html), limits_(limits) {}

  PrefilterResult Run() {
    size_t pos = 0;
    const size_t n = html_.size();
    while (pos < n) {
      const size_t lt = html_.find('<', pos);
      if (lt == std::string_view::npos || lt + 1 >= n) break;
      const char next = html_[lt + 1];
      if (next == '!') {
        if (html_.compare(lt, 4, "<!--") == 0) {
          pos = EndOfComment(lt);
          edits_.push_back({lt, pos, {}});
          code_bytes_ += pos - lt;
        } else {
          pos = EndAt(html_.find('>', lt));
        }
      } else if (next == '?') {
        pos = EndAt(html_.find('>', lt));
      } else if (next == '/') {
        if (lt + 2 < n && IsAsciiAlpha(html_[lt + 2])) pos = EndTag(lt);
        else pos = EndAt(html_.find('>', lt));
      } else if (IsAsciiAlpha(next)) {
        pos = StartTag(lt);
      } else {
        pos = lt + 1;
      }
    }
    PrefilterResult result;
    result.deleted_tags = deleted_tags_;
    result.trimmed_tags = trimmed_tags_;
    result.closed_tags = closed_tags_;
    result.dropped_bytes = code_bytes_;
    if (edits_.empty()) return result;
    std::stable_sort(edits_.begin(), edits_.end(), [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
    result.rewritten = true;
    result.html.reserve(html_.size() + closed_tags_ * 8);
    size_t copied = 0;
    for (const auto& edit : edits_) {
      result.html.append(html_.substr(copied, edit.begin - copied));
      result.html.append(edit.insert);
      copied = edit.end;
    }
    result.html.append(html_.substr(copied));
    return result;
  }

 private:
  struct Tag {
    std::string name;
    uint32_t flags = 0;
    size_t end = 0;            // just past '>' (or the end of input)
    std::string_view attributes;
    size_t excess_attributes = std::string_view::npos;  // where attributes past the limit begin
    bool self_closing = false;
    bool complete = false;     // a '>' was found
  };
  struct OpenElement {
    std::string name;
    uint32_t flags = 0;
  };
  struct FormattingEntry {
    std::string name;          // empty for a marker
    std::string_view attributes;
    bool open = true;          // still in the stack of open elements
  };
  // Replace [begin, end) by `insert`; edits are recorded in input order.
  struct Edit {
    size_t begin, end;
    std::string insert;
  };

  size_t EndAt(size_t gt) const { return gt == std::string_view::npos ? html_.size() : gt + 1; }

  size_t EndOfComment(size_t lt) const {
    // "<!-->" and "<!--->" are complete (empty) comments too.
    const size_t close = html_.find("-->", lt + 2);
    return close == std::string_view::npos ? html_.size() : close + 3;
  }

  // Reads the tag name and skips its attributes the way the tokenizer does (quotes matter only
  // around attribute values). `i` is just past "<" or "</".
  Tag ReadTag(size_t i) const {
    Tag tag;
    const size_t n = html_.size();
    while (i < n && !IsSpace(html_[i]) && html_[i] != '/' && html_[i] != '>') {
      if (tag.name.size() < 32) tag.name.push_back(Lower(html_[i]));
      ++i;
    }
    tag.flags = FlagsOf(tag.name);
    const size_t attributes_begin = i;
    size_t count = 0;
    while (i < n) {
      while (i < n && (IsSpace(html_[i]) || html_[i] == '/')) {
        if (html_[i] == '/' && i + 1 < n && html_[i + 1] == '>') tag.self_closing = true;
        ++i;
      }
      if (i >= n) break;
      if (html_[i] == '>') {
        tag.complete = true;
        tag.attributes = html_.substr(attributes_begin, i - attributes_begin);
        tag.end = i + 1;
        return tag;
      }
      tag.self_closing = false;
      if (++count == limits_.max_attributes + 1) tag.excess_attributes = i;
      ++i;  // the first character belongs to the name whatever it is (even '=')
      while (i < n && !IsSpace(html_[i]) && html_[i] != '/' && html_[i] != '>' && html_[i] != '=') ++i;
      while (i < n && IsSpace(html_[i])) ++i;
      if (i < n && html_[i] == '=') {
        ++i;
        while (i < n && IsSpace(html_[i])) ++i;
        if (i < n && (html_[i] == '"' || html_[i] == '\'')) {
          const size_t close = html_.find(html_[i], i + 1);
          i = close == std::string_view::npos ? n : close + 1;
        } else {
          while (i < n && !IsSpace(html_[i]) && html_[i] != '>') ++i;
        }
      }
    }
    tag.end = n;  // end of input inside a tag: the parser drops the tag
    return tag;
  }

  void Delete(size_t begin, size_t end) {
    // Runs of deleted tags (a million "<div>"s in a row) make one edit.
    if (!edits_.empty() && edits_.back().end == begin && edits_.back().insert.empty()) {
      edits_.back().end = end;
    } else {
      edits_.push_back({begin, end, {}});
    }
    ++deleted_tags_;
  }

  // Index in the stack of the nearest open element matching `matches`, searching down from the
  // top and giving up at an element with one of the `stop` flags; npos if none.
  template <typename Pred>
  size_t FindOpen(Pred matches, uint32_t stop) const {
    for (size_t i = stack_.size(); i-- > 0;) {
      if (matches(stack_[i])) return i;
      if (stack_[i].flags & stop) break;
    }
    return std::string::npos;
  }
  size_t FindOpenNamed(std::string_view name, uint32_t stop) const {
    return FindOpen([name](const OpenElement& e) { return e.name == name; }, stop);
  }

  void Pop() {
    const OpenElement& top = stack_.back();
    if (top.flags & kMarker) ClearFormattingToMarker();
    if (top.flags & kFormatting) ClosedImplicitly(top.name);
    if ((top.flags & kForeignRoot) && foreign_depth_ > 0) --foreign_depth_;
    if (top.name == "p") --open_paragraphs_;
    stack_.pop_back();
  }
  void PopTo(size_t index) {  // pops the element at `index` and everything above it
    if (index == std::string::npos) return;
    while (stack_.size() > index) Pop();
  }

  // A formatting element closed by an ancestor's end tag stays in the list, and the parser
  // reopens it before the next text or element, again and again. A few of those are normal
  // sloppy HTML; past the limit the element is closed explicitly (an end tag inserted before
  // the tag being read), which costs the page nothing but its bold.
  void ClosedImplicitly(const std::string& name) {
    const size_t entry = FindFormatting(name, /*open_only=*/true);
    if (entry == std::string::npos) return;
    if (dangling_formatting_ < limits_.max_dangling_formatting) {
      formatting_[entry].open = false;
      ++dangling_formatting_;
      return;
    }
    formatting_.erase(formatting_.begin() + static_cast<std::ptrdiff_t>(entry));
    edits_.push_back({current_tag_, current_tag_, "</" + name + ">"});
    ++closed_tags_;
  }

  size_t LastMarker() const {
    for (size_t i = formatting_.size(); i-- > 0;) {
      if (formatting_[i].name.empty()) return i + 1;
    }
    return 0;
  }
  void RemoveFormatting(size_t entry) {
    if (!formatting_[entry].open && dangling_formatting_ > 0) --dangling_formatting_;
    formatting_.erase(formatting_.begin() + static_cast<std::ptrdiff_t>(entry));
  }
  void ClearFormattingToMarker() {
    while (!formatting_.empty()) {
      const bool marker = formatting_.back().name.empty();
      RemoveFormatting(formatting_.size() - 1);
      if (marker) break;
    }
  }
  size_t FindFormatting(std::string_view name, bool open_only = false) const {
    const size_t since = LastMarker();
    for (size_t i = formatting_.size(); i-- > since;) {
      if (formatting_[i].name == name && (formatting_[i].open || !open_only)) return i;
    }
    return std::string::npos;
  }

  // The end tags a start tag implies (a new <p> closes the open one, <li> the open <li>, ...).
  void CloseImplied(const Tag& tag) {
    const std::string& name = tag.name;
    auto named = [](std::initializer_list<std::string_view> names) {
      return [names](const OpenElement& e) { return In(e.name, names); };
    };
    if ((tag.flags & kClosesParagraph) && open_paragraphs_ > 0) PopTo(FindOpenNamed("p", kScopeBoundary | kButton));
    if ((tag.flags & kHeading) && !stack_.empty() && (stack_.back().flags & kHeading)) Pop();
    if (name == "li") PopTo(FindOpenNamed("li", kStopsListItemSearch));
    if (name == "dd" || name == "dt") PopTo(FindOpen(named({"dd", "dt"}), kStopsListItemSearch));
    if ((name == "option" || name == "optgroup") && !stack_.empty() && stack_.back().name == "option") Pop();
    if (name == "optgroup" && !stack_.empty() && stack_.back().name == "optgroup") Pop();
    if (name == "tr") PopTo(FindOpenNamed("tr", kTable));
    if (name == "td" || name == "th") PopTo(FindOpen(named({"td", "th"}), kTable | kRow));
    if (name == "tbody" || name == "thead" || name == "tfoot") PopTo(FindOpen(named({"tbody", "thead", "tfoot"}), kTable));
    if (name == "table" && !stack_.empty() && In(stack_.back().name, {"table", "tbody", "thead", "tfoot", "tr"})) {
      PopTo(FindOpenNamed("table", 0));
    }
    if (name == "button") PopTo(FindOpenNamed("button", kScopeBoundary));
    if (name == "a" || name == "nobr") {
      // A new <a> closes the open one (the adoption agency).
      const size_t entry = FindFormatting(name);
      if (entry != std::string::npos) {
        const bool open = formatting_[entry].open;
        RemoveFormatting(entry);
        if (open) PopTo(FindOpenNamed(name, 0));
      }
    }
  }

  // Adds a formatting element to the list (with the spec's limit of three identical ones);
  // false when the list is full.
  bool PushFormatting(const Tag& tag) {
    const size_t since = LastMarker();
    size_t identical = 0, earliest = std::string::npos;
    for (size_t i = since; i < formatting_.size(); ++i) {
      if (formatting_[i].name == tag.name && formatting_[i].attributes == tag.attributes) {
        if (identical++ == 0) earliest = i;
      }
    }
    if (identical >= 3) RemoveFormatting(earliest);
    if (formatting_.size() - since >= limits_.max_formatting) return false;
    formatting_.push_back({tag.name, tag.attributes, true});
    return true;
  }

  size_t StartTag(size_t lt) {
    Tag tag = ReadTag(lt + 1);
    if (!tag.complete) return tag.end;
    current_tag_ = lt;
    const size_t deleted_before = deleted_tags_;
    const size_t end = OpenOrDelete(lt, tag);
    if (tag.excess_attributes != std::string_view::npos && deleted_tags_ == deleted_before) {
      // Keep the tag, delete its attributes past the limit (the parser checks each new attribute
      // against all the others).
      edits_.push_back({tag.excess_attributes, tag.end - 1, {}});
      ++trimmed_tags_;
    }
    return end;
  }

  size_t OpenOrDelete(size_t lt, const Tag& tag) {
    const std::string& name = tag.name;
    if (name == "html" || name == "body" || name == "head") {
      // Repeats only add attributes to the first one, at a cost that grows with each repeat.
      bool& seen = name == "html" ? seen_html_ : name == "body" ? seen_body_ : seen_head_;
      if (seen) Delete(lt, tag.end);
      seen = true;
      return tag.end;
    }
    if (foreign_depth_ > 0) {
      if (tag.flags & kBreaksOutOfForeign) {
        PopTo(FindOpen([](const OpenElement& e) { return (e.flags & kForeignRoot) != 0; }, 0));
      } else {
        if (tag.self_closing) return tag.end;
        return Open(lt, tag);
      }
    }
    if (tag.flags & kVoid) return tag.end;
    if (name == "plaintext") return html_.size();  // the rest of the page is text
    if (tag.flags & kRawText) return SkipRawText(tag);
    CloseImplied(tag);
    return Open(lt, tag);
  }

  size_t Open(size_t lt, const Tag& tag) {
    if (stack_.size() >= limits_.max_depth || ((tag.flags & kFormatting) && !PushFormatting(tag))) {
      Delete(lt, tag.end);
      ++dropped_open_[tag.name];
      return tag.end;
    }
    stack_.push_back({tag.name, tag.flags | ExtraFlags(tag.name)});
    if (tag.flags & kForeignRoot) ++foreign_depth_;
    if (tag.flags & kMarker) formatting_.push_back({});
    if (tag.name == "p") ++open_paragraphs_;
    return tag.end;
  }

  // Skips the text of <script>, <style>, <textarea>... to its end tag (consumed too). Script
  // bodies (other than JSON-LD data) and style sheets are deleted: nothing downstream reads
  // them, and they are half the bytes of a news page.
  size_t SkipRawText(const Tag& tag) {
    const size_t n = html_.size();
    size_t body_end = n, end = n;
    for (size_t i = tag.end; (i = html_.find("</", i)) != std::string_view::npos;) {
      const size_t j = i + 2;
      size_t k = 0;
      while (k < tag.name.size() && j + k < n && Lower(html_[j + k]) == tag.name[k]) ++k;
      if (k == tag.name.size() && (j + k >= n || IsSpace(html_[j + k]) || html_[j + k] == '/' || html_[j + k] == '>')) {
        body_end = i;
        end = ReadTag(j).end;
        break;
      }
      i = j;
    }
    const bool code = tag.name == "style" || (tag.name == "script" && !ContainsIgnoringCase(tag.attributes, "ld+json"));
    if (code && body_end > tag.end) {
      edits_.push_back({tag.end, body_end, {}});
      code_bytes_ += body_end - tag.end;
    }
    return end;
  }

  size_t EndTag(size_t lt) {
    Tag tag = ReadTag(lt + 2);
    if (!tag.complete) return tag.end;
    current_tag_ = lt;
    const std::string& name = tag.name;
    auto dropped = dropped_open_.find(name);
    if (dropped != dropped_open_.end() && dropped->second > 0) {
      // Its start tag was deleted: the innermost open one of that name was the deleted one.
      --dropped->second;
      Delete(lt, tag.end);
      return tag.end;
    }
    if (name == "html" || name == "body" || name == "head" || name == "br") return tag.end;
    if (tag.flags & kFormatting) {
      const size_t entry = FindFormatting(name);
      if (entry != std::string::npos) {
        const bool open = formatting_[entry].open;
        RemoveFormatting(entry);
        if (!open) return tag.end;
      }
    }
    if (name == "p" && open_paragraphs_ == 0) return tag.end;
    if (tag.flags & kScopeBoundary) {
      PopTo(FindOpenNamed(name, kHtmlOrTemplate));
    } else {
      PopTo(FindOpenNamed(name, kScopeBoundary));
    }
    return tag.end;
  }

  // Flags only the stack needs, for the searches above.
  static uint32_t ExtraFlags(std::string_view name) {
    if (name == "button") return kButton;
    if (name == "table") return kTable;
    if (name == "tr") return kRow;
    if (name == "html" || name == "template") return kHtmlOrTemplate;
    return 0;
  }
  static constexpr uint32_t kButton = 1u << 16, kTable = 1u << 17, kRow = 1u << 18, kHtmlOrTemplate = 1u << 19;

  std::string_view html_;
  const PrefilterLimits& limits_;
  std::vector<OpenElement> stack_;  // the open elements below <body>
  std::vector<FormattingEntry> formatting_;
  size_t dangling_formatting_ = 0;  // entries of formatting_ no longer open
  size_t open_paragraphs_ = 0;
  size_t foreign_depth_ = 0;        // open <svg>/<math> elements
  size_t current_tag_ = 0;          // where the tag being read begins
  bool seen_html_ = false, seen_body_ = false, seen_head_ = false;
  std::unordered_map<std::string, size_t> dropped_open_;  // deleted start tags still to be closed
  std::vector<Edit> edits_;
  size_t deleted_tags_ = 0, trimmed_tags_ = 0, closed_tags_ = 0;
  size_t code_bytes_ = 0;
};

}  // namespace

PrefilterResult PrefilterHtml(std::string_view html, const PrefilterLimits& limits) {
  return Prefilter(html, limits).Run();
}

}  // namespace tw
