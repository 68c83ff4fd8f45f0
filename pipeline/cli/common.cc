#include <unistd.h>

#include <algorithm>
#include <thread>

#include <re2/re2.h>

#include "pipeline/cli/commands.h"

namespace tw::cli {

void AddDbOption(CLI::App& sub, std::string* db) {
  *db = kDefaultDb;
  sub.add_option("--db", *db, "Database directory")->capture_default_str();
}

void AddCacheOption(CLI::App& sub, size_t* cache_mb) {
  sub.add_option("--cache-mb", *cache_mb,
                 "Block cache for reading the store (MiB): the more of a large store's indexes and events it "
                 "holds, the fewer reads go to the disk")
      ->check(CLI::Range(size_t{1}, size_t{1} << 20))
      ->capture_default_str();
}

void AddRulesOption(CLI::App& sub, std::string* rules_dir) {
  *rules_dir = TW_DEFAULT_RULES_DIR;
  sub.add_option("--rules", *rules_dir, "Rules directory (gazetteer, event rules)")->capture_default_str();
}

CLI::Validator IsoDay() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        static const RE2 kDay(R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))");
        if (RE2::FullMatch(value, kDay)) return {};
        return "'" + value + "' is not a date: use YYYY-MM-DD";
      },
      "YYYY-MM-DD");
}

bool StdoutIsTerminal() { return ::isatty(STDOUT_FILENO) == 1; }

LineOptions MakeLineOptions(int workers, size_t queue_capacity) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  LineOptions line;
  line.cleaner_workers = workers > 0 ? workers : cores;
  line.extractor_workers = line.cleaner_workers;
  line.queue_capacity = queue_capacity;
  return line;
}

}  // namespace tw::cli
