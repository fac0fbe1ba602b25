"""`import astra_sweep` against the CLI: the DataFrame equals `astra-sweep run`'s CSV on the
bundled specs (and the .npy.d columns equal it too), dtypes, errors with the CLI's message,
dict specs, zero-copy arrays, the GIL released during a run, and Ctrl-C interrupting one.
Run by ctest (python.pytest) with PYTHONPATH=build/python and ASTRA_SWEEP_CLI set."""
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import astra_sweep as asw

REPO = Path(os.environ.get("ASTRA_SWEEP_REPO", Path(__file__).resolve().parents[2]))
CLI = os.environ.get("ASTRA_SWEEP_CLI", str(REPO / "build" / "astra-sweep"))

SPECS = [
    "sweeps/hgx_h100_latency_bandwidth_size.yaml",  # 1.28 M points, collective metrics
    "sweeps/mixed_backends_check.yaml",             # rejected, filtered, reference points, named axes
    "sweeps/resnet50_design_space.yaml",            # workload metrics
    "sweeps/nightly.yaml",
    "tests/cli/data/nightly_small.yaml",
]


def cli_csv(tmp_path, spec, *extra):
    out = tmp_path / "cli.csv"
    subprocess.run([CLI, "run", str(REPO / spec), "--backend", "cpu", "--no-progress", "--out", str(out), *extra],
                   check=True, capture_output=True)
    # every cell as the CLI wrote it (empty = missing)
    return pd.read_csv(out, dtype=str, keep_default_na=False)


def same_as_text(values, texts, name):
    """Column `values` (from the DataFrame or .npy) equals the CSV's texts."""
    texts = texts.to_numpy(dtype=object)
    if values.dtype.kind == "f":
        expect = np.array([float(t) if t else np.nan for t in texts])
        assert np.array_equal(values.to_numpy(dtype=float), expect, equal_nan=True), name
    elif values.dtype.kind in "ui" or str(values.dtype) in ("UInt64", "Int64"):
        got = ["" if v is pd.NA else str(int(v)) for v in values.astype(object)]
        assert got == list(texts), name
    else:
        got = ["" if (v is None or (isinstance(v, float) and np.isnan(v))) else str(v) for v in values.astype(object)]
        assert got == list(texts), name


@pytest.mark.parametrize("spec", SPECS)
def test_dataframe_equals_cli_csv(tmp_path, spec):
    ref = cli_csv(tmp_path, spec)
    df = asw.run(str(REPO / spec), backend="cpu")
    assert list(df.columns) == list(ref.columns)
    assert len(df) == len(ref)
    for name in ref.columns:
        same_as_text(df[name], ref[name], name)


@pytest.mark.parametrize("spec", SPECS[1:3])
def test_npy_folder_equals_cli_csv(tmp_path, spec):
    ref = cli_csv(tmp_path, spec)
    out = tmp_path / "cols.npy.d"
    subprocess.run([CLI, "run", str(REPO / spec), "--backend", "cpu", "--no-progress", "--out", str(out)],
                   check=True, capture_output=True)
    schema = json.loads((out / "schema.json").read_text())
    assert schema["rows"] == len(ref)
    assert [c["name"] for c in schema["columns"]] == list(ref.columns)
    for c in schema["columns"]:
        a = np.load(out / c["file"])  # no parser: numpy reads the column as it is
        assert str(a.dtype) == c["dtype"]
        if "categories" in c:
            col = pd.Series(np.array(c["categories"] + [None], dtype=object)[a])
        elif a.dtype.kind in "ui":
            col = pd.Series(pd.array(np.where(a == c["missing"], 0, a), dtype="UInt64" if a.dtype.kind == "u" else "Int64"))
            col[a == c["missing"]] = pd.NA
        else:
            col = pd.Series(a)
        same_as_text(col, ref[c["name"]], c["name"])


def test_dtypes_follow_the_columns():
    df = asw.run(str(REPO / "sweeps/mixed_backends_check.yaml"), backend="cpu", columns="all")
    assert df["point_index"].dtype == np.uint64
    assert df["npus_count"].dtype == np.int64 if "npus_count" in df else True
    assert df["status"].dtype == "category"
    assert set(df["status"].cat.categories) >= {"ok", "rejected"}
    assert df["evaluated_by"].dtype == "category"
    assert df["reason"].dtype == object
    # rejected points have no time: nullable unsigned integers, not floats
    assert str(df["collective_time_ns"].dtype) == "UInt64"
    assert df["collective_time_ns"].isna().sum() == (df["status"] != "ok").sum()
    assert df["busbw_GBps"].dtype == np.float64
    full = asw.run(str(REPO / "sweeps/resnet50_design_space.yaml"), backend="cpu")
    assert full["iteration_time_ns"].dtype == np.uint64  # no missing value: plain uint64


