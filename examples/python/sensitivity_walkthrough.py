"""Sensitivity walk-through: which parameter moves a 64 MiB all-reduce on 8 H100 the most?
Morris screening first, then one-at-a-time curves of the strongest parameters.

    PYTHONPATH=build/python python3 examples/python/sensitivity_walkthrough.py [OUT_DIR]
"""
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import astra_sweep as asw

REPO = Path(__file__).resolve().parents[2]
out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "out/python_examples"
out.mkdir(parents=True, exist_ok=True)
spec = REPO / "sweeps/sensitivity_hgx_h100_allreduce.yml"

# 1. Morris screening: mu_star = mean absolute elementary effect, sigma = its spread
#    (interactions, non-linearity), over the ranges the spec gives each parameter.
morris = asw.sensitivity(spec, method="morris")["tables"]["sensitivity_morris"]
morris = morris.sort_values("mu_star", ascending=True)
print(morris.to_string(index=False))
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.barh(morris["parameter"], morris["mu_star"] / 1e3, xerr=morris["mu_star_standard_error"] / 1e3, color="tab:blue")
ax.set(xlabel="mu* of collective time (us)", title="Morris screening, 64 MiB all-reduce, 8x H100")
fig.tight_layout()
fig.savefig(out / "sensitivity_morris.png", dpi=120)

# 2. One at a time, with the sweep engine: the two strongest parameters, each over its range,
#    the others at the base point.
base = {"network": str(REPO / "configs/network/HGX-H100-validated.yml"),
        "system": str(REPO / "configs/system/HGX-H100-validated.json"),
        "workload": {"collective": "all_reduce", "size_bytes": 67108864}}
ranges = {"latency_ns": (100, 3000), "bandwidth_GBps": (50, 900)}
fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
for ax, (name, (low, high)) in zip(axes, ranges.items()):
    df = asw.run({**base, "name": f"oat_{name}", "axes": {name: {"logspace": {"start": low, "stop": high, "num": 200}}}},
                 backend="cpu")
    ax.plot(df[name], df["collective_time_ns"] / 1e3)
    ax.set(xscale="log", yscale="log", xlabel=name.replace("_ns", " (ns)").replace("_GBps", " (GB/s)"),
           ylabel="all-reduce time (us)")
fig.suptitle("one at a time around the HGX-H100 base point")
fig.tight_layout()
fig.savefig(out / "sensitivity_oat.png", dpi=120)
print(f"wrote {out / 'sensitivity_morris.png'} and {out / 'sensitivity_oat.png'}")
