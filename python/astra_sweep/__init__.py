"""astra-sweep from Python: sweeps straight into numpy/pandas.

    import astra_sweep as asw
    df = asw.run("sweeps/hgx_h100_latency_bandwidth_size.yaml", backend="cpu")
    best = asw.run(spec_dict, top_k=10, by="busbw_GBps")
    one = asw.simulate(network=..., system=..., collective="all_reduce", size_bytes=1 << 20)
    fit = asw.calibrate("measured.txt", network=..., system=..., params=["latency_ns=100:3000:log"])
    table = asw.sensitivity("sweeps/sensitivity_hgx_h100_allreduce.yml", method="morris")

The columns and their meaning are the CLI's (`astra-sweep run`, sweeps/README.md); units are in
the names (_ns, _bytes, _GBps). Dtypes of run()'s DataFrame:
  point_index: uint64; integer axes: int64; real axes: float64
  time metrics (*_ns): uint64, or pandas' nullable UInt64 when some point has no value
  exposed_comm_ns: int64 (nullable Int64 likewise); bandwidths (*_GBps): float64 with NaN
  status, evaluated_by and named axes: pandas Categorical; reason: object (str or None)
Bad input raises astra_sweep.InputError (a ValueError) with the CLI's one-line message.
Long calls release the GIL; Ctrl-C stops a sweep after the batch in flight and raises
KeyboardInterrupt.
"""
from __future__ import annotations

import io
import json
import os
import shlex
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core
from ._core import InputError

__all__ = ["run", "run_arrays", "simulate", "calibrate", "sensitivity", "cli", "InputError", "CliError"]

Spec = Union[str, os.PathLike, Mapping[str, Any]]

_MISSING = {"uint64": np.iinfo(np.uint64).max, "int64": np.iinfo(np.int64).min}


class CliError(RuntimeError):
    """A subcommand failed for another reason than bad input (exit code 1)."""


def _spec_source(spec: Spec):
    """(text, file name for messages, folder that relative paths in the spec are relative to)."""
    if isinstance(spec, Mapping):
        return json.dumps(spec), "<dict>", os.getcwd()
    path = Path(spec)
    try:
        text = path.read_text()
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror})") from None
    return text, str(path), str(path.parent.resolve())


def _where_list(where: Union[None, str, Iterable[str]]) -> list:
    if where is None:
        return []
    if isinstance(where, str):
        return [where]
    return list(where)


def run_arrays(spec: Spec, backend: str = "auto", columns: Union[str, Sequence[str]] = "default",
               where: Union[None, str, Iterable[str]] = None, top_k: int = 0, by: Optional[str] = None,
               summary_only: bool = False, threads: int = 0, limit: Optional[int] = None):
    """Runs a sweep; returns (arrays, categories, summary).

    arrays: {column: numpy array} in the CLI's column order, each owning the engine's buffer (no
    copy); text columns are int32 codes (-1: none) into categories[column]; missing numbers are
    the dtype's max (uint64) / min (int64) or NaN. summary: counts, timing and the metric's
    min/mean/max, as `astra-sweep run` prints them.
    """
    if not isinstance(columns, str):
        columns = ",".join(columns)
    text, file, base = _spec_source(spec)
    names, arrays, cats, summary, note = _core.run_spec(
        text, file, base, backend, columns, _where_list(where), int(top_k or 0), by or "",
        bool(summary_only), int(threads), int(limit or 0))
    summary["note"] = note
    return dict(zip(names, arrays)), {n: c for n, c in zip(names, cats) if c is not None}, summary


def _frame(arrays: Dict[str, np.ndarray], categories: Dict[str, list]) -> pd.DataFrame:
    cols = {}
    for name, a in arrays.items():
        if name in categories:
            texts = categories[name]
            if name == "reason":
                lookup = np.array(list(texts) + [None], dtype=object)
                cols[name] = pd.Series(lookup[a], dtype=object)  # code -1 picks the trailing None
            else:
                cols[name] = pd.Categorical.from_codes(a, categories=texts) if len(texts) == len(set(texts)) \
                    else pd.Categorical(np.array(texts + [None], dtype=object)[a])
        elif a.dtype.kind in "ui":
            missing = a == _MISSING[str(a.dtype)]
            if missing.any():
                cols[name] = pd.array(np.where(missing, 0, a), dtype="UInt64" if a.dtype.kind == "u" else "Int64")
                cols[name][missing] = pd.NA
            else:
                cols[name] = a
        else:
            cols[name] = a
    return pd.DataFrame(cols, copy=False)


