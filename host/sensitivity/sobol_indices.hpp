// Sobol first-order and total indices by Saltelli sampling (Saltelli et al. 2010, "Variance
// based sensitivity analysis of model output", Comput. Phys. Commun. 181):
//   A, B: N x k independent uniform samples; A_B^(i) = A with column i taken from B.
//   V     = variance of f over the 2N points of A and B
//   S_i   = (1/N) sum_j (f(B)_j - m) (f(A_B^(i))_j - f(A)_j) / V    (Saltelli 2010, table 2 (b), with f
//           centred on m, the mean over A and B: the same in expectation, but without the
//           cancellation that makes S_i meaningless when m >> sd(f), e.g. iteration times)
//   ST_i  = (1/(2N)) sum_j (f(A)_j - f(A_B^(i))_j)^2 / V            (Jansen 1999, table 2 (f))
// N (k + 2) model runs. Confidence intervals: percentile bootstrap over the N rows (seeded).
#pragma once

#include <cstdint>
#include <vector>

#include "host/sensitivity/unit_model.hpp"

namespace astra::sensitivity {

struct SobolOptions {
  std::size_t base_samples = 1024;  // N
  std::size_t bootstrap = 500;
  double confidence = 0.95;
  std::uint64_t seed = 1;
  unsigned threads = 0;
};

struct SobolResult {
  std::vector<double> first, first_low, first_high;
  std::vector<double> total, total_low, total_high;
  double variance = 0.0;
  std::size_t evaluations = 0;
};

// The design is evaluated in one call (the sweep engine, or host threads for a UnitModel).
SobolResult sobol_indices(const DesignModel& model, std::size_t inputs, const SobolOptions& options);
SobolResult sobol_indices(const UnitModel& model, std::size_t inputs, const SobolOptions& options);

}  // namespace astra::sensitivity
