// A cheap pass over HTML before the parser, with two jobs.
//
// 1. Keep hostile markup from making the parse quadratic. Gumbo (like the HTML spec it follows)
//    scans its stack of open elements and its list of active formatting elements on many tags, so
//    a million nested <div>s, a million unclosed <b id=N>s, or a tag with a million attributes
//    costs hours. The pass models both structures roughly (implied end tags, void and raw-text
//    elements, foreign content, formatting markers), deletes the tags that would push either past
//    a limit (with their end tags) and the attributes of a tag past a limit, and closes formatting
//    elements the parser would otherwise reopen again and again. Text is never deleted; real
//    pages never come near the limits.
// 2. Drop what nothing downstream reads: comments, script bodies (JSON-LD data is kept) and style
//    sheets, about half the bytes of a news page, which the parser then need not tokenize.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tw {

struct PrefilterLimits {
  size_t max_depth = 512;             // open elements
  size_t max_formatting = 64;         // active formatting elements (<b>, <font>, <a>...) since the last marker
  size_t max_attributes = 256;        // attributes of one tag
  size_t max_dangling_formatting = 4; // formatting elements closed only implicitly (reopened by the parser)
};

struct PrefilterResult {
  bool rewritten = false;   // true when `html` below holds the filtered page
  std::string html;         // the filtered page (only when rewritten)
  size_t deleted_tags = 0;  // start and end tags deleted for nesting too deep
  size_t trimmed_tags = 0;  // tags whose excess attributes were deleted
  size_t closed_tags = 0;   // end tags inserted for formatting elements left open
  size_t dropped_bytes = 0; // bytes of comments, scripts and style sheets left out
};

// Scans `html` once; rewrites it when there is anything to drop or a limit was passed.
PrefilterResult PrefilterHtml(std::string_view html, const PrefilterLimits& limits = {});

}  // namespace tw