def test_arrays_are_the_engines_buffers():
    arrays, cats, summary = asw.run_arrays(str(REPO / "sweeps/nightly.yaml"), backend="cpu")
    for a in arrays.values():
        assert not a.flags.owndata and a.base is not None  # owned by the engine's buffer, not copied
    assert summary["written"] == len(arrays["point_index"])
    assert cats["status"][0] == "ok"


def test_dict_spec_and_options_equal_the_cli(tmp_path, monkeypatch):
    yaml = pytest.importorskip("yaml")  # python3-yaml; the dict is what the YAML file says
    text = (REPO / "sweeps/hgx_h100_latency_bandwidth_size.yaml").read_text()
    spec = yaml.safe_load(text)
    monkeypatch.chdir(REPO / "sweeps")  # a dict's relative paths are relative to the current folder
    where = "latency_ns <= 300 and size_bytes >= 1048576"
    df = asw.run(spec, backend="cpu", columns=["point_index", "latency_ns", "busbw_GBps"], where=where)
    ref = cli_csv(tmp_path, "sweeps/hgx_h100_latency_bandwidth_size.yaml", "--columns",
                  "point_index,latency_ns,busbw_GBps")
    ref = ref[[(float(l) <= 300) for l in ref["latency_ns"]]]
    sizes = cli_csv(tmp_path, "sweeps/hgx_h100_latency_bandwidth_size.yaml", "--columns", "size_bytes")["size_bytes"]
    ref = ref[[int(s) >= 1048576 for s in sizes[ref.index]]].reset_index(drop=True)
    for name in ref.columns:
        same_as_text(df[name], ref[name], name)
    top = asw.run(spec, backend="cpu", top_k=5, by="busbw_GBps")
    top_cli = cli_csv(tmp_path, "sweeps/hgx_h100_latency_bandwidth_size.yaml", "--top-k", "5", "--by", "busbw_GBps")
    for name in top_cli.columns:
        same_as_text(top[name], top_cli[name], name)
    summary = asw.run(spec, backend="cpu", summary_only=True)
    assert summary["ok"] == 1280000 and summary["metric_min"] == 5630


def cli_error(*args):
    p = subprocess.run([CLI, *args], capture_output=True, text=True)
    assert p.returncode == 2
    line = p.stderr.strip().splitlines()[-1]
    assert line.startswith("error: ")
    return line[len("error: "):]


def test_errors_carry_the_clis_message(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nnetwork: {topology: [Ring], npus_count: [8], bandwidth: [0], latency: [1]}\n"
                   "system: {}\nworkload: {collective: all_reduce, size_bytes: 1}\naxes: {}\n")
    expected = cli_error("run", str(bad), "--backend", "cpu", "--out", str(tmp_path / "o.csv"))
    with pytest.raises(asw.InputError) as e:
        asw.run(str(bad), backend="cpu")
    assert str(e.value) == expected
    assert isinstance(e.value, ValueError)
    spec = str(REPO / "tests/cli/data/nightly_small.yaml")
    with pytest.raises(asw.InputError) as e:
        asw.run(spec, columns="no_such_column")
    assert str(e.value) == cli_error("run", spec, "--columns", "no_such_column")
    with pytest.raises(asw.InputError, match="cannot be read"):
        asw.run(str(tmp_path / "missing.yaml"))
    with pytest.raises(asw.InputError, match="needs by=METRIC"):
        asw.run(spec, top_k=3)
    with pytest.raises(asw.InputError):
        asw.simulate(str(tmp_path / "none.yml"), str(tmp_path / "none.json"), collective="all_reduce", size_bytes=8)


def test_simulate_equals_the_cli():
    args = ["--network", str(REPO / "configs/network/hgx_h100_8gpu.yml"),
            "--system", str(REPO / "configs/system/hgx_h100_8gpu__notrack_noroofline.json"),
            "--collective", "all_reduce", "--size-bytes", "1048576"]
    ref = json.loads(subprocess.run([CLI, "simulate", *args, "--json"], capture_output=True, check=True).stdout)
    got = asw.simulate(str(REPO / "configs/network/hgx_h100_8gpu.yml"),
                       str(REPO / "configs/system/hgx_h100_8gpu__notrack_noroofline.json"),
                       collective="all_reduce", size_bytes=1048576)
    assert got == ref


