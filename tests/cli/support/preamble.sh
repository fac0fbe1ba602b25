# The common start of the CLI tests (tests/cli/*.sh, run by ctest as `bash SCRIPT BIN REPO`):
#   source "$(dirname "$0")/support/preamble.sh" "$@"
# sets `bin` (the astra-sweep binary, $1), `repo` (the repository, $2, made absolute), `tmp` (a
# fresh folder, removed on exit) and `fail MESSAGE` (prints "FAIL: MESSAGE" and exits 1).
set -u
bin=$1
repo=$(cd "${2:-.}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
