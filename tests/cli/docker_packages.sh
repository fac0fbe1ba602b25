#!/usr/bin/env bash
# Docker cannot run in CI, so this keeps docker/Dockerfile.{cpu,cuda} in step with
# scripts/setup.sh: the build stage runs scripts/setup.sh itself (the same package list), every
# package a Dockerfile names in `apt-get install` is in setup.sh's list, the images are
# multi-stage and end as a non-root user. Lints with hadolint when it is installed (Debian has
# no hadolint package, so usually it is not, and this says so).
# Usage: bash docker_packages.sh <astra-sweep binary> <repo dir>
set -u
repo=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
setup=$repo/scripts/setup.sh
# setup.sh's lists: the words between `packages=(` / `test_packages=(` and `)`
listed=$(awk '/^(test_)?packages=\(/ { on = 1; sub(/^[a-z_]*=\(/, "") } on { line = $0; if (sub(/\).*/, "", line)) on = 2; print line; if (on == 2) on = 0 }' "$setup" \
  | tr ' ' '\n' | grep -v '^$' | sort -u)
echo "$listed" | grep -qx cmake || fail "could not read setup.sh's package list"
echo "$listed" | grep -qx openmpi-bin || fail "setup.sh lacks openmpi-bin"

for name in cpu cuda; do
  df=$repo/docker/Dockerfile.$name
  [ -f "$df" ] || fail "missing $df"
  [ "$(grep -c '^FROM ' "$df")" -ge 2 ] || fail "$name: not multi-stage"
  # the build stage installs through setup.sh, leaving the browser out
  awk '/^FROM /{ stage++ } stage == 1' "$df" | grep -q 'ASTRA_SETUP_SKIP_TEST_PACKAGES=1 .*scripts/setup.sh' \
    || fail "$name: the build stage does not run scripts/setup.sh (without test packages)"
  # packages named in apt-get install lines must be in setup.sh's list
  named=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$df" | grep -o 'apt-get install[^&]*' \
    | sed 's/apt-get install//' | tr ' ' '\n' | grep -v -e '^-' -e '^$' -e '^\$' | sort -u)
  for p in $named; do
    echo "$listed" | grep -qx "$p" || fail "$name: installs '$p', which scripts/setup.sh does not list"
  done
  [ -n "$named" ] || fail "$name: no runtime packages found"
  last_user=$(grep '^USER ' "$df" | tail -n 1 | awk '{ print $2 }')
  [ -n "$last_user" ] && [ "$last_user" != root ] && [ "$last_user" != 0 ] || fail "$name: runs as root"
  grep -q '^COPY --from=build /src/build/astra-sweep ' "$df" || fail "$name: the runtime stage does not copy the binary"
done
if command -v hadolint > /dev/null; then
  hadolint --failure-threshold error "$repo/docker/Dockerfile.cpu" "$repo/docker/Dockerfile.cuda" || fail "hadolint"
else
  echo "note: hadolint is not installed (Debian has no package for it): Dockerfiles checked by this script only"
fi
echo "docker_packages: ok"
