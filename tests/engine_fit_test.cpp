// Calibration and sensitivity on the sweep engine (host/calibration/grid_search.cpp,
// host/sensitivity/config_metric_model.cpp): every backend gives the same bits as the cpu
// backend, and those equal a direct evaluation of the model point by point; the fit reduction
// (kernels/sweep/fit_objective_term.hpp) is exact whatever the batch cuts; the portable log is
// as accurate as the C library's.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "host/calibration/fit_objective.hpp"
#include "host/calibration/fit_sweep.hpp"
#include "host/calibration/grid_search.hpp"
#include "host/sensitivity/config_metric_model.hpp"
#include "host/sensitivity/sobol_indices.hpp"
#include "host/sweep/backends/backend_selection.hpp"
#include "kernels/sweep/portable_log.hpp"
#include "host/sweep/backends/sweep_reduction.hpp"
#include "support/hgx_setups.hpp"

namespace astra {
namespace {

using calibration::CollectiveSetup;
using calibration::FitData;
using calibration::FitObjective;
using calibration::FitParameter;
using calibration::GridSearchOptions;
using calibration::GridSearchResult;
using calibration::Objective;

CollectiveSetup switch8(AlgorithmKind algorithm, NetworkBackend backend) {
  return testing_support::hgx_h100_switch8(algorithm, backend);
}

FitData measured_like(const CollectiveSetup& truth, int sizes) {
  FitData d;
  for (int i = 0; i < sizes; ++i) {
    const std::uint64_t size = std::uint64_t{1024} << (2 * i);
    d.sizes_bytes.push_back(size);
    const auto ns = calibration::predict_collective_ns(truth, size);
    d.measured_ns.push_back((ns ? *ns : 1000.0) * (1.0 + 0.03 * std::sin(1.7 * i)));  // off the model a little
  }
  return d;
}

std::vector<FitParameter> params(const char* a, const char* b) {
  return {calibration::parse_fit_parameter(a), calibration::parse_fit_parameter(b)};
}

GridSearchResult search(const FitObjective& f, const FitData& d, const std::string& backend, int grid,
                        const std::string& devices = "", bool keep_terms = true) {
  GridSearchOptions o;
  o.points_per_param = grid;
  o.threads = 2;
  o.keep_terms = keep_terms;
  o.backend = backend;
  o.devices = parse_device_selection(devices);
  return calibration::grid_search(f, d, o);
}

void expect_same_bits(const std::vector<float>& a, const std::vector<float>& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i)
    ASSERT_EQ(std::memcmp(&a[i], &b[i], sizeof(float)), 0) << what << " at " << i << ": " << a[i] << " vs " << b[i];
}

// The grid's objective equals the model evaluated point by point on the host (double sums),
// to float precision; kept terms too.
void expect_matches_direct(const FitObjective& f, const FitData& d, const GridSearchResult& r) {
  for (std::size_t p = 0; p < r.point_count; p += std::max<std::size_t>(1, r.point_count / 37)) {
    const std::vector<double> v = r.values_at(p);
    const double direct = f.value(v, d);
    EXPECT_NEAR(r.objective[p], direct, 1e-6 * std::fabs(direct) + 1e-9) << "grid point " << p;
    const std::vector<double> pred = f.predict(v, d);
    for (std::size_t i = 0; i < d.sizes_bytes.size(); ++i) {
      const double term = calibration::objective_term(f.objective(), pred[i], d.measured_ns[i]);
      EXPECT_NEAR(r.terms[p * d.sizes_bytes.size() + i], term, 1e-6 * std::fabs(term) + 1e-12);
    }
  }
}

TEST(EngineGridSearch, CpuMatchesDirectEvaluation) {
  const CollectiveSetup base = switch8(AlgorithmKind::Ring, NetworkBackend::CongestionUnaware);
  const FitData d = measured_like(base, 12);
  for (Objective objective : {Objective::Mape, Objective::RmsLog, Objective::GeomeanApe}) {
    const FitObjective f(base, params("latency_ns=100:3000:log", "bandwidth_GBps=50:900:log"), objective);
    const GridSearchResult r = search(f, d, "cpu", 9);
    EXPECT_EQ(r.backend, "cpu");
    EXPECT_EQ(r.point_count, 81u);
    EXPECT_EQ(r.evaluations, 81u * 12u);
    expect_matches_direct(f, d, r);
  }
}

TEST(EngineGridSearch, ThrustOmpAndSeveralDevicesGiveCpuBits) {
  if (!have_thrust_omp_backend()) GTEST_SKIP() << "this build has no thrust-omp backend";
  const CollectiveSetup base = switch8(AlgorithmKind::Ring, NetworkBackend::CongestionUnaware);
  const FitData d = measured_like(base, 11);
  for (Objective objective : {Objective::Mape, Objective::RmsLog, Objective::GeomeanApe}) {
    const FitObjective f(base,
                         {calibration::parse_fit_parameter("latency_ns=100:3000:log"),
                          calibration::parse_fit_parameter("bandwidth_GBps=50:900:log"),
                          calibration::parse_fit_parameter("active_chunks=1:4")},
                         objective);
    const GridSearchResult cpu = search(f, d, "cpu", 13);
    for (const char* devices : {"", "3"}) {
      const GridSearchResult omp = search(f, d, "thrust-omp", 13, devices);
      EXPECT_EQ(omp.backend, "thrust-omp");
      expect_same_bits(cpu.objective, omp.objective, std::string("objective, devices '") + devices + "'");
      expect_same_bits(cpu.terms, omp.terms, std::string("terms, devices '") + devices + "'");
    }
  }
}

// Congestion-aware points run the event simulation (the slot kernel on the device backends);
// doubleBinaryTree points come back NeedsReference and the reference simulator answers them.
TEST(EngineGridSearch, AwareAndReferencePointsAgreeEverywhere) {
  for (const auto& [algorithm, backend] :
       {std::pair{AlgorithmKind::Ring, NetworkBackend::CongestionAware},
        std::pair{AlgorithmKind::DoubleBinaryTree, NetworkBackend::CongestionUnaware}}) {
    const CollectiveSetup base = switch8(algorithm, backend);
    const FitData d = measured_like(switch8(AlgorithmKind::Ring, NetworkBackend::CongestionUnaware), 5);
    const FitObjective f(base, params("latency_ns=100:3000:log", "bandwidth_GBps=50:900:log"), Objective::Mape);
    const GridSearchResult cpu = search(f, d, "cpu", 4);
    expect_matches_direct(f, d, cpu);
    if (algorithm == AlgorithmKind::DoubleBinaryTree) EXPECT_GT(cpu.by_reference, 0u);
    if (!have_thrust_omp_backend()) continue;
    const GridSearchResult omp = search(f, d, "thrust-omp", 4, "2");
    expect_same_bits(cpu.objective, omp.objective, "objective");
    expect_same_bits(cpu.terms, omp.terms, "terms");
    EXPECT_EQ(cpu.by_reference, omp.by_reference);
  }
}

TEST(EngineGridSearch, CudaGivesCpuBitsWhenAGpuIsPresent) {
  std::string why;
  const CollectiveSetup base = switch8(AlgorithmKind::Ring, NetworkBackend::CongestionUnaware);
  const FitData d = measured_like(base, 9);
  const FitObjective f(base, params("latency_ns=100:3000:log", "bandwidth_GBps=50:900:log"), Objective::RmsLog);
#if defined(ASTRA_HAVE_CUDA_BACKEND)
  const SweepSpec probe = calibration::fit_grid_sweep(f, {{100.0}, {50.0}}, d.sizes_bytes);
  if (!make_cuda_evaluator(probe, why)) GTEST_SKIP() << "no usable GPU: " << why;
  expect_same_bits(search(f, d, "cpu", 17).objective, search(f, d, "cuda", 17).objective, "objective");
#else
  GTEST_SKIP() << "this build has no CUDA backend";
#endif
}

// The fit reduction of a range equals the merge of any cut of it, bit for bit (exact sums).
TEST(FitReduction, ExactWhateverTheCuts) {
  const CollectiveSetup base = switch8(AlgorithmKind::Ring, NetworkBackend::CongestionUnaware);
  const FitData d = measured_like(base, 7);
  const FitObjective f(base, params("latency_ns=100:3000:log", "bandwidth_GBps=50:900:log"), Objective::GeomeanApe);
  const SweepSpec spec = calibration::fit_grid_sweep(
      f, {FitParameter(f.params()[0]).grid_values(5), FitParameter(f.params()[1]).grid_values(6)}, d.sizes_bytes);
  auto cpu = make_cpu_evaluator(spec, 2);
  std::vector<SweepPointResult> results(spec.total_points);
  cpu->evaluate(0, spec.total_points, results.data());
  ReductionPlan plan;
  plan.sweep = spec.compiled();
  plan.summary = false;
  plan.fit_group_points = d.sizes_bytes.size();
  plan.fit_measured_ns = d.measured_ns;
  plan.fit_objective = Objective::GeomeanApe;
  plan.fit_keep_terms = true;
  BatchReduction whole;
  reduce_on_host(plan, 0, results.data(), spec.total_points, whole);
  ASSERT_EQ(whole.fit_sums.size(), 30u);
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<std::uint64_t> cuts = {0, spec.total_points};
    for (int c = 0; c < 4; ++c) cuts.push_back(rng() % spec.total_points);
    std::sort(cuts.begin(), cuts.end());
    BatchReduction merged, part;
    merged.reset(plan);
    for (std::size_t c = cuts.size() - 1; c-- > 0;) {  // merged in reverse order on purpose
      if (cuts[c + 1] == cuts[c]) continue;
      reduce_on_host(plan, cuts[c], results.data() + cuts[c], cuts[c + 1] - cuts[c], part);
      merge_reduction(plan, merged, part);
    }
    ASSERT_EQ(merged.fit_first_group, 0u);
    ASSERT_EQ(merged.fit_sums.size(), whole.fit_sums.size());
    for (std::size_t g = 0; g < whole.fit_sums.size(); ++g) {
      EXPECT_EQ(merged.fit_sums[g].whole, whole.fit_sums[g].whole);
      EXPECT_EQ(merged.fit_sums[g].frac, whole.fit_sums[g].frac);
      EXPECT_EQ(merged.fit_sums[g].terms, d.sizes_bytes.size());
    }
    EXPECT_EQ(merged.fit_terms, whole.fit_terms);
  }
}

