#!/usr/bin/env bash
# `make bench-clean`: the cleaner on the article-extraction benchmark (../shared/bench): its score
# against the true article text, then its speed next to a bare Gumbo parse measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=../shared/bench
PAGES=$BENCH/article-extraction
if [ ! -d "$PAGES/html" ]; then
  echo "bench-clean: $PAGES/html not found (the benchmark lives in ../shared/bench)" >&2
  exit 2
fi
pred=$(mktemp /tmp/twinwatch-clean-XXXXXX.jsonl)
trap 'rm -f "$pred"' EXIT
build/bench/bench_clean --pages "$PAGES/html" --predictions "$pred" --rounds "${BENCH_ROUNDS:-3}" ${BENCH_CLEAN_ARGS:-}
echo
python3 "$BENCH/score_extraction.py" "$PAGES/ground-truth.json" "$pred" --name "twinwatch cleaner"
