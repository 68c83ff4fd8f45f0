#include "pipeline/cleaner.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "pipeline/charset.h"
#include "pipeline/deadline.h"
#include "pipeline/html_dom.h"
#include "pipeline/language_guess.h"
#include "pipeline/main_text.h"
#include "pipeline/metadata.h"
#include "pipeline/plain_text.h"

namespace tw {

namespace {

// True when the bytes hold control characters that text never has (a few in a thousand are
// tolerated: pages do carry stray ones). Wide encodings (UTF-16/32) are full of NULs by design.
bool LooksBinary(const std::string& bytes, const std::string& charset) {
  if (charset.rfind("UTF-16", 0) == 0 || charset.rfind("UTF-32", 0) == 0) return false;
  const size_t limit = std::min<size_t>(bytes.size(), 64 * 1024);
  size_t junk = 0;
  for (size_t i = 0; i < limit; ++i) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) ++junk;
  }
  return junk * 50 > limit;  // over 2 %
}

// Non-empty lines of `text`, white space folded.
std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string line = FoldSpaces(text.substr(pos, eol - pos));
    if (!line.empty()) lines.push_back(std::move(line));
    pos = eol + 1;
  }
  return lines;
}

size_t Chars(const std::vector<std::string>& paragraphs) {
  size_t chars = 0;
  for (const auto& p : paragraphs) chars += CountText(p).chars;
  return chars;
}

// JSON-LD articleBody as paragraphs: plain text by lines, or markup by its blocks.
std::vector<std::string> ArticleBodyParagraphs(const std::string& body, const MainTextOptions& options) {
  if (body.find("</") != std::string::npos || body.find("<p") != std::string::npos || body.find("<br") != std::string::npos) {
    auto dom = HtmlDom::Parse(body, options.max_text_bytes);
    if (!dom.ok()) return {};
    return ExtractMainText(*dom, options).paragraphs;
  }
  return Lines(body);
}

// The main text of the markup inside a frameset page's <noframes> elements.
MainText NoFramesText(const HtmlDom& dom, const MainTextOptions& options) {
  std::string markup;
  for (HtmlDom::NodeId id : dom.ElementsByTag("noframes")) markup += dom.TextContent(id);
  if (markup.empty()) return {};
  auto inner = HtmlDom::Parse(markup, options.max_text_bytes);
  if (!inner.ok()) return {};
  return ExtractMainText(*inner, options);
}

}  // namespace

struct Cleaner::Impl {
  CleanerOptions options;

  Status OverTime(const Article& a) const {
    return Status::TooLarge(fmt::format("{}: cleaning took longer than the limit of {:g} s (--max-parse-seconds)",
                                        a.origin, options.max_seconds));
  }

  Result<Article> CleanHtml(const std::string& html, Article a, const Deadline& deadline) const {
    auto dom = HtmlDom::Parse(html, options.max_html_bytes);
    if (!dom.ok()) return dom.status().WithContext(a.origin);
    if (deadline.Expired()) return OverTime(a);
    if (dom->limited_tags() > 0) {
      spdlog::debug("{}: nesting too deep for the parser: {} tags dropped or closed", a.origin, dom->limited_tags());
    }
    if (dom->unparsed_bytes() > 0) {
      spdlog::debug("{}: the last {} bytes of markup were not parsed (over {} bytes)", a.origin, dom->unparsed_bytes(),
                    options.max_html_bytes);
    }
    PageMetadata meta = ReadPageMetadata(*dom, a.url, a.fetch_time);
    a.title = std::move(meta.title);
    a.published = std::move(meta.published);
    a.author = std::move(meta.author);
    a.canonical_url = std::move(meta.canonical_url);
    a.language = std::move(meta.language);
    if (deadline.Expired()) return OverTime(a);

    MainTextOptions text_options;
    text_options.max_text_bytes = options.max_text_bytes;
    text_options.title = a.title.value;
    text_options.site_name = meta.site_name;
    MainText main = ExtractMainText(*dom, text_options);
    if (deadline.Expired()) return OverTime(a);
    a.text_source = main.method;
    if (!dom->ElementsByTag("frameset").empty()) {
      // A frameset page's own text is its <noframes> fallback, which the parser keeps as raw markup.
      main = NoFramesText(*dom, text_options);
      a.text_source = "noframes";
    }
    std::vector<std::string> paragraphs = std::move(main.paragraphs);
    if (!meta.article_body.empty()) {
      // The page's own structured copy of the article, when the markup gave much less of it
      // (text behind a script, a paywall teaser in the markup).
      std::vector<std::string> body = ArticleBodyParagraphs(meta.article_body, text_options);
      const size_t body_chars = Chars(body);
      if (body_chars >= 200 && main.chars * 2 < body_chars) {
        paragraphs = std::move(body);
        a.text_source = "json-ld:articleBody";
      }
    }
    // A title repeated as the first paragraph is not body text.
    if (!paragraphs.empty() && !a.title.empty() && paragraphs.front() == a.title.value) paragraphs.erase(paragraphs.begin());
    if (a.published.empty()) {
      std::vector<std::string> top = std::move(main.header_lines);
      top.insert(top.end(), paragraphs.begin(), paragraphs.begin() + std::min<size_t>(paragraphs.size(), 4));
      if (auto d = DatelineDate(top, a.fetch_time); !d.empty()) a.published = {d, "dateline"};
    }
    a.text = Join(paragraphs);
    return a;
  }

