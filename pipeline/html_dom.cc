#include "pipeline/html_dom.h"

#include <gumbo.h>

#include <algorithm>
#include <cstring>

#include "pipeline/html_prefilter.h"

namespace tw {

namespace {

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Storage grows in chunks of this size (a larger string gets a chunk of its own size).
constexpr size_t kChunkBytes = 64 * 1024;

}  // namespace

std::string_view HtmlDom::Keep(std::string_view s, bool lowercase) {
  if (s.empty()) return {};
  if (chunk_used_ + s.size() > chunk_size_) {
    chunk_size_ = std::max(kChunkBytes, s.size());
    chunks_.push_back(std::make_unique<char[]>(chunk_size_));
    chunk_used_ = 0;
  }
  char* out = chunks_.back().get() + chunk_used_;
  if (lowercase) std::transform(s.begin(), s.end(), out, AsciiLower);
  else std::memcpy(out, s.data(), s.size());
  chunk_used_ += s.size();
  return {out, s.size()};
}

Result<HtmlDom> HtmlDom::Parse(std::string_view utf8_html, size_t max_markup_bytes) {
  if (utf8_html.size() >= (size_t{1} << 31)) return Status::TooLarge("HTML document over 2 GB");
  // Hostile nesting would make Gumbo's parse quadratic: cap it first (real pages pass untouched),
  // and leave out the scripts, style sheets and comments that nothing reads.
  PrefilterResult limited = PrefilterHtml(utf8_html);
  if (limited.rewritten) utf8_html = limited.html;
  size_t unparsed = 0;
  if (utf8_html.size() > max_markup_bytes) {
    // Cut before a tag, so no tag is left half read.
    size_t cut = utf8_html.rfind('<', max_markup_bytes);
    if (cut == std::string_view::npos || cut == 0) cut = max_markup_bytes;
    unparsed = utf8_html.size() - cut;
    utf8_html = utf8_html.substr(0, cut);
  }
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // we do not read parse errors; do not spend memory collecting them
  GumboOutput* output = gumbo_parse_with_options(&options, utf8_html.data(), utf8_html.size());
  if (output == nullptr || output->root == nullptr) {
    if (output) gumbo_destroy_output(&options, output);
    return Status::Corruption("HTML parser produced no document");
  }

  HtmlDom dom;
  dom.limited_tags_ = limited.deleted_tags + limited.trimmed_tags + limited.closed_tags;
  dom.unparsed_bytes_ = unparsed;
  // Iterative copy: a stack of (gumbo node, our parent id).
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
        const GumboElement& el = g->v.element;
        n.kind = Kind::kElement;
        if (el.tag != GUMBO_TAG_UNKNOWN) {
          n.tag = gumbo_normalized_tagname(el.tag);  // static storage in Gumbo
        } else {
          // Unknown tags: take the name from the original text ("<my-widget ...>").
          GumboStringPiece piece = el.original_tag;
          gumbo_tag_from_original_text(&piece);
          n.tag = dom.Keep(std::string_view(piece.data ? piece.data : "", piece.data ? piece.length : 0), true);
        }
        n.first_attribute = static_cast<uint32_t>(dom.attributes_.size());
        n.attribute_count = el.attributes.length;
        for (unsigned i = 0; i < el.attributes.length; ++i) {
          auto* a = static_cast<const GumboAttribute*>(el.attributes.data[i]);
          dom.attributes_.push_back({dom.Keep(a->name, true), dom.Keep(a->value)});
        }
        children = &el.children;
        break;
      }
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA:
        n.kind = Kind::kText;
        n.text = dom.Keep(g->v.text.text);
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
    dom.nodes_.push_back(n);
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
  for (const auto& a : Attributes(id)) {
    if (a.name == name) return a.value;
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
