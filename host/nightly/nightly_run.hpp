// `astra-sweep run` for nightly bulk runs: the options --shard K/N, --mpi, --resume and
// --checkpoint-seconds, and the run behind every --out FILE: resumable outputs
// (run_output.hpp), SIGINT/SIGTERM finishing the batch in flight and marking the run
// interrupted (exit 128 + signal), and under MPI one shard per rank, merged by rank 0.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "host/sweep/backends/device_evaluators.hpp"
#include "host/sweep/run/sweep_runner.hpp"
#include "host/sweep/spec/sweep_spec.hpp"

namespace astra {

struct NightlyRunArgs {
  std::string shard;               // "K/N"
  bool mpi = false;
  bool resume = false;
  double checkpoint_seconds = 1.0;
  DeviceSelection devices;         // `run --devices` (the backend's devices for every batch)
  // Whether the run goes through run_nightly (any file output, or any of the options).
  bool active(const std::string& out) const { return mpi || resume || !shard.empty() || !(out.empty() || out == "-"); }
};

void add_nightly_run_options(CLI::App& cmd, NightlyRunArgs& args);

// Runs `spec` as `astra-sweep run` does, with the nightly options; returns the exit code.
int run_nightly(const SweepSpec& spec, const NightlyRunArgs& args, const std::string& backend, const std::string& out,
                const std::string& columns, unsigned threads, SweepRunOptions options);

}  // namespace astra
