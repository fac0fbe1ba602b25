#!/usr/bin/env bash
# The bundled default job: the ResNet-50 data-parallel study on HGX-H100 systems (4 to 32 GPUs,
# both backends, a latency x bandwidth neighbourhood), with its report in
# results/resnet50_hgx_h100/report.md.
set -euo pipefail
cd "$(dirname "$0")/.."
build/astra-sweep study sweeps/resnet50_hgx_h100.yaml --out results/resnet50_hgx_h100 "$@"
echo "report: results/resnet50_hgx_h100/report.md"
