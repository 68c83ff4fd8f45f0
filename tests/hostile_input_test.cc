// Hostile input, through the real binary: each case gets a clear message naming the input, a
// non-zero exit only where CONTRACT.md says (1: some inputs failed; 2: bad usage or configuration),
// and the store opened afterwards still holds what it held before.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "storage/store.h"
#include "tests/test_util.h"

using tw::test::RunTwinwatch;
using tw::test::TempDir;
using tw::test::WriteFile;

namespace {

// A store holding one article with one event (Tartu ends its tie with Pskov), so every test can
// check that a hostile input next to it lost nothing.
struct StoreWithOneArticle {
  TempDir dir;
  const std::string db = dir / "db";

  StoreWithOneArticle() {
    WriteFile(dir / "good.txt", "Tartu news\n\nTartu, Estonia, ended its twin-town agreement with Pskov in November 2023.\n");
    auto r = RunTwinwatch({"ingest", "--no-progress", "--db", db, dir / "good.txt"});
    REQUIRE(r.exit_code == 0);
  }

  // The store opens (read-only, as query does), counts `articles` and still has the Tartu event.
  void CheckIntact(int articles = 1) const {
    auto stats = RunTwinwatch({"stats", "--db", db, "--format", "json"});
    REQUIRE(stats.exit_code == 0);
    CHECK(nlohmann::json::parse(stats.out)["articles"] == articles);
    auto query = RunTwinwatch({"query", "--db", db, "--city", "tartu", "--format", "jsonl"});
    REQUIRE(query.exit_code == 0);
    CHECK_THAT(query.out, Catch::Contains("\"Pskov\""));
  }

  tw::test::CommandResult Ingest(const std::vector<std::string>& paths, std::vector<std::string> flags = {}) const {
    std::vector<std::string> args = {"ingest", "--no-progress", "--db", db};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), paths.begin(), paths.end());
    return RunTwinwatch(args);
  }
};

