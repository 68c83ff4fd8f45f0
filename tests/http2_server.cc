#include "tests/http2_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

extern char** environ;

namespace tw::test {
namespace {

// The first of `candidates` that exists and is executable ("" if none): nghttpd lives in
// /usr/sbin, which is not on every user's PATH.
std::string FindProgram(const std::vector<std::string>& candidates) {
  for (const auto& c : candidates) {
    if (access(c.c_str(), X_OK) == 0) return c;
  }
  return "";
}

// Starts `args` with stdout and stderr appended to `log`; returns the pid, or -1.
int Spawn(const std::vector<std::string>& args, const std::string& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

bool RunToEnd(const std::vector<std::string>& args, const std::string& log) {
  int pid = Spawn(args, log);
  if (pid < 0) return false;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// A port nobody listens on right now (the kernel's choice for an ephemeral bind).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

}  // namespace

Http2Server::Http2Server(std::string host) : host_(std::move(host)) {
  std::filesystem::create_directories(dir_ / "docs");
  Launch();
}

Http2Server::~Http2Server() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
}

void Http2Server::Launch() {
  const std::string nghttpd = FindProgram({"/usr/sbin/nghttpd", "/usr/bin/nghttpd", "/usr/local/bin/nghttpd"});
  const std::string openssl = FindProgram({"/usr/bin/openssl", "/usr/local/bin/openssl"});
  if (nghttpd.empty() || openssl.empty()) {
    error_ = "nghttpd (Debian package nghttp2-server) or openssl is not installed: run scripts/install-deps.sh";
    return;
  }
  const std::string log = dir_ / "server.log";
  // A self-signed certificate that is its own CA: the client trusts it through ca_file.
  if (!RunToEnd({openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + host_,
                 "-addext", "subjectAltName=DNS:" + host_, "-keyout", dir_ / "key.pem", "-out", CertFile()},
                log)) {
    error_ = "openssl could not make a test certificate (see " + log + ")";
    return;
  }
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = FreePort();
    pid_ = Spawn({nghttpd, "-a", "127.0.0.1", "-d", dir_ / "docs", std::to_string(port_), dir_ / "key.pem", CertFile()}, log);
    if (pid_ < 0) break;
    bool exited = false;
    for (int i = 0; i < 200 && !exited; ++i) {  // up to 10 s on a loaded machine
      if (Accepts(port_)) return;
      exited = waitpid(pid_, nullptr, WNOHANG) == pid_;  // most likely the port was taken meanwhile
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!exited) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    pid_ = -1;
  }
  error_ = "nghttpd did not start (see " + log + ")";
}

std::string Http2Server::Url(const std::string& path) const {
  return "https://" + host_ + ":" + std::to_string(port_) + path;
}

std::string Http2Server::ResolveEntry() const { return host_ + ":" + std::to_string(port_) + ":127.0.0.1"; }

}  // namespace tw::test
