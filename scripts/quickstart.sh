#!/usr/bin/env bash
# Quickstart, step 1 of 2: install what astra-sweep needs, build it, and run the main job on the
# bundled default: the ResNet-50 data-parallel study on HGX-H100 systems (configs/, sweeps/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec bash scripts/run_default_study.sh "$@"
