#!/usr/bin/env bash
# `make bench`: every benchmark, as tables. Ratios are measured within one run (the machine is noisy).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=build/bench

echo "== cleaner on the article-extraction benchmark: score, speed vs a bare Gumbo parse =="
if [ -d ../shared/bench/article-extraction/html ]; then
  BENCH_CLEAN_ARGS=--scaling ./bench/clean.sh
else
  echo "  (skipped: ../shared/bench/article-extraction not found)"
fi

echo
echo "== extraction over cleaned text (one core), start-up of the gazetteer and rules =="
echo "  -- the project's samples/ and tests/articles/ (every article about ties: event rules fire often)"
"$BIN/bench_extract" --mb "${BENCH_EXTRACT_MB:-20}"
if [ -d ../shared/bench/article-extraction/html ]; then
  echo "  -- 120 real news pages of ../shared/bench/article-extraction (news of every kind)"
  "$BIN/bench_extract" --mb "${BENCH_EXTRACT_MB:-20}" --dir ../shared/bench/article-extraction/html
fi

echo
echo "== end-to-end ingest throughput =="
"$BIN/bench_ingest" --articles "${BENCH_ARTICLES:-5000}"

echo
echo "== peak memory does not grow with the number of input files (bounded queues) =="
small=$("$BIN/bench_ingest" --articles 2000 | awk '/^RESULT/ {split($3, a, "="); print a[2]}')
large=$("$BIN/bench_ingest" --articles 20000 | awk '/^RESULT/ {split($3, a, "="); print a[2]}')
awk -v s="$small" -v l="$large" 'BEGIN {
  printf "  %-20s %12s\n", "articles", "peak RSS MB";
  printf "  %-20s %12.1f\n", "2,000", s / 1024;
  printf "  %-20s %12.1f\n", "20,000", l / 1024;
  printf "  %-20s %12.3f\n", "ratio 20k / 2k", l / s;
}'

echo
echo "== end-to-end crawl: local server, 200 virtual hosts, per_host_delay 0 =="
crawl_out=$("$BIN/bench_crawl" --pages "${BENCH_CRAWL_PAGES:-20000}")
echo "$crawl_out" | grep -v '^RESULT'
crawl_large=$(echo "$crawl_out" | awk '/^RESULT/ {split($3, a, "="); print a[2]}')
crawl_small=$("$BIN/bench_crawl" --pages 2000 | awk '/^RESULT/ {split($3, a, "="); print a[2]}')
awk -v s="$crawl_small" -v l="$crawl_large" -v n="${BENCH_CRAWL_PAGES:-20000}" 'BEGIN {
  printf "  %-20s %12s\n", "pages crawled", "peak RSS MB";
  printf "  %-20s %12.1f\n", "2,000", s / 1024;
  printf "  %-20s %12.1f\n", n, l / 1024;
  printf "  %-20s %12.3f\n", "ratio", l / s;
}'

echo
echo "== event store: bulk load, queries by city / month / type x country, bytes per event =="
"$BIN/bench_store" --events "${BENCH_STORE_EVENTS:-1000000}" | grep -v '^RESULT'
