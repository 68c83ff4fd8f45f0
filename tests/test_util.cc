#include "tests/test_util.h"

#include <catch2/catch.hpp>
#include <unicode/unistr.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tw::test {

TempDir::TempDir() {
  char tmpl[] = "/tmp/twinwatch-test-XXXXXX";
  const char* made = ::mkdtemp(tmpl);
  REQUIRE(made != nullptr);
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(TW_SOURCE_DIR) + "/tests/golden/" + name;
  const char* update = std::getenv("TW_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") WriteFile(path, actual);
  return ReadFile(path);
}

std::string GzipCompress(const std::string& bytes) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, bytes.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

namespace {

// Forks and execs the twinwatch binary with stdin, stdout and stderr redirected to files.
// Everything the child needs is made before the fork: a test may hold a store whose background
// threads allocate, and a lock one of them held at the fork stays held in the child forever. So the
// child only calls open, dup2, close, execv and _exit, which take no lock (an allocating freopen there
// hung one run of store_cli_test under ASan until ctest's timeout).
int SpawnTwinwatch(const std::vector<std::string>& args, const std::string& in_path, const std::string& out_path,
                   const std::string& err_path) {
  std::string binary = TW_BINARY;
  std::vector<std::string> copy = args;
  std::vector<char*> argv;
  argv.push_back(binary.data());
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  // The child's streams are the new files; flush what the test has buffered (Catch's
  // "Filters: ..." line) once, here, so that it is not written twice.
  std::fflush(nullptr);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int in = ::open(in_path.c_str(), O_RDONLY);
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) ::_exit(127);
    for (const int fd : {in, out, err}) {
      if (fd > 2) ::close(fd);
    }
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

CommandResult WaitFor(int pid, const std::string& out_path, const std::string& err_path) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadFile(out_path);
  r.err = ReadFile(err_path);
  return r;
}

}  // namespace

CommandResult RunTwinwatch(const std::vector<std::string>& args, const std::string& stdin_data) {
  TempDir tmp;
  WriteFile(tmp / "in", stdin_data);
  int pid = SpawnTwinwatch(args, tmp / "in", tmp / "out", tmp / "err");
  return WaitFor(pid, tmp / "out", tmp / "err");
}

RunningTwinwatch::RunningTwinwatch(const std::vector<std::string>& args) {
  WriteFile(dir_ / "in", "");
  pid_ = SpawnTwinwatch(args, dir_ / "in", dir_ / "out", dir_ / "err");
}

RunningTwinwatch::~RunningTwinwatch() {
  if (!waited_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::string RunningTwinwatch::StderrSoFar() const { return ReadFile(dir_ / "err"); }

std::string RunningTwinwatch::StderrFrom(size_t offset) const {
  std::ifstream in(dir_ / "err", std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  if (!in) return "";
  std::ostringstream rest;
  rest << in.rdbuf();
  return rest.str();
}

CommandResult RunningTwinwatch::Wait() {
  waited_ = true;
  return WaitFor(pid_, dir_ / "out", dir_ / "err");
}

std::string SharedFile(const std::string& relative) {
  const std::string path = std::string(TW_SHARED_DIR) + "/" + relative;
  if (std::filesystem::exists(path)) return path;
  const char* ci = std::getenv("CI");
  if (ci != nullptr && std::string(ci) == "true") {
    FAIL("missing shared file " << path << " (CI=true: the shared data must be present)");
  }
  WARN("skipped: shared file " << path << " is not here");
  return {};
}

std::string EncodeAs(const std::string& utf8, const char* charset) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(utf8);
  const int32_t size = text.extract(0, text.length(), nullptr, 0, charset);
  std::string out(static_cast<size_t>(size), '\0');
  text.extract(0, text.length(), out.data(), size, charset);
  return out;
}

std::string NewsPage(const std::string& title, const std::vector<std::string>& paragraphs, const std::string& published) {
  std::string html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title +
                     " | Example Gazette</title>";
  if (!published.empty()) html += "<meta property=\"article:published_time\" content=\"" + published + "\">";
  html += "</head><body><nav class=\"main-nav\"><a href=\"/\">Home</a> <a href=\"/world\">World news from every city</a> "
          "<a href=\"/sport\">Sport</a></nav><div class=\"cookie-banner\">We use cookies. Accept?</div><article><h1>" +
          title + "</h1><div class=\"byline\">By A. Reporter</div>";
  for (const auto& p : paragraphs) html += "<p>" + p + "</p>";
  html += "</article><aside class=\"related\"><a href=\"/x\">Prague mayor visits Beijing zoo and signs nothing</a></aside>"
          "<footer>© Example Gazette</footer></body></html>";
  return html;
}

}  // namespace tw::test
