#include "host/sensitivity/oat_elasticity.hpp"

#include <algorithm>
#include <cmath>

#include "host/common/parallel_for.hpp"

namespace astra::sensitivity {

OatResult oat_elasticities(const std::function<double(const std::vector<double>&)>& f,
                           const std::vector<OatInput>& inputs, double relative_step, unsigned threads) {
  const ValuesDesign design = [&](const Design& points) {
    std::vector<double> out(points.size());
    parallel_for(points.size(), 1, threads, [&](std::size_t b, std::size_t e) {
      for (std::size_t j = b; j < e; ++j) out[j] = f(std::vector<double>(points.point(j), points.point(j) + points.k));
    });
    return out;
  };
  return oat_elasticities(design, inputs, relative_step);
}

OatResult oat_elasticities(const ValuesDesign& f, const std::vector<OatInput>& inputs, double relative_step) {
  const std::size_t k = inputs.size();
  std::vector<double> base(k);
  for (std::size_t i = 0; i < k; ++i) base[i] = inputs[i].base;
  OatResult r;
  r.minus_value.resize(k), r.plus_value.resize(k), r.minus_output.resize(k), r.plus_output.resize(k);
  r.elasticity.resize(k);
  for (std::size_t i = 0; i < k; ++i) {
    const OatInput& in = inputs[i];
    const double step = in.integer ? 1.0 : std::max(std::fabs(in.base) * relative_step, 1e-12);
    r.minus_value[i] = std::clamp(in.base - step, in.low, in.high);
    r.plus_value[i] = std::clamp(in.base + step, in.low, in.high);
  }
  // 2k + 1 evaluations, one design: the minus points, the plus points, the base.
  Design points;
  points.k = k;
  for (std::size_t j = 0; j < 2 * k + 1; ++j) points.rows.insert(points.rows.end(), base.begin(), base.end());
  for (std::size_t i = 0; i < k; ++i)
    points.rows[i * k + i] = r.minus_value[i], points.rows[(k + i) * k + i] = r.plus_value[i];
  const std::vector<double> outputs = f(points);
  r.base_output = outputs[2 * k];
  for (std::size_t i = 0; i < k; ++i) {
    r.minus_output[i] = outputs[i];
    r.plus_output[i] = outputs[k + i];
    const double dx = r.plus_value[i] - r.minus_value[i];
    r.elasticity[i] = (dx == 0.0 || r.base_output == 0.0)
                          ? 0.0
                          : (r.plus_output[i] - r.minus_output[i]) / dx * inputs[i].base / r.base_output;
  }
  return r;
}

}  // namespace astra::sensitivity
