// The event store at scale: a generated store of N events over N/10 articles (default 1,000,000
// over 100,000): bulk load rate, query latency by city / month / type x country, bytes per event.
//   bench_store [--events N] [--cities N] [--queries N] [--put] [--write-buffer-mb N] [--block-cache-mb N]
//               [--popular N] [--keep DIR] [--bulk-memory-mb N]
// The load is a bulk load (StoreOptions::bulk_load, as `ingest --bulk`: into the empty store, held
// in memory and written out as sorted tables), its time including the write-out and the final
// compaction. The articles are made on a producer thread (as the pipeline's extract stage runs
// beside the store stage); the CPU figures say how much of the load's CPU that was.
// --bulk-memory-mb: its memory budget (as ingest's; 0: through memtables, as a bulk
// load into a store that is not empty); --put loads through the durable path plain `ingest` uses.
// --popular: articles reporting one same event (and a third as many), load CPU compared (default 6000).
// --write-buffer-mb / --block-cache-mb: the writer's memtable budget and block cache (default: 64
// and 32 MB for the bulk load, the store's 2 and 2 MB with --put).
// --keep DIR: keep the store in DIR; when DIR already holds one (from a run with the same --events
// and --cities), the load is skipped and only the queries run (to profile or compare read paths).
// Prints a table; no pass/fail. Run by `make bench`.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench/corpus.h"
#include "pipeline/queue.h"
#include "storage/store.h"

namespace {

using tw::bench::ProcessCpuSeconds;
using tw::bench::ThreadCpuSeconds;

using Clock = std::chrono::steady_clock;

constexpr const char* kCountries[] = {"CN", "US", "RU", "DE", "FR", "JP", "IT", "GB", "ES", "PL", "UA", "BR", "CA",
                                      "MX", "IN", "KR", "TW", "CZ", "SK", "HU", "RO", "BG", "GR", "TR", "IR", "EG",
                                      "NG", "ZA", "AU", "NZ", "AR", "CL", "PE", "CO", "VE", "SE", "NO", "FI", "DK",
                                      "NL", "BE", "AT", "CH", "PT", "IE", "LT", "LV", "EE", "BY", "KZ"};
constexpr tw::EventType kTypes[] = {tw::EventType::kAgreement, tw::EventType::kTermination, tw::EventType::kSuspension,
                                    tw::EventType::kProposal};
constexpr const char* kTemplates[] = {
    "{A} signed a sister-city agreement with {B} on {D}, the mayor's office said, after {N} years of talks.",
    "{A} and {B} became twin towns in {D}, when a delegation of {N} visited the old town hall.",
    "The council of {A} voted {N} to 3 to end its friendship-city relationship with {B} in {D}.",
    "{A} suspended its partnership with {B} on {D}, citing the war; {N} exchange students were sent home.",
    "Officials in {A} proposed a twinning with {B} during a trade fair in {D} that drew {N} companies.",
    "Since {D}, {A} has kept a sister-city tie with {B}, with {N} joint projects in schools and museums.",
    "{A} cut its twin-town links with {B} in {D}, a spokesperson told reporters, after {N} complaints.",
    "A memorandum between {A} and {B}, signed in {D}, plans {N} cultural events and a student exchange.",
};

struct City {
  std::string name;
  tw::Place place;
};

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5))];
}

struct Timing {
  double p50 = 0, p99 = 0, mean_total = 0, mean_returned = 0;
  double cpu_p50 = 0;  // CPU ms of the querying thread: what the query costs, whatever the neighbours do
};

// Queries of the first 100 events; `count_total`: also count every match (as GET /events does).
template <typename MakeFilter>
Timing TimeQueries(const tw::Store& store, int n, bool count_total, MakeFilter make) {
  std::vector<double> ms, cpu_ms;
  double totals = 0, returned = 0;
  for (int i = 0; i < n; ++i) {
    const tw::EventFilter f = make(i);
    const auto start = Clock::now();
    const double cpu_start = ThreadCpuSeconds();
    auto page = store.Find(f, tw::FindOptions{0, 100, 0, count_total});
    cpu_ms.push_back((ThreadCpuSeconds() - cpu_start) * 1000);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    if (!page.ok()) {
      std::fprintf(stderr, "bench_store: %s\n", page.status().message().c_str());
      std::exit(1);
    }
    totals += page->total;
    returned += page->events.size();
  }
  return {Percentile(ms, 0.5), Percentile(ms, 0.99), totals / n, returned / n, Percentile(cpu_ms, 0.5)};
}

