#include "host/sensitivity/morris_screening.hpp"

#include <cmath>

#include "host/sensitivity/seeded_random.hpp"

namespace astra::sensitivity {

MorrisResult morris_screening(const UnitModel& model, std::size_t k, const MorrisOptions& o) {
  return morris_screening(design_on_threads(model, o.threads), k, o);
}

MorrisResult morris_screening(const DesignModel& model, std::size_t k, const MorrisOptions& o) {
  const int p = o.levels < 2 ? 2 : o.levels;
  const double delta = p / (2.0 * (p - 1));
  const std::size_t r = o.trajectories < 1 ? 1 : static_cast<std::size_t>(o.trajectories);
  SeededRandom rng(o.seed);

  // Design: r trajectories of k + 1 points; which input moved at each step, and the sign.
  Design points;
  points.k = k;
  std::vector<std::size_t> moved(r * k);
  std::vector<double> sign(r * k);
  points.rows.reserve(r * (k + 1) * k);
  for (std::size_t t = 0; t < r; ++t) {
    std::vector<double> x(k);
    for (auto& v : x) v = static_cast<double>(rng.below(static_cast<std::uint64_t>(p))) / (p - 1);
    std::vector<std::size_t> order(k);
    for (std::size_t i = 0; i < k; ++i) order[i] = i;
    for (std::size_t i = k; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    points.rows.insert(points.rows.end(), x.begin(), x.end());
    for (std::size_t s = 0; s < k; ++s) {
      const std::size_t i = order[s];
      const double step = x[i] + delta <= 1.0 + 1e-12 ? delta : -delta;
      x[i] = std::min(1.0, std::max(0.0, x[i] + step));
      moved[t * k + s] = i;
      sign[t * k + s] = step > 0 ? 1.0 : -1.0;
      points.rows.insert(points.rows.end(), x.begin(), x.end());
    }
  }
  const std::vector<double> y = model(points);

  MorrisResult res;
  res.evaluations = y.size();
  std::vector<std::vector<double>> effects(k);
  for (std::size_t t = 0; t < r; ++t)
    for (std::size_t s = 0; s < k; ++s) {
      const std::size_t at = t * (k + 1) + s;
      effects[moved[t * k + s]].push_back((y[at + 1] - y[at]) / (sign[t * k + s] * delta));
    }
  for (std::size_t i = 0; i < k; ++i) {
    double sum = 0, sum_abs = 0;
    for (double e : effects[i]) sum += e, sum_abs += std::fabs(e);
    const double n = static_cast<double>(effects[i].size());
    const double mu = sum / n, mu_star = sum_abs / n;
    double var = 0, var_abs = 0;
    for (double e : effects[i]) var += (e - mu) * (e - mu), var_abs += (std::fabs(e) - mu_star) * (std::fabs(e) - mu_star);
    res.mu.push_back(mu);
    res.mu_star.push_back(mu_star);
    res.sigma.push_back(n > 1 ? std::sqrt(var / (n - 1)) : 0.0);
    res.mu_star_standard_error.push_back(n > 1 ? std::sqrt(var_abs / (n - 1) / n) : 0.0);
  }
  return res;
}

}  // namespace astra::sensitivity
