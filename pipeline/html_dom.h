// A small, read-only DOM of our own, built from Gumbo's parse tree. The rest of the code sees only
// this adapter, so the parser can be replaced (Gumbo is unmaintained) without touching callers.
// Nodes live in one vector and link by index; every walk over them is iterative, so deeply nested
// pages cannot overflow the stack. Strings (tag names, text, attributes) are views into storage
// the DOM owns, so a node costs a few dozen bytes and no allocation of its own.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/status.h"

namespace tw {

class HtmlDom {
 public:
  using NodeId = uint32_t;
  static constexpr NodeId kNone = UINT32_MAX;

  enum class Kind : uint8_t { kElement, kText };

  struct Attr {
    std::string_view name;  // lowercase
    std::string_view value;
  };

  struct Node {
    Kind kind = Kind::kElement;
    std::string_view tag;   // lowercase element name ("#document" for the root); empty for text
    std::string_view text;  // text content for text nodes
    NodeId parent = kNone;
    NodeId first_child = kNone;
    NodeId next_sibling = kNone;
    uint32_t depth = 0;
    uint32_t first_attribute = 0;  // into the attribute table (see Attributes())
    uint32_t attribute_count = 0;
  };

  struct AttributeRange {
    const Attr* first;
    const Attr* last;
    const Attr* begin() const { return first; }
    const Attr* end() const { return last; }
  };

  // Parses UTF-8 HTML. Fails only when the parser gives no tree at all. Hostile nesting is
  // capped before parsing, and comments, script bodies (other than JSON-LD) and style sheets are
  // left out (see html_prefilter.h). Markup past `max_markup_bytes` (counted after that) is not
  // parsed: the parser needs several times the page's size in memory.
  static Result<HtmlDom> Parse(std::string_view utf8_html, size_t max_markup_bytes = SIZE_MAX);

  HtmlDom() = default;
  HtmlDom(HtmlDom&&) = default;
  HtmlDom& operator=(HtmlDom&&) = default;

  NodeId root() const { return nodes_.empty() ? kNone : 0; }
  const Node& node(NodeId id) const { return nodes_[id]; }
  size_t size() const { return nodes_.size(); }

  AttributeRange Attributes(NodeId id) const {
    const Attr* first = attributes_.data() + nodes_[id].first_attribute;
    return {first, first + nodes_[id].attribute_count};
  }
  // The value of attribute `name` (lowercase), or empty.
  std::string_view Attribute(NodeId id, std::string_view name) const;

  // Ids of element nodes with this tag, in document order.
  std::vector<NodeId> ElementsByTag(std::string_view tag) const;

  // Concatenated text of all descendant text nodes (no whitespace normalisation).
  std::string TextContent(NodeId id) const;

  // Next node in document (pre-)order, staying inside the subtree of `scope`; kNone at its end.
  // With `skip_children`, the subtree of `id` itself is skipped.
  NodeId NextInOrder(NodeId id, NodeId scope, bool skip_children = false) const;

  // Tags deleted, trimmed or closed before parsing because the page nested deeper than a parser
  // can afford (see html_prefilter.h); 0 for real pages.
  size_t limited_tags() const { return limited_tags_; }
  // Bytes of markup left unparsed because of `max_markup_bytes`.
  size_t unparsed_bytes() const { return unparsed_bytes_; }

 private:
  // Copies `s` into storage whose addresses never move, and returns a view of the copy.
  std::string_view Keep(std::string_view s, bool lowercase = false);

  std::vector<Node> nodes_;
  std::vector<Attr> attributes_;
  std::vector<std::unique_ptr<char[]>> chunks_;  // text and attribute storage
  size_t chunk_used_ = 0, chunk_size_ = 0;
  size_t limited_tags_ = 0;
  size_t unparsed_bytes_ = 0;
};

}  // namespace tw
