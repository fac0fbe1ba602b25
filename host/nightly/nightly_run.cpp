#include "host/nightly/nightly_run.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <filesystem>

#include <fmt/format.h>

#include "host/input/input_error.hpp"
#include "host/nightly/merge_outputs.hpp"
#include "host/sweep/output/columnar_output.hpp"
#include "host/nightly/mpi_session.hpp"
#include "host/nightly/run_output.hpp"
#include "host/sweep/output/run_record.hpp"
#include "host/nightly/shard_range.hpp"
#include "host/nightly/stop_signals.hpp"
#include "host/sweep/backends/backend_selection.hpp"
#include "host/sweep/output/result_columns.hpp"

namespace astra {

namespace fs = std::filesystem;
namespace {

bool ends_with(const std::string& s, const std::string& e) {
  return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0;
}

std::string extension_of(const std::string& path) {
  for (const char* e : {".csv", ".jsonl", ".ndjson", ".sqlite", ".sqlite3", ".db"})
    if (ends_with(path, e)) return e;
  return "";
}

// Under MPI: the merged output and each rank's own. --out DIR (a folder, a path ending in '/',
// or one without a known extension) means DIR/results.csv and DIR/rank-<r>-of-<R>.csv.
struct MpiPaths {
  std::string merged;
  std::vector<std::string> ranks;
};

MpiPaths mpi_paths(const std::string& out, int size) {
  if (out.empty() || out == "-") throw InputError("--mpi", "--out", "needs --out FILE or --out DIR");
  MpiPaths p;
  std::string ext = extension_of(out), stem;
  if (ext.empty() || fs::is_directory(out)) {
    std::error_code ec;
    fs::create_directories(out, ec);
    if (!fs::is_directory(out)) throw InputError("--out", out, "cannot create the folder");
    p.merged = (fs::path(out) / "results.csv").string();
    stem = (fs::path(out) / "rank").string();
    ext = ".csv";
  } else {
    p.merged = out;
    stem = out.substr(0, out.size() - ext.size()) + ".rank";
  }
  for (int r = 0; r < size; ++r) p.ranks.push_back(fmt::format("{}-{}-of-{}{}", stem, r, size, ext));
  return p;
}

std::string column_names(const std::vector<Column>& columns) {
  std::string out;
  for (const Column& c : columns) out += (out.empty() ? "" : ",") + c.name;
  return out;
}

const char* signal_name(int sig) { return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a signal"; }

struct RankRun {
  SweepRunSummary summary;
  RunRecord record;
  int exit_code = 0;
};

// One run of the points [range.first, range.end) into `path`.
RankRun run_range(const SweepSpec& spec, const NightlyRunArgs& args, const std::string& backend,
                  const std::string& path, const std::string& column_list, unsigned threads, SweepRunOptions options,
                  const ShardRange& range, const std::string& shard_text, const std::string& prefix) {
  std::vector<Column> columns = select_columns(spec, column_list);
  const bool has_index = std::any_of(columns.begin(), columns.end(),
                                     [](const Column& c) { return c.kind == ColumnKind::PointIndex; });
  if (is_sqlite_path(path) && !has_index)  // the store's key
    columns.insert(columns.begin(), Column{"point_index", ColumnKind::PointIndex, -1, CellType::UInt});
  RowBuilder rows(spec, columns);
  check_output_path(path);
  std::string note;
  auto evaluator = select_backend(backend, spec, threads, note, args.devices);
  if (!note.empty()) std::fprintf(stderr, "%s%s\n", prefix.c_str(), note.c_str());

  RankRun run;
  run.record = make_run_record(spec, range.first, range.end, shard_text, column_names(columns));
  run.record.backend = evaluator->backend_name();
  run.record.device_name = evaluator->device_name();
  RunOutput out = open_run_output(path, columns, run.record, args.resume, args.checkpoint_seconds);
  if (!out.note.empty()) std::fprintf(stderr, "%s%s\n", prefix.c_str(), out.note.c_str());
  options.first_point = out.first_point;
  options.end_point = range.end;
  options.stop = &install_stop_signals();
  run.summary = run_sweep(spec, *evaluator, rows, *out.writer, options);
  if (run.summary.interrupted) {
    out.writer->mark_interrupted();
    const int sig = stop_signal_number();
    std::fprintf(stderr, "%sinterrupted by %s: rows of points [%llu, %llu) are kept in %s; --resume continues\n",
                 prefix.c_str(), signal_name(sig), static_cast<unsigned long long>(range.first),
                 static_cast<unsigned long long>(run.summary.next_point), path.c_str());
    run.exit_code = 128 + (sig ? sig : SIGTERM);
  }
  return run;
}

int run_with_mpi(const SweepSpec& spec, const NightlyRunArgs& args, const std::string& backend,
                 const std::string& out, const std::string& columns, unsigned threads, SweepRunOptions options) {
  MpiSession mpi;
  const std::string prefix = fmt::format("rank {}/{}: ", mpi.rank(), mpi.size());
  RankRun run;
  MpiPaths paths;
  try {
    paths = mpi_paths(out, mpi.size());
    if (backend == "cuda" || backend == "auto") {
      const std::string gpu = pin_gpu_for_local_rank(mpi.local_rank());
      if (!gpu.empty()) std::fprintf(stderr, "%sGPU %s\n", prefix.c_str(), gpu.c_str());
    }
    const ShardRange range = shard_of(static_cast<std::uint64_t>(mpi.rank()), static_cast<std::uint64_t>(mpi.size()),
                                      spec.total_points);
    options.progress = false;
    run = run_range(spec, args, backend, paths.ranks[static_cast<std::size_t>(mpi.rank())], columns, threads, options,
                    range, fmt::format("{}/{}", mpi.rank(), mpi.size()), prefix);
  } catch (const InputError& e) {
    std::fprintf(stderr, "error: %s%s\n", prefix.c_str(), e.what());
    run.exit_code = 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s%s\n", prefix.c_str(), e.what());
    run.exit_code = 1;
  }
  const int worst = mpi.max(run.exit_code);
  if (worst != 0) return run.exit_code ? run.exit_code : worst;
  const SweepRunSummary summary = mpi.combine(run.summary);
  if (mpi.rank() != 0) return 0;
  try {
    if (is_sqlite_path(paths.merged)) {
      RunRecord merged = run.record;
      merged.first_point = 0;
      merged.end_point = spec.total_points;
      merged.shard = fmt::format("mpi:{}", mpi.size());
      merge_sqlite_outputs(paths.ranks, paths.merged, merged);
    } else {
      merge_text_outputs(paths.ranks, paths.merged);
    }
    for (const std::string& p : paths.ranks) fs::remove(p);
  } catch (const InputError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  std::fprintf(stdout, "merged %d ranks into %s\n", mpi.size(), paths.merged.c_str());
  print_sweep_summary(spec, summary, stdout);
  return 0;
}

}  // namespace

void add_nightly_run_options(CLI::App& cmd, NightlyRunArgs& args) {
  cmd.add_option("--shard", args.shard,
                 "run only shard K of N (K = 0..N-1): the contiguous block of point indices "
                 "[K*P/N, (K+1)*P/N) of the P points");
  cmd.add_flag("--mpi", args.mpi,
               "under mpirun: rank r runs shard r/R into its own file, rank 0 merges them into --out (FILE or DIR)");
  cmd.add_flag("--resume", args.resume,
               "continue the interrupted run of the same spec, shard and columns in --out (else start it)");
  cmd.add_option("--checkpoint-seconds", args.checkpoint_seconds,
                 "commit rows and progress at most this often (default 1; 0 = after every batch)")
      ->check(CLI::Range(0.0, 1e9));
}

int run_nightly(const SweepSpec& spec, const NightlyRunArgs& args, const std::string& backend, const std::string& out,
                const std::string& columns, unsigned threads, SweepRunOptions options) {
  if (args.resume && options.top_k)
    throw InputError("--resume", "--top-k", "a top-k run writes its rows at the end and cannot be resumed");
  if (args.mpi && !args.shard.empty()) throw InputError("--shard", args.shard, "use either --shard or --mpi");
  if (args.mpi && is_columnar_path(out))
    throw InputError("--mpi", out, "ranks' .npy.d folders are not merged; use .csv, .jsonl or .sqlite, or --shard");
  if (args.mpi) return run_with_mpi(spec, args, backend, out, columns, threads, options);
  ShardRange range = shard_of(0, 1, spec.total_points);
  if (!args.shard.empty()) {
    const ShardRange s = parse_shard(args.shard);
    range = shard_of(s.index, s.count, spec.total_points);
  }
  const RankRun run = run_range(spec, args, backend, out, columns, threads, options, range, args.shard, "");
  print_sweep_summary(spec, run.summary, out.empty() || out == "-" ? stderr : stdout);
  return run.exit_code;
}

}  // namespace astra
