#!/usr/bin/env bash
# The bundled default job: ResNet-50 data parallel on HGX-H100 (4, 8 and 16 GPUs), one training
# iteration each, with ASTRA-sim's exact semantics; results land in results/default_study/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=results/default_study
mkdir -p "$out"
cli=build/astra-sweep
for n in 4 8 16; do
  case $n in
    4) sys=configs/system/hgx_h100_4gpu.json ;;
    8) sys=configs/system/hgx_h100_8gpu__notrack_noroofline.json ;;
    16) sys=configs/system/hgx_h100_16gpu__notrack_noroofline.json ;;
  esac
  "$cli" simulate --network configs/network/hgx_h100_${n}gpu.yml --system "$sys" \
    --workload configs/workload/Resnet50_DataParallel.txt --json > "$out/resnet50_${n}gpu.json"
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print('ResNet-50 on %s GPUs: iteration %.3f ms, exposed communication %.3f ms' % (sys.argv[2], r['max_finish_ns']/1e6, max(r['stats']['exposed_comm_ns'])/1e6))" "$out/resnet50_${n}gpu.json" $n
done
echo "results in $out/"
