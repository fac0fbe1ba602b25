# The common start of the CLI tests (tests/cli/*.sh, run by ctest as `bash SCRIPT BIN REPO`):
#   source "$(dirname "$0")/support/preamble.sh" "$@"
# sets `bin` (the astra-sweep binary, $1), `repo` (the repository, $2, made absolute), `tmp` (a
# fresh folder, removed on exit) and `fail MESSAGE` (prints "FAIL: MESSAGE" and exits 1);
# `shared` (../shared beside the repository, or $ASTRA_SHARED_DIR) and `need_shared PATH...` (the
# one way a CLI test that needs ../shared skips: "SKIP: needs ../shared/PATH ...", exit 77).
set -u
bin=$1
repo=$(cd "${2:-.}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
shared=${ASTRA_SHARED_DIR:-$repo/../shared}
need_shared() {
  local p
  for p in "$@"; do
    [ -e "$shared/$p" ] || { echo "SKIP: needs ../shared/$p beside the repository ($shared/$p is absent)"; exit 77; }
  done
}
