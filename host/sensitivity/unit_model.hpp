// What every sensitivity method analyses: a scalar function of k inputs, each given in unit
// coordinates u in [0, 1]. It must be safe to call from several threads at once.
// evaluate_points runs a whole design on all cores.
#pragma once

#include <functional>
#include <vector>

namespace astra::sensitivity {

using UnitModel = std::function<double(const std::vector<double>& unit_point)>;

std::vector<double> evaluate_points(const UnitModel& model, const std::vector<std::vector<double>>& points,
                                    unsigned threads = 0);

}  // namespace astra::sensitivity
