#!/usr/bin/env bash
# Installs the Debian 12 packages twinwatch needs to build, test and run.
# Idempotent: when every package is already present it does nothing (no apt-get call at all).
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config make python3
  # libraries named in DEVELOPERS.md
  libcurl4-openssl-dev libgumbo-dev libicu-dev libre2-dev librocksdb-dev
  libspdlog-dev libfmt-dev catch2 libcli11-dev nlohmann-json3-dev
  libcpp-httplib-dev zlib1g-dev libxxhash-dev
  # sources.toml parsing (README: "Dependencies")
  libtomlplusplus-dev
  # feed and sitemap parsing for the crawler (README: "Dependencies")
  libpugixml-dev
  # an HTTP/2 server (nghttpd) and openssl for the crawler's HTTP/2 tests (README: "Dependencies")
  nghttp2-server openssl
  # brotli and zstd encoders for the crawler's content-encoding test
  libbrotli-dev libzstd-dev
  # country and subdivision names, and English words, for scripts/build-gazetteer
  iso-codes wamerican
  # libFuzzer for `make fuzz` (README: "Reliability")
  clang-14 libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 2
  fi
fi
export DEBIAN_FRONTEND=noninteractive
# A stale package index makes 'install' fail with 404s; refresh it once before installing.
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
