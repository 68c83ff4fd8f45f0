#include "pipeline/html_dom.h"

#include <gumbo.h>

#include <cctype>

namespace tw {

namespace {

std::string TagName(const GumboElement& el) {
  if (el.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(el.tag);
  // Unknown tags: take the name from the original text ("<my-widget ...>").
  GumboStringPiece piece = el.original_tag;
  gumbo_tag_from_original_text(&piece);
  std::string name(piece.data ? piece.data : "", piece.data ? piece.length : 0);
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

}  // namespace

Result<HtmlDom> HtmlDom::Parse(std::string_view utf8_html) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // we do not read parse errors; do not spend memory collecting them
  GumboOutput* output = gumbo_parse_with_options(&options, utf8_html.data(), utf8_html.size());
  if (output == nullptr || output->root == nullptr) {
    if (output) gumbo_destroy_output(&options, output);
    return Status::Corruption("HTML parser produced no document");
  }

  HtmlDom dom;
  // Iterative copy: a stack of (gumbo node, our parent id, our previous sibling id).
  struct Pending {
    const GumboNode* node;
    NodeId parent;
  };
  std::vector<Pending> stack;
  stack.push_back({output->root, kNone});
  std::vector<NodeId> last_child;  // per our node: its last child so far, to link siblings
  while (!stack.empty()) {
    Pending p = stack.back();
    stack.pop_back();
    const GumboNode* g = p.node;
    Node n;
    n.parent = p.parent;
    n.depth = p.parent == kNone ? 0 : dom.nodes_[p.parent].depth + 1;
    const GumboVector* children = nullptr;
    switch (g->type) {
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE: {
        n.kind = Kind::kElement;
        n.tag = TagName(g->v.element);
        const GumboVector& attrs = g->v.element.attributes;
        n.attributes.reserve(attrs.length);
        for (unsigned i = 0; i < attrs.length; ++i) {
          auto* a = static_cast<const GumboAttribute*>(attrs.data[i]);
          std::string name = a->name;
          for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          n.attributes.emplace_back(std::move(name), a->value);
        }
        children = &g->v.element.children;
        break;
      }
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA:
        n.kind = Kind::kText;
        n.text = g->v.text.text;
        break;
      case GUMBO_NODE_DOCUMENT:
        n.kind = Kind::kElement;
        n.tag = "#document";
        children = &g->v.document.children;
        break;
      case GUMBO_NODE_COMMENT:
        continue;
    }
    const NodeId id = static_cast<NodeId>(dom.nodes_.size());
    dom.nodes_.push_back(std::move(n));
    last_child.push_back(kNone);
    if (p.parent != kNone) {
      NodeId prev = last_child[p.parent];
      if (prev == kNone) dom.nodes_[p.parent].first_child = id;
      else dom.nodes_[prev].next_sibling = id;
      last_child[p.parent] = id;
    }
    if (children) {
      // Push in reverse so the first child is copied first (document order).
      for (unsigned i = children->length; i-- > 0;) {
        stack.push_back({static_cast<const GumboNode*>(children->data[i]), id});
      }
    }
  }
  gumbo_destroy_output(&options, output);
  return dom;
}

std::string_view HtmlDom::Attribute(NodeId id, std::string_view name) const {
  for (const auto& [k, v] : nodes_[id].attributes) {
    if (k == name) return v;
  }
  return {};
}

std::vector<HtmlDom::NodeId> HtmlDom::ElementsByTag(std::string_view tag) const {
  std::vector<NodeId> out;
  for (NodeId i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].kind == Kind::kElement && nodes_[i].tag == tag) out.push_back(i);
  }
  return out;
}

HtmlDom::NodeId HtmlDom::NextInOrder(NodeId id, NodeId scope, bool skip_children) const {
  if (!skip_children && nodes_[id].first_child != kNone) return nodes_[id].first_child;
  while (id != kNone && id != scope) {
    if (nodes_[id].next_sibling != kNone) return nodes_[id].next_sibling;
    id = nodes_[id].parent;
  }
  return kNone;
}

std::string HtmlDom::TextContent(NodeId id) const {
  std::string out;
  for (NodeId n = id; n != kNone; n = NextInOrder(n, id)) {
    if (nodes_[n].kind == Kind::kText) out += nodes_[n].text;
  }
  return out;
}

}  // namespace tw