TEST(PortableLog, AsAccurateAsTheCLibrary) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> exponent(-300.0, 300.0);
  for (int i = 0; i < 200000; ++i) {
    const double x = std::pow(10.0, exponent(rng));
    const double want = std::log(x);
    EXPECT_NEAR(portable_log(x), want, 4e-16 * std::fabs(want) + 1e-300) << x;
  }
  for (double x : {1.0, 2.0, 0.5, 1e-6, 1e6, 1.0000000001, 0.9999999999, 4.9e-324, 1.7e308}) {
    EXPECT_NEAR(portable_log(x), std::log(x), 4e-16 * std::fabs(std::log(x)) + 1e-15) << x;
  }
  EXPECT_EQ(portable_log(1.0), 0.0);
  EXPECT_TRUE(std::isnan(portable_log(-1.0)));
  EXPECT_TRUE(std::isinf(portable_log(0.0)));
}

// Sensitivity designs: the engine's values equal the model point by point, and Sobol indices
// are the same bits on thrust-omp as on cpu.
sensitivity::SensitivitySpec allreduce_spec() {
  return sensitivity::parse_sensitivity_spec(
      std::string("network: ") + ASTRA_SOURCE_DIR + "/configs/network/HGX-H100-validated.yml\n" +
          "system: " + ASTRA_SOURCE_DIR + "/configs/system/HGX-H100-validated.json\n" +
          "collective: all_reduce\nsize_bytes: 1048576\nparameters:\n"
          "  - latency_ns=100:3000:log\n  - bandwidth_GBps=50:900:log\n  - preferred_dataset_splits=1:16\n"
          "  - active_chunks=1:4\n",
      "inline.yml");
}