  Result<Article> CleanText(const std::string& text, Article a) const {
    std::vector<std::string> lines = Lines(text);
    // A short first line without final punctuation is the headline.
    if (lines.size() > 1 && lines[0].size() < 200 && !std::ispunct(static_cast<unsigned char>(lines[0].back()))) {
      a.title = {lines[0], "first line"};
      lines.erase(lines.begin());
      if (!lines.empty() && lines[0] == a.title.value) lines.erase(lines.begin());
    }
    a.text_source = "plain text";
    a.text = Join(lines);
    return a;
  }

  std::string Join(const std::vector<std::string>& paragraphs) const {
    std::string text;
    for (const auto& p : paragraphs) {
      if (!text.empty()) text += "\n\n";
      text += p;
      if (text.size() > options.max_text_bytes) break;
    }
    return text;
  }
};

Cleaner::Cleaner(CleanerOptions options) : impl_(std::make_unique<Impl>()) { impl_->options = options; }
Cleaner::~Cleaner() = default;

Result<Article> Cleaner::Process(const RawDoc& doc) const {
  const Deadline deadline(impl_->options.max_seconds);
  Article a;
  a.url = doc.url;
  a.id = ArticleIdForUrl(doc.url);
  a.origin = doc.origin.empty() ? doc.url : doc.origin;
  a.fetch_time = doc.fetch_time;
  if (doc.bytes.empty()) return Status::InvalidArgument(a.origin + ": empty document");
  const bool html = doc.content_type.find("html") != std::string::npos;
  DecodedText decoded = DecodeToUtf8(doc.bytes, doc.charset, html);
  if (LooksBinary(doc.bytes, decoded.charset)) {
    return Status::InvalidArgument(a.origin + ": binary data, not a text or HTML document");
  }
  a.charset = decoded.charset;
  a.charset_source = decoded.source;
  if (!decoded.ignored_label.empty()) {
    spdlog::debug("{}: labelled {} but the bytes say otherwise; read as {}", a.origin, decoded.ignored_label, decoded.charset);
  }
  if (decoded.replaced > 0) {
    spdlog::debug("{}: {} invalid {} sequences replaced by U+FFFD", a.origin, decoded.replaced, decoded.charset);
  }
  if (deadline.Expired()) return impl_->OverTime(a);
  Result<Article> result = html ? impl_->CleanHtml(decoded.utf8, std::move(a), deadline) : impl_->CleanText(decoded.utf8, std::move(a));
  if (!result.ok()) return result;
  Article& out = result.value();
  if (out.text.size() > impl_->options.max_text_bytes) {
    return Status::TooLarge(fmt::format("{}: main text longer than the limit of {} bytes (--max-text-mb)", out.origin,
                                        impl_->options.max_text_bytes));
  }
  if (deadline.Expired()) return impl_->OverTime(out);
  if (out.language.empty()) {
    std::string lang = GuessLanguage(out.text);
    if (!lang.empty()) out.language = {lang, "stopwords"};
  }
  if (out.text.empty()) return Status::InvalidArgument(out.origin + ": no article text found");
  spdlog::debug("{}: {} bytes of text from {}", out.origin, out.text.size(), out.text_source);
  out.content_hash = Hash64(out.text);
  return result;
}

}  // namespace tw
