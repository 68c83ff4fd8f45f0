#include "extractors/rule_file.h"

namespace tw {

Result<toml::table> ParseRuleFile(const std::string& path) {
  try {
    // toml++ reports errors as exceptions; they stop here and become a Status.
    return toml::parse_file(path);
  } catch (const toml::parse_error& err) {
    if (err.source().begin.line == 0) return Status::IOError(path + ": cannot read rule file: " + std::string(err.description()));
    return Status::InvalidArgument(path + ":" + std::to_string(err.source().begin.line) + ": " + std::string(err.description()));
  }
}

std::string RuleWhere(const std::string& path, const toml::node& node) {
  return path + ":" + std::to_string(node.source().begin.line);
}

}  // namespace tw