TEST(EngineSensitivity, DesignValuesEqualThePointModel) {
  sensitivity::ConfigMetricModel model(allreduce_spec());
  model.use_engine("cpu", 2);
  std::mt19937_64 rng(11);
  sensitivity::Design unit;
  unit.k = 4;
  for (int j = 0; j < 300 * 4; ++j) unit.rows.push_back(static_cast<double>(rng() >> 11) / 9007199254740992.0);
  const std::vector<double> values = model.design_model()(unit);
  const sensitivity::UnitModel point = model.unit_model();
  for (std::size_t j = 0; j < unit.size(); ++j)
    EXPECT_EQ(values[j], point(std::vector<double>(unit.point(j), unit.point(j) + 4))) << j;
  EXPECT_EQ(model.engine_backend(), "cpu");
}

TEST(EngineSensitivity, SobolSameBitsOnEveryBackend) {
  if (!have_thrust_omp_backend()) GTEST_SKIP() << "this build has no thrust-omp backend";
  sensitivity::SobolOptions o;
  o.base_samples = 500;
  o.bootstrap = 50;
  sensitivity::ConfigMetricModel cpu(allreduce_spec()), omp(allreduce_spec());
  cpu.use_engine("cpu", 2);
  omp.use_engine("thrust-omp", 2, parse_device_selection("2"));
  const auto a = sensitivity::sobol_indices(cpu.design_model(), 4, o);
  const auto b = sensitivity::sobol_indices(omp.design_model(), 4, o);
  EXPECT_EQ(omp.engine_backend(), "thrust-omp");
  EXPECT_EQ(a.first, b.first);
  EXPECT_EQ(a.total, b.total);
  EXPECT_EQ(a.total_low, b.total_low);
  EXPECT_GT(a.total[0], 0.1);  // latency dominates a 1 MiB all-reduce here: the test sees real values
}

}  // namespace
}  // namespace astra
