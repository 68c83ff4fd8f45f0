#!/usr/bin/env bash
# `make fuzz`: runs each libFuzzer target (built by the `fuzz` preset in build-fuzz/) for
# FUZZ_SECONDS seconds, one after the other.
#   tests/fuzz/run.sh SECONDS [TARGET...]      (default: every target in tests/fuzz/targets.txt)
# Each target's working corpus lives in build-fuzz/fuzz/corpus/NAME (seeded on the first run from
# tests/fuzz/seeds/NAME, tests/fuzz/regressions/NAME and the extra seeds in targets.txt) and grows
# from run to run; tests/fuzz/NAME.dict, when there is one, gives libFuzzer the format's tokens.
# An input that crashes, trips a sanitizer, times out or runs out of memory is saved in
# build-fuzz/fuzz/findings/NAME/; once fixed, copy it to tests/fuzz/regressions/NAME/ so the
# normal suite replays it. Exits 1 if any target had a finding.
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:?usage: run.sh SECONDS [TARGET...]}"
shift
bin=build-fuzz/tests/fuzz
work=build-fuzz/fuzz

declare -A extra_seeds
targets=()
while read -r name rest; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  targets+=("$name")
  extra_seeds[$name]="$rest"
done < tests/fuzz/targets.txt
[[ $# -gt 0 ]] && targets=("$@")

failed=()
for name in "${targets[@]}"; do
  if [[ ! -x "$bin/fuzz_$name" ]]; then
    echo "fuzz: no target '$name' (known: ${!extra_seeds[*]})" >&2
    exit 2
  fi
  corpus="$work/corpus/$name"
  findings="$work/findings/$name"
  mkdir -p "$corpus" "$findings"
  # Seed files are copied in (libFuzzer adds what it finds to the first folder it is given).
  for seed in tests/fuzz/seeds/"$name"/* tests/fuzz/regressions/"$name"/* ${extra_seeds[$name]}; do
    [[ -f "$seed" ]] && cp -n "$seed" "$corpus/seed-$(basename "$seed")"
  done
  dict=()
  [[ -f "tests/fuzz/$name.dict" ]] && dict=(-dict="tests/fuzz/$name.dict")
  echo "== fuzz $name for ${seconds}s (corpus $corpus, findings $findings)"
  # -timeout: one input taking over 10 s is a hang worth fixing (the parse-time ceiling is there to
  # bound real documents, not to hide slow code). -rss_limit_mb: memory must stay bounded too.
  ASAN_OPTIONS="halt_on_error=1:detect_leaks=1" UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
    "$bin/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=1048576 \
    -print_final_stats=1 -artifact_prefix="$findings/" "${dict[@]}" "$corpus" 2>&1 |
    grep -v -E '^#[0-9]+\s+(NEW|REDUCE|pulse)' || true
  if [[ -n "$(ls -A "$findings")" ]]; then
    echo "fuzz $name: FINDINGS in $findings:" && ls "$findings"
    failed+=("$name")
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: no findings in ${targets[*]}"