// One popular event: `n` articles each report it (one source each). Returns process CPU seconds of
// the writes (background flushes and compactions included).
double LoadPopularEvent(const std::string& db, int n) {
  auto store = tw::Store::Open(db);
  if (!store.ok()) {
    std::fprintf(stderr, "bench_store: %s\n", store.status().message().c_str());
    std::exit(2);
  }
  tw::Place a, b;
  a.geonameid = 3067696;
  a.name = "Prague";
  a.country = "CZ";
  b.geonameid = 1816670;
  b.name = "Beijing";
  b.country = "CN";
  const double start = ProcessCpuSeconds();
  for (int i = 0; i < n; ++i) {
    tw::Extraction x;
    x.article.url = "https://popular.example/" + std::to_string(i);
    x.article.id = tw::ArticleIdForUrl(x.article.url);
    x.article.text = "Report number " + std::to_string(i) + ": Prague ended its sister-city tie with Beijing in October 2019.";
    x.article.content_hash = tw::Hash64(x.article.text);
    tw::EventMention m;
    m.type = tw::EventType::kTermination;
    m.first = a;
    m.second = b;
    m.date = "2019-10";
    m.evidence = x.article.text;
    m.end = m.evidence.size();
    m.rule = "bench.popular";
    m.confidence = 0.8;
    x.events.push_back(m);
    if (!(*store)->Put(x).ok()) std::exit(1);
  }
  return ProcessCpuSeconds() - start;
}

}  // namespace

