// Morris elementary effects (Morris 1991, with mu* of Campolongo et al. 2007) on a UnitModel.
// r trajectories on a p-level grid {0, 1/(p-1), ..., 1} with step Delta = p / (2 (p - 1)):
// each trajectory starts at a random grid point and moves every input once, in random order,
// by +Delta (or -Delta where +Delta would leave [0, 1]). The elementary effect of input i is
// EE_i = (f(x + s Delta e_i) - f(x)) / (s Delta), s = +-1, in unit coordinates.
//   mu = mean EE, mu* = mean |EE|, sigma = sample standard deviation of EE.
#pragma once

#include <cstdint>
#include <vector>

#include "host/sensitivity/unit_model.hpp"

namespace astra::sensitivity {

struct MorrisOptions {
  int trajectories = 20;  // r
  int levels = 4;         // p (even)
  std::uint64_t seed = 1;
  unsigned threads = 0;
};

struct MorrisResult {
  std::vector<double> mu, mu_star, sigma;
  std::vector<double> mu_star_standard_error;  // sd(|EE|) / sqrt(r)
  std::size_t evaluations = 0;
};

// The design is evaluated in one call (the sweep engine, or host threads for a UnitModel).
MorrisResult morris_screening(const DesignModel& model, std::size_t inputs, const MorrisOptions& options);
MorrisResult morris_screening(const UnitModel& model, std::size_t inputs, const MorrisOptions& options);

}  // namespace astra::sensitivity