def run(spec: Spec, backend: str = "auto", columns: Union[str, Sequence[str]] = "default",
        where: Union[None, str, Iterable[str]] = None, top_k: int = 0, by: Optional[str] = None,
        summary_only: bool = False, threads: int = 0, limit: Optional[int] = None):
    """Evaluates every point of a sweep spec (a YAML/JSON file path or a dict of the same
    structure; a dict's relative file paths are relative to the current folder).

    backend: "auto" (GPU when one answers, else cpu), "cpu", "cuda" or "thrust-omp".
    columns: "default", "all", or names (axes by their column or spelled name).
    where: extra constraints (an expression or a list), added to the spec's own.
    top_k with by=METRIC: only the K best points, sorted (smallest times, largest bandwidths).
    summary_only: no rows; returns the summary dict (counts, metric min/mean/max, timing).
    Returns a pandas DataFrame with the CLI's columns (see the module docstring for dtypes);
    its .attrs["summary"] holds the run's summary.
    """
    arrays, categories, summary = run_arrays(spec, backend, columns, where, top_k, by, summary_only, threads, limit)
    if summary_only:
        return summary
    df = _frame(arrays, categories)
    df.attrs["summary"] = summary
    return df


def cli(*args: str) -> str:
    """Runs `astra-sweep ARGS...` in this process; returns its stdout. Bad input raises
    InputError with the CLI's message, other failures CliError. The GIL is released meanwhile;
    the process' stdout/stderr are redirected for the call (one call at a time), and Ctrl-C
    takes effect when the subcommand returns (subcommands other than `run` have no stop flag)."""
    rc, out, err = _core.run_cli([str(a) for a in args])
    out, err = out.decode(), err.decode()
    if rc != 0:
        message = next((l for l in err.splitlines() if l.startswith("error: ")), err.strip() or f"exit {rc}")
        message = message[len("error: "):] if message.startswith("error: ") else message
        if rc == 2:
            raise InputError(message)
        raise CliError(message)
    return out


def simulate(network: Union[str, os.PathLike], system: Union[str, os.PathLike], collective: Optional[str] = None,
             size_bytes: Optional[int] = None, workload: Union[None, str, os.PathLike] = None,
             backend: str = "congestion_unaware", passes: Optional[int] = None,
             compute_scale: Optional[float] = None, engine: Optional[str] = None) -> dict:
    """One configuration from ASTRA-sim's own files (`astra-sweep simulate --json`): a collective
    (collective + size_bytes) or a text workload. Returns the CLI's JSON object as a dict."""
    args = ["simulate", "--network", network, "--system", system, "--backend", backend, "--json"]
    if collective is not None:
        args += ["--collective", collective]
    if size_bytes is not None:
        args += ["--size-bytes", int(size_bytes)]
    if workload is not None:
        args += ["--workload", workload]
    if passes is not None:
        args += ["--passes", int(passes)]
    if compute_scale is not None:
        args += ["--compute-scale", repr(float(compute_scale))]
    if engine is not None:
        args += ["--engine", engine]
    return json.loads(cli(*args))


def _read_csvs(folder: Path) -> Dict[str, pd.DataFrame]:
    return {p.stem: pd.read_csv(p) for p in sorted(folder.glob("*.csv"))}


def calibrate(measured: Union[str, os.PathLike], network: Union[str, os.PathLike], system: Union[str, os.PathLike],
              params: Sequence[str] = (), out: Union[None, str, os.PathLike] = None, **options) -> dict:
    """Fits parameters to measured nccl-tests output (`astra-sweep calibrate`).

    params: "NAME=LOW:HIGH[:lin|log]" strings (e.g. "latency_ns=100:3000:log").
    options: the CLI's other options by name (backend, collective, time, grid, objective,
    holdout, regimes, refine_starts, threads), e.g. grid=64, holdout="none".
    Returns {"fit": {parameter or error measure: value} (the report's last line), "report": the
    printed report, "tables": {csv stem: DataFrame} (calibration: the per-size table), "out":
    the folder or None}. Without `out` the files go to a temporary folder, removed afterwards.
    """
    result = _run_into_folder(["calibrate", measured, "--network", network, "--system", system]
                              + [a for p in params for a in ("--param", p)], out, options)
    last = [l for l in result["report"].splitlines() if l.startswith("calibration:")]
    fit = {}
    for token in (last[-1].split()[1:] if last else []):
        key, _, value = token.partition("=")
        try:
            fit[key] = float(value.rstrip("%")) / (100.0 if value.endswith("%") else 1.0)
        except ValueError:
            fit[key] = value
    result["fit"] = fit
    return result


def sensitivity(spec: Union[str, os.PathLike], method: str = "oat", out: Union[None, str, os.PathLike] = None,
                **options) -> dict:
    """Sensitivity of a metric to parameters (`astra-sweep sensitivity`): method "oat",
    "morris" or "sobol"; options: metric, samples, trajectories, levels, bootstrap, seed,
    threads. Returns {"report", "tables": {csv stem: DataFrame}, "out"}."""
    return _run_into_folder(["sensitivity", spec, "--method", method], out, options)


def _run_into_folder(args: list, out, options: dict) -> dict:
    for key, value in options.items():
        if value is None or value is False:
            continue
        flag = "--" + key.replace("_", "-")
        args += [flag] if value is True else [flag, value]
    keep = out is not None
    folder = Path(out) if keep else Path(tempfile.mkdtemp(prefix="astra_sweep_"))
    try:
        report = cli(*args, "--out", folder, "--no-plots")
        result = {"report": report, "tables": _read_csvs(folder), "out": str(folder) if keep else None}
    finally:
        if not keep:
            import shutil
            shutil.rmtree(folder, ignore_errors=True)
    return result
