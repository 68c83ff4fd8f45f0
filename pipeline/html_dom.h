// A small, read-only DOM of our own, built from Gumbo's parse tree. The rest of the code sees only
// this adapter, so the parser can be replaced (Gumbo is unmaintained) without touching callers.
// Nodes live in one vector and link by index; every walk over them is iterative, so deeply nested
// pages cannot overflow the stack.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/status.h"

namespace tw {

class HtmlDom {
 public:
  using NodeId = uint32_t;
  static constexpr NodeId kNone = UINT32_MAX;

  enum class Kind : uint8_t { kElement, kText };

  struct Node {
    Kind kind = Kind::kElement;
    std::string tag;   // lowercase element name; empty for text
    std::string text;  // text content for text nodes
    std::vector<std::pair<std::string, std::string>> attributes;  // names lowercase
    NodeId parent = kNone;
    NodeId first_child = kNone;
    NodeId next_sibling = kNone;
    uint32_t depth = 0;
  };

  // Parses UTF-8 HTML. Fails only when the parser gives no tree at all.
  static Result<HtmlDom> Parse(std::string_view utf8_html);

  NodeId root() const { return nodes_.empty() ? kNone : 0; }
  const Node& node(NodeId id) const { return nodes_[id]; }
  size_t size() const { return nodes_.size(); }

  // The value of attribute `name` (lowercase), or empty.
  std::string_view Attribute(NodeId id, std::string_view name) const;

  // Ids of element nodes with this tag, in document order.
  std::vector<NodeId> ElementsByTag(std::string_view tag) const;

  // Concatenated text of all descendant text nodes (no whitespace normalisation).
  std::string TextContent(NodeId id) const;

  // Next node in document (pre-)order, staying inside the subtree of `scope`; kNone at its end.
  // With `skip_children`, the subtree of `id` itself is skipped.
  NodeId NextInOrder(NodeId id, NodeId scope, bool skip_children = false) const;

 private:
  std::vector<Node> nodes_;
};

}  // namespace tw
