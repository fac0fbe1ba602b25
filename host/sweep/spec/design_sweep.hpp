// A sweep built in code rather than read from a spec file: the base point, the workload, and
// mixed-radix digit groups given as tables. `calibrate` compiles its parameter grid this way
// (one group per parameter, the fit sizes last) and `sensitivity` its sample design (one zip
// group whose rows are the samples), so that both run on every backend of the sweep engine
// (cpu, thrust-omp, cuda, several devices) exactly as `run` does.
//
//   groups {latency_ns: [100, 200]} {size_bytes: [1K, 2K, 4K]}  ->  6 points, size fastest:
//   point 4 = row 1 of group 0, row 1 of group 1 -> latency_ns 200, size_bytes 2K
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "host/sweep/spec/sweep_spec.hpp"

namespace astra {

struct DesignGroup {
  std::vector<std::string> keys;  // axis names as a spec writes them ("latency_ns[1]", "size_bytes", ...)
  std::vector<double> rows;       // row-major: rows.size() = row count x keys.size()
};

// `name` names the design in messages; `workload` null means an inline collective (the base
// point's collective and size). Throws InputError for an unknown key, an empty group, a ragged
// table or more than the engine's axis limit.
SweepSpec make_design_sweep(const std::string& name, const SweepPoint& base, std::shared_ptr<const Workload> workload,
                            std::vector<DesignGroup> groups);

}  // namespace astra