int main(int argc, char** argv) {
  long events = 1000000;
  int cities = 20000, queries = 1000, write_buffer_mb = 0, block_cache_mb = 0, popular = 6000;
  long bulk_memory_mb = static_cast<long>(tw::kDefaultBulkMemoryMb);
  bool put_path = false;
  std::string keep;
  for (int i = 1; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    if (std::strcmp(argv[i], "--put") == 0) put_path = true;
    else if (!has_value) break;
    else if (std::strcmp(argv[i], "--events") == 0) events = std::atol(argv[++i]);
    else if (std::strcmp(argv[i], "--cities") == 0) cities = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--queries") == 0) queries = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--write-buffer-mb") == 0) write_buffer_mb = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--block-cache-mb") == 0) block_cache_mb = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--keep") == 0) keep = argv[++i];
    else if (std::strcmp(argv[i], "--bulk-memory-mb") == 0) bulk_memory_mb = std::max(0L, std::atol(argv[++i]));
    else if (std::strcmp(argv[i], "--popular") == 0) popular = std::max(3, std::atoi(argv[++i]));
  }
  spdlog::set_level(spdlog::level::info);
  constexpr int kEventsPerArticle = 10;
  const long articles = events / kEventsPerArticle;
  char tmpl[] = "/tmp/twinwatch-bench-store-XXXXXX";
  const std::string dir = keep.empty() ? std::string(mkdtemp(tmpl)) : keep;
  const std::string db = dir + "/db";
  std::filesystem::create_directories(dir);
  const bool reuse = !keep.empty() && std::filesystem::exists(db + "/CURRENT");

  std::mt19937_64 rng(42);
  auto pick = [&](uint64_t n) { return rng() % n; };
  std::vector<City> places;
  for (int i = 0; i < cities; ++i) {
    City c;
    c.name = "Town" + std::to_string(i);
    c.place.geonameid = 100000 + i;
    c.place.name = c.name;
    c.place.country = kCountries[pick(std::size(kCountries))];
    c.place.feature = "PPL";
    c.place.population = 1000 + static_cast<int64_t>(pick(5000000));
    c.place.lat = -60.0 + static_cast<double>(pick(1200000)) / 10000;
    c.place.lon = -180.0 + static_cast<double>(pick(3600000)) / 10000;
    places.push_back(std::move(c));
  }
  auto random_date = [&] {
    const std::string year = std::to_string(1950 + pick(75));
    const uint64_t precision = pick(10);  // 20% year, 40% month, 40% day
    if (precision < 2) return year;
    char month[8];
    std::snprintf(month, sizeof month, "-%02d", static_cast<int>(1 + pick(12)));
    if (precision < 6) return year + month;
    char day[8];
    std::snprintf(day, sizeof day, "-%02d", static_cast<int>(1 + pick(28)));
    return year + month + day;
  };

  // ---- bulk load ----
  tw::StoreOptions writer_options =
      put_path ? tw::StoreOptions{} : tw::BulkLoadOptions(write_buffer_mb > 0 ? write_buffer_mb : 64, static_cast<size_t>(bulk_memory_mb));
  if (write_buffer_mb > 0) writer_options.write_buffer_bytes = static_cast<size_t>(write_buffer_mb) << 20;
  if (block_cache_mb > 0) writer_options.block_cache_bytes = static_cast<size_t>(block_cache_mb) << 20;
  uint64_t text_bytes = 0;
  double load_seconds = 0, load_cpu_seconds = 0, put_seconds = 0;
  double producer_cpu_seconds = 0;  // making the articles (the bench's own work, not the store's)
  double put_cpu_seconds = 0;       // the writer thread's Puts (the merge, one core)
  double sync_cpu_seconds = 0;      // Sync: the write-out (both cores) and the final compaction
  if (!reuse) {
    auto store = tw::Store::Open(db, writer_options);
    if (!store.ok()) {
      std::fprintf(stderr, "bench_store: %s\n", store.status().message().c_str());
      return 2;
    }
    // The articles are made on a producer thread, as the pipeline's extract stage runs on other
    // threads than the store stage that writes: the load is the writer's work, the articles come
    // in batches through a bounded queue (tw::BoundedQueue, as between stages).
    constexpr size_t kBatch = 64;
    tw::BoundedQueue<std::vector<tw::Extraction>> made(8);
    auto make_article = [&](long a) {
      tw::Extraction x;
      x.article.url = "https://news" + std::to_string(a % 500) + ".example/" + std::to_string(a);
      x.article.id = tw::ArticleIdForUrl(x.article.url);
      x.article.title = {"Twinning news number " + std::to_string(a), "og:title"};
      x.article.published = {random_date(), "meta"};
      x.article.language = {"en", "html lang"};
      for (int e = 0; e < kEventsPerArticle; ++e) {
        const City& p = places[pick(places.size())];
        const City* q = &places[pick(places.size())];
        if (q == &p) q = &places[(q - places.data() + 1) % places.size()];
        tw::EventMention m;
        m.type = kTypes[pick(4)];
        m.first = p.place;
        m.second = q->place;
        m.date = random_date();
        m.evidence = Replace(Replace(Replace(Replace(kTemplates[pick(std::size(kTemplates))], "{A}", p.name), "{B}", q->name),
                                     "{D}", m.date),
                             "{N}", std::to_string(pick(1000)));
        m.start = x.article.text.size();
        x.article.text += m.evidence + " ";
        m.end = x.article.text.size() - 1;
        m.rule = "bench.rule-" + std::to_string(pick(40));
        m.confidence = 0.7 + static_cast<double>(pick(30)) / 100;
        x.events.push_back(std::move(m));
        x.article.text += "Other paragraphs of the article talk about the weather, the budget and the football results.\n\n";
      }
      x.article.content_hash = tw::Hash64(x.article.text);
      return x;
    };
    const auto start = Clock::now();
    const double cpu_start = ProcessCpuSeconds();
    const double writer_cpu_start = ThreadCpuSeconds();
    std::thread producer([&] {
      const double producer_start = ThreadCpuSeconds();
      std::vector<tw::Extraction> batch;
      for (long a = 0; a < articles; ++a) {
        batch.push_back(make_article(a));
        if (batch.size() == kBatch || a + 1 == articles) {
          if (!made.Push(batch)) break;  // the writer stopped
          batch.clear();
        }
      }
      made.Close();
      producer_cpu_seconds = ThreadCpuSeconds() - producer_start;
    });
    while (auto batch = made.Pop()) {
      for (const tw::Extraction& x : *batch) {
        text_bytes += x.article.text.size();
        auto outcome = (*store)->Put(x);
        if (!outcome.ok()) {
          std::fprintf(stderr, "bench_store: %s\n", outcome.status().message().c_str());
          made.Close();
          producer.join();
          return 1;
        }
      }
    }
    producer.join();
    put_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    put_cpu_seconds = ThreadCpuSeconds() - writer_cpu_start;
    const double sync_cpu_start = ProcessCpuSeconds();
    if (!(*store)->Sync().ok()) return 1;
    load_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    load_cpu_seconds = ProcessCpuSeconds() - cpu_start;
    sync_cpu_seconds = ProcessCpuSeconds() - sync_cpu_start;
    // Sizes are measured on settled tables: flush the memtables and compact.
    if (!(*store)->Compact().ok()) return 1;
  }

  // ---- queries, through a reader as `query` and `serve` open it ----
  tw::StoreOptions ro;
  ro.read_only = true;
  ro.block_cache_bytes = 64u << 20;
  auto reader = tw::Store::Open(db, ro);
  if (!reader.ok()) {
    std::fprintf(stderr, "bench_store: %s\n", reader.status().message().c_str());
    return 2;
  }
  auto counts = (*reader)->Counts();
  if (!counts.ok()) return 1;
  const auto sizes = (*reader)->DiskBytesByFamily();
  uint64_t all = 0;
  for (const auto& [family, bytes] : sizes) all += bytes;
  const uint64_t texts = sizes.at("texts");
  const double stored_events = static_cast<double>(counts->events);

  // The queries' own random sequence: the same whether the load ran or was skipped (--keep).
  std::mt19937_64 query_rng(7);
  auto pick_query = [&](uint64_t n) { return query_rng() % n; };
  const Timing city = TimeQueries(**reader, queries, true, [&](int) {
    tw::EventFilter f;
    f.city = places[pick_query(places.size())].name;
    return f;
  });
  auto month_filter = [&](int) {
    tw::EventFilter f;
    char m[16];
    std::snprintf(m, sizeof m, "%d-%02d", static_cast<int>(1950 + pick_query(75)), static_cast<int>(1 + pick_query(12)));
    f.since = f.until = m;
    return f;
  };
  auto type_country_filter = [&](int) {
    tw::EventFilter f;
    f.type = kTypes[pick_query(4)];
    f.country = kCountries[pick_query(std::size(kCountries))];
    return f;
  };
  const int wide_queries = std::max(1, queries / 10);
  const Timing month = TimeQueries(**reader, wide_queries, false, month_filter);
  const Timing month_total = TimeQueries(**reader, wide_queries, true, month_filter);
  const Timing type_country = TimeQueries(**reader, wide_queries, false, type_country_filter);
  const Timing type_country_total = TimeQueries(**reader, wide_queries, true, type_country_filter);
  reader->reset();

  // ---- one popular event: a new report costs the same however many the event has ----
  std::filesystem::remove_all(dir + "/popular-small");
  std::filesystem::remove_all(dir + "/popular-large");
  const double popular_small = LoadPopularEvent(dir + "/popular-small", popular / 3);
  const double popular_large = LoadPopularEvent(dir + "/popular-large", popular);
  if (keep.empty()) std::filesystem::remove_all(dir);

  std::printf("event store: %ld events reported by %ld articles (%d each), %d cities, %d countries; load through %s, writer memtables %.0f MB, block cache %.0f MB, bulk memory %.0f MB\n",
              events, articles, kEventsPerArticle, cities, static_cast<int>(std::size(kCountries)),
              put_path ? "Store::Put with the write-ahead log (as ingest)" : "a bulk load (as ingest --bulk)",
              writer_options.write_buffer_bytes / 1048576.0, writer_options.block_cache_bytes / 1048576.0,
              writer_options.bulk_memory_bytes / 1048576.0);
  std::printf("  %-44s %14s\n", "measure", "value");
  std::printf("  %-44s %14.0f\n", "events stored (after merging)", stored_events);
  if (reuse) {
    std::printf("  %-44s %14s\n", "bulk load", "skipped (--keep)");
  } else {
    std::printf("  %-44s %14.1f\n", "bulk load seconds", load_seconds);
    std::printf("  %-44s %14.1f\n", "  of which Sync (write-out, compaction) s", load_seconds - put_seconds);
    std::printf("  %-44s %14.1f\n", "  CPU seconds, all threads", load_cpu_seconds);
    std::printf("  %-44s %14.1f\n", "    of which making the articles (producer)", producer_cpu_seconds);
    std::printf("  %-44s %14.1f\n", "    of which the writer's Puts (merge)", put_cpu_seconds);
    std::printf("  %-44s %14.1f\n", "    of which Sync (write-out, compaction)", sync_cpu_seconds);
    std::printf("  %-44s %14.0f\n", "bulk load events/s", events / load_seconds);
    std::printf("  %-44s %14.0f\n", "  events per CPU second", events / load_cpu_seconds);
    std::printf("  %-44s %14.0f\n", "  events per CPU second of the store alone", events / (load_cpu_seconds - producer_cpu_seconds));
    std::printf("  %-44s %14.0f\n", "bulk load articles/s", articles / load_seconds);
  }
  std::printf("  %-44s %9.3f/%7.3f\n", "city query ms p50/p99 (limit 100)", city.p50, city.p99);
  std::printf("  %-44s %14.3f\n", "  CPU ms of the querying thread, p50", city.cpu_p50);
  std::printf("  %-44s %14.1f\n", "  events returned per city query (mean)", city.mean_returned);
  std::printf("  %-44s %9.3f/%7.3f\n", "one-month query ms p50/p99 (first 100)", month.p50, month.p99);
  std::printf("  %-44s %14.3f\n", "  CPU ms of the querying thread, p50", month.cpu_p50);
  std::printf("  %-44s %9.3f/%7.3f\n", "  the same, counting every match (total)", month_total.p50, month_total.p99);
  std::printf("  %-44s %14.1f\n", "  matching events per month (mean total)", month_total.mean_total);
  std::printf("  %-44s %9.3f/%7.3f\n", "type x country query ms p50/p99 (first 100)", type_country.p50, type_country.p99);
  std::printf("  %-44s %14.3f\n", "  CPU ms of the querying thread, p50", type_country.cpu_p50);
  std::printf("  %-44s %9.3f/%7.3f\n", "  the same, counting every match (total)", type_country_total.p50, type_country_total.p99);
  std::printf("  %-44s %14.1f\n", "  matching events (mean total)", type_country_total.mean_total);
  std::printf("  %-44s %14.1f\n", "store MB on disk (tables)", all / 1e6);
  std::printf("  %-44s %14.1f\n", "  of which article text MB (texts family)", texts / 1e6);
  if (!reuse) std::printf("  %-44s %14.1f\n", "  raw article text MB", text_bytes / 1e6);
  std::printf("  %-44s %14.1f\n", "bytes per event, without article text", (all - texts) / stored_events);
  std::printf("  per family (bytes per event):");
  for (const auto& [family, bytes] : sizes) {
    if (bytes > 0) std::printf(" %s %.1f", family.c_str(), bytes / stored_events);
  }
  std::printf("\n");
  std::printf("  %-44s %14.2f\n", ("one event reported by " + std::to_string(popular / 3) + " articles, CPU s").c_str(), popular_small);
  std::printf("  %-44s %14.2f\n", ("one event reported by " + std::to_string(popular) + " articles, CPU s").c_str(), popular_large);
  std::printf("  %-44s %14.2f\n", "  ratio (3 when each report costs the same)", popular_large / popular_small);
  std::printf("RESULT events=%ld load_events_per_s=%.0f city_p50_ms=%.3f city_p99_ms=%.3f city_cpu_p50_ms=%.3f bytes_per_event=%.1f\n", events,
              events / load_seconds, city.p50, city.p99, city.cpu_p50, (all - texts) / stored_events);
  return 0;
}
