#include "host/sensitivity/sobol_indices.hpp"

#include <algorithm>
#include <cmath>

#include "host/common/parallel_for.hpp"
#include "host/sensitivity/seeded_random.hpp"

namespace astra::sensitivity {
namespace {

struct Indices {
  std::vector<double> first, total;
};

// Estimates over the rows listed in `rows` (a bootstrap resample, or 0..N-1).
Indices estimate(const std::vector<double>& fa, const std::vector<double>& fb,
                 const std::vector<std::vector<double>>& fab, const std::vector<std::size_t>& rows) {
  const std::size_t k = fab.size();
  const double n = static_cast<double>(rows.size());
  double mean = 0.0;
  for (std::size_t j : rows) mean += fa[j] + fb[j];
  mean /= 2.0 * n;
  double var = 0.0;
  for (std::size_t j : rows) var += (fa[j] - mean) * (fa[j] - mean) + (fb[j] - mean) * (fb[j] - mean);
  var /= 2.0 * n - 1.0;
  Indices out{std::vector<double>(k, 0.0), std::vector<double>(k, 0.0)};
  if (!(var > 0.0)) return out;
  for (std::size_t i = 0; i < k; ++i) {
    double s = 0.0, t = 0.0;
    for (std::size_t j : rows) {
      s += (fb[j] - mean) * (fab[i][j] - fa[j]);  // centred: exact in expectation, and no cancellation
                                                 // when the mean dwarfs the spread (ResNet-50 times)
      const double d = fa[j] - fab[i][j];
      t += d * d;
    }
    out.first[i] = s / n / var;
    out.total[i] = t / (2.0 * n) / var;
  }
  return out;
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace

SobolResult sobol_indices(const UnitModel& model, std::size_t k, const SobolOptions& o) {
  return sobol_indices(design_on_threads(model, o.threads), k, o);
}

SobolResult sobol_indices(const DesignModel& model, std::size_t k, const SobolOptions& o) {
  const std::size_t n = std::max<std::size_t>(o.base_samples, 2);
  SeededRandom rng(o.seed);
  // One design, row-major: A (N rows), B (N rows), then A_B^(0..k-1) (N rows each).
  Design design;
  design.k = k;
  design.rows.resize(n * (k + 2) * k);
  double* a = design.rows.data();
  double* b = a + n * k;
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < k; ++i) a[j * k + i] = rng.uniform();
    for (std::size_t i = 0; i < k; ++i) b[j * k + i] = rng.uniform();
  }
  for (std::size_t i = 0; i < k; ++i) {
    double* ab = a + (2 + i) * n * k;
    std::copy(a, a + n * k, ab);
    for (std::size_t j = 0; j < n; ++j) ab[j * k + i] = b[j * k + i];
  }
  const std::vector<double> y = model(design);
  std::vector<double> fa(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(n));
  std::vector<double> fb(y.begin() + static_cast<std::ptrdiff_t>(n), y.begin() + static_cast<std::ptrdiff_t>(2 * n));
  std::vector<std::vector<double>> fab(k);
  for (std::size_t i = 0; i < k; ++i)
    fab[i].assign(y.begin() + static_cast<std::ptrdiff_t>((2 + i) * n),
                  y.begin() + static_cast<std::ptrdiff_t>((3 + i) * n));

  std::vector<std::size_t> all(n);
  for (std::size_t j = 0; j < n; ++j) all[j] = j;
  const Indices point = estimate(fa, fb, fab, all);

  SobolResult r;
  r.first = point.first;
  r.total = point.total;
  r.evaluations = y.size();
  {
    double mean = 0.0;
    for (std::size_t j = 0; j < n; ++j) mean += fa[j] + fb[j];
    mean /= 2.0 * n;
    for (std::size_t j = 0; j < n; ++j) r.variance += (fa[j] - mean) * (fa[j] - mean) + (fb[j] - mean) * (fb[j] - mean);
    r.variance /= 2.0 * n - 1.0;
  }
  // Resample b draws its rows from its own seeded stream, so resamples run on every core and
  // the intervals do not depend on the thread count.
  std::vector<std::vector<double>> boot_first(k, std::vector<double>(o.bootstrap)),
      boot_total(k, std::vector<double>(o.bootstrap));
  parallel_for(o.bootstrap, 1, o.threads, [&](std::size_t begin, std::size_t end) {
    std::vector<std::size_t> rows(n);
    for (std::size_t b_i = begin; b_i < end; ++b_i) {
      SeededRandom boot_rng((o.seed ^ 0xB007B007ULL) + 0x9E3779B97F4A7C15ULL * (b_i + 1));
      for (auto& j : rows) j = boot_rng.below(n);
      const Indices e = estimate(fa, fb, fab, rows);
      for (std::size_t i = 0; i < k; ++i) boot_first[i][b_i] = e.first[i], boot_total[i][b_i] = e.total[i];
    }
  });
  const double tail = (1.0 - o.confidence) / 2.0;
  for (std::size_t i = 0; i < k; ++i) {
    if (o.bootstrap == 0) {
      r.first_low.push_back(r.first[i]), r.first_high.push_back(r.first[i]);
      r.total_low.push_back(r.total[i]), r.total_high.push_back(r.total[i]);
      continue;
    }
    r.first_low.push_back(percentile(boot_first[i], tail));
    r.first_high.push_back(percentile(boot_first[i], 1.0 - tail));
    r.total_low.push_back(percentile(boot_total[i], tail));
    r.total_high.push_back(percentile(boot_total[i], 1.0 - tail));
  }
  return r;
}

}  // namespace astra::sensitivity
