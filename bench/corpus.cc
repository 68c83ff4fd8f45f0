#include "bench/corpus.h"

#include <sys/resource.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

namespace tw::bench {

namespace {

const std::vector<std::string> kCities = {"Lyon", "Kyoto", "Tartu", "Turku", "Gdansk", "Bremen", "Rosario", "Porto Alegre",
                                          "Tampere", "Kursk", "Darwin", "Ambon", "Prague", "Taipei", "Leipzig", "Krakow",
                                          "Nagoya", "Bilbao", "Seville", "Ghent"};
const std::vector<std::string> kFiller = {
    "The council met on Monday evening to discuss the budget for the coming year, including new spending on parks and libraries.",
    "Residents raised concerns about traffic on the ring road, and the transport committee promised a report before the summer.",
    "Officials said the project would create about two hundred jobs and be finished within three years if the funding holds.",
    "The opposition criticised the plan as too expensive, while business groups welcomed the investment in the old harbour district.",
    "A public consultation will run for six weeks, and the final decision is expected at the last meeting before the holidays.",
    "Local schools will take part in the programme, which includes language courses, sports tournaments and a music festival.",
};

std::string Page(int i, std::mt19937& rng) {
  auto pick = [&](const std::vector<std::string>& v) -> const std::string& { return v[rng() % v.size()]; };
  std::string a = pick(kCities), b = pick(kCities);
  while (b == a) b = pick(kCities);
  std::string html;
  html.reserve(16 * 1024);
  html += "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Story " + std::to_string(i) +
          " | Bench Gazette</title><meta property=\"article:published_time\" content=\"2024-0" +
          std::to_string(1 + rng() % 9) + "-1" + std::to_string(rng() % 10) + "T08:00:00Z\">"
          "<style>body{font-family:serif}.nav a{margin:4px}</style></head><body>"
          "<div class=\"cookie-banner\">We use cookies to improve your experience. <button>Accept</button></div>"
          "<header><nav class=\"nav\">";
  for (int n = 0; n < 12; ++n) html += "<a href=\"/section/" + std::to_string(n) + "\">Section " + std::to_string(n) + "</a>";
  html += "</nav></header><main><article><h1>Story " + std::to_string(i) + " from " + a + "</h1>"
          "<div class=\"byline\">By Staff Writer</div><div class=\"share\"><a href=\"#\">Share</a></div><div class=\"body\">";
  const int paragraphs = 6 + static_cast<int>(rng() % 8);
  for (int p = 0; p < paragraphs; ++p) {
    html += "<p>" + pick(kFiller) + " " + pick(kFiller) + "</p>";
    if (p == 2 && i % 4 == 0) {
      html += "<p>" + a + " signed a sister-city agreement with " + b + " in " + std::to_string(1970 + rng() % 50) + ".</p>";
    }
    if (p == 3 && i % 9 == 0) {
      html += "<p>" + a + " suspended its twin-city relationship with " + b + " in March 2022.</p>";
    }
  }
  html += "</div></article><aside class=\"related\"><h3>Related</h3><ul>";
  for (int n = 0; n < 8; ++n) html += "<li><a href=\"/story/" + std::to_string(rng() % 100000) + "\">Another story about " + pick(kCities) + "</a></li>";
  html += "</ul></aside></main><footer class=\"footer\"><p>© Bench Gazette</p><nav><a href=\"/about\">About</a> <a href=\"/contact\">Contact</a></nav></footer>"
          "<script>var analytics = {page: " + std::to_string(i) + "};</script></body></html>";
  return html;
}

}  // namespace

uint64_t WriteCorpus(const std::string& dir, int count, uint32_t seed) {
  std::mt19937 rng(seed);
  uint64_t bytes = 0;
  for (int i = 0; i < count; ++i) {
    const std::string folder = dir + "/" + std::to_string(i / 100);
    if (i % 100 == 0) std::filesystem::create_directories(folder);
    const std::string page = Page(i, rng);
    std::ofstream(folder + "/story-" + std::to_string(i) + ".html", std::ios::binary) << page;
    bytes += page.size();
  }
  return bytes;
}

namespace {
double ClockSeconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}
}  // namespace

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

double ProcessCpuSeconds() { return ClockSeconds(CLOCK_PROCESS_CPUTIME_ID); }

double ThreadCpuSeconds() { return ClockSeconds(CLOCK_THREAD_CPUTIME_ID); }

double ChildrenCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

}  // namespace tw::bench
