#include "sensitivity/sobol_indices.hpp"

#include <algorithm>
#include <cmath>

#include "sensitivity/seeded_random.hpp"

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
      s += fb[j] * (fab[i][j] - fa[j]);
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
  std::vector<std::vector<double>> a(n, std::vector<double>(k)), b(n, std::vector<double>(k));
  for (std::size_t j = 0; j < n; ++j) {
    for (auto& v : a[j]) v = rng.uniform();
    for (auto& v : b[j]) v = rng.uniform();
  }
  // One design: A, B, then A_B^(0..k-1).
  std::vector<std::vector<double>> points;
  points.reserve(n * (k + 2));
  for (const auto& x : a) points.push_back(x);
  for (const auto& x : b) points.push_back(x);
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      std::vector<double> x = a[j];
      x[i] = b[j][i];
      points.push_back(std::move(x));
    }
  const std::vector<double> y = model(points);
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
  std::vector<std::vector<double>> boot_first(k), boot_total(k);
  SeededRandom boot_rng(o.seed ^ 0xB007B007ULL);
  std::vector<std::size_t> rows(n);
  for (std::size_t b_i = 0; b_i < o.bootstrap; ++b_i) {
    for (auto& j : rows) j = boot_rng.below(n);
    const Indices e = estimate(fa, fb, fab, rows);
    for (std::size_t i = 0; i < k; ++i) boot_first[i].push_back(e.first[i]), boot_total[i].push_back(e.total[i]);
  }
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