def test_sensitivity_table_equals_the_clis(tmp_path):
    spec = str(REPO / "sweeps/sensitivity_hgx_h100_allreduce.yml")
    subprocess.run([CLI, "sensitivity", spec, "--method", "oat", "--out", str(tmp_path), "--no-plots"],
                   check=True, capture_output=True)
    got = asw.sensitivity(spec, method="oat")
    assert set(got["tables"]) == {p.stem for p in tmp_path.glob("*.csv")}
    for stem, table in got["tables"].items():
        pd.testing.assert_frame_equal(table, pd.read_csv(tmp_path / f"{stem}.csv"))


def test_the_gil_is_released_during_a_run():
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.001)

    t = threading.Thread(target=count)
    t.start()
    start = time.time()
    asw.run(str(REPO / "sweeps/hgx_h100_latency_bandwidth_size.yaml"), backend="cpu")
    elapsed = time.time() - start
    stop.set()
    t.join()
    # a thread that never got the GIL would have counted (almost) nothing during the run
    assert len(ticks) > 20 * elapsed, (len(ticks), elapsed)


def test_ctrl_c_interrupts_a_long_run(tmp_path):
    # ~2.6e9 points: hours of work; SIGINT must end it within seconds with KeyboardInterrupt.
    script = tmp_path / "long.py"
    script.write_text(textwrap.dedent(f"""
        import os, sys, time
        import astra_sweep as asw
        os.chdir({str(REPO / 'sweeps')!r})
        spec = {{"name": "long", "network": "../configs/network/hgx_h100_8gpu.yml",
                "system": "../configs/system/hgx_h100_8gpu__notrack_noroofline.json",
                "workload": {{"collective": "all_reduce", "size_bytes": 1048576}},
                "limit": 10000000000,
                "axes": {{"latency_ns": {{"linspace": {{"start": 100, "stop": 2000, "num": 1000}}}},
                         "bandwidth_GBps": {{"linspace": {{"start": 50, "stop": 900, "num": 1000}}}},
                         "size_bytes": {{"logspace": {{"start": 1024, "stop": 4294967296, "num": 2600}}}}}}}}
        print("start", flush=True)
        t = time.time()
        try:
            asw.run(spec, backend="cpu", summary_only=True)
            print("finished", flush=True)
        except KeyboardInterrupt:
            print(f"interrupted after {{time.time() - t:.1f}} s", flush=True)
            sys.exit(3)
    """))
    p = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    assert p.stdout.readline().strip() == "start"
    time.sleep(1.5)
    p.send_signal(signal.SIGINT)
    try:
        out, _ = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        pytest.fail("Ctrl-C did not stop the run within 60 s")
    assert p.returncode == 3, out
    assert "interrupted after" in out


@pytest.mark.parametrize("example", ["calibration_walkthrough.py", "sensitivity_walkthrough.py"])
def test_examples_run_and_plot(tmp_path, example):
    pytest.importorskip("matplotlib")  # python3-matplotlib (scripts/setup.sh's test packages)
    args = [sys.executable, str(REPO / "examples/python" / example)]
    if example.startswith("calibration"):
        measured = REPO.parent / "shared/measured/together_h100x8_all_reduce_ring.csv"
        if not measured.exists():
            pytest.skip(f"{measured} is not there (../shared beside the repository)")
        args.append(str(measured))
    p = subprocess.run(args + [str(tmp_path)], capture_output=True, text=True, timeout=600, env=os.environ.copy())
    assert p.returncode == 0, p.stderr
    pngs = sorted(tmp_path.glob("*.png"))
    assert len(pngs) == 2 and all(png.stat().st_size > 10000 for png in pngs), pngs


def test_installs_into_a_venv_without_network(tmp_path):
    venv = tmp_path / "venv"
    build = Path(asw.__file__).resolve().parents[1]  # the build/python this suite imports from
    p = subprocess.run(["bash", str(REPO / "scripts/install_python.sh"), str(venv)], capture_output=True, text=True,
                       env={**os.environ, "ASTRA_PYTHON_BUILD": str(build), "PYTHONPATH": ""}, timeout=300)
    assert p.returncode == 0, p.stderr
    code = ("import astra_sweep as asw; df = asw.run(%r, backend='cpu'); print(len(df), df['status'].iloc[0])"
            % str(REPO / "tests/cli/data/nightly_small.yaml"))
    q = subprocess.run([str(venv / "bin/python"), "-c", code], capture_output=True, text=True,
                       env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, cwd=tmp_path, timeout=300)
    assert q.returncode == 0, q.stderr
    assert q.stdout.split()[0] == "248"
