// Helpers shared by the tests: temporary folders, files, gzip, running the CLI.
#pragma once

#include <string>
#include <vector>

namespace tw::test {

// A fresh folder under /tmp, removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& bytes);
std::string ReadFile(const std::string& path);
// The golden file tests/golden/`name`; with TW_UPDATE_GOLDEN=1 in the environment it is first
// rewritten with `actual` (review the diff before committing it).
std::string Golden(const std::string& name, const std::string& actual);
// gzip-compresses `bytes` (one gzip member).
std::string GzipCompress(const std::string& bytes);

struct CommandResult {
  int exit_code = -1;
  std::string out, err;
};
// Runs the twinwatch binary with `args` (no shell quoting needed), capturing stdout and stderr.
CommandResult RunTwinwatch(const std::vector<std::string>& args, const std::string& stdin_data = "");

// A twinwatch process started in the background (stdout and stderr go to files).
class RunningTwinwatch {
 public:
  explicit RunningTwinwatch(const std::vector<std::string>& args);
  ~RunningTwinwatch();
  int pid() const { return pid_; }
  std::string StderrSoFar() const;
  // What it wrote to stderr from byte `offset` on: a long run's output read as it comes.
  std::string StderrFrom(size_t offset) const;
  // Waits for the process to end and returns what it printed.
  CommandResult Wait();

 private:
  TempDir dir_;
  int pid_ = -1;
  bool waited_ = false;
};

// A file from ../shared. When it is missing: under CI=true the test fails, elsewhere it is
// skipped (returns empty and prints a warning).
std::string SharedFile(const std::string& relative);

// `utf8` encoded in `charset` (an ICU converter name, e.g. "Shift_JIS", "UTF-16LE").
std::string EncodeAs(const std::string& utf8, const char* charset);

// A small HTML news page about `body_sentences`, with page furniture around it.
std::string NewsPage(const std::string& title, const std::vector<std::string>& paragraphs,
                     const std::string& published = "");

}  // namespace tw::test
