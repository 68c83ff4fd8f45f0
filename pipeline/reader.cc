#include "pipeline/reader.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

#include "pipeline/gzip.h"
#include "pipeline/warc.h"

namespace fs = std::filesystem;

namespace tw {

namespace {

enum class FileKind { kDocument, kGzDocument, kWarc, kWarcGz, kUnknown };

bool EndsWith(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  return std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

FileKind KindOf(const std::string& name) {
  if (EndsWith(name, ".warc.gz")) return FileKind::kWarcGz;
  if (EndsWith(name, ".warc")) return FileKind::kWarc;
  for (const char* ext : {".html", ".htm", ".xhtml", ".txt"}) {
    if (EndsWith(name, ext)) return FileKind::kDocument;
    if (EndsWith(name, std::string(ext) + ".gz")) return FileKind::kGzDocument;
  }
  return FileKind::kUnknown;
}

int64_t ModificationTime(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return static_cast<int64_t>(st.st_mtime);
}

// Lists the readable files under `dir`, recursively, sorted by path for a stable order.
std::vector<std::string> ListFolder(const std::string& dir, const DocumentReader::ErrorFn& on_error,
                                    uint64_t& failed) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    on_error(Status::IOError(dir + ": cannot list folder: " + ec.message()));
    ++failed;
    return files;
  }
  for (auto end = fs::recursive_directory_iterator(); it != end; it.increment(ec)) {
    if (ec) {
      on_error(Status::IOError(dir + ": error while listing: " + ec.message()));
      ++failed;
      break;
    }
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) continue;
    std::string path = it->path().string();
    if (KindOf(path) == FileKind::kUnknown) {
      spdlog::debug("skipping {}: not a known document type", path);
      continue;
    }
    files.push_back(std::move(path));
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::string FileUrl(const std::string& absolute_path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string url = "file://";
  for (unsigned char c : absolute_path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~' || c >= 0x80) {
      url.push_back(static_cast<char>(c));
    } else {
      url.push_back('%');
      url.push_back(kHex[c >> 4]);
      url.push_back(kHex[c & 15]);
    }
  }
  return url;
}

std::string GuessContentType(const std::string& name, const std::string& bytes) {
  std::string base = EndsWith(name, ".gz") ? name.substr(0, name.size() - 3) : name;
  if (EndsWith(base, ".txt")) return "text/plain";
  if (EndsWith(base, ".html") || EndsWith(base, ".htm")) return "text/html";
  if (EndsWith(base, ".xhtml")) return "application/xhtml+xml";
  // Sniff: markup starts with '<' after a BOM and whitespace.
  size_t i = 0;
  if (bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;
  while (i < bytes.size() && i < 1024 && std::isspace(static_cast<unsigned char>(bytes[i]))) ++i;
  if (i < bytes.size() && bytes[i] == '<') return "text/html";
  return "text/plain";
}

Result<RawDoc> DocumentReader::ReadDocumentFile(const std::string& path) const {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::NotFound(path + ": no such file or folder");
  const FileKind kind = KindOf(path);
  bool gunzip = kind == FileKind::kGzDocument;
  if (kind == FileKind::kUnknown) {
    // Named explicitly with an unknown extension: gunzip if it looks gzipped.
    auto probe = OpenFileStream(path, false);
    if (!probe.ok()) return probe.status();
    char magic[2] = {0, 0};
    auto got = (*probe)->Read(magic, 2);
    gunzip = got.ok() && *got == 2 && LooksGzipped(std::string(magic, 2));
  }
  auto stream = OpenFileStream(path, gunzip);
  if (!stream.ok()) return stream.status();
  auto bytes = ReadAll(**stream, options_.max_document_bytes, path);
  if (!bytes.ok()) return bytes.status();

  RawDoc doc;
  doc.url = FileUrl(fs::absolute(path, ec).lexically_normal().string());
  doc.origin = path;
  doc.content_type = GuessContentType(path, *bytes);
  doc.fetch_time = ModificationTime(path);
  doc.bytes = std::move(bytes.value());
  return doc;
}

bool DocumentReader::ReadWarc(const std::string& path, bool gzipped, const Sink& sink,
                              const ErrorFn& on_error, const std::atomic<bool>* stop,
                              ReaderTotals& totals) const {
  auto stream = OpenFileStream(path, gzipped);
  if (!stream.ok()) {
    on_error(stream.status());
    ++totals.failed;
    return true;
  }
  WarcReader warc(std::move(stream.value()), path, options_.max_document_bytes);
  while (!(stop && stop->load())) {
    auto next = warc.Next();
    if (!next.ok()) {
      on_error(next.status());
      ++totals.failed;
      if (next.status().code() == Status::Code::kTooLarge) continue;
      return true;  // the record boundary is lost: give up on this file, keep the others
    }
    if (!next.value()) return true;
    WarcRecord& rec = *next.value();
    if (rec.type != "response" && rec.type != "resource") continue;
    if (rec.type == "response" && (rec.http_status < 200 || rec.http_status >= 300)) {
      spdlog::debug("{}: record {}: skipping HTTP status {}", path, rec.index, rec.http_status);
      continue;
    }
    const bool html = rec.content_type.find("html") != std::string::npos;
    const bool text = rec.content_type == "text/plain";
    if (!html && !text) {
      spdlog::debug("{}: record {}: skipping content type '{}'", path, rec.index, rec.content_type);
      continue;
    }
    RawDoc doc;
    doc.url = rec.target_uri.empty() ? FileUrl(path) + "#record-" + std::to_string(rec.index) : rec.target_uri;
    doc.origin = path + "#record " + std::to_string(rec.index);
    doc.content_type = html ? "text/html" : "text/plain";
    doc.charset = rec.charset;
    doc.fetch_time = ParseWarcDate(rec.date);
    doc.bytes = std::move(rec.payload);
    ++totals.documents;
    if (!sink(doc)) return false;
  }
  return false;
}

ReaderTotals DocumentReader::Read(const std::vector<std::string>& paths, const Sink& sink,
                                  const ErrorFn& on_error, const std::atomic<bool>* stop) const {
  ReaderTotals totals;
  auto stopped = [&] { return stop && stop->load(); };
  // Returns false when reading must stop.
  auto read_file = [&](const std::string& path) -> bool {
    ++totals.inputs;
    const FileKind kind = KindOf(path);
    if (kind == FileKind::kWarc || kind == FileKind::kWarcGz) {
      return ReadWarc(path, kind == FileKind::kWarcGz, sink, on_error, stop, totals);
    }
    auto doc = ReadDocumentFile(path);
    if (!doc.ok()) {
      on_error(doc.status());
      ++totals.failed;
      return true;
    }
    ++totals.documents;
    return sink(doc.value());
  };

  for (const auto& path : paths) {
    if (stopped()) break;
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec && ec != std::errc::no_such_file_or_directory) {
      on_error(Status::IOError(path + ": cannot read: " + ec.message()));
      ++totals.failed;
      continue;
    }
    if (ec || !fs::exists(status)) {
      on_error(Status::NotFound(path + ": no such file or folder"));
      ++totals.failed;
      continue;
    }
    if (fs::is_directory(status)) {
      for (const auto& file : ListFolder(path, on_error, totals.failed)) {
        if (stopped() || !read_file(file)) return totals;
      }
    } else if (!read_file(path)) {
      break;
    }
  }
  return totals;
}

}  // namespace tw
