"""Calibration walk-through: fit the HGX-H100 model's link latency and bandwidth to measured
nccl-tests all-reduce times, look at the fit per size, and map the error around it.

    PYTHONPATH=build/python python3 examples/python/calibration_walkthrough.py [MEASURED.csv] [OUT_DIR]
"""
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import astra_sweep as asw

REPO = Path(__file__).resolve().parents[2]
measured = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared/measured/together_h100x8_all_reduce_ring.csv"
out = Path(sys.argv[2]) if len(sys.argv) > 2 else REPO / "out/python_examples"
out.mkdir(parents=True, exist_ok=True)
network = REPO / "configs/network/HGX-H100-validated.yml"
system = REPO / "configs/system/HGX-H100-validated.json"

# 1. The fit: a grid search plus Nelder-Mead over latency and bandwidth, every 2nd size held out.
cal = asw.calibrate(measured, network, system, params=["latency_ns=100:3000:log", "bandwidth_GBps=50:900:log"],
                    grid=128, holdout="every-2nd")
fit = cal["fit"]
print(f"fitted latency {fit['latency_ns']:.1f} ns, bandwidth {fit['bandwidth_GBps']:.1f} GB/s; "
      f"held-out geomean error {100 * fit['geomean_ape_holdout']:.2f}%")
table = cal["tables"]["calibration"]  # one row per measured size
print(table.to_string(index=False, max_rows=12))

# 2. Measured against predicted, per size (both axes span decades: log scales).
fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 6), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
for split, marker in (("fit", "o"), ("holdout", "s")):
    part = table[table["split"] == split]
    top.plot(part["size_bytes"], part["measured_time_us"], marker, mfc="none", label=f"measured ({split})")
top.plot(table["size_bytes"], table["predicted_time_us"], "-", label="model, fitted")
top.set(xscale="log", yscale="log", ylabel="time (us)", title=f"all-reduce, 8x H100: {measured.stem}")
top.legend()
bottom.plot(table["size_bytes"], 100 * table["ape"], ".-")
bottom.set(xscale="log", xlabel="message size (bytes)", ylabel="error (%)")
fig.tight_layout()
fig.savefig(out / "calibration_fit.png", dpi=120)

# 3. The error surface around the fit, straight from a sweep: every (latency, bandwidth, size)
#    point evaluated at once, then grouped with pandas.
sizes = sorted(int(s) for s in table["size_bytes"])
spec = {
    "name": "calibration_surface",
    "network": str(network),
    "system": str(system),
    "workload": {"collective": "all_reduce", "size_bytes": sizes[0]},
    "axes": {
        "latency_ns": {"logspace": {"start": fit["latency_ns"] / 4, "stop": fit["latency_ns"] * 4, "num": 41}},
        "bandwidth_GBps": {"logspace": {"start": fit["bandwidth_GBps"] / 4, "stop": fit["bandwidth_GBps"] * 4, "num": 41}},
        "size_bytes": sizes,
    },
}
df = asw.run(spec, backend="cpu", columns=["latency_ns", "bandwidth_GBps", "size_bytes", "collective_time_ns"])
measured_us = dict(zip(table["size_bytes"], table["measured_time_us"]))
df["ape"] = (df["collective_time_ns"] / 1e3 / df["size_bytes"].map(measured_us) - 1).abs()
surface = df.groupby(["latency_ns", "bandwidth_GBps"])["ape"].mean().unstack()
print(f"{len(df)} points in {df.attrs['summary']['seconds']:.2f} s; "
      f"best MAPE on the grid {100 * surface.min().min():.2f}%")
fig, ax = plt.subplots(figsize=(6.5, 5))
mesh = ax.pcolormesh(surface.columns, surface.index, 100 * surface.values, shading="auto",
                     norm=matplotlib.colors.LogNorm())
ax.plot(fit["bandwidth_GBps"], fit["latency_ns"], "w*", ms=12, label="fit")
ax.set(xscale="log", yscale="log", xlabel="link bandwidth (GB/s)", ylabel="link latency (ns)",
       title="mean absolute error over the measured sizes")
fig.colorbar(mesh, label="MAPE (%)")
ax.legend()
fig.tight_layout()
fig.savefig(out / "calibration_surface.png", dpi=120)
print(f"wrote {out / 'calibration_fit.png'} and {out / 'calibration_surface.png'}")
