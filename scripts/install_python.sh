#!/usr/bin/env bash
# Installs the built `astra_sweep` package (build/python/astra_sweep: the pybind11 module and its
# Python half) into a virtual environment, with no network: VENV is created with
# --system-site-packages when it does not exist (numpy and pandas come from Debian's packages,
# and the module is built for Debian's python3), then the package is copied into its
# site-packages.  Usage: scripts/install_python.sh VENV_DIR
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv=${1:?usage: scripts/install_python.sh VENV_DIR}
pkg=${ASTRA_PYTHON_BUILD:-$repo/build/python}/astra_sweep
if ! compgen -G "$pkg/_core*.so" > /dev/null || [ ! -f "$pkg/__init__.py" ]; then
  echo "error: $pkg is not built (cmake --build build --target astra_sweep_core)" >&2
  exit 2
fi
[ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv --system-site-packages "$venv"
site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')
rm -rf "$site/astra_sweep"
cp -r "$pkg" "$site/astra_sweep"
"$venv/bin/python" -c 'import astra_sweep, sys; print("astra_sweep installed in", sys.prefix)'
