#!/usr/bin/env bash
# Installs every Debian package astra-sweep needs, then configures and builds it in build/.
# Safe to run again: apt-get skips what is installed, cmake rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake git pkg-config
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libfmt-dev libspdlog-dev
  libgtest-dev libgmock-dev libbenchmark-dev libsqlite3-dev sqlite3
  openmpi-bin libopenmpi-dev libomp-dev
  python3 gnuplot-nox
  python3-dev pybind11-dev python3-pybind11 python3-numpy python3-pandas
)
# Only for the tests (headless browser check of `astra-sweep report`, ~2 min to install; pytest
# and pytest-timeout (a hang fails with a traceback) for the Python module, matplotlib for its examples);
# ASTRA_SETUP_SKIP_TEST_PACKAGES=1 leaves them out (the Docker images do).
test_packages=(chromium chromium-driver python3-pytest python3-pytest-timeout python3-matplotlib)
if [ "${ASTRA_SETUP_SKIP_TEST_PACKAGES:-0}" != 1 ]; then packages+=("${test_packages[@]}"); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release ${ASTRA_CMAKE_ARGS:-} >/dev/null
cmake --build build -j "$jobs"
