#include "host/sweep/run/sweep_verification.hpp"

#include <memory>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "host/reference/reference_simulator.hpp"
#include "host/sweep/backends/backend_selection.hpp"
#include "host/sweep/backends/device_evaluators.hpp"
#include "host/sweep/spec/point_resolution.hpp"

namespace astra {
namespace {

std::string describe_point(const SweepSpec& spec, std::uint64_t index) {
  double v[kMaxSweepAxes];
  decode_host_point(spec, index, v);
  std::string out = fmt::format("point {}", index);
  for (std::size_t a = 0; a < spec.axes.size(); ++a) {
    const AxisField& f = spec.axes[a].field;
    out += " " + f.column + "=" + (f.kind == AxisValueKind::Name ? axis_value_name(f, v[a]) : fmt::format("{}", v[a]));
  }
  return out;
}

// The differing fields of two results ("" when equal).
std::string differences(const SweepPointResult& a, const SweepPointResult& b) {
  if (a.status != b.status)
    return fmt::format("status {} vs {}", static_cast<int>(a.status), static_cast<int>(b.status));
  if (a.status != SweepPointStatus::Ok) return "";
  std::string out;
  auto field = [&](const char* name, auto x, auto y) {
    if (x != y) out += fmt::format("{}{} {} vs {}", out.empty() ? "" : ", ", name, x, y);
  };
  field("finish_ns", a.metrics.finish_ns, b.metrics.finish_ns);
  field("comm_ns", a.metrics.comm_ns, b.metrics.comm_ns);
  field("gpu_ns", a.metrics.gpu_ns, b.metrics.gpu_ns);
  field("overlap_ns", a.metrics.overlap_ns, b.metrics.overlap_ns);
  field("exposed_comm_ns", a.metrics.exposed_comm_ns, b.metrics.exposed_comm_ns);
  field("compute_ns", a.metrics.compute_ns, b.metrics.compute_ns);
  return out;
}

void compare_device(const char* name, BatchEvaluator& device, const SweepSpec& spec,
                    const std::vector<SweepPointResult>& cpu, VerifyReport& report) {
  for (std::size_t k = 0; k < report.points.size(); ++k) {
    SweepPointResult r{};
    device.evaluate(report.points[k], 1, &r);
    ++report.device_compared;
    const std::string diff = differences(r, cpu[k]);
    if (!diff.empty())
      report.mismatches.push_back(fmt::format("{} vs cpu: {}: {}", name, describe_point(spec, report.points[k]), diff));
  }
}

}  // namespace

VerifyReport verify_sweep(const SweepSpec& spec, const VerifyOptions& options) {
  VerifyReport report;
  const CompiledSweep s = spec.compiled();
  // Seeded sample of distinct points that `where` keeps (all of them when the design is small).
  std::uint64_t state = options.seed;
  auto next = [&state] {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  std::set<std::uint64_t> chosen;
  double v[kMaxSweepAxes];
  auto kept = [&](std::uint64_t i) {
    decode_axis_values(s, i, v);
    return constraint_accepts(s.constraint, s.constraint_length, v);
  };
  if (spec.total_points <= options.samples) {
    for (std::uint64_t i = 0; i < spec.total_points; ++i)
      if (kept(i)) chosen.insert(i);
  } else {
    for (std::uint64_t tries = 0; chosen.size() < options.samples && tries < 100 * options.samples; ++tries) {
      const std::uint64_t i = next() % spec.total_points;
      if (kept(i)) chosen.insert(i);
    }
  }
  report.points.assign(chosen.begin(), chosen.end());

  // Fast evaluator on the host vs the reference simulator.
  auto cpu = make_cpu_evaluator(spec, options.threads);
  std::vector<SweepPointResult> fast(report.points.size());
  for (std::size_t k = 0; k < report.points.size(); ++k) cpu->evaluate(report.points[k], 1, &fast[k]);
  std::vector<std::string> mismatch(report.points.size());
  std::vector<char> deferred(report.points.size(), 0);
  parallel_for_chunks(report.points.size(), options.threads ? options.threads : std::thread::hardware_concurrency(), 1,
                      [&](unsigned, std::uint64_t k) {
                        if (fast[k].status == SweepPointStatus::NeedsReference) {
                          deferred[k] = 1;
                          return;
                        }
                        double axis_values[kMaxSweepAxes];
                        const SweepPoint p = decode_host_point(spec, report.points[k], axis_values);
                        ReferenceOptions ro;
                        ro.compute_scale = p.compute_scale;
                        const SimulationResult sim =
                            simulate_reference(p.network, p.system, p.backend, spec.workload_for(p), ro);
                        SweepPointResult ref = result_from_reference(sim);
                        ref.by_reference = false;
                        const std::string diff = differences(fast[k], ref);
                        if (!diff.empty())
                          mismatch[k] = fmt::format("fast vs reference: {}: {}{}", describe_point(spec, report.points[k]),
                                                    diff, sim.message.empty() ? "" : " (reference: " + sim.message + ")");
                      });
  for (std::size_t k = 0; k < report.points.size(); ++k) {
    if (deferred[k]) ++report.reference_only;
    else ++report.compared;
    if (!mismatch[k].empty()) report.mismatches.push_back(mismatch[k]);
  }

#if defined(ASTRA_HAVE_THRUST_OMP)
  {
    auto omp = make_thrust_omp_evaluator(spec, options.threads);
    compare_device("thrust-omp", *omp, spec, fast, report);
  }
#else
  report.notes.push_back("thrust-omp vs cpu: skipped (this build has no thrust-omp backend)");
#endif
#if defined(ASTRA_HAVE_CUDA_BACKEND)
  {
    std::string why_not;
    if (auto gpu = make_cuda_evaluator(spec, why_not)) compare_device("cuda", *gpu, spec, fast, report);
    else report.notes.push_back("cuda vs cpu: skipped (" + why_not + ")");
  }
#else
  report.notes.push_back("cuda vs cpu: skipped (this build has no CUDA backend)");
#endif
  return report;
}

}  // namespace astra
