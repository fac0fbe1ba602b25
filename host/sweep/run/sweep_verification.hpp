// `astra-sweep verify`: checks the chain of trust on seeded random points of a spec.
//   fast evaluator (host)  ==  reference simulator   (exactly: every metric, to the ns)
//   thrust-omp             ==  cpu                    (when this build has it)
//   cuda                   ==  cpu                    (when a GPU is present)
// Points the fast evaluator hands to the reference simulator are counted, not compared.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/sweep/spec/sweep_spec.hpp"

namespace astra {

struct VerifyOptions {
  std::uint64_t samples = 100;
  std::uint64_t seed = 1;
  unsigned threads = 0;
};

struct VerifyReport {
  std::vector<std::uint64_t> points;  // the sampled indices (kept by `where`)
  std::uint64_t compared = 0;         // fast vs reference comparisons made
  std::uint64_t reference_only = 0;   // the fast evaluator deferred to the reference
  std::vector<std::string> mismatches;
  std::vector<std::string> notes;     // what was skipped and why
  std::uint64_t device_compared = 0;  // thrust-omp / cuda points compared
};

VerifyReport verify_sweep(const SweepSpec& spec, const VerifyOptions& options);

}  // namespace astra
