// Reading the TOML rule files of rules/: parse errors and wrong types become "FILE:LINE: message".
#pragma once

#include <toml++/toml.h>

#include <string>

#include "pipeline/status.h"

namespace tw {

// Parses a TOML file. A file that cannot be read is an IOError naming it; a syntax error is an
// InvalidArgument "FILE:LINE: what is wrong".
Result<toml::table> ParseRuleFile(const std::string& path);

// "FILE:LINE" of a node, for messages.
std::string RuleWhere(const std::string& path, const toml::node& node);

// Calls fn(std::string) for each string in the array `node`. A missing node is fine when
// `required` is false; anything but an array of strings is an error naming `what` and the line.
template <typename Fn>
Status ForEachRuleString(const toml::node* node, const std::string& path, const std::string& what, bool required, Fn&& fn) {
  if (node == nullptr) {
    return required ? Status::InvalidArgument(path + ": missing " + what) : Status::OK();
  }
  const toml::array* list = node->as_array();
  if (list == nullptr) return Status::InvalidArgument(RuleWhere(path, *node) + ": " + what + " must be a list of strings");
  for (const auto& item : *list) {
    const auto* s = item.as_string();
    if (s == nullptr) return Status::InvalidArgument(RuleWhere(path, item) + ": " + what + " must hold strings only");
    fn(s->get());
  }
  return Status::OK();
}

}  // namespace tw