// The line of `clean`'s output for one document, parsed (nlohmann refuses invalid UTF-8, so this
// also checks the output is valid).
nlohmann::json CleanJson(const std::string& path) {
  auto r = RunTwinwatch({"clean", path});
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

const std::string kStory =
    "<p>Lyon signed a sister-city agreement with Kyoto on June 27, 2024, the mayor's office said on Friday.</p>"
    "<p>The two cities will exchange students, artists and civil servants over the next five years, starting in autumn.</p>";

// Each of `names` (files in the store's folder) cleans to valid UTF-8 that still holds the story,
// and one ingest of them all stores every one, next to the article the store held.
void CheckEachCleanedAndStored(const StoreWithOneArticle& s, const std::vector<std::string>& names) {
  std::vector<std::string> paths;
  for (const auto& name : names) {
    paths.push_back(s.dir / name);
    CHECK_THAT(CleanJson(paths.back())["text"].get<std::string>(), Catch::Contains("Lyon signed a sister-city agreement with Kyoto"));
  }
  auto r = s.Ingest(paths);
  CHECK(r.exit_code == 0);
  const std::string n = std::to_string(names.size());
  CHECK_THAT(r.err, Catch::Contains(n + " read, " + n + " stored, 0 duplicate, 0 failed"));
  s.CheckIntact(1 + static_cast<int>(names.size()));
}

std::string Page(const std::string& head, const std::string& body) {
  return "<!DOCTYPE html><html lang=\"en\"><head>" + head + "</head><body><article>" + body + "</article></body></html>";
}

// UTF-16 code units of ASCII-only `text`, little- or big-endian.
std::string Utf16(const std::string& ascii, bool little_endian) {
  std::string out;
  for (char c : ascii) {
    out += little_endian ? std::string{c, '\0'} : std::string{'\0', c};
  }
  return out;
}

// Whether the tests may make a private user and mount namespace (unshare -Urm), where they can
// mount a small tmpfs or a read-only bind mount as root can. Under CI=true it must be possible.
bool PrivateMountsAvailable() {
  if (std::system("unshare -Urm true >/dev/null 2>&1") == 0) return true;
  const char* ci = std::getenv("CI");
  if (ci != nullptr && std::string(ci) == "true") FAIL("cannot create a user and mount namespace (unshare -Urm)");
  WARN("skipped: no user and mount namespaces here (unshare -Urm), so no tmpfs or read-only mount");
  return false;
}

// Runs `script` with sh in a private user and mount namespace; what it mounts is gone when it ends.
tw::test::CommandResult RunWithPrivateMounts(const std::string& script) {
  TempDir tmp;
  WriteFile(tmp / "script.sh", "set -u\n" + script);
  const std::string command = "unshare -Urm sh " + tmp / "script.sh" + " >" + tmp / "out" + " 2>" + tmp / "err";
  const int status = std::system(command.c_str());
  tw::test::CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = tw::test::ReadFile(tmp / "out");
  r.err = tw::test::ReadFile(tmp / "err");
  return r;
}

// 300 articles of ~24 KB each in dir/in, far more than a 1 MiB file system takes: each reports one
// event, then words of random letters (so that compression does not make them fit).
void WriteLargeReports(const TempDir& dir) {
  uint32_t seed = 7;
  for (int i = 0; i < 300; ++i) {
    std::string text = "Report " + std::to_string(i) + "\n\nLyon signed a sister-city agreement with Kyoto in " +
                       std::to_string(1900 + i) + ".\n\n";
    while (text.size() < 24000) {
      for (int letters = 3 + static_cast<int>(seed % 7); letters > 0; --letters) {
        seed = seed * 1103515245u + 12345u;
        text += static_cast<char>('a' + (seed >> 16) % 26);
      }
      text += ' ';
    }
    WriteFile(dir / ("in/a" + std::to_string(1000 + i) + ".txt"), text);
  }
}

// Runs `twinwatch ingest --no-progress FLAGS --db MNT/db IN` with a 1 MiB tmpfs mounted at
// dir/mnt (MNT), then `after` (shell lines; $BIN is the binary, $DB the database).
tw::test::CommandResult IngestOnFullDisk(const TempDir& dir, const std::string& flags, const std::string& in,
                                         const std::string& after) {
  const std::string mnt = dir / "mnt";
  std::filesystem::create_directories(mnt);
  return RunWithPrivateMounts("BIN='" + std::string(TW_BINARY) + "'; DB='" + mnt + "/db'\n" +
                              "mount -t tmpfs -o size=1m tmpfs '" + mnt + "' || exit 99\n" +
                              "$BIN ingest --no-progress " + flags + " --db \"$DB\" '" + in + "'\n" + after);
}

}  // namespace

