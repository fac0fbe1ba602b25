// What every sensitivity method analyses: a scalar function of k inputs, each given in unit
// coordinates u in [0, 1]. It must be safe to call from several threads at once.
// evaluate_points runs a whole design on all cores.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace astra::sensitivity {

using UnitModel = std::function<double(const std::vector<double>& unit_point)>;

// A design: `size()` points of k inputs, row-major (point j, input i at rows[j * k + i]).
struct Design {
  std::size_t k = 0;
  std::vector<double> rows;
  std::size_t size() const { return k == 0 ? 0 : rows.size() / k; }
  const double* point(std::size_t j) const { return rows.data() + j * k; }
};

// A whole design at once (unit points -> values): how the sweep engine evaluates a method's
// design on any backend (ConfigMetricModel::design_model).
using DesignModel = std::function<std::vector<double>(const Design& unit_design)>;

std::vector<double> evaluate_points(const UnitModel& model, const std::vector<std::vector<double>>& points,
                                    unsigned threads = 0);

// A point model as a design model, run on `threads` host threads (0: all cores).
DesignModel design_on_threads(UnitModel model, unsigned threads = 0);

}  // namespace astra::sensitivity
