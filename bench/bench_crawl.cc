// End-to-end crawl throughput: a local cpp-httplib server (a child process, so its CPU is counted
// apart) serves generated news pages, gzip-encoded, under many virtual host names that the
// crawler maps to 127.0.0.1 (the sources file's `resolve`, i.e. CURLOPT_RESOLVE). One sitemap
// index lists one sitemap per host; per_host_delay is 0. Measures pages/s fetched and stored, peak
// RSS and CPU seconds per 1,000 pages of the crawling process.
//   bench_crawl [--pages N] [--hosts N] [--concurrency N] [--workers N]
// Prints a table and a RESULT line; no pass/fail. Run by `make bench`.
#include <httplib.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "bench/corpus.h"
#include "extractors/extractor.h"
#include "pipeline/cleaner.h"
#include "pipeline/crawl.h"
#include "pipeline/sources.h"
#include "storage/store.h"

namespace {

using tw::bench::ChildrenCpuSeconds;
using tw::bench::PeakRssKb;
using tw::bench::ProcessCpuSeconds;
using tw::bench::ThreadCpuSeconds;

struct Config {
  int pages = 20000;
  int hosts = 200;
  int concurrency = 64;
  int workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
};

std::string HostName(int h) {
  char name[32];
  std::snprintf(name, sizeof name, "host-%03d.bench.test", h);
  return name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Fast gzip (level 1): a news site serves pre-compressed or cheaply compressed pages.
std::string Gzip(const std::string& bytes) {
  z_stream z{};
  deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, bytes.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// Sent as is: cpp-httplib compresses set_content() bodies itself (brotli, slowly), not these.
void Send(httplib::Response& res, std::string body, const std::string& type) {
  auto shared = std::make_shared<std::string>(std::move(body));
  res.set_content_provider(shared->size(), type, [shared](size_t offset, size_t length, httplib::DataSink& sink) {
    sink.write(shared->data() + offset, length);
    return true;
  });
}

int HostNumber(const httplib::Request& req) {
  const std::string host = req.get_header_value("Host");
  const size_t dash = host.find('-');
  return dash == std::string::npos ? -1 : std::atoi(host.c_str() + dash + 1);
}

// The server child: answers until SIGTERM. Writes its port to `port_fd` once listening.
[[noreturn]] void ServeCorpus(const Config& config, const std::string& corpus, int port_fd) {
  httplib::Server server;
  // One thread per open connection: the crawler keeps one kept-alive connection per host.
  server.new_task_queue = [&] { return new httplib::ThreadPool(static_cast<size_t>(config.hosts + config.concurrency + 16)); };
  server.set_keep_alive_max_count(1000000);
  server.Get("/robots.txt", [](const httplib::Request&, httplib::Response& res) {
    Send(res, "User-agent: *\nDisallow: /private/\n", "text/plain");
  });
  server.Get("/sitemap-index.xml", [&](const httplib::Request& req, httplib::Response& res) {
    const std::string port = std::to_string(req.local_port);
    std::string xml = "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">";
    for (int h = 0; h < config.hosts; ++h) xml += "<sitemap><loc>http://" + HostName(h) + ":" + port + "/sitemap.xml</loc></sitemap>";
    Send(res, xml + "</sitemapindex>", "application/xml");
  });
  server.Get("/sitemap.xml", [&](const httplib::Request& req, httplib::Response& res) {
    const int h = HostNumber(req);
    std::string xml = "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">";
    for (int i = h; h >= 0 && i < config.pages; i += config.hosts) xml += "<url><loc>/story/" + std::to_string(i) + ".html</loc></url>";
    Send(res, xml + "</urlset>", "application/xml");
  });
  server.Get(R"(/story/(\d+)\.html)", [&](const httplib::Request& req, httplib::Response& res) {
    const int i = std::atoi(req.matches[1].str().c_str());
    const std::string page = ReadFile(corpus + "/" + std::to_string(i / 100) + "/story-" + std::to_string(i) + ".html");
    res.set_header("Content-Encoding", "gzip");
    Send(res, Gzip(page), "text/html; charset=utf-8");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  if (write(port_fd, &port, sizeof port) != static_cast<ssize_t>(sizeof port)) _exit(1);
  close(port_fd);
  std::thread stopper([&] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    int sig = 0;
    sigwait(&set, &sig);
    server.stop();
  });
  server.listen_after_bind();
  stopper.join();
  _exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  Config config;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--pages") == 0) config.pages = std::atoi(argv[i + 1]);
    else if (std::strcmp(argv[i], "--hosts") == 0) config.hosts = std::atoi(argv[i + 1]);
    else if (std::strcmp(argv[i], "--concurrency") == 0) config.concurrency = std::atoi(argv[i + 1]);
    else if (std::strcmp(argv[i], "--workers") == 0) config.workers = std::atoi(argv[i + 1]);
  }
  spdlog::set_level(spdlog::level::warn);
  char tmpl[] = "/tmp/twinwatch-bench-crawl-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  const uint64_t corpus_bytes = tw::bench::WriteCorpus(dir + "/corpus", config.pages);

  // The server is forked before this process starts any thread.
  sigset_t term;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &term, nullptr);
  int fds[2];
  if (pipe(fds) != 0) return 2;
  const pid_t server = fork();
  if (server == 0) {
    close(fds[0]);
    ServeCorpus(config, dir + "/corpus", fds[1]);
  }
  pthread_sigmask(SIG_UNBLOCK, &term, nullptr);
  close(fds[1]);
  int port = 0;
  if (read(fds[0], &port, sizeof port) != static_cast<ssize_t>(sizeof port) || port <= 0) {
    std::fprintf(stderr, "bench_crawl: the server did not start\n");
    return 2;
  }
  close(fds[0]);

  std::string toml = "[crawler]\nuser_agent = \"twinwatch-bench/1.0\"\nper_host_delay = \"0s\"\nallow_private = true\n";
  toml += "concurrency = " + std::to_string(config.concurrency) + "\nresolve = [\"index.bench.test:" + std::to_string(port) + ":127.0.0.1\"";
  for (int h = 0; h < config.hosts; ++h) toml += ", \"" + HostName(h) + ":" + std::to_string(port) + ":127.0.0.1\"";
  toml += "]\n[[source]]\nname = \"bench\"\nsitemap = \"http://index.bench.test:" + std::to_string(port) + "/sitemap-index.xml\"\n";
  std::ofstream(dir + "/sources.toml") << toml;
  auto sources = tw::LoadSourcesFile(dir + "/sources.toml");
  auto extractor = tw::Extractor::Open(tw::ExtractorOptions{});
  auto store = tw::Store::Open(dir + "/db");
  if (!sources.ok() || !extractor.ok() || !store.ok()) {
    std::fprintf(stderr, "bench_crawl: cannot set up: %s%s%s\n", sources.status().message().c_str(),
                 extractor.status().message().c_str(), store.status().message().c_str());
    kill(server, SIGTERM);
    return 2;
  }
  tw::Cleaner cleaner;
  tw::CrawlOptions options;
  options.once = true;
  options.line.cleaner_workers = config.workers;
  options.line.extractor_workers = config.workers;

  const long rss_before = PeakRssKb();
  const double cpu_before = ProcessCpuSeconds();
  const double thread_cpu_before = ThreadCpuSeconds();
  const auto started = std::chrono::steady_clock::now();
  const tw::CrawlTotals t = tw::RunCrawl(*sources, cleaner, **extractor, **store, options, nullptr);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const double cpu = ProcessCpuSeconds() - cpu_before;
  const double network_cpu = ThreadCpuSeconds() - thread_cpu_before;
  const long peak_rss = PeakRssKb();

  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);
  const double server_cpu = ChildrenCpuSeconds();
  store->reset();
  std::filesystem::remove_all(dir);

  const double pages_per_s = t.line.stored / seconds;
  std::printf("crawl of %d generated pages (%.1f MB of HTML, served gzip-encoded) on %d virtual hosts, concurrency %d, "
              "%d cleaner + %d extractor threads\n",
              config.pages, corpus_bytes / 1e6, config.hosts, config.concurrency, config.workers, config.workers);
  std::printf("  %-34s %12s\n", "measure", "value");
  std::printf("  %-34s %12.2f\n", "wall seconds", seconds);
  std::printf("  %-34s %12.1f\n", "pages/s fetched and stored", pages_per_s);
  std::printf("  %-34s %12llu\n", "requests", static_cast<unsigned long long>(t.requests));
  std::printf("  %-34s %12llu\n", "connections opened", static_cast<unsigned long long>(t.connections));
  std::printf("  %-34s %12llu\n", "stored", static_cast<unsigned long long>(t.line.stored));
  std::printf("  %-34s %12llu\n", "failed (fetch or line)", static_cast<unsigned long long>(t.failed + t.line.failed));
  std::printf("  %-34s %12.1f\n", "peak RSS MB", peak_rss / 1024.0);
  std::printf("  %-34s %12.1f\n", "RSS before crawl MB", rss_before / 1024.0);
  std::printf("  %-34s %12.2f\n", "crawler CPU s per 1,000 pages", 1000 * cpu / std::max<uint64_t>(1, t.line.stored));
  std::printf("  %-34s %12.2f\n", "  of which the network thread", 1000 * network_cpu / std::max<uint64_t>(1, t.line.stored));
  std::printf("  %-34s %12.2f\n", "server CPU s per 1,000 pages", 1000 * server_cpu / std::max<uint64_t>(1, t.line.stored));
  std::printf("  per stage: %-10s %8s %8s %12s %14s\n", "stage", "in", "failed", "busy s", "ms/article");
  for (const auto& s : t.line.stages) {
    std::printf("             %-10s %8llu %8llu %12.2f %14.3f\n", s.name.c_str(), static_cast<unsigned long long>(s.in),
                static_cast<unsigned long long>(s.failed), s.busy_seconds, s.in ? 1000.0 * s.busy_seconds / s.in : 0.0);
  }
  std::printf("RESULT pages=%d peak_rss_kb=%ld pages_per_s=%.1f cpu_s_per_1000=%.3f\n", config.pages, peak_rss, pages_per_s,
              1000 * cpu / std::max<uint64_t>(1, t.line.stored));
  return t.line.stored == static_cast<uint64_t>(config.pages) ? 0 : 1;
}