TEST_CASE("an empty file is refused by name with exit 1, and the store keeps what it held") {
  StoreWithOneArticle s;
  WriteFile(s.dir / "empty.html", "");
  auto r = s.Ingest({s.dir / "empty.html"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("empty.html: empty document"));
  CHECK_THAT(r.err, Catch::Contains("ingest: 1 read, 0 stored, 0 duplicate, 1 failed"));
  s.CheckIntact();
}

TEST_CASE("a binary file named .html is refused as binary data with exit 1") {
  StoreWithOneArticle s;
  std::string junk;
  for (int i = 0; i < 64 * 1024; ++i) junk.push_back(static_cast<char>((i * 7919) % 251));
  WriteFile(s.dir / "photo.html", junk);
  auto r = s.Ingest({s.dir / "photo.html"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("photo.html: binary data"));
  s.CheckIntact();
}

TEST_CASE("invalid UTF-8 is repaired to U+FFFD: the article is stored and its event found") {
  StoreWithOneArticle s;
  // A UTF-8 page with one stray byte: the accents stay, the stray byte becomes U+FFFD.
  WriteFile(s.dir / "stray.html", Page("<meta charset=\"utf-8\">", "<p>Z\xC3\xBCrich, Krak\xC3\xB3w and S\xC3\xA3o Paulo, "
                                                                  "a caf\xC3\xA9 \xFF here.</p>" + kStory));
  const auto stray = CleanJson(s.dir / "stray.html");
  CHECK_THAT(stray["text"].get<std::string>(), Catch::StartsWith("Z\xC3\xBCrich, Krak\xC3\xB3w and S\xC3\xA3o Paulo, a caf\xC3\xA9 \xEF\xBF\xBD here."));
  // Mostly broken sequences: whatever the decoder makes of them is valid UTF-8 (CleanJson parses it).
  WriteFile(s.dir / "broken.html", Page("<meta charset=\"utf-8\">", "<p>Caf\xC3 au lait \xFF\xFE at the \xE2\x82 fair.</p>" + kStory));
  CheckEachCleanedAndStored(s, {"stray.html", "broken.html"});
  auto query = RunTwinwatch({"query", "--db", s.db, "--city", "kyoto", "--format", "json"});
  REQUIRE(query.exit_code == 0);
  const auto events = nlohmann::json::parse(query.out);
  REQUIRE(events.size() == 1);
  CHECK(events[0]["sources"].size() == 2);
}

TEST_CASE("UTF-16 with and without a byte-order mark decodes to the same article") {
  StoreWithOneArticle s;
  const std::string html = Page("<title>Lyon and Kyoto</title>", kStory);
  WriteFile(s.dir / "le-bom.html", "\xFF\xFE" + Utf16(html, true));
  WriteFile(s.dir / "be-no-bom.html", Utf16(html, false));
  const auto with_bom = CleanJson(s.dir / "le-bom.html");
  const auto without = CleanJson(s.dir / "be-no-bom.html");
  CHECK_THAT(with_bom["text"].get<std::string>(), Catch::StartsWith("Lyon signed a sister-city agreement with Kyoto"));
  CHECK(without["text"] == with_bom["text"]);
  CHECK(with_bom["charset"] == "UTF-16LE");
  CHECK(without["charset"] == "UTF-16BE");
  auto r = s.Ingest({s.dir / "le-bom.html", s.dir / "be-no-bom.html"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("2 read, 1 stored, 1 duplicate, 0 failed; events 1 new"));
  s.CheckIntact(2);
}

TEST_CASE("a page whose meta charset lies is decoded to valid UTF-8 and stored") {
  StoreWithOneArticle s;
  // Says UTF-8, is windows-1252 ("Zürich" as one byte 0xFC); says windows-1252, is UTF-8.
  WriteFile(s.dir / "says-utf8.html", Page("<meta charset=\"utf-8\">", "<p>Z\xFCrich caf\xE9 news.</p>" + kStory));
  WriteFile(s.dir / "says-1252.html", Page("<meta charset=\"windows-1252\">", "<p>Z\xC3\xBCrich caf\xC3\xA9 news.</p>" + kStory));
  CheckEachCleanedAndStored(s, {"says-utf8.html", "says-1252.html"});
}

TEST_CASE("a 100 MiB HTML file is skipped over the size limit, named in the summary, exit 0") {
  StoreWithOneArticle s;
  {
    std::string big = "<html><body><article>";
    const std::string paragraph = "<p>The council of Lyon met the delegation from Kyoto to talk about trade and schools.</p>\n";
    big.reserve((100u << 20) + paragraph.size());
    while (big.size() < (100u << 20)) big += paragraph;
    WriteFile(s.dir / "huge.html", big);
    WriteFile(s.dir / "huge.html.gz", tw::test::GzipCompress(big));
  }
  auto r = s.Ingest({s.dir / "huge.html", s.dir / "huge.html.gz"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("huge.html: larger than the limit of 67108864 bytes"));
  CHECK_THAT(r.err, Catch::Contains("huge.html.gz: larger than the limit"));
  CHECK_THAT(r.err, Catch::Contains("2 read, 0 stored, 0 duplicate, 0 failed"));
  CHECK_THAT(r.err, Catch::EndsWith("; 2 skipped over limits: " + s.dir / "huge.html" + ", " + s.dir / "huge.html.gz\n"));
  s.CheckIntact();
}

TEST_CASE("1,000,000 <p> siblings are cleaned without trouble") {
  StoreWithOneArticle s;
  std::string page = "<html><body><div>";
  for (int i = 0; i < 1000000; ++i) page += "<p>a</p>";
  page += "<p>Lyon signed a sister-city agreement with Kyoto on June 27, 2024, the mayor said.</p></div></body></html>";
  WriteFile(s.dir / "siblings.html", page);
  auto r = s.Ingest({s.dir / "siblings.html"}, {"--max-parse-seconds", "0"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("1 read, 1 stored, 0 duplicate, 0 failed; events 1 new"));
  s.CheckIntact(2);
}

TEST_CASE("a 10 MB single line of text is skipped over the text limit, and read whole under a raised one") {
  StoreWithOneArticle s;
  std::string line;
  while (line.size() < 10'000'000) line += "the council of Lyon met again and talked about the budget, ";
  line += "and Lyon signed a sister-city agreement with Kyoto in 2024.";
  WriteFile(s.dir / "line.txt", line);
  auto skipped = s.Ingest({s.dir / "line.txt"});
  CHECK(skipped.exit_code == 0);
  CHECK_THAT(skipped.err, Catch::Contains("line.txt: main text longer than the limit of 4194304 bytes (--max-text-mb)"));
  CHECK_THAT(skipped.err, Catch::Contains("; 1 skipped over limits: " + s.dir / "line.txt"));
  auto read = s.Ingest({s.dir / "line.txt"}, {"--max-text-mb", "16", "--max-parse-seconds", "0"});
  CHECK(read.exit_code == 0);
  CHECK_THAT(read.err, Catch::Contains("1 read, 1 stored, 0 duplicate, 0 failed"));
  s.CheckIntact(2);
}

TEST_CASE("NUL bytes inside a page do not cut or hide its text") {
  StoreWithOneArticle s;
  std::string html = Page("<title>NUL</title>", kStory);
  html.insert(html.find("<p>"), std::string("\0<p>\0</p>\0", 10));
  std::string text = "Lyon news\n\nLyon signed a sister-city agreement with Kyoto on June 27, 2024.";
  text += std::string(1, '\0') + " The exchange starts in the autumn, officials said.\n";
  WriteFile(s.dir / "nul.html", html);
  WriteFile(s.dir / "nul.txt", text);
  CheckEachCleanedAndStored(s, {"nul.html", "nul.txt"});
}

TEST_CASE("a truncated .gz is an error naming it with exit 1, and the files next to it are stored") {
  StoreWithOneArticle s;
  const std::string gz = tw::test::GzipCompress(Page("<title>Cut</title>", kStory + std::string(20000, ' ') + kStory));
  WriteFile(s.dir / "in/cut.html.gz", gz.substr(0, gz.size() / 2));
  WriteFile(s.dir / "in/whole.html", Page("<title>Whole</title>", kStory));
  auto r = s.Ingest({s.dir / "in"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("cut.html.gz: truncated gzip data"));
  CHECK_THAT(r.err, Catch::Contains("2 read, 1 stored, 0 duplicate, 1 failed"));
  s.CheckIntact(2);
}

TEST_CASE("a truncated WARC record and a corrupt one are errors naming file and record, exit 1") {
  StoreWithOneArticle s;
  auto record = [](const std::string& uri, const std::string& body) {
    const std::string http = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body;
    return "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + uri +
           "\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: " + std::to_string(http.size()) +
           "\r\n\r\n" + http + "\r\n\r\n";
  };
  const std::string first = record("http://news.example/a", Page("<title>A</title>", kStory));
  const std::string second = record("http://news.example/b", Page("<title>B</title>", "<p>Another story.</p>"));
  WriteFile(s.dir / "truncated.warc", first + second.substr(0, second.size() - 30));
  WriteFile(s.dir / "corrupt.warc", first + "GARBAGE where a record should start\r\n\r\n" + second);
  auto r = s.Ingest({s.dir / "truncated.warc", s.dir / "corrupt.warc"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("truncated.warc: record 1: truncated record"));
  CHECK_THAT(r.err, Catch::Contains("corrupt.warc: record 1: expected a 'WARC/1.x' version line"));
  // Each file's first record is read; both are the same page at the same URL.
  CHECK_THAT(r.err, Catch::Contains("4 read, 1 stored, 1 duplicate, 2 failed"));
  s.CheckIntact(2);
}

TEST_CASE("a rules file with an invalid RE2 pattern stops everything with FILE:LINE, exit 2") {
  StoreWithOneArticle s;
  TempDir rules;
  std::filesystem::copy(std::string(TW_SOURCE_DIR) + "/rules", rules.path(), std::filesystem::copy_options::recursive);
  WriteFile(rules / "events.toml",
            "# a comment\n\n[[rule]]\nid = \"agreement.ok\"\ntype = \"agreement\"\npattern = '{A} signed with {B}'\n\n"
            "[[rule]]\nid = \"agreement.broken\"\ntype = \"agreement\"\npattern = '{A} (signed [with {B}'\n");
  WriteFile(s.dir / "a.html", Page("<title>A</title>", kStory));
  const std::string fresh_db = s.dir / "fresh-db";
  auto r = RunTwinwatch({"ingest", "--no-progress", "--rules", rules.path(), "--db", fresh_db, s.dir / "a.html"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains(rules / "events.toml:8: rule 'agreement.broken': bad pattern"));
  CHECK_THAT(r.err, !Catch::Contains("ingest: "));  // nothing started: no summary, no store
  CHECK_FALSE(std::filesystem::exists(fresh_db));
  auto extract = RunTwinwatch({"extract", "--rules", rules.path(), s.dir / "a.html"});
  CHECK(extract.exit_code == 2);
  CHECK(extract.out.empty());
  s.CheckIntact();
}

TEST_CASE("a database held by another process is refused by name with exit 2, and reading it still works") {
  StoreWithOneArticle s;
  WriteFile(s.dir / "a.html", Page("<title>A</title>", kStory));
  auto held = tw::Store::Open(s.db);  // this test process now holds the database's lock
  REQUIRE(held.ok());
  auto r = s.Ingest({s.dir / "a.html"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("database " + s.db + " is in use by another twinwatch process"));
  s.CheckIntact();
  held.value().reset();
  CHECK(s.Ingest({s.dir / "a.html"}).exit_code == 0);
  s.CheckIntact(2);
}

TEST_CASE("a read-only database directory refuses ingest by name with exit 2, and query and stats read it") {
  if (!PrivateMountsAvailable()) return;
  StoreWithOneArticle s;
  WriteFile(s.dir / "a.html", Page("<title>A</title>", kStory));
  const std::string bin = TW_BINARY;
  auto r = RunWithPrivateMounts(
      "mount --bind '" + s.db + "' '" + s.db + "' && mount -o remount,bind,ro '" + s.db + "' || exit 99\n" +
      bin + " ingest --no-progress --db '" + s.db + "' '" + s.dir / "a.html" + "'\n" +
      "echo \"ingest exit $?\"\n" +
      bin + " stats --db '" + s.db + "' --format json || echo \"stats failed $?\"\n" +
      bin + " query --db '" + s.db + "' --city tartu --format jsonl || echo \"query failed $?\"\n");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("ingest exit 2"));
  CHECK_THAT(r.err, Catch::Contains("cannot open database " + s.db));
  CHECK_THAT(r.err, Catch::Contains("Read-only file system"));
  CHECK_THAT(r.out, Catch::Contains("\"articles\":1"));
  CHECK_THAT(r.out, Catch::Contains("\"Pskov\""));
  CHECK_THAT(r.out, !Catch::Contains("failed"));
  s.CheckIntact();
}

TEST_CASE("a full disk stops ingest with a clear error and exit 1, and the store keeps what it wrote") {
  if (!PrivateMountsAvailable()) return;
  TempDir dir;
  WriteLargeReports(dir);
  const std::string mnt = dir / "mnt";
  auto r = IngestOnFullDisk(dir, "", dir / "in",
                            "echo \"first ingest exit $?\"\n"
                            "$BIN stats --db \"$DB\" --format json\n"
                            "echo \"stats exit $?\"\n"
                            "$BIN ingest --no-progress --db \"$DB\" '" + dir / "in/a1000.txt" + "'\n"
                            "echo \"second ingest exit $?\"\n"
                            "$BIN stats --db \"$DB\" --format json\n");
  REQUIRE(r.exit_code == 0);
  INFO(r.err);
  CHECK_THAT(r.out, Catch::Contains("first ingest exit 1"));
  CHECK_THAT(r.err, Catch::Contains("No space left on device"));
  CHECK_THAT(r.err, Catch::Contains("database " + mnt + "/db cannot take writes (what it holds is intact)"));
  CHECK_THAT(r.err, Catch::Contains("stopping: the documents still in flight are not stored"));
  CHECK_THAT(r.out, Catch::Contains("stats exit 0"));
  // What the first run stored is all there, events included, before and after the second run,
  // which (the disk still full) fails cleanly: no abort, exit 1 or 2 with the reason.
  auto stats_after = [&](const std::string& marker) {
    const size_t start = r.out.find('{', r.out.find(marker));
    return nlohmann::json::parse(r.out.substr(start, r.out.find('\n', start) - start));
  };
  const auto first = stats_after("first ingest exit");
  CHECK(first["articles"].get<int>() > 0);
  CHECK(first["articles"].get<int>() < 300);
  CHECK(first["events"] == first["articles"]);
  const char second_exit = r.out[r.out.find("second ingest exit ") + 19];
  CHECK((second_exit == '0' || second_exit == '1' || second_exit == '2'));
  const auto second = stats_after("second ingest exit");
  for (const char* key : {"articles", "events", "sources", "events_by_type"}) CHECK(second[key] == first[key]);
}

TEST_CASE("a full disk stops ingest --bulk into an empty store with a clear error and exit 1, and the store stays as it was") {
  if (!PrivateMountsAvailable()) return;
  TempDir dir;
  WriteLargeReports(dir);  // held in memory by the bulk load: its tables do not fit in 1 MiB
  const std::string mnt = dir / "mnt";
  auto r = IngestOnFullDisk(dir, "--bulk", dir / "in",
                            "echo \"ingest exit $?\"\n"
                            "$BIN stats --db \"$DB\" --format json\n"
                            "echo \"stats exit $?\"\n"
                            "ls \"$DB\"\n");
  REQUIRE(r.exit_code == 0);
  INFO(r.err);
  CHECK_THAT(r.out, Catch::Contains("ingest exit 1"));
  CHECK_THAT(r.err, Catch::Contains("database " + mnt + "/db: the bulk load could not write out the 300 articles"));
  CHECK_THAT(r.err, Catch::Contains("not stored"));
  CHECK_THAT(r.err, Catch::Contains("No space left on device"));
  CHECK_THAT(r.out, Catch::Contains("stats exit 0"));
  CHECK_THAT(r.out, Catch::Contains("\"articles\":0"));
  CHECK_THAT(r.out, !Catch::Contains("bulk-load.tmp"));  // its table files are removed
}
