// The `cpu` backend: every hardware thread evaluates chunks of 1024 points pulled from an
// atomic counter, each with its own evaluator scratches (workload graphs, congestion-aware);
// reduction-only batches (run --top-k, --summary-only) are reduced by every thread too.
#include <fstream>
#include <thread>
#include <vector>

#include "sweep/batch_evaluator.hpp"
#include "sweep/sweep_reduction.hpp"

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
        device_(cpu_model_name()) {
    for (auto& s : scratch_) s = std::make_unique<EvaluatorScratch>();
    if (may_be_congestion_aware(compiled_))  // ~1 MB each: only where a point can use it
      for (auto& s : aware_scratch_) s = std::make_unique<aware::CongestionAwareScratch>();
  }

  void evaluate(std::uint64_t first, std::uint64_t count, SweepPointResult* out) override {
    parallel_for_chunks(count, threads_, 1024, [&](unsigned worker, std::uint64_t i) {
      out[i] = evaluate_sweep_point(compiled_, graph_, first + i, scratch_[worker].get(), aware_scratch_[worker].get());
    });
  }
  // Every thread evaluates, then reduces its share of the batch; the shares merge in order
  // (every combination is order independent, so the result equals one reduce_on_host).
  void evaluate_reduced(std::uint64_t first, std::uint64_t count, const ReductionPlan& plan,
                        BatchReduction& out) override {
    results_.resize(count);
    evaluate(first, count, results_.data());
    const std::uint64_t shares = std::min<std::uint64_t>(threads_, (count + 4095) / 4096);
    if (shares <= 1) {
      reduce_on_host(plan, first, results_.data(), count, out);
      return;
    }
    std::vector<BatchReduction> parts(shares);
    parallel_for_chunks(shares, threads_, 1, [&](unsigned, std::uint64_t c) {
      const std::uint64_t begin = c * count / shares, end = (c + 1) * count / shares;
      reduce_on_host(plan, first + begin, results_.data() + begin, end - begin, parts[c]);
    });
    out.reset(plan);
    for (const BatchReduction& part : parts) merge_reduction(plan, out, part);
  }
  std::string backend_name() const override { return "cpu"; }
  std::string device_name() const override { return device_; }
  std::uint64_t preferred_batch_points() const override { return std::uint64_t{1} << 18; }

 private:
  CompiledSweep compiled_;
  WorkloadGraphView graph_;
  unsigned threads_;
  std::vector<std::unique_ptr<EvaluatorScratch>> scratch_;
  std::vector<std::unique_ptr<aware::CongestionAwareScratch>> aware_scratch_;
  std::string device_;
  std::vector<SweepPointResult> results_;
};

}  // namespace

std::unique_ptr<BatchEvaluator> make_cpu_evaluator(const SweepSpec& spec, unsigned threads) {
  return std::make_unique<CpuEvaluator>(spec, threads);
}

}  // namespace astra
