// The `cpu` backend: every hardware thread evaluates tiles of 4096 consecutive points pulled
// from an atomic counter, each with its own evaluator scratches (workload graphs,
// congestion-aware) and its own SweepPoint, decoded in place point after point by an odometer;
// reduction-only batches (run --top-k, --summary-only) are reduced by every thread too.
#include <fstream>
#include <thread>
#include <vector>

#include "host/sweep/backends/batch_evaluator.hpp"
#include "host/sweep/backends/sweep_reduction.hpp"

namespace astra {

std::string cpu_model_name() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(colon + 1);
    name.erase(0, name.find_first_not_of(" \t"));
    return name;
  }
  return "unknown CPU";
}

namespace {

class CpuEvaluator final : public BatchEvaluator {
 public:
  CpuEvaluator(const SweepSpec& spec, unsigned threads)
      : compiled_(spec.compiled()),
        graph_(spec.workload && !spec.inline_collective ? spec.workload->view() : WorkloadGraphView{}),
        threads_(threads ? threads : std::max(1u, std::thread::hardware_concurrency())),
        scratch_(threads_),
        aware_scratch_(threads_),
        points_(threads_, compiled_.base),
        device_(cpu_model_name()) {
    if (!compiled_.inline_collective)  // large: only workload graphs use it
      for (auto& s : scratch_) s = std::make_unique<EvaluatorScratch>();
    if (may_be_congestion_aware(compiled_))  // ~1 MB each: only where a point can use it
      for (auto& s : aware_scratch_) s = std::make_unique<aware::CongestionAwareScratch>();
  }

  void evaluate(std::uint64_t first, std::uint64_t count, SweepPointResult* out) override {
    const std::uint64_t tiles = (count + kTile - 1) / kTile;
    parallel_for_chunks(tiles, threads_, 1, [&](unsigned worker, std::uint64_t t) {
      const std::uint64_t begin = t * kTile;
      evaluate_tile(worker, first + begin, std::min(kTile, count - begin), out + begin);
    });
  }
  // Tiles of 4096 points: a thread evaluates a tile into its own small buffer and reduces it;
  // the tiles' reductions merge in order (every combination is order independent, so the
  // result equals one reduce_on_host). No buffer of the whole batch is written or zeroed.
  void evaluate_reduced(std::uint64_t first, std::uint64_t count, const ReductionPlan& plan,
                        BatchReduction& out) override {
    const std::uint64_t tiles = (count + kTile - 1) / kTile;
    if (tiles <= 1) {
      results_.resize(count);
      evaluate(first, count, results_.data());
      reduce_on_host(plan, first, results_.data(), count, out);
      return;
    }
    std::vector<BatchReduction> parts(tiles);
    tile_results_.resize(threads_);
    parallel_for_chunks(tiles, threads_, 1, [&](unsigned worker, std::uint64_t t) {
      const std::uint64_t begin = t * kTile, n = std::min(kTile, count - begin);
      std::vector<SweepPointResult>& buffer = tile_results_[worker];
      buffer.resize(kTile);
      evaluate_tile(worker, first + begin, n, buffer.data());
      reduce_on_host(plan, first + begin, buffer.data(), n, parts[t]);
    });
    out.reset(plan);
    for (const BatchReduction& part : parts) merge_reduction(plan, out, part);
  }
  std::string backend_name() const override { return "cpu"; }
  std::string device_name() const override { return device_; }
  std::uint64_t preferred_batch_points() const override { return std::uint64_t{1} << 18; }

 private:
  static constexpr std::uint64_t kTile = 4096;  // consecutive points a worker takes at a time

  // Points [first, first + n) in order: decoded by an odometer (no divisions) into the worker's
  // own SweepPoint.
  void evaluate_tile(unsigned worker, std::uint64_t first, std::uint64_t n, SweepPointResult* out) {
    double axis_values[kMaxSweepAxes];
    SweepOdometer odometer;
    odometer.start(compiled_, first, axis_values);
    for (std::uint64_t i = 0; i < n; ++i) {
      if (i > 0) odometer.next(compiled_, axis_values);
      out[i] = evaluate_decoded_point(compiled_, graph_, axis_values, points_[worker], scratch_[worker].get(),
                                      aware_scratch_[worker].get());
    }
  }

  CompiledSweep compiled_;
  WorkloadGraphView graph_;
  unsigned threads_;
  std::vector<std::unique_ptr<EvaluatorScratch>> scratch_;
  std::vector<std::unique_ptr<aware::CongestionAwareScratch>> aware_scratch_;
  std::vector<SweepPoint> points_;  // per worker: the last point it decoded (see evaluate_decoded_point)
  std::string device_;
  std::vector<SweepPointResult> results_;
  std::vector<std::vector<SweepPointResult>> tile_results_;  // per worker, for evaluate_reduced
};

}  // namespace

std::unique_ptr<BatchEvaluator> make_cpu_evaluator(const SweepSpec& spec, unsigned threads) {
  return std::make_unique<CpuEvaluator>(spec, threads);
}

}  // namespace astra
